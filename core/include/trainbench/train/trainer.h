#pragma once

#include "trainbench/train/distributedoptions.h"
#include "trainbench/train/epochmetrics.h"
#include "trainbench/train/trainingconfig.h"

#include <memory>
#include <string>
#include <vector>

namespace trainbench {

struct Dataset;
class Predictor;
class TrainingObserver;

/// Trains a model described by a TrainingConfig on the calling thread, reporting to an observer.
/// requestStop() and setPaused() may be called from any thread and take effect within one batch.
class Trainer
{
public:
    /// Validates the config and builds the model; throws Error on a bad config or an impossible
    /// model.
    explicit Trainer(TrainingConfig config);
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    /// Adds a listener for progress reports (not owned); reports go out in the order added.
    void addObserver(TrainingObserver* observer);
    /// Uses an already loaded dataset instead of reading `config.dataDir`.
    void setDataset(std::shared_ptr<const Dataset> dataset);
    /// Makes run() one rank of a data-parallel run (a world of one: an ordinary run). The ranks
    /// join when run() starts; `config.batchSize` is per rank. Observers see the whole run's
    /// numbers on every rank; give them only to rank 0 to have one report.
    void setDistributed(const DistributedOptions& options);
    /// Loads model weights and optimizer state from a checkpoint of the same architecture; throws
    /// Error.
    void loadCheckpoint(const std::string& path);
    /// Writes model, optimizer state, config and metrics to `path` atomically; throws Error.
    void saveCheckpoint(const std::string& path) const;

    /// Runs all epochs. Returns true when it finished or was stopped, false when it failed
    /// (the observer has then been told why, and lastError() says it too).
    bool run();
    /// Asks a running run() to stop after the current batch.
    void requestStop();
    /// Pauses or resumes a running run() between batches.
    void setPaused(bool paused);

    /// The config in use.
    const TrainingConfig& config() const;
    /// Metrics of the epochs finished so far.
    std::vector<EpochMetrics> history() const;
    /// The message of the last failure, empty if none.
    std::string lastError() const;
    /// The device the model lives on, e.g. "cpu".
    std::string deviceName() const;
    /// CRC-32C of the model's weights as checkpoints record it (in a distributed run, every
    /// rank's run() has checked that all ranks end with this same digest).
    std::string weightsDigest() const;
    /// Number of model parameters.
    int64_t parameterCount() const;
    /// A copy of the current model for single-image predictions (call between runs).
    std::shared_ptr<Predictor> predictor() const;

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace trainbench
