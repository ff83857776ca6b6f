#pragma once

#include "trainbench/track/runstore.h"

#include <QAbstractTableModel>
#include <QColor>

#include <vector>

namespace trainbench::ui {

/// The runs of a runs folder as table rows: one per run, damaged ones included (their reason
/// in the Status column). Each run has a colour, the same in this list and in every plot.
class RunsTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Name,
        Created,
        Status,
        Sweep,
        Dataset,
        Model,
        Parameters,
        Optimizer,
        LearningRate,
        BatchSize,
        Epochs,
        BestTestAccuracy,
        Duration,
        ColumnCount
    };
    /// Raw values for sorting (numbers as numbers).
    static constexpr int SortRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    /// Replaces the rows (runs oldest first, as RunStore::list() gives them).
    void setRuns(std::vector<RunListing> runs);
    const std::vector<RunListing>& runs() const { return m_runs; }
    /// The run of `row`.
    const RunListing& run(int row) const { return m_runs[size_t(row)]; }
    /// The row of run `id`, -1 when absent.
    int rowOf(const std::string& id) const;
    /// The colour of run `row`: neighbours in time never share one.
    QColor color(int row) const;
    /// True when run `row` has the best test accuracy of its sweep (shown in bold with a star).
    bool isBestOfSweep(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<RunListing> m_runs;
    std::vector<char> m_bestOfSweep;
};

} // namespace trainbench::ui
