#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

namespace trainbench {

/// Dropout (internal to core): in training, each value is zeroed with probability `rate` and the
/// rest scaled by 1 / (1 - rate); in evaluation it passes the input through.
///
/// On CPU, for float tensors, it is one autograd node and one pass: the mask comes from a
/// counter-based hash of a seed drawn from libtorch's global generator (one draw per call, so a
/// checkpoint's saved generator state reproduces the masks, on any number of threads), and is
/// kept as the scale each value was multiplied by. libtorch's dropout draws every element from
/// the generator and makes four tensors in three passes. Elsewhere (CUDA) it is torch::dropout.
class DropoutBlockImpl : public torch::nn::Module
{
public:
    explicit DropoutBlockImpl(double rate);

    torch::Tensor forward(const torch::Tensor& input);

private:
    double m_rate;
};

TORCH_MODULE(DropoutBlock);

} // namespace trainbench
