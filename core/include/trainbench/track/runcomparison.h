#pragma once

#include "trainbench/track/runrecord.h"

#include <string>
#include <vector>

namespace trainbench {

/// What differs between two runs: the settings that are not the same, and their results side
/// by side. Settings are named by their run.json path ("optimizer.learning_rate", "layers").
struct RunComparison
{
    /// One row: a setting or result with its value in each run.
    struct Row
    {
        std::string key;
        std::string first;
        std::string second;
    };
    std::vector<Row> settings; ///< Only the settings that differ, in run.json order.
    std::vector<Row> results;  ///< Epochs, best epoch and accuracy, final losses, time.

    /// Compares `a` with `b`.
    static RunComparison of(const RunRecord& a, const RunRecord& b);
};

} // namespace trainbench
