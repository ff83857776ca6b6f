#pragma once

#include "model/network.h"
#include "trainbench/data/imageset.h"
#include "trainbench/train/epochdetails.h"

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace trainbench {

class DistributedGroup;
struct Dataset;

/// Measures a network on an image set without training it (internal to core): loss and accuracy,
/// and for the window the per-image answers, confusion matrix, a fixed sample of predictions and
/// weight histograms.
class Evaluator
{
public:
    /// Loss and accuracy of one pass; predictions and confidences only when asked for.
    struct Result
    {
        double loss = 0.0;
        double accuracy = 0.0;
        std::vector<uint8_t> predictions;
        std::vector<float> confidences;
    };

    /// `network` lives on `device` and answers `classes` classes; `seed` picks the sample of
    /// test images shown every epoch.
    Evaluator(Network network, torch::Device device, int classes, uint64_t seed);

    /// Makes this one rank of a data-parallel run: each rank evaluates its share of a set and
    /// the results are summed, so every rank gets the whole set's numbers (`group` outlives this).
    void setDistributed(DistributedGroup* group) { m_group = group; }
    /// Evaluates `set` in inference mode; leaves the network in training mode.
    Result evaluate(const ImageSet& set, bool keepPredictions);
    /// What the window shows after `epoch`, from the test pass `test` over `data.test`.
    EpochDetails details(int epoch, const Dataset& data, const Result& test);

private:
    torch::Tensor imagesToDevice(const ImageSet& set, int64_t begin, int64_t n) const;

    Network m_network;
    torch::Device m_device;
    int m_classes;
    uint64_t m_seed;
    DistributedGroup* m_group = nullptr;
};

} // namespace trainbench
