#include "sweepdialog.h"

#include "trainbench/common/error.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace trainbench::ui {

SweepDialog::SweepDialog(const TrainingConfig& base, QWidget* parent)
    : QDialog(parent), m_base(base)
{
    setObjectName("sweepDialog");
    setWindowTitle(tr("Sweep"));
    auto* form = new QFormLayout;
    const QList<QPair<QString, QString>> rows = {
        {"lr", QString::number(base.optimizer.learningRate, 'g', 6)},
        {"batch-size", QString::number(base.batchSize)},
        {"optimizer", QString::fromStdString(toString(base.optimizer.type))},
        {"model", QString::fromStdString(base.modelName)},
        {"epochs", QString::number(base.epochs)},
        {"seed", QString::number(qulonglong(base.seed))},
        {"momentum", QString::number(base.optimizer.momentum, 'g', 6)}};
    const QMap<QString, QString> labels = {
        {"lr", tr("Learning rate")},    {"batch-size", tr("Batch size")},
        {"optimizer", tr("Optimizer")}, {"model", tr("Model")},
        {"epochs", tr("Epochs")},       {"seed", tr("Seed")},
        {"momentum", tr("Momentum")}};
    for (const auto& [key, value] : rows) {
        auto* edit = new QLineEdit(value, this);
        edit->setObjectName("grid-" + key);
        edit->setToolTip(tr("One value, or several separated by commas: each is tried with every "
                            "combination of the others"));
        connect(edit, &QLineEdit::textChanged, this, &SweepDialog::update);
        form->addRow(labels.value(key), edit);
        m_fields.insert(key, edit);
        m_keys << key;
    }
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Queue runs"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Runs one after another for every combination of the values "
                                    "(comma-separated), grouped as one sweep. The other settings "
                                    "come from the docks."),
                                 this));
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(m_buttons);
    update();
}

QString SweepDialog::summary() const
{
    return m_summary->text();
}

void SweepDialog::update()
{
    m_points.clear();
    QString problem;
    try {
        SweepGrid grid;
        for (const QString& key : m_keys) {
            std::vector<std::string> values;
            for (const QString& value : m_fields.value(key)->text().split(',', Qt::SkipEmptyParts))
                values.push_back(value.trimmed().toStdString());
            if (values.empty())
                throw Error("grid " + key.toStdString() + ": no value");
            grid.add(key.toStdString(), values);
        }
        if (grid.size() > 1000)
            throw Error("the grid makes " + std::to_string(grid.size()) + " runs; at most 1000");
        m_points = grid.expand(m_base);
    } catch (const Error& e) {
        problem = QString::fromUtf8(e.what());
    }
    m_summary->setText(problem.isEmpty() ? tr("%n run(s)", nullptr, int(m_points.size()))
                                         : problem);
    m_summary->setStyleSheet(problem.isEmpty() ? QString() : QStringLiteral("color: #c62828"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty() && !m_points.empty());
}

} // namespace trainbench::ui
