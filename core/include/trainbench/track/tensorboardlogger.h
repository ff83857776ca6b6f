#pragma once

#include "trainbench/train/trainingconfig.h"
#include "trainbench/train/trainingobserver.h"

#include <functional>
#include <memory>
#include <string>

namespace trainbench {

class EventFileWriter;

/// Logs a run for TensorBoard in the tutorial's layout: <logdir>/<run>/train and /test
/// (plus /validation), with per-epoch `loss`/`accuracy` (step = epoch, accuracy as a fraction),
/// per-batch `batch/loss`, `batch/accuracy`, `learning_rate` (step = global batch), prediction
/// and confusion-matrix images, weight histograms, the config and model summary as text, and
/// hparams session records in <logdir>/<run> for the HParams dashboard.
///
/// A folder that cannot be written refuses the run up front (the constructor throws). A write
/// that fails mid-run (disk full) calls onWarning once, stops logging and lets training go on:
/// the model matters more than its logs, and what was flushed stays readable.
class TensorBoardLogger : public TrainingObserver
{
public:
    /// Creates the run's folders and event files; throws Error naming the folder when it cannot.
    /// The run folder is <logdir>/<runName>, with -2, -3, ... appended when it exists, unless
    /// `existingRunFolder` says it is the folder a RunRecorder made for this run.
    TensorBoardLogger(const std::string& logdir, TrainingConfig config, std::string runName = {},
                      bool existingRunFolder = false);
    ~TensorBoardLogger() override;

    /// A run name from the local time, YYYYmmdd-HHMMSS, as in the tutorial.
    static std::string timestampRunName();
    /// <logdir>/<run>.
    const std::string& runDir() const { return m_runDir; }
    /// Told once when logging stops because of a write error.
    std::function<void(const std::string&)> onWarning;

    void onStarted(const RunInfo& info) override;
    void onBatchEnd(const BatchEvent& event) override;
    void onEpochDetails(const EpochDetails& details) override;
    bool wantsEpochDetails() const override { return true; }
    void onEpochEnd(const EpochMetrics& metrics) override;
    void onFinished(bool stopped) override;
    void onFailed(const std::string& message) override;

private:
    template <typename F> void guarded(F write);
    void finish(bool success);

    TrainingConfig m_config;
    std::string m_runDir;
    std::unique_ptr<EventFileWriter> m_session;
    std::unique_ptr<EventFileWriter> m_train;
    std::unique_ptr<EventFileWriter> m_test;
    std::unique_ptr<EventFileWriter> m_validation;
    bool m_broken = false;
};

} // namespace trainbench
