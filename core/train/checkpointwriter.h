#pragma once

#include "model/network.h"
#include "trainbench/train/checkpointinfo.h"

#include <string>

namespace trainbench {

class FlatOptimizer;

/// Writes checkpoints (internal to core): the JSON header, the weights by layer name and the
/// optimizer state, into a temporary file beside the target that then replaces it, so a crash
/// or a full disk never leaves a half-written checkpoint under the real name.
class CheckpointWriter
{
public:
    /// Writes `info`, `network`, `optimizer` and the random generator's state (for dropout;
    /// undefined: none) to `path`; throws Error naming `path`.
    static void write(const std::string& path, const CheckpointInfo& info, const Network& network,
                      const FlatOptimizer& optimizer,
                      const torch::Tensor& generatorState = torch::Tensor());
};

} // namespace trainbench
