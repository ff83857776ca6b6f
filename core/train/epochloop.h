#pragma once

#include "data/batchloader.h"
#include "model/network.h"
#include "trainbench/train/batchevent.h"
#include "trainbench/train/trainingconfig.h"

#include <torch/types.h>

#include <chrono>
#include <cstdint>
#include <functional>

namespace trainbench {

class BatchPlanner;
class DistributedGroup;
class FlatOptimizer;
class RunControl;

/// Trains one epoch (internal to core): each batch through forward, loss, backward and the
/// optimizer step, with the learning rate of the schedule; reports every config.reportEvery
/// batches and at the last; honours pause and stop between batches.
class EpochLoop
{
public:
    using Clock = std::chrono::steady_clock;

    /// Totals of one epoch.
    struct Result
    {
        int64_t samples = 0;
        double lossTotal = 0.0;    ///< Sum of per-sample losses.
        double correctTotal = 0.0; ///< Correctly classified samples.
        double seconds = 0.0;      ///< Time spent training, pauses excluded.
        double learningRate = 0.0; ///< Of the last step.
        bool stopped = false;      ///< A stop request ended the epoch early.
    };

    /// `report` receives the batch reports (none when empty). All references must outlive run().
    EpochLoop(Network network, FlatOptimizer& optimizer, const TrainingConfig& config,
              torch::Device device, RunControl& control,
              std::function<void(const BatchEvent&)> report);

    /// Makes this one rank of a data-parallel run: `planner` plans the global batches, the loader
    /// holds this rank's shard of them; the epoch's totals become sums over all ranks, and a stop
    /// request is agreed on, so every rank stops after the same batch. Both must outlive run().
    void setDistributed(DistributedGroup* group, const BatchPlanner* planner);

    /// Trains epoch `epoch` (0-based) of a run that began at epoch `firstEpoch` and time
    /// `runStart`, taking `batches` batches from `loader` (already started); advances `globalStep`.
    /// Throws Error when the loss stops being finite.
    Result run(BatchLoader& loader, int epoch, int firstEpoch, int64_t batches, int64_t& globalStep,
               Clock::time_point runStart);

private:
    /// Forward, backward and step for one batch; adds to the epoch's totals.
    void trainBatch(const BatchLoader::Batch& batch, int64_t b, double learningRate,
                    Result& result);

    Network m_network;
    FlatOptimizer& m_optimizer;
    const TrainingConfig& m_config;
    torch::Device m_device;
    RunControl& m_control;
    std::function<void(const BatchEvent&)> m_report;
    DistributedGroup* m_group = nullptr;
    const BatchPlanner* m_planner = nullptr;
    torch::Tensor m_batchStats;
    torch::Tensor m_lossSum; ///< Of the epoch running, on the device.
    torch::Tensor m_correct; ///< Of the epoch running, on the device. ///< Per-batch loss and
                             ///< accuracy, kept on the device until reported.
};

} // namespace trainbench
