#pragma once

#include "trainbench/data/dataset.h"
#include "trainbench/track/runrecorder.h"
#include "trainbench/track/runstore.h"
#include "trainbench/train/distributedoptions.h"
#include "trainbench/train/trainingconfig.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace trainbench::cli {

/// trainbench-cli's commands: train, sweep, summary, predict, bench, runs, --version, --help.
/// Exit codes: 0 success, 1 runtime error, 2 bad arguments, 130 stopped by Ctrl+C.
class CommandLine
{
public:
    CommandLine(int argc, char** argv);
    /// Runs the command and returns the process exit code.
    int run();

private:
    /// How one run of train or sweep ended.
    struct Outcome
    {
        bool ok = false;
        /// Trained, but something it was to write (TensorBoard logs, the run's record or
        /// checkpoints) could not be written: the process still exits 1.
        bool incomplete = false;
        std::string id;
        RunRecord record;
    };

    int train();
    int sweep();
    /// The data-parallel set-up: torchrun's environment, with --backend and --timeout.
    DistributedOptions distributedOptions() const;
    /// train --nproc N: starts N local workers running this train command and waits for them.
    int launchWorkers(int count);
    /// The config the train options describe; throws UsageError on a bad value.
    TrainingConfig trainingConfig() const;
    /// train --config FILE: the config it holds, with --data, --threads and --device applied.
    TrainingConfig configFromFile() const;
    /// --runs (or --logdir) as a store; throws UsageError when empty.
    RunStore runStore() const;
    /// Trains `config` as run `runName` (titled `title` when given) of `sweep` in `store`;
    /// `resumed`: a kept run taken up again instead of a new one.
    Outcome trainOne(const TrainingConfig& config, const RunStore& store,
                     const std::string& runName, const std::string& sweep, const std::string& title,
                     RunRecorder* resumed = nullptr);
    /// Loads `config`'s data once, saying on stderr which kind it is, with a progress bar while
    /// an image folder is decoded and one warning line for skipped files.
    std::shared_ptr<const Dataset> loadDataset(const TrainingConfig& config) const;
    /// Refuses a --save path that cannot be written, before training.
    void probeSavePath() const;
    int summary();
    int predict();
    int bench();
    int runs();
    int presets();
    /// Splits "--key value" / "--key=value" / flags into m_options; returns false on a bad
    /// argument.
    bool parseOptions(const std::vector<std::string>& valueOptions,
                      const std::vector<std::string>& flags);
    bool has(const std::string& key) const { return m_options.count(key) > 0; }
    std::string text(const std::string& key, const std::string& fallback) const;
    long long integer(const std::string& key, long long fallback, long long min,
                      long long max) const;
    double number(const std::string& key, double fallback) const;
    int usageError(const std::string& message) const;

    std::string m_program = "trainbench-cli";
    std::string m_argv0; ///< How this program was started (when its own path cannot be told).
    std::string m_command;
    std::vector<std::string> m_args;
    std::map<std::string, std::string> m_options;
    DistributedOptions m_distributed; ///< This process's place in a distributed train run.
};

} // namespace trainbench::cli
