#pragma once

#include "metatypes.h"
#include "trainbench/train/trainingconfig.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <memory>

namespace trainbench {
class Trainer;
class TensorBoardLogger;
class RunRecorder;
struct Dataset;
} // namespace trainbench

namespace trainbench::ui {

class TrainingWorker;
class WorkerRun;

/// Owns the training thread. start() hands a config to a worker on that thread; reports come
/// back as queued signals; stop() and pause take effect within one batch. The UI thread never
/// waits on training, except in the destructor, which stops the run and joins the thread.
class TrainingController : public QObject
{
    Q_OBJECT

public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;

    /// Starts a run; returns false with `error` set when the config or model is bad, or the
    /// log folder cannot be written. `dataset` may be null (the trainer reads config.dataDir).
    bool start(const TrainingConfig& config, std::shared_ptr<const Dataset> dataset,
               QString* error);
    /// Resumes kept run `runId` of the runs folder from its last checkpoint, in its folder, to
    /// its planned epochs; returns false with `error` set when it cannot (missing, damaged,
    /// running, finished or without a checkpoint).
    bool resume(const QString& runId, QString* error);
    /// Processes for the next runs started with start(): 1 trains on this process's training
    /// thread; more start that many trainbench-cli workers (data parallel; not for sweeps and
    /// resumed runs, which train here).
    void setWorkers(int workers) { m_workers = workers < 1 ? 1 : workers; }
    /// Whether the current run can pause (a run in worker processes cannot).
    bool canPause() const { return m_running && !m_inWorkers; }
    /// Asks the run to stop after the current batch.
    void stop();
    /// Pauses or resumes between batches.
    void setPaused(bool paused);
    bool isRunning() const { return m_running; }
    /// The runs folder: every run is kept in a folder of its own there (run.json, metrics.csv,
    /// last and best checkpoints).
    void setRunsDir(const QString& dir) { m_runsDir = dir; }
    /// Makes the next run started a member of sweep `sweepId`, titled `title` (its values).
    void setNextSweep(const QString& sweepId, const QString& title)
    {
        m_nextSweep = sweepId;
        m_nextTitle = title;
    }
    /// Whether runs also write TensorBoard event files into their folders.
    void setTensorBoardLogging(bool on) { m_tensorBoard = on; }
    /// Folder of the current or last run.
    QString runLogDir() const { return m_runLogDir; }
    /// The current or last run's trainer (for checkpoints); null before the first run and for
    /// runs trained by worker processes.
    std::shared_ptr<Trainer> trainer() const { return m_trainer; }

Q_SIGNALS:
    void started(const trainbench::RunInfo& info);
    void batchReported(const trainbench::BatchEvent& event);
    void epochDetails(const trainbench::EpochDetails& details);
    void epochFinished(const trainbench::EpochMetrics& metrics);
    void finished(bool stopped);
    void failed(const QString& message);
    void warning(const QString& message);
    void runningChanged(bool running);
    /// After a run with at least one finished epoch: a copy of its model, for predictions.
    void modelReady(std::shared_ptr<trainbench::Predictor> model);

private:
    /// Connects the worker, the logger (when on) and the recorder to `trainer` and starts it on
    /// the training thread; throws Error (the logger's) before anything has started.
    void launch(std::shared_ptr<Trainer> trainer, std::shared_ptr<RunRecorder> recorder,
                const TrainingConfig& config);

    /// start() for several processes.
    bool startWorkers(const TrainingConfig& config, QString* error);

    QThread m_thread;
    WorkerRun* m_workerRun = nullptr;
    int m_workers = 1;
    bool m_inWorkers = false; ///< The current run trains in worker processes.
    TrainingWorker* m_worker = nullptr;
    std::shared_ptr<Trainer> m_trainer;
    std::shared_ptr<TensorBoardLogger> m_logger;
    std::shared_ptr<RunRecorder> m_recorder;
    QString m_runsDir;
    bool m_tensorBoard = true;
    QString m_nextSweep;
    QString m_nextTitle;
    QString m_runLogDir;
    bool m_running = false;
};

} // namespace trainbench::ui
