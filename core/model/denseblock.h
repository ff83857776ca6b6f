#pragma once

#include "trainbench/model/layerspec.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>

namespace trainbench {

/// A Dense layer with its activation (internal to core). Parameters are `weight` (units, in) and
/// `bias` (units), as in torch::nn::Linear, so checkpoints do not depend on how the block
/// computes.
///
/// On CPU, for float tensors, it is one autograd node: forward is one GEMM with the bias and the
/// activation applied in place; backward takes the activation's slope from the saved output and
/// makes the two or three products it needs. libtorch's Linear and ReLU make five nodes with their
/// transposes and copies, which for the small matrices of a batch of 32 cost as much as the
/// arithmetic. Elsewhere (CUDA) it is torch::linear and the activation.
class DenseBlockImpl : public torch::nn::Module
{
public:
    DenseBlockImpl(int64_t inputs, int64_t units, Activation activation);

    /// (N, inputs) to (N, units).
    torch::Tensor forward(const torch::Tensor& input);

    torch::Tensor weight;
    torch::Tensor bias;

private:
    Activation m_activation;
};

TORCH_MODULE(DenseBlock);

} // namespace trainbench
