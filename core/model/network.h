#pragma once

#include "trainbench/model/layerspec.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <string>
#include <vector>

namespace trainbench {

/// A layer stack built into a libtorch module (internal to core).
/// Weights start as in Keras: Glorot-uniform kernels and zero biases, drawn from `seed`.
class NetworkImpl : public torch::nn::Module
{
public:
    /// Builds the stack; throws Error when the stack does not fit `inputShape` (C, H, W).
    NetworkImpl(std::vector<LayerSpec> layers, std::vector<int64_t> inputShape, int classes,
                uint64_t seed);

    /// Logits for a batch of images (N, C, H, W).
    torch::Tensor forward(torch::Tensor input);

    const std::vector<LayerSpec>& layers() const { return m_layers; }
    const std::vector<int64_t>& inputShape() const { return m_inputShape; }
    int classes() const { return m_classes; }
    /// Number of parameters.
    int64_t parameterCount() const;
    /// Names of parameters() in order, e.g. "conv2d/kernel", "dense_1/bias".
    const std::vector<std::string>& parameterNames() const { return m_parameterNames; }
    /// Names of buffers() in order, e.g. "batch_normalization/moving_mean".
    const std::vector<std::string>& bufferNames() const { return m_bufferNames; }

private:
    void initialize(uint64_t seed);

    std::vector<LayerSpec> m_layers;
    std::vector<int64_t> m_inputShape;
    std::vector<std::string> m_parameterNames;
    std::vector<std::string> m_bufferNames;
    int m_classes;
    torch::nn::Sequential m_body;
};

TORCH_MODULE(Network);

} // namespace trainbench
