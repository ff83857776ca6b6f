#include "runstablemodel.h"

#include <QDateTime>
#include <QFont>
#include <QLocale>

#include <map>

namespace trainbench::ui {

namespace {

// Tableau 10: distinct on white and for most colour-vision deficiencies.
const QColor kPalette[] = {{31, 119, 180},  {255, 127, 14}, {44, 160, 44},   {214, 39, 40},
                           {148, 103, 189}, {140, 86, 75},  {227, 119, 194}, {127, 127, 127},
                           {188, 189, 34},  {23, 190, 207}};

QString duration(double seconds)
{
    const int s = int(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1:%2:%3")
                           .arg(s / 3600)
                           .arg(s / 60 % 60, 2, 10, QChar('0'))
                           .arg(s % 60, 2, 10, QChar('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

QString localTime(const std::string& utc)
{
    const QDateTime time = QDateTime::fromString(QString::fromStdString(utc), Qt::ISODate);
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::ShortFormat)
                          : QString::fromStdString(utc);
}

} // namespace

void RunsTableModel::setRuns(std::vector<RunListing> runs)
{
    beginResetModel();
    m_runs = std::move(runs);
    // The best run of each sweep, by best test accuracy.
    m_bestOfSweep.assign(m_runs.size(), 0);
    std::map<std::string, size_t> best;
    for (size_t i = 0; i < m_runs.size(); ++i) {
        const RunRecord& r = m_runs[i].record;
        if (m_runs[i].damaged || r.sweep.empty() || r.history.empty())
            continue;
        const auto it = best.find(r.sweep);
        if (it == best.end() || r.bestTestAccuracy() > m_runs[it->second].record.bestTestAccuracy())
            best[r.sweep] = i;
    }
    for (const auto& [sweep, row] : best)
        m_bestOfSweep[row] = 1;
    endResetModel();
}

int RunsTableModel::rowOf(const std::string& id) const
{
    for (size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].id == id)
            return int(i);
    return -1;
}

QColor RunsTableModel::color(int row) const
{
    return kPalette[size_t(row) % std::size(kPalette)];
}

bool RunsTableModel::isBestOfSweep(int row) const
{
    return row >= 0 && size_t(row) < m_bestOfSweep.size() && m_bestOfSweep[size_t(row)];
}

int RunsTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_runs.size()))
        return {};
    const RunListing& run = m_runs[size_t(index.row())];
    const RunRecord& r = run.record;
    const int column = index.column();
    if (role == Qt::DecorationRole && column == Name)
        return color(index.row());
    if (role == Qt::ToolTipRole)
        return run.damaged ? QString::fromStdString(run.problem)
                           : QString::fromStdString(run.folder);
    if (role == Qt::ForegroundRole && run.damaged)
        return QColor(200, 40, 40);
    if (role == Qt::FontRole && isBestOfSweep(index.row())) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::TextAlignmentRole && column >= Parameters && column != Optimizer)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    if (run.damaged) {
        if (column == Name)
            return QString::fromStdString(run.id);
        if (column == Status)
            return tr("damaged: %1").arg(QString::fromStdString(run.problem));
        // Sorted below every readable run, by number or by text as the column's values are.
        const bool numeric = column == Parameters || column == LearningRate ||
                             column == BatchSize || column == Epochs ||
                             column == BestTestAccuracy || column == Duration;
        return sort && numeric ? QVariant(-1.0) : QVariant(QString());
    }
    switch (column) {
    case Name:
        return QString::fromStdString(r.name);
    case Created:
        return sort ? QVariant(QString::fromStdString(r.created)) : QVariant(localTime(r.created));
    case Status:
        if (sort)
            return QString::fromStdString(toString(r.status));
        switch (r.status) { // the words of the window's language; run.json keeps English
        case RunStatus::Running:
            return tr("running");
        case RunStatus::Finished:
            return tr("finished");
        case RunStatus::Stopped:
            return tr("stopped");
        case RunStatus::Failed:
            return tr("failed");
        case RunStatus::Interrupted:
            return tr("interrupted");
        case RunStatus::Cancelled:
            return tr("cancelled");
        }
        return QString::fromStdString(toString(r.status));
    case Dataset:
        return QString::fromStdString(r.dataset);
    case Model:
        return QString::fromStdString(r.config.modelName);
    case Parameters:
        return sort ? QVariant(qlonglong(r.parameters))
                    : QVariant(QLocale().toString(qlonglong(r.parameters)));
    case Optimizer:
        return QString::fromStdString(toString(r.config.optimizer.type));
    case LearningRate:
        return sort ? QVariant(r.config.optimizer.learningRate)
                    : QVariant(QString::number(r.config.optimizer.learningRate, 'g', 4));
    case BatchSize:
        return r.config.batchSize;
    case Epochs:
        return sort
                   ? QVariant(int(r.history.size()))
                   : QVariant(QStringLiteral("%1 / %2").arg(r.history.size()).arg(r.config.epochs));
    case BestTestAccuracy:
        if (r.history.empty())
            return sort ? QVariant(-1.0) : QVariant(QStringLiteral("–"));
        return sort ? QVariant(r.bestTestAccuracy())
                    : QVariant(QLocale().toString(r.bestTestAccuracy() * 100.0, 'f', 2) + "%");
    case Duration:
        return sort ? QVariant(r.seconds()) : QVariant(duration(r.seconds()));
    case Sweep:
        return QString::fromStdString(r.sweep) + (isBestOfSweep(index.row()) && !sort
                                                      ? QStringLiteral(" ★ %1").arg(tr("best"))
                                                      : QString());
    default:
        return {};
    }
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Run");
    case Created:
        return tr("Created");
    case Status:
        return tr("Status");
    case Dataset:
        return tr("Dataset");
    case Model:
        return tr("Model");
    case Parameters:
        return tr("Parameters");
    case Optimizer:
        return tr("Optimizer");
    case LearningRate:
        return tr("Learning rate");
    case BatchSize:
        return tr("Batch");
    case Epochs:
        return tr("Epochs");
    case BestTestAccuracy:
        return tr("Best test acc.");
    case Duration:
        return tr("Time");
    case Sweep:
        return tr("Sweep");
    default:
        return {};
    }
}

} // namespace trainbench::ui
