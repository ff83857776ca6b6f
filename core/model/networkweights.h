#pragma once

#include "network.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <string>

namespace trainbench {

/// Moves a Network's weights in and out of checkpoints and copies (internal to core).
class NetworkWeights
{
public:
    /// Writes parameters and buffers under "model" (param_<i>, buffer_<i>).
    static void write(const Network& network, torch::serialize::OutputArchive& archive);
    /// Reads what write() wrote into `network`; throws Error naming `path` on a mismatch.
    static void read(Network& network, torch::serialize::InputArchive& archive, const std::string& path);
    /// Copies parameters and buffers between two networks of the same architecture.
    static void copy(const Network& from, Network& to);
};

} // namespace trainbench
