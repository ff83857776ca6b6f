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
    /// the layer on a missing, surplus or differently shaped weight, one stored as another
    /// type, one whose data does not cover its shape, or one holding NaN or infinity.
    static void read(Network& network, torch::serialize::InputArchive& archive,
                     const std::string& path);
    /// CRC-32C over every weight's bytes in the model's order, as 8 hex digits: stored in the
    /// checkpoint's header so that a changed or corrupted byte is noticed.
    static std::string digest(const Network& network);
    /// Throws Error naming `path` when `network`'s digest differs from `expected` (an empty
    /// `expected`: an older checkpoint without one, accepted).
    static void verify(const Network& network, const std::string& expected,
                       const std::string& path);
    /// Copies parameters and buffers between two networks of the same architecture.
    static void copy(const Network& from, Network& to);
};

} // namespace trainbench
