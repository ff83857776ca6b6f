#pragma once

#include "trainbench/track/runstore.h"

#include <string>
#include <vector>

namespace trainbench::cli {

/// The text `trainbench-cli runs` prints: a table or JSON lines for a list of runs, one run in
/// detail, and the long-format CSV export that spreadsheets and pandas read.
class RunsReport
{
public:
    /// One line per run (damaged ones say why), under a header.
    static std::string table(const std::vector<RunListing>& runs);
    /// One JSON object per run and line: id, name, status, epochs, best_epoch,
    /// best_test_accuracy, created, ended, dataset, model, parameters, sweep, config (damaged:
    /// id, status "damaged", problem).
    static std::string jsonLine(const RunListing& run);
    /// A run in detail: its settings and the tutorial's line for every epoch.
    static std::string details(const RunListing& run);
    /// run,epoch,split,metric,value rows for `runs` (split: train, validation, test; metric:
    /// loss, accuracy, and for train also learning_rate and seconds).
    static std::string csv(const std::vector<RunListing>& runs);
};

} // namespace trainbench::cli
