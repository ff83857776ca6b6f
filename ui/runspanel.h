#pragma once

#include "trainbench/track/runrecord.h"
#include "trainbench/train/trainingconfig.h"

#include <QFileSystemWatcher>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <vector>

class QCheckBox;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace trainbench::ui {

class RunsTableModel;

/// The runs library: every run in the runs folder (from this window, the CLI or another
/// machine), sortable and filterable, kept current by watching the folder. Selected runs are
/// overlaid on the curves; two can be compared; a run can be cloned into the docks, its model
/// opened, renamed, annotated or deleted.
class RunsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit RunsPanel(QWidget* parent = nullptr);
    ~RunsPanel() override;

    /// Shows the runs of `root` and watches it.
    void setRoot(const QString& root);
    /// The folder of the run this window is training (empty when none): it cannot be deleted.
    void setActiveFolder(const QString& folder)
    {
        m_activeFolder = folder;
        updateButtons();
    }
    QString root() const { return m_root; }
    /// Reads the folder again now (changes are otherwise picked up within a second).
    void refresh();
    /// Selects the runs `ids` (others are deselected).
    void select(const QStringList& ids);
    /// The selected, readable runs in list order, and their colours.
    std::vector<trainbench::RunRecord> selectedRuns() const;
    QVector<QColor> selectedColors() const;
    /// The comparison of the two selected runs as rows "key\tfirst\tsecond" (settings that
    /// differ, then results), as the Compare dialog shows it; empty unless two are selected.
    QStringList comparisonRows() const;

    /// Whether the tutorial's published curve is shown beside the selected runs.
    bool showsTutorial() const;
    QCheckBox* tutorialToggle() const { return m_tutorial; }
    QTableView* table() const { return m_table; }
    QLineEdit* filter() const { return m_filter; }
    RunsTableModel* model() const { return m_model; }

Q_SIGNALS:
    /// The selection changed (or a selected run got new epochs).
    void selectionChanged();
    /// Clone: put this config into the docks.
    void cloneRequested(const trainbench::TrainingConfig& config);
    /// Open TensorBoard on this run's folder.
    void tensorBoardRequested(const QString& folder);
    /// The user asked for a sweep (a grid of runs).
    void sweepRequested();
    /// Resume this stopped or interrupted run.
    void resumeRequested(const QString& runId);
    /// Open this checkpoint in the Draw tab.
    void openModelRequested(const QString& checkpoint);

private:
    void updateButtons();
    void compare();
    void cloneSelected();
    void openModel();
    void openFolder();
    /// Lets `edit` change the selected run's record (false: cancelled) and writes it back.
    void editRecord(const QString& title, const std::function<bool(trainbench::RunRecord&)>& edit);
    void rename();
    void editNotes();
    void remove();
    void watch();
    /// The single selected readable run's row, -1 otherwise.
    int singleSelectedRow() const;
    QList<int> selectedRows() const;

    QString m_root;
    QString m_activeFolder;
    RunsTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QLineEdit* m_filter = nullptr;
    QCheckBox* m_tutorial = nullptr;
    QPushButton* m_compare = nullptr;
    QPushButton* m_clone = nullptr;
    QPushButton* m_resume = nullptr;
    QPushButton* m_openModel = nullptr;
    QPushButton* m_openFolder = nullptr;
    QPushButton* m_tensorBoard = nullptr;
    QPushButton* m_rename = nullptr;
    QPushButton* m_notes = nullptr;
    QPushButton* m_delete = nullptr;
    QFileSystemWatcher m_watcher;
    QTimer m_refresh; ///< Coalesces the watcher's bursts into one read.
};

} // namespace trainbench::ui
