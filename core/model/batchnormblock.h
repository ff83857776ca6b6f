#pragma once

#include "trainbench/model/layerspec.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

namespace trainbench {

/// Batch normalisation over the channels of [N, C, H, W] maps or the features of [N, C] rows
/// (internal to core), with the parameters and buffers of libtorch's BatchNorm in its order
/// (weight, bias, running_mean, running_var, num_batches_tracked), so checkpoints are the same.
///
/// On CPU, for float tensors in training, it is one autograd node: statistics and output in two
/// passes, the backward in two, per channel over NCHW planes or across channels-last rows, and
/// the output of 4-D maps is channels-last (what the pooling and convolution after it read
/// fastest). libtorch's batch norm makes a pass per step (statistics, normalisation, the
/// activation before it, each way) and is slow on NCHW maps of few channels. In evaluation and
/// elsewhere (CUDA, double, empty batches) it is torch::batch_norm.
class BatchNormBlockImpl : public torch::nn::Module
{
public:
    /// `before`: the activation of the layer before (None or ReLU), applied here instead, on
    /// the way in: the CPU path then needs no pass of its own for it, forward or backward.
    BatchNormBlockImpl(int64_t channels, double epsilon, double momentum,
                       Activation before = Activation::None);

    torch::Tensor forward(const torch::Tensor& input);

    torch::Tensor weight;      ///< gamma
    torch::Tensor bias;        ///< beta
    torch::Tensor runningMean; ///< For evaluation.
    torch::Tensor runningVar;  ///< For evaluation (unbiased, as libtorch keeps it).
    torch::Tensor batchesSeen; ///< libtorch's num_batches_tracked.

private:
    double m_epsilon;
    double m_momentum;
    Activation m_before;
};

TORCH_MODULE(BatchNormBlock);

} // namespace trainbench
