#include "train/flatoptimizer.h"

#include "model/cputargets.h"
#include "train/gradientreducer.h"
#include "trainbench/common/error.h"

#include <ATen/Parallel.h>
#include <ATen/record_function.h>

#include <cmath>

#if defined(__has_include)
#if __has_include(<ATen/ops/_fused_adam.h>)
#include <ATen/ops/_fused_adam.h>
#define TRAINBENCH_HAS_FUSED_ADAM 1
#endif
#endif
#ifndef TRAINBENCH_HAS_FUSED_ADAM
#define TRAINBENCH_HAS_FUSED_ADAM 0
#endif

namespace trainbench {

FlatOptimizer::FlatOptimizer(std::vector<torch::Tensor> parameters, OptimizerConfig config)
    : m_config(config), m_parameters(std::move(parameters))
{
    // TrainingConfig::validate() says so to the user; here for any other caller (a beta of 1
    // would divide by zero in the bias correction).
    if (m_config.type == OptimizerType::Adam && !(m_config.beta1 >= 0.0 && m_config.beta1 < 1.0 &&
                                                  m_config.beta2 >= 0.0 && m_config.beta2 < 1.0))
        throw Error("Adam's beta1 and beta2 must be in [0, 1)");
    int64_t total = 0;
    for (const auto& p : m_parameters) {
        m_offsets.push_back(total);
        total += p.numel();
    }
    const auto options =
        m_parameters.empty() ? torch::TensorOptions(torch::kFloat) : m_parameters.front().options();
    m_first = torch::zeros({total}, options);
    if (m_config.type == OptimizerType::Adam ||
        (m_config.type == OptimizerType::RmsProp && m_config.momentum > 0.0))
        m_second = torch::zeros({total}, options);
    // Large CPU parameters are updated as soon as backward has their gradient (see beginStep()).
    constexpr int64_t kOverlapMinimum = 1 << 16;
    for (size_t i = 0; i < m_parameters.size(); ++i) {
        auto& p = m_parameters[i];
        if (p.is_cpu() && p.scalar_type() == torch::kFloat && p.numel() >= kOverlapMinimum)
            m_hooks.emplace_back(
                i, p.register_hook([this, i](const torch::Tensor& grad) { onGradient(i, grad); }));
    }
    // The state's views, made once: on CUDA a step is bound by the host's time per op.
    for (size_t i = 0; i < m_parameters.size(); ++i) {
        m_firstViews.push_back(stateOf(m_first, i));
        m_secondViews.push_back(m_second.defined() ? stateOf(m_second, i) : torch::Tensor());
    }
}

FlatOptimizer::~FlatOptimizer()
{
    m_worker.wait();
    for (const auto& [index, hook] : m_hooks)
        m_parameters[index].remove_hook(hook);
}

void FlatOptimizer::zeroGrad()
{
    for (auto& p : m_parameters)
        p.mutable_grad() = torch::Tensor();
}

void FlatOptimizer::beginStep(double learningRate)
{
    if (m_open)
        finishStep(); // the last backward pass did not complete
    ++m_steps;
    // TF/Keras Adam: lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t); var -= lr_t * m / (sqrt(v) + eps).
    const double t = double(m_steps);
    m_learningRate = learningRate;
    m_adamRate = learningRate * std::sqrt(1.0 - std::pow(m_config.beta2, t)) /
                 (1.0 - std::pow(m_config.beta1, t));
    m_updated.assign(m_parameters.size(), 0);
    m_open = true;
    if (m_reducer)
        m_reducer->begin();
}

void FlatOptimizer::onGradient(size_t index, const torch::Tensor& grad)
{
    if (!m_open || !m_background || m_reducer || m_updated[index])
        return;
    const auto& p = m_parameters[index];
    if (grad.scalar_type() != torch::kFloat || !grad.is_cpu() ||
        !p.is_non_overlapping_and_dense() || grad.strides() != p.strides())
        return; // finishStep() takes it
    m_updated[index] = 1;
    ++m_backgroundUpdates;
    // The hook runs before autograd stores the gradient. The job keeps the memory alive through
    // its storage, not the tensor: a tensor with a second owner could not be handed to .grad
    // as is, and autograd would copy it (a transposing 6 MB copy for the big Dense layer).
    // On the helper thread in one piece: a parallel loop there would start a second OpenMP team
    // beside the one backward is using, twice as many threads as cores.
    m_worker.post([this, index, storage = grad.storage(), data = grad.data_ptr<float>()] {
        (void)storage;
        updateCpu(index, data, false);
    });
}

void FlatOptimizer::finishStep()
{
    if (!m_open)
        return; // no step begun
    RECORD_FUNCTION("trainbench::optimizer_step", std::vector<c10::IValue>());
    torch::NoGradGuard noGrad;
    if (m_reducer) {
        m_reducer->finish([this](size_t i, const torch::Tensor& grad) { update(i, grad); });
    } else {
        std::vector<size_t> together;
        std::vector<torch::Tensor> gradients;
        for (size_t i = 0; i < m_parameters.size(); ++i) {
            if (m_updated[i] || !m_parameters[i].grad().defined())
                continue;
            if (m_config.type == OptimizerType::Adam && !cpuLoop(i)) {
                together.push_back(i);
                gradients.push_back(m_parameters[i].grad());
            } else {
                update(i, m_parameters[i].grad());
            }
        }
        if (!together.empty())
            updateAdam(together, gradients);
    }
    m_worker.wait();
    m_open = false;
}

torch::Tensor FlatOptimizer::matchingGradient(size_t i, const torch::Tensor& gradient) const
{
    // The state follows the parameter's memory order (channels-last kernels included); empty_like
    // keeps a dense parameter's exact strides, where contiguous(suggest_memory_format()) would
    // not for a transposed one.
    const auto& p = m_parameters[i];
    if (gradient.strides() == p.strides())
        return gradient;
    return torch::empty_like(p).copy_(gradient);
}

bool FlatOptimizer::cpuLoop(size_t i) const
{
    const auto& p = m_parameters[i];
    return p.is_cpu() && p.scalar_type() == torch::kFloat && p.is_non_overlapping_and_dense();
}

torch::Tensor FlatOptimizer::stateOf(const torch::Tensor& flat, size_t i) const
{
    // The state's slices take the parameter's shape and memory order (as the CPU loop reads
    // them): the tensor ops would broadcast a flat slice against a (32, 1, 3, 3) gradient, or
    // fail. The layout depends on the parameter alone, so every step and path agree.
    const auto& p = m_parameters[i];
    const auto slice = flat.narrow(0, m_offsets[i], p.numel());
    return p.is_non_overlapping_and_dense() ? slice.as_strided(p.sizes(), p.strides())
                                            : slice.view(p.sizes());
}

void FlatOptimizer::update(size_t i, const torch::Tensor& gradient)
{
    auto& p = m_parameters[i];
    const auto grad = matchingGradient(i, gradient);
    if (cpuLoop(i) && grad.is_cpu() && grad.scalar_type() == torch::kFloat) {
        updateCpu(i, grad.data_ptr<float>(), true);
        return;
    }
    if (m_config.type == OptimizerType::Adam) {
        updateAdam({i}, {grad});
        return;
    }
    stepTensors(p, grad, m_firstViews[i], m_secondViews[i], m_learningRate);
}

void FlatOptimizer::updateAdam(const std::vector<size_t>& indices,
                               const std::vector<torch::Tensor>& gradients)
{
    // Adam's rules of stepCpu() as tensor ops, for all the given parameters at once: each
    // multi-tensor op is one kernel launch on CUDA for all of them, where one op per parameter
    // costs a launch each.
    std::vector<torch::Tensor> values, grads, firsts, seconds;
    for (size_t k = 0; k < indices.size(); ++k) {
        const size_t i = indices[k];
        grads.push_back(matchingGradient(i, gradients[k]));
        values.push_back(m_parameters[i]);
        firsts.push_back(m_firstViews[i]);
        seconds.push_back(m_secondViews[i]);
    }
    if (fusedAdam(values, grads, firsts, seconds))
        return;
    const auto& c = m_config;
    at::_foreach_mul_(firsts, c.beta1);
    at::_foreach_add_(firsts, grads, 1.0 - c.beta1);
    at::_foreach_mul_(seconds, c.beta2);
    at::_foreach_addcmul_(seconds, grads, grads, 1.0 - c.beta2);
    auto denominators = at::_foreach_sqrt(seconds);
    at::_foreach_add_(denominators, c.epsilon);
    at::_foreach_addcdiv_(values, firsts, denominators, -m_adamRate);
}

bool FlatOptimizer::fusedAdam(const std::vector<torch::Tensor>& values,
                              const std::vector<torch::Tensor>& grads,
                              const std::vector<torch::Tensor>& firsts,
                              const std::vector<torch::Tensor>& seconds)
{
#if TRAINBENCH_HAS_FUSED_ADAM
    // libtorch's fused CUDA kernel: one launch for the whole update, where the multi-tensor ops
    // take seven (and a temporary). It applies PyTorch's rule, m / (sqrt(v) / sqrt(c2) + eps)
    // * lr / c1 with bias corrections c = 1 - beta^step, the step read as a float from a device
    // tensor (never written by the kernel); a step count so large that both corrections are 1
    // leaves Keras's rule with its bias correction already in the rate: m / (sqrt(v) + eps) *
    // adamRate. The kernel wants float tensors of one device with identical dense layouts:
    // matchingGradient() and the state's views give every tensor its parameter's strides, so only a
    // parameter that is not dense itself (its state then a plain view) leaves the kernel out.
    // Its errors are libtorch errors like any op's: the run fails with them.
    const auto& p = values.front();
    if (!p.is_cuda() || p.scalar_type() != torch::kFloat)
        return false;
    for (const auto& value : values)
        if (!value.is_non_overlapping_and_dense())
            return false;
    if (!m_fusedStep.defined())
        m_fusedStep = torch::full({}, 1e30, p.options().dtype(torch::kFloat));
    const std::vector<torch::Tensor> steps(values.size(), m_fusedStep);
    at::_fused_adam_(values, grads, firsts, seconds, {}, steps, m_adamRate, m_config.beta1,
                     m_config.beta2, 0.0, m_config.epsilon, false, false);
    ++m_fusedUpdates;
    return true;
#else
    (void)values;
    (void)grads;
    (void)firsts;
    (void)seconds;
    return false;
#endif
}

std::vector<torch::Tensor> FlatOptimizer::stateTensors() const
{
    std::vector<torch::Tensor> state{m_first};
    if (m_second.defined())
        state.push_back(m_second);
    return state;
}

void FlatOptimizer::step(double learningRate)
{
    beginStep(learningRate);
    finishStep();
}

void FlatOptimizer::updateCpu(size_t index, const float* grad, bool parallel)
{
    auto& p = m_parameters[index];
    float* value = p.data_ptr<float>();
    float* f = m_first.data_ptr<float>() + m_offsets[index];
    float* s = m_second.defined() ? m_second.data_ptr<float>() + m_offsets[index] : nullptr;
    if (!parallel) {
        stepCpu(value, grad, f, s, p.numel(), m_learningRate, m_adamRate);
        return;
    }
    at::parallel_for(0, p.numel(), 32768, [&](int64_t begin, int64_t end) {
        stepCpu(value + begin, grad + begin, f + begin, s ? s + begin : nullptr, end - begin,
                m_learningRate, m_adamRate);
    });
}

TRAINBENCH_CPU_CLONES
void FlatOptimizer::stepCpu(float* value, const float* grad, float* first, float* second, int64_t n,
                            double learningRate, double adamRate) const
{
    const auto& c = m_config;
    const float lr = float(learningRate);
    switch (c.type) {
    case OptimizerType::Adam: {
        const float b1 = float(c.beta1), b2 = float(c.beta2);
        const float a1 = 1.0f - b1, a2 = 1.0f - b2;
        const float rate = float(adamRate), eps = float(c.epsilon);
        for (int64_t i = 0; i < n; ++i) {
            const float g = grad[i];
            const float m = b1 * first[i] + a1 * g;
            const float v = b2 * second[i] + a2 * g * g;
            first[i] = m;
            second[i] = v;
            value[i] -= rate * m / (std::sqrt(v) + eps);
        }
        break;
    }
    case OptimizerType::Sgd: {
        const float momentum = float(c.momentum);
        if (momentum <= 0.0f) {
            for (int64_t i = 0; i < n; ++i)
                value[i] -= lr * grad[i];
        } else if (c.nesterov) {
            // Keras: velocity = momentum * velocity - lr * g; var += momentum * velocity - lr * g.
            for (int64_t i = 0; i < n; ++i) {
                const float velocity = momentum * first[i] - lr * grad[i];
                first[i] = velocity;
                value[i] += momentum * velocity - lr * grad[i];
            }
        } else {
            for (int64_t i = 0; i < n; ++i) {
                const float velocity = momentum * first[i] - lr * grad[i];
                first[i] = velocity;
                value[i] += velocity;
            }
        }
        break;
    }
    case OptimizerType::RmsProp: {
        // Keras: ms = rho * ms + (1 - rho) * g^2; var -= lr * g / (sqrt(ms) + eps) (with momentum:
        // via a buffer).
        const float rho = float(c.rho), eps = float(c.epsilon), momentum = float(c.momentum);
        for (int64_t i = 0; i < n; ++i) {
            const float g = grad[i];
            const float ms = rho * first[i] + (1.0f - rho) * g * g;
            first[i] = ms;
            const float update = lr * g / (std::sqrt(ms) + eps);
            if (second) {
                second[i] = momentum * second[i] + update;
                value[i] -= second[i];
            } else {
                value[i] -= update;
            }
        }
        break;
    }
    }
}

void FlatOptimizer::stepTensors(torch::Tensor& value, const torch::Tensor& grad,
                                torch::Tensor first, torch::Tensor second, double learningRate)
{
    // The same rules as stepCpu() as tensor ops, for CUDA (Adam's: updateAdam()).
    const auto& c = m_config;
    switch (c.type) {
    case OptimizerType::Adam:
        break; // updateAdam()
    case OptimizerType::Sgd:
        if (c.momentum <= 0.0) {
            value.add_(grad, -learningRate);
        } else {
            first.mul_(c.momentum).add_(grad, -learningRate);
            if (c.nesterov)
                value.add_(first, c.momentum).add_(grad, -learningRate);
            else
                value.add_(first);
        }
        break;
    case OptimizerType::RmsProp: {
        first.mul_(c.rho).addcmul_(grad, grad, 1.0 - c.rho);
        auto update = grad / first.sqrt().add_(c.epsilon) * learningRate;
        if (second.defined()) {
            second.mul_(c.momentum).add_(update);
            value.sub_(second);
        } else {
            value.sub_(update);
        }
        break;
    }
    }
}

void FlatOptimizer::save(torch::serialize::OutputArchive& archive) const
{
    archive.write("optimizer/type", c10::IValue(toString(m_config.type)));
    archive.write("optimizer/steps", c10::IValue(m_steps));
    archive.write("optimizer/first", m_first.cpu(), true);
    if (m_second.defined())
        archive.write("optimizer/second", m_second.cpu(), true);
}

void FlatOptimizer::load(torch::serialize::InputArchive& archive)
{
    c10::IValue type;
    c10::IValue steps;
    if (!archive.try_read("optimizer/type", type) || !archive.try_read("optimizer/steps", steps))
        throw Error("no optimizer state");
    if (type.toStringRef() != toString(m_config.type))
        throw Error("optimizer state is for " + type.toStringRef() + ", not " +
                    toString(m_config.type));
    torch::Tensor first;
    if (!archive.try_read("optimizer/first", first, true) || first.numel() != m_first.numel())
        throw Error("optimizer state does not match the model's parameter count");
    torch::NoGradGuard noGrad;
    m_first.copy_(first);
    if (m_second.defined()) {
        torch::Tensor second;
        if (!archive.try_read("optimizer/second", second, true) ||
            second.numel() != m_second.numel())
            throw Error("optimizer state is incomplete");
        m_second.copy_(second);
    }
    m_steps = steps.toInt();
}

} // namespace trainbench
