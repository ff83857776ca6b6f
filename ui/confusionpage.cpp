#include "confusionpage.h"

#include "plottheme.h"

#include "stalebanner.h"

#include "confusionmatrixwidget.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QVBoxLayout>
#include <QValueAxis>

namespace trainbench::ui {

ConfusionPage::ConfusionPage(QWidget* parent) : QWidget(parent)
{
    auto* outer = new QVBoxLayout(this);
    m_stale = new StaleBanner(this);
    outer->addWidget(m_stale);
    auto* layout = new QHBoxLayout;
    outer->addLayout(layout, 1);
    m_matrix = new ConfusionMatrixWidget(this);
    m_matrix->setToolTip(tr("Click a cell to see its images on the Predictions tab"));
    layout->addWidget(m_matrix, 3);
    auto* chart = new QChart;
    chart->setTitle(tr("Test accuracy per class"));
    chart->legend()->hide();
    m_chart = new QChartView(chart, this);
    PlotTheme::follow(m_chart);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumWidth(260);
    layout->addWidget(m_chart, 2);
}

void ConfusionPage::setStale(bool stale)
{
    m_stale->setVisible(stale);
}

bool ConfusionPage::isStale() const
{
    return !m_stale->isHidden();
}

void ConfusionPage::setDetails(const EpochDetails& d, const QStringList& names)
{
    m_stale->hide();
    m_matrix->setMatrix(d.confusion, d.classes, names);
    m_accuracy.clear();
    auto* set = new QBarSet(tr("accuracy"));
    set->setColor(QColor(66, 133, 244));
    QStringList categories;
    for (int c = 0; c < d.classes; ++c) {
        int64_t row = 0;
        for (int p = 0; p < d.classes; ++p)
            row += d.count(c, p);
        const double accuracy = row > 0 ? double(d.count(c, c)) / double(row) : 0.0;
        m_accuracy << accuracy;
        *set << accuracy * 100.0;
        categories << (c < names.size() ? names[c] : QString::number(c));
    }
    auto* chart = m_chart->chart();
    chart->removeAllSeries();
    for (auto* axis : chart->axes())
        chart->removeAxis(axis);
    auto* series = new QBarSeries;
    series->append(set);
    series->setLabelsVisible(true);
    series->setLabelsFormat("@value");
    series->setLabelsPrecision(3);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    auto* y = new QValueAxis;
    double lowest = 100.0;
    for (double a : m_accuracy)
        lowest = std::min(lowest, a * 100.0);
    y->setRange(std::max(0.0, std::floor(lowest / 5.0) * 5.0 - 5.0), 100.0);
    y->setTitleText(tr("%"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    chart->setTitle(tr("Test accuracy per class, epoch %1").arg(d.epoch));
    PlotTheme::apply(m_chart); // the new axes in the palette's colours
}

} // namespace trainbench::ui
