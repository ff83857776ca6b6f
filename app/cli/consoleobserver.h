#pragma once

#include "trainbench/train/trainingobserver.h"

#include <atomic>
#include <functional>
#include <string>

namespace trainbench::cli {

/// Prints a run to the terminal: one line per epoch in the tutorial's format (or one JSON object
/// per epoch) on stdout, and a progress bar on stderr when stderr is a terminal.
class ConsoleObserver : public TrainingObserver
{
public:
    ConsoleObserver(bool json, bool progress);

    /// With JSON output: also a "started" object and one "batch" object per progress report.
    void setEvents(bool events) { m_events = events; }
    /// Prints nothing at all (ranks other than 0 of a distributed run), only passes on stops.
    void setSilent(bool silent) { m_silent = silent; }

    /// Called after each epoch is printed, e.g. to save a checkpoint; may throw Error.
    std::function<void(const EpochMetrics&)> afterEpoch;
    /// Polled at every report; returning true asks the run to stop (Ctrl+C).
    std::function<bool()> shouldStop;
    /// Called when shouldStop() first returns true.
    std::function<void()> stop;

    void onStarted(const RunInfo& info) override;
    void onBatchEnd(const BatchEvent& event) override;
    void onEpochEnd(const EpochMetrics& metrics) override;
    void onFinished(bool stopped) override;
    void onFailed(const std::string& message) override;

    /// Seconds spent in epochs so far (training part), for the closing summary.
    double trainingSeconds() const { return m_trainingSeconds; }
    /// Epochs finished.
    int epochsDone() const { return m_epochs; }

private:
    void clearProgress();

    bool m_json;
    bool m_progress;
    bool m_progressShown = false;
    bool m_stopAsked = false;
    bool m_silent = false;
    bool m_events = false;
    bool m_distributed = false; ///< Of a data-parallel run.
    double m_trainingSeconds = 0.0;
    int m_epochs = 0;
};

} // namespace trainbench::cli
