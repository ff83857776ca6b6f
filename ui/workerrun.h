#pragma once

#include "metatypes.h"
#include "trainbench/train/trainingconfig.h"

#include <QObject>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace trainbench::ui {

/// A run trained by several local processes (data parallel): starts
/// `trainbench-cli train --config FILE --nproc N --json --json-events` and turns rank 0's JSON
/// stream into the same signals an in-process run gives. Rank 0 keeps the run in the runs
/// folder as usual; Stop asks every worker to stop after the same batch.
class WorkerRun : public QObject
{
    Q_OBJECT

public:
    explicit WorkerRun(QObject* parent = nullptr);
    ~WorkerRun() override;

    /// Starts `workers` processes training `config` as run `runName` of `runsDir` (TensorBoard
    /// logs too when `tensorBoard`); false with `error` set when that cannot start.
    bool start(const TrainingConfig& config, int workers, const QString& runsDir,
               const QString& runName, bool tensorBoard, QString* error);
    /// Asks all workers to stop after the same batch.
    void stop();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    /// $TRAINBENCH_CLI, else the trainbench-cli next to this program, else the one on PATH;
    /// empty when there is none.
    static QString cliPath();

Q_SIGNALS:
    void started(const trainbench::RunInfo& info);
    void batchReported(const trainbench::BatchEvent& event);
    void epochFinished(const trainbench::EpochMetrics& metrics);
    void finished(bool stopped);
    void failed(const QString& message);
    /// The run is over, whichever way it ended; `checkpoint` is its last checkpoint, empty when
    /// no epoch finished.
    void done(const QString& checkpoint);

private:
    void readOutput();
    void readErrors();
    void handleLine(const QByteArray& line);
    void onExit(int code, QProcess::ExitStatus status);

    QProcess m_process;
    QTemporaryDir m_configDir;
    QByteArray m_pendingOut;
    QByteArray m_pendingErr;
    QString m_lastError;
    QString m_runFolder;
    int m_epochs = 0;
    bool m_stopRequested = false;
    bool m_starting = false; ///< Inside start(), which reports a failure to start itself.
};

} // namespace trainbench::ui
