#include "predictionspage.h"

#include "predictionsmodel.h"
#include "stalebanner.h"

#include "sampleimage.h"
#include "trainbench/data/dataset.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace trainbench::ui {

PredictionsPage::PredictionsPage(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    m_stale = new StaleBanner(this);
    layout->addWidget(m_stale);
    auto* bar = new QHBoxLayout;
    m_onlyWrong = new QCheckBox(tr("Only wrong"), this);
    m_class = new QComboBox(this);
    m_class->addItem(tr("All classes"), -1);
    auto* clearCell = new QPushButton(tr("Show all"), this);
    clearCell->setObjectName("showAll");
    clearCell->setToolTip(tr("Clear every filter"));
    m_showAll = clearCell;
    bar->addWidget(m_onlyWrong);
    bar->addWidget(new QLabel(tr("True class"), this));
    bar->addWidget(m_class);
    bar->addWidget(clearCell);
    bar->addStretch();
    layout->addLayout(bar);
    // On its own line, wrapping: a long filter description never widens the window.
    m_summary = new QLabel(this);
    m_summary->setObjectName("predictionsSummary");
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_grid = new QListView(this);
    m_model = new PredictionsModel(this);
    m_grid->setModel(m_model);
    m_grid->setObjectName("predictionGrid");
    m_grid->setViewMode(QListView::IconMode);
    m_grid->setIconSize(QSize(56, 56));
    m_grid->setGridSize(QSize(76, 84));
    m_grid->setMovement(QListView::Static);
    m_grid->setResizeMode(QListView::Adjust);
    m_grid->setUniformItemSizes(true);
    m_grid->setLayoutMode(QListView::Batched); // 10,000 items laid out a batch at a time
    layout->addWidget(m_grid);
    m_summary->setText(tr("Predictions appear after the first epoch."));

    connect(m_onlyWrong, &QCheckBox::toggled, this, [this] {
        m_cellLabel = m_cellPredicted = -1;
        refresh();
    });
    connect(m_class, &QComboBox::currentIndexChanged, this, [this] {
        m_cellLabel = m_cellPredicted = -1;
        refresh();
    });
    connect(clearCell, &QPushButton::clicked, this, [this] {
        clearFilters();
        refresh();
    });
}

void PredictionsPage::clearFilters()
{
    const QSignalBlocker blockWrong(m_onlyWrong);
    const QSignalBlocker blockClass(m_class);
    m_cellLabel = m_cellPredicted = -1;
    m_onlyWrong->setChecked(false);
    m_class->setCurrentIndex(0);
}

bool PredictionsPage::filterActive() const
{
    return m_cellLabel >= 0 || m_onlyWrong->isChecked() || m_class->currentIndex() > 0;
}

void PredictionsPage::setDataset(std::shared_ptr<const Dataset> dataset)
{
    m_dataset = std::move(dataset);
    clearFilters(); // another dataset's classes: no filter carries over
    m_class->blockSignals(true);
    m_class->clear();
    m_class->addItem(tr("All classes"), -1);
    if (m_dataset)
        for (int c = 0; c < m_dataset->classes; ++c)
            m_class->addItem(QString::fromStdString(m_dataset->classNames[size_t(c)]), c);
    m_class->blockSignals(false);
    // The last run's answers belong to the old dataset's images and classes.
    m_details = EpochDetails{};
    m_matching = 0;
    m_model->reset(nullptr, nullptr, {});
}

void PredictionsPage::setStale(bool stale)
{
    m_stale->setVisible(stale);
    if (stale)
        clearFilters(); // a new run: a confusion cell of the last one means nothing now
    refresh();
}

bool PredictionsPage::isStale() const
{
    return !m_stale->isHidden();
}

void PredictionsPage::setDetails(const EpochDetails& details)
{
    m_stale->hide();
    m_details = details;
    refresh();
}

void PredictionsPage::showCell(int label, int predicted)
{
    m_onlyWrong->blockSignals(true);
    m_onlyWrong->setChecked(false);
    m_onlyWrong->blockSignals(false);
    m_cellLabel = label;
    m_cellPredicted = predicted;
    refresh();
}

int PredictionsPage::shownCount() const
{
    return m_model->rowCount();
}

int PredictionsPage::testIndexAt(int row) const
{
    return m_model->testIndex(row);
}

void PredictionsPage::refresh()
{
    m_matching = 0;
    if (!m_dataset || m_details.testPredictions.empty()) {
        m_model->reset(nullptr, nullptr, {});
        return;
    }
    const ImageSet& test = m_dataset->test;
    const int wantedClass = m_class->currentData().toInt();
    const size_t n = std::min(m_details.testPredictions.size(), size_t(test.count));
    int wrong = 0;
    std::vector<int> matching;
    for (size_t i = 0; i < n; ++i) {
        const int label = test.labels[i];
        const int predicted = m_details.testPredictions[i];
        wrong += label != predicted;
        if (m_cellLabel >= 0 && (label != m_cellLabel || predicted != m_cellPredicted))
            continue;
        if (m_cellLabel < 0 && m_onlyWrong->isChecked() && label == predicted)
            continue;
        if (m_cellLabel < 0 && wantedClass >= 0 && label != wantedClass)
            continue;
        matching.push_back(int(i));
    }
    m_matching = int(matching.size());
    m_model->reset(m_dataset, &m_details, std::move(matching));
    // The filter in force, in words, so an empty grid never looks like a broken one.
    const auto className = [this](int c) {
        return c >= 0 && size_t(c) < m_dataset->classNames.size()
                   ? QString::fromStdString(m_dataset->classNames[size_t(c)])
                   : QString::number(c);
    };
    QString filter;
    if (m_cellLabel >= 0)
        filter = tr(" — filter: true %1 predicted as %2")
                     .arg(className(m_cellLabel), className(m_cellPredicted));
    else if (m_onlyWrong->isChecked() || wantedClass >= 0)
        filter =
            tr(" — filter: %1")
                .arg(QStringList{m_onlyWrong->isChecked() ? tr("only wrong") : QString(),
                                 wantedClass >= 0 ? tr("true class %1").arg(className(wantedClass))
                                                  : QString()}
                         .filter(QRegularExpression("."))
                         .join(", "));
    m_showAll->setEnabled(filterActive());
    m_summary->setText(tr("Epoch %1: %L2 of %L3 test images wrong%4; showing %L5 of %L6")
                           .arg(m_details.epoch)
                           .arg(wrong)
                           .arg(n)
                           .arg(filter)
                           .arg(shownCount())
                           .arg(m_matching));
}

} // namespace trainbench::ui
