#pragma once

#include "trainbench/data/augmentation.h"
#include "trainbench/data/datasetoptions.h"
#include "trainbench/model/layerspec.h"
#include "trainbench/train/learningrateschedule.h"
#include "trainbench/train/optimizerconfig.h"

#include <cstdint>
#include <string>
#include <vector>

namespace trainbench {

/// Everything that defines a training run, as plain values.
struct TrainingConfig
{
    /// Shuffle-buffer value meaning "shuffle the whole training set each epoch".
    static constexpr int64_t kFullShuffle = -1;

    std::string dataDir;        ///< IDX folder, image-class folder or CIFAR-10 binary folder.
    DatasetOptions dataOptions; ///< How an image folder is decoded and split.
    Augmentation augmentation;  ///< Random changes to training images; off by default.
    std::string modelName = "seed-cnn"; ///< Preset name, or a label for `layers`.
    std::vector<LayerSpec> layers;      ///< Custom stack; empty means the preset `modelName`.
    OptimizerConfig optimizer;
    LearningRateSchedule schedule;
    int earlyStoppingPatience =
        0; ///< Stop after N epochs without a better validation (else test) loss; 0: off.
    int epochs = 5;
    /// Epochs the learning-rate schedule spans, counted from the model's first epoch; 0: this
    /// call's `epochs`, from its first. A resumed run sets its plan's count, so its schedule goes
    /// on where it stopped instead of starting again.
    int scheduleEpochs = 0;
    int batchSize = 32;
    int64_t shuffleBuffer = 10000; ///< Elements in the shuffle buffer; 0 or 1: no shuffle.
    bool dropRemainder = false;    ///< Drop the last, smaller batch of an epoch.
    double validationSplit = 0.0;  ///< Fraction of the training set held out for validation.
    int64_t limit = 0;             ///< Train on the first N training samples; 0: all.
    int64_t testLimit = 0;         ///< Evaluate on the first N test samples; 0: all.
    uint64_t seed = 0;             ///< Drives initialisation, shuffling and dropout.
    std::string device = "auto";   ///< "auto", "cpu" or "cuda".
    int threads = 0;               ///< Intra-op threads; 0: chosen for this machine.
    int reportEvery = 10;          ///< Batches between batch reports (and host syncs).

    /// Checks every value; throws Error naming the first bad field.
    void validate() const;
};

} // namespace trainbench
