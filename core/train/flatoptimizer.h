#pragma once

#include "trainbench/optimizerconfig.h"

#include <torch/serialize/archive.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace trainbench {

/// Adam, SGD and RMSprop with Keras's update rules over one flat buffer (internal to core).
/// The parameters and their gradients become views into two contiguous tensors, so a step is a
/// handful of vectorised passes over all 1.6 M values instead of several small ops per tensor.
class FlatOptimizer
{
public:
    /// Re-homes `parameters` (all on one device, float) into a flat buffer.
    FlatOptimizer(std::vector<torch::Tensor> parameters, OptimizerConfig config);

    /// Zeroes every gradient in one pass.
    void zeroGrad();
    /// Applies one update with learning rate `learningRate`.
    void step(double learningRate);
    /// Updates done so far.
    int64_t steps() const { return m_steps; }

    /// Writes the optimizer state under "optimizer/".
    void save(torch::serialize::OutputArchive& archive) const;
    /// Reads the state written by save(); throws Error if it does not match.
    void load(torch::serialize::InputArchive& archive);

private:
    OptimizerConfig m_config;
    torch::Tensor m_values;  ///< All parameters, flat.
    torch::Tensor m_grads;   ///< All gradients, flat.
    torch::Tensor m_first;   ///< Adam: m; SGD: velocity; RMSprop: mean square.
    torch::Tensor m_second;  ///< Adam: v; RMSprop: momentum buffer.
    torch::Tensor m_scratch;
    int64_t m_steps = 0;
};

} // namespace trainbench
