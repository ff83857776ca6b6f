#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace trainbench {

/// Max pooling whose windows tile the input (stride = pool size, no padding), the common case
/// (internal to core). On CPU it is a plain loop with a saved argmax and a scatter backward:
/// libtorch 1.13's NCHW max_pool2d took ~3.5 ms forward+backward per seed-CNN batch, this ~0.5 ms.
/// Channels-last maps are pooled in place, each winner kept as its window position in a byte,
/// and backward writes every input value once (libtorch's zeroes the gradient, then scatters).
/// Elsewhere (CUDA, other dtypes) it calls max_pool2d.
class TiledMaxPoolImpl : public torch::nn::Module
{
public:
    explicit TiledMaxPoolImpl(int64_t size) : m_size(size) {}
    /// Pools (N, C, H, W) to (N, C, H / size, W / size).
    torch::Tensor forward(const torch::Tensor& input);

private:
    int64_t m_size;
};

TORCH_MODULE(TiledMaxPool);

/// Pools (N, C, H, W) with size x size windows at stride size, as TiledMaxPool does.
torch::Tensor tiledMaxPool(const torch::Tensor& input, int64_t size);

} // namespace trainbench
