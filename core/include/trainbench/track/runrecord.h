#pragma once

#include "trainbench/train/epochmetrics.h"
#include "trainbench/train/trainingconfig.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trainbench {

/// How a run stands. Interrupted is never written: it is what a run still marked Running reads
/// as once the process that wrote it is gone.
enum class RunStatus { Running, Finished, Stopped, Failed, Interrupted, Cancelled };

/// "running", "finished", ...
std::string toString(RunStatus status);
/// Parses toString(RunStatus); empty when unknown.
std::optional<RunStatus> runStatusFromString(const std::string& text);

/// Everything kept about one run: the contents of its folder's run.json.
struct RunRecord
{
    std::string id;      ///< The run folder's name, unique in its runs folder.
    std::string name;    ///< Shown in lists; the id unless renamed.
    std::string created; ///< ISO 8601 UTC, e.g. "2026-11-26T08:30:00Z".
    std::string ended;   ///< Empty while running.
    RunStatus status = RunStatus::Running;
    std::string error; ///< Why a failed run failed.
    TrainingConfig config;
    std::string dataset; ///< The dataset's name, e.g. "mnist".
    int64_t parameters = 0;
    std::string
        modelSummary; ///< One line: the layers, e.g. "Conv2D 32 3x3 relu, MaxPooling2D 2, ...".
    std::string device;
    int threads = 0;
    std::string programVersion;
    std::string torchVersion;
    std::vector<EpochMetrics> history;
    std::string notes;
    std::string sweep; ///< Id of the sweep the run belongs to; empty for a single run.
    int64_t processId = 0;
    std::string host;

    /// The best epoch (1-based) by validation accuracy when there is a validation set, else by
    /// test accuracy; 0 before the first epoch ends.
    int bestEpoch() const;
    /// Test accuracy of bestEpoch(), 0 without one.
    double bestTestAccuracy() const;
    /// Seconds trained and evaluated over all finished epochs.
    double seconds() const;

    /// run.json's text.
    std::string toJson() const;
    /// Parses run.json's text; throws Error naming `path` and what is wrong.
    static RunRecord fromJson(const std::string& json, const std::string& path);
    /// metrics.csv's text: a header and one row per epoch.
    std::string metricsCsv() const;
};

} // namespace trainbench
