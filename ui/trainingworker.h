#pragma once

#include "metatypes.h"
#include "trainbench/train/trainingobserver.h"

#include <QObject>
#include <QString>

#include <memory>

namespace trainbench {
class Trainer;
}

namespace trainbench::ui {

/// Lives on the training thread: runs a Trainer and turns its reports into queued signals
/// that carry plain values.
class TrainingWorker : public QObject, public TrainingObserver
{
    Q_OBJECT

public:
    using QObject::QObject;

    /// Runs `trainer` to the end on this object's thread.
    void run(std::shared_ptr<Trainer> trainer);

    void onStarted(const RunInfo& info) override { Q_EMIT started(info); }
    void onBatchEnd(const BatchEvent& event) override { Q_EMIT batchReported(event); }
    void onEpochDetails(const EpochDetails& details) override { Q_EMIT epochDetails(details); }
    bool wantsEpochDetails() const override { return true; }
    void onEpochEnd(const EpochMetrics& metrics) override { Q_EMIT epochFinished(metrics); }
    void onFinished(bool stopped) override { Q_EMIT finished(stopped); }
    void onFailed(const std::string& message) override
    {
        Q_EMIT failed(QString::fromStdString(message));
    }

Q_SIGNALS:
    void started(const trainbench::RunInfo& info);
    void batchReported(const trainbench::BatchEvent& event);
    void epochDetails(const trainbench::EpochDetails& details);
    void epochFinished(const trainbench::EpochMetrics& metrics);
    void finished(bool stopped);
    void failed(const QString& message);
    /// The run is over, whichever way it ended; `model` is a copy of the trained model, null
    /// when no epoch finished.
    void done(std::shared_ptr<trainbench::Predictor> model);
};

} // namespace trainbench::ui
