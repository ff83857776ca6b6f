#pragma once

#include "metatypes.h"
#include "trainbench/train/sweepgrid.h"

#include <QElapsedTimer>
#include <QMainWindow>

class QAction;
class QMenu;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QTabWidget;

namespace trainbench::ui {

class ConfusionPage;
class CurvesPage;
class DatasetPanel;
class DrawPage;
class ModelPanel;
class PredictionsPage;
class RunsPanel;
class TrainingController;
class TrainingPanel;

/// Trainbench's window: data, model and training panels in docks; curves, predictions,
/// confusion matrix and log in tabs; Train/Pause/Stop in the toolbar; progress in the status bar.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    QAction* trainAction() const { return m_train; }
    QAction* pauseAction() const { return m_pause; }
    QAction* stopAction() const { return m_stop; }
    QAction* resetLayoutAction() const { return m_resetLayout; }
    DatasetPanel* datasetPanel() const { return m_data; }
    ModelPanel* modelPanel() const { return m_model; }
    TrainingPanel* trainingPanel() const { return m_training; }
    CurvesPage* curvesPage() const { return m_curves; }
    PredictionsPage* predictionsPage() const { return m_predictions; }
    ConfusionPage* confusionPage() const { return m_confusion; }
    DrawPage* drawPage() const { return m_draw; }
    RunsPanel* runsPanel() const { return m_runs; }
    TrainingController* controller() const { return m_controller; }
    /// Opens a checkpoint in the Draw tab and remembers it under File → Recent models.
    bool openModelFile(const QString& path);
    /// The checkpoints opened lately, most recent first.
    QStringList recentModels() const;
    /// Asks for a grid (the Sweep dialog) and queues its runs.
    void openSweep();
    /// Trains `points` one after another as one sweep (Stop cancels the rest).
    void queueSweep(const std::vector<trainbench::SweepGrid::Point>& points);
    /// True while a sweep has runs left.
    bool sweepActive() const { return !m_sweepId.isEmpty(); }
    QTabWidget* tabs() const { return m_tabs; }
    /// The status bar's text about the run (progress, pause, how it ended).
    QString statusText() const;
    /// The message shown above the tabs (errors, warnings), empty when none.
    QString message() const;
    /// The log's text.
    QString logText() const;

protected:
    void closeEvent(QCloseEvent* event) override;

    /// View → Language: keeps `code` ("system", "en", "zh_CN") and offers to restart in it.
    void chooseLanguage(const QString& code);

private:
    void createActions();
    void createDocks();
    void startTraining();
    void rebuildRecentModels();
    /// Starts a run of `config`; false (and the reason shown) when it cannot start.
    bool startRun(const trainbench::TrainingConfig& config);
    trainbench::TrainingConfig configFromDocks() const;
    /// Starts the sweep's next run, or ends the sweep (recording cancelled runs after a Stop).
    void continueSweep();
    void resumeRun(const QString& runId);
    void updateActions();
    void showMessage(const QString& text, bool error);
    void log(const QString& line);
    /// Starts TensorBoard on `folder` (a run's), or on the whole runs folder.
    void openTensorBoard(const QString& folder = {});
    void saveModel();
    void onStarted(const trainbench::RunInfo& info);
    void onBatch(const trainbench::BatchEvent& event);
    void onEpoch(const trainbench::EpochMetrics& metrics);
    void onDetails(const trainbench::EpochDetails& details);
    void onFinished(bool stopped);
    void onFailed(const QString& message);

    TrainingController* m_controller = nullptr;
    DatasetPanel* m_data = nullptr;
    ModelPanel* m_model = nullptr;
    TrainingPanel* m_training = nullptr;
    CurvesPage* m_curves = nullptr;
    PredictionsPage* m_predictions = nullptr;
    ConfusionPage* m_confusion = nullptr;
    DrawPage* m_draw = nullptr;
    RunsPanel* m_runs = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_message = nullptr;
    QLabel* m_progressLabel = nullptr;
    QLabel* m_speedLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QAction* m_train = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_tensorBoard = nullptr;
    QAction* m_saveModel = nullptr;
    QAction* m_openModel = nullptr;
    QAction* m_resetLayout = nullptr;
    QMenu* m_recentMenu = nullptr;
    QByteArray m_defaultState;
    /// The status bar's line when a run ends: how, its final and best test accuracy, its time.
    QString endOfRunText(bool stopped) const;

    trainbench::RunInfo m_runInfo;
    std::vector<trainbench::EpochMetrics> m_runEpochs; ///< Of the current or last run.
    trainbench::BatchEvent m_lastBatch;
    QElapsedTimer m_runClock;
    int m_epochs = 0;
    int m_firstEpoch = 0;
    bool m_closeAfterRun = false;
    QString m_sweepId; ///< Empty when no sweep is queued.
    std::vector<trainbench::SweepGrid::Point> m_sweepPoints;
    size_t m_sweepNext = 0;
    bool m_sweepCancelled = false;
};

} // namespace trainbench::ui
