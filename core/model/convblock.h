#pragma once

#include "model/windowgeometry.h"
#include "trainbench/model/layerspec.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>

namespace trainbench {

/// A Conv2D layer with its activation and, optionally, the tiled max-pool that follows it
/// (internal to core). Parameters are `weight` (filters, in, k, k) and `bias` (filters), as in
/// torch::nn::Conv2d, so checkpoints do not depend on how the block computes.
///
/// On CPU, for float tensors, stride 1, a small receptive field (in x k x k <= 75: the first
/// layer of an image CNN) and a pool that follows, it runs a direct convolution whose output plane
/// stays in cache and is pooled (branch-free, remembering each window's winner) and activated at
/// once; backward visits only the winners, so the pool is what makes it pay: an unpooled map
/// (one followed by BatchNorm, say) goes to oneDNN, which is faster there. Elsewhere (CUDA, wide
/// layers, strides) it is conv2d, tiledMaxPool() and the activation. The activation comes after
/// the pool: a monotonic function commutes with max.
class ConvBlockImpl : public torch::nn::Module
{
public:
    /// A convolution of `inChannels` to `filters` with a `kernel` x `kernel` window, `stride`,
    /// Keras padding as `rows`/`columns` geometry, a following tiled max-pool of `pool` (1: none)
    /// and `activation`.
    ConvBlockImpl(int64_t inChannels, int64_t filters, int64_t kernel, int64_t stride,
                  WindowGeometry rows, WindowGeometry columns, int64_t pool, Activation activation);

    /// (N, in, H, W) to (N, filters, H', W').
    torch::Tensor forward(const torch::Tensor& input);

    torch::Tensor weight;
    torch::Tensor bias;

private:
    bool direct(const torch::Tensor& input) const;

    int64_t m_kernel;
    int64_t m_stride;
    WindowGeometry m_rows;
    WindowGeometry m_columns;
    int64_t m_pool;
    Activation m_activation;
};

TORCH_MODULE(ConvBlock);

} // namespace trainbench
