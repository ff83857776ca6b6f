#pragma once

#include "model/network.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <string>

namespace trainbench {

/// Moves a Network's weights in and out of checkpoints and copies (internal to core).
/// Weights are stored by layer name ("weights/conv2d/kernel", "weights/dense_1/bias"), so a
/// checkpoint of a changed model fails with the layer it lacks instead of loading into the
/// wrong tensors. Checkpoints of format 1 stored them by position ("model/param_<i>") and
/// still load.
class NetworkWeights
{
public:
    /// Writes parameters and buffers under "weights/<layer>/<name>".
    static void write(const Network& network, torch::serialize::OutputArchive& archive);
    /// Reads what write() (or format 1) wrote into `network`; throws Error naming `path` and
    /// the layer on a missing, surplus or differently shaped weight.
    static void read(Network& network, torch::serialize::InputArchive& archive,
                     const std::string& path);
    /// Copies parameters and buffers between two networks of the same architecture.
    static void copy(const Network& from, Network& to);
};

} // namespace trainbench
