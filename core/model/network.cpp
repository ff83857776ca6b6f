#include "model/network.h"

#include "model/batchnormblock.h"
#include "model/convblock.h"
#include "model/denseblock.h"
#include "model/dropoutblock.h"
#include "model/tiledmaxpool.h"
#include "model/windowgeometry.h"
#include "trainbench/common/error.h"
#include "trainbench/model/modelsummary.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/init.h>
// The modules used, not <torch/nn/modules.h>: its instancenorm.h does not compile with clang
// (libtorch 1.13), which builds the fuzz targets and the macOS app.
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/padding.h>
#include <torch/nn/modules/pooling.h>

#include <cmath>
#include <limits>

namespace trainbench {

namespace {

void addActivation(torch::nn::Sequential& body, Activation activation)
{
    switch (activation) {
    case Activation::None:
        break;
    case Activation::ReLU:
        body->push_back(torch::nn::ReLU(torch::nn::ReLUOptions(true)));
        break;
    case Activation::Tanh:
        body->push_back(torch::nn::Tanh());
        break;
    case Activation::Sigmoid:
        body->push_back(torch::nn::Sigmoid());
        break;
    }
}

/// Adds explicit padding where Keras's 'same' is asymmetric; returns the symmetric padding left to
/// the layer.
std::vector<int64_t> addPadding(torch::nn::Sequential& body, const WindowGeometry& h,
                                const WindowGeometry& w, double value)
{
    if (h.padBefore == h.padAfter && w.padBefore == w.padAfter)
        return {h.padBefore, w.padBefore};
    body->push_back(torch::nn::ConstantPad2d(torch::nn::ConstantPad2dOptions(
        {w.padBefore, w.padAfter, h.padBefore, h.padAfter}, value)));
    return {0, 0};
}

/// The pool size when `pool` tiles a rows x columns input (stride = size, no padding), else 1.
int64_t tiledPool(const LayerSpec& pool, int64_t rows, int64_t columns)
{
    const int stride = pool.stride == 0 ? pool.kernel : pool.stride;
    const auto h = WindowGeometry::compute(rows, pool.kernel, stride, pool.padding);
    const auto w = WindowGeometry::compute(columns, pool.kernel, stride, pool.padding);
    // (At most 16: ConvBlock keeps the winner of each window in a byte.)
    const bool tiles = stride == pool.kernel && pool.kernel > 1 && pool.kernel <= 16 &&
                       h.padBefore + h.padAfter == 0 && w.padBefore + w.padAfter == 0;
    return tiles ? pool.kernel : 1;
}

} // namespace

NetworkImpl::NetworkImpl(std::vector<LayerSpec> layers, std::vector<int64_t> inputShape,
                         int classes, uint64_t seed)
    : m_layers(std::move(layers)), m_inputShape(std::move(inputShape)), m_classes(classes)
{
    const auto summary = ModelSummary::analyze(m_layers, m_inputShape, m_classes);
    if (!summary.isValid())
        throw Error("impossible model: " + summary.error());

    std::vector<int64_t> shape = m_inputShape;
    // A monotonic activation commutes with max pooling: f(max(x)) = max(f(x)). Applied after the
    // pool it touches a quarter of the values (forward and backward); the results are the same.
    Activation deferred = Activation::None;
    // A ReLU right before a BatchNorm is applied by the BatchNorm as it reads its input (no pass
    // of its own, forward or backward); the values are the same.
    Activation beforeNorm = Activation::None;
    for (size_t i = 0; i < m_layers.size(); ++i) {
        const LayerSpec& spec = m_layers[i];
        const bool reluIntoNorm =
            spec.activation == Activation::ReLU &&
            (spec.type == LayerType::Conv2D || spec.type == LayerType::Dense) &&
            i + 1 < m_layers.size() && m_layers[i + 1].type == LayerType::BatchNorm;
        const Activation activation = reluIntoNorm ? Activation::None : spec.activation;
        if (reluIntoNorm)
            beforeNorm = Activation::ReLU;
        switch (spec.type) {
        case LayerType::Conv2D: {
            const auto h =
                WindowGeometry::compute(shape[1], spec.kernel, spec.stride, spec.padding);
            const auto w =
                WindowGeometry::compute(shape[2], spec.kernel, spec.stride, spec.padding);
            const bool pooled =
                i + 1 < m_layers.size() && m_layers[i + 1].type == LayerType::MaxPool;
            const int64_t pool = pooled ? tiledPool(m_layers[i + 1], h.output, w.output) : 1;
            // A pool that tiles the output joins the block; another one follows it, the
            // activation deferred after it.
            m_body->push_back(ConvBlock(shape[0], spec.filters, spec.kernel, spec.stride, h, w,
                                        pool, pooled && pool == 1 ? Activation::None : activation));
            if (pooled && pool == 1)
                deferred = activation;
            m_parameterNames.insert(m_parameterNames.end(), {summary.layers()[i].name + "/kernel",
                                                             summary.layers()[i].name + "/bias"});
            if (pool > 1)
                ++i; // the pool is part of the block
            shape = summary.layers()[i].outputShape;
            continue;
        }
        case LayerType::MaxPool: {
            const int stride = spec.stride == 0 ? spec.kernel : spec.stride;
            const auto h = WindowGeometry::compute(shape[1], spec.kernel, stride, spec.padding);
            const auto w = WindowGeometry::compute(shape[2], spec.kernel, stride, spec.padding);
            auto pad = addPadding(m_body, h, w, -std::numeric_limits<double>::infinity());
            if (tiledPool(spec, shape[1], shape[2]) > 1)
                m_body->push_back(TiledMaxPool(spec.kernel));
            else
                m_body->push_back(
                    torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(spec.kernel)
                                             .stride(stride)
                                             .padding(torch::ExpandingArray<2>({pad[0], pad[1]}))));
            addActivation(m_body, deferred);
            deferred = Activation::None;
            break;
        }
        case LayerType::Flatten:
            m_body->push_back(torch::nn::Flatten());
            break;
        case LayerType::Dense:
            m_body->push_back(DenseBlock(shape[0], spec.units, activation));
            break;
        case LayerType::Dropout:
            m_body->push_back(DropoutBlock(spec.rate));
            break;
        case LayerType::BatchNorm:
            // Keras's epsilon 1e-3, but PyTorch's moving-average momentum 0.1: with Keras's 0.99
            // (torch's 0.01) the test-time statistics stay near their initial values for the
            // first few hundred batches, and a small dataset of the user's own never gets there.
            m_body->push_back(BatchNormBlock(shape[0], 1e-3, 0.1, beforeNorm));
            beforeNorm = Activation::None;
            break;
        }
        const std::string& name = summary.layers()[i].name;
        if (spec.type == LayerType::Dense)
            m_parameterNames.insert(m_parameterNames.end(), {name + "/kernel", name + "/bias"});
        if (spec.type == LayerType::BatchNorm) {
            m_parameterNames.insert(m_parameterNames.end(), {name + "/gamma", name + "/beta"});
            // In the order libtorch's BatchNorm registers them; Keras's names where it has them.
            m_bufferNames.insert(
                m_bufferNames.end(),
                {name + "/moving_mean", name + "/moving_variance", name + "/batches_tracked"});
        }
        shape = summary.layers()[i].outputShape;
    }
    register_module("body", m_body);
    initialize(seed);
}

void NetworkImpl::initialize(uint64_t seed)
{
    torch::NoGradGuard noGrad;
    auto generator = at::detail::createCPUGenerator(seed);
    for (auto& module : m_body->children()) {
        torch::Tensor weight;
        torch::Tensor bias;
        if (auto* conv = module->as<ConvBlock>()) {
            weight = conv->weight;
            bias = conv->bias;
        } else if (auto* dense = module->as<DenseBlock>()) {
            weight = dense->weight;
            bias = dense->bias;
        } else {
            continue;
        }
        // Glorot uniform: fan_in = in x receptive field, fan_out = out x receptive field.
        const int64_t receptive = weight.dim() > 2 ? weight[0][0].numel() : 1;
        const double fanIn = double(weight.size(1) * receptive);
        const double fanOut = double(weight.size(0) * receptive);
        const double limit = std::sqrt(6.0 / (fanIn + fanOut));
        weight.uniform_(-limit, limit, generator);
        bias.zero_();
    }
}

torch::Tensor NetworkImpl::forward(torch::Tensor input)
{
    return m_body->forward(input);
}

int64_t NetworkImpl::parameterCount() const
{
    int64_t total = 0;
    for (const auto& p : parameters())
        total += p.numel();
    for (const auto& b : buffers())
        if (b.is_floating_point())
            total += b.numel();
    return total;
}

} // namespace trainbench
