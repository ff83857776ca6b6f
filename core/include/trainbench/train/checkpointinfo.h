#pragma once

#include "trainbench/train/epochmetrics.h"
#include "trainbench/train/trainingconfig.h"

#include <string>
#include <vector>

namespace trainbench {

/// What a checkpoint file says about itself, readable without building its model.
struct CheckpointInfo
{
    int formatVersion = 0;
    std::string appVersion;
    TrainingConfig config;
    std::vector<LayerSpec> layers;   ///< The resolved layer stack.
    std::vector<int64_t> inputShape; ///< (channels, rows, cols).
    int classes = 0;
    std::vector<std::string> classNames; ///< Empty in checkpoints written before names were kept.
    std::vector<EpochMetrics> history;
    /// CRC-32C of the weights as written ("" in checkpoints from before it was kept).
    std::string weightsDigest;

    /// The class names, "0", "1", ... when the checkpoint has none.
    std::vector<std::string> namesOrIndices() const;

    /// Reads the header of a checkpoint; throws Error naming the file when it is not one, or
    /// when its header describes a model the file cannot hold (checked before anything is
    /// built from it, so a crafted header cannot make us allocate gigabytes).
    static CheckpointInfo read(const std::string& path);
    /// The header as stored in the file (JSON).
    std::string toJson() const;
    /// Parses a stored header; throws Error mentioning `path`.
    static CheckpointInfo fromJson(const std::string& json, const std::string& path);
    /// Format version this build writes; it reads this one and every older one. 1: weights by
    /// position; 2: weights by layer name ("weights/dense_1/kernel").
    static constexpr int kFormatVersion = 2;
};

} // namespace trainbench
