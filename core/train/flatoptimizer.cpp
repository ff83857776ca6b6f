#include "flatoptimizer.h"

#include "trainbench/error.h"

#include <cmath>

namespace trainbench {

FlatOptimizer::FlatOptimizer(std::vector<torch::Tensor> parameters, OptimizerConfig config)
    : m_config(config)
{
    int64_t total = 0;
    for (const auto& p : parameters)
        total += p.numel();
    const auto options = parameters.empty() ? torch::TensorOptions(torch::kFloat)
                                            : parameters.front().options();
    m_values = torch::empty({total}, options);
    m_grads = torch::zeros({total}, options);
    torch::NoGradGuard noGrad;
    int64_t offset = 0;
    for (auto& p : parameters) {
        const int64_t n = p.numel();
        auto value = m_values.narrow(0, offset, n).view(p.sizes());
        value.copy_(p);
        p.set_data(value);
        // Autograd accumulates into an existing gradient in place, so gradients land in m_grads.
        p.mutable_grad() = m_grads.narrow(0, offset, n).view(p.sizes());
        offset += n;
    }
    m_first = torch::zeros_like(m_values);
    m_scratch = torch::empty_like(m_values);
    if (m_config.type == OptimizerType::Adam ||
        (m_config.type == OptimizerType::RmsProp && m_config.momentum > 0.0))
        m_second = torch::zeros_like(m_values);
}

void FlatOptimizer::zeroGrad()
{
    m_grads.zero_();
}

void FlatOptimizer::step(double learningRate)
{
    torch::NoGradGuard noGrad;
    ++m_steps;
    const auto& c = m_config;
    switch (c.type) {
    case OptimizerType::Adam: {
        // TF/Keras: lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t); var -= lr_t * m / (sqrt(v) + eps).
        const double t = double(m_steps);
        const double lrT =
            learningRate * std::sqrt(1.0 - std::pow(c.beta2, t)) / (1.0 - std::pow(c.beta1, t));
        m_first.lerp_(m_grads, 1.0 - c.beta1);
        m_second.mul_(c.beta2).addcmul_(m_grads, m_grads, 1.0 - c.beta2);
        torch::sqrt_out(m_scratch, m_second).add_(c.epsilon);
        m_values.addcdiv_(m_first, m_scratch, -lrT);
        break;
    }
    case OptimizerType::Sgd:
        if (c.momentum <= 0.0) {
            m_values.add_(m_grads, -learningRate);
        } else {
            // Keras: velocity = momentum * velocity - lr * g; var += velocity (Nesterov: look ahead).
            m_first.mul_(c.momentum).add_(m_grads, -learningRate);
            if (c.nesterov)
                m_values.add_(m_first, c.momentum).add_(m_grads, -learningRate);
            else
                m_values.add_(m_first);
        }
        break;
    case OptimizerType::RmsProp:
        // Keras: ms = rho * ms + (1 - rho) * g^2; var -= lr * g / (sqrt(ms) + eps).
        m_first.mul_(c.rho).addcmul_(m_grads, m_grads, 1.0 - c.rho);
        torch::sqrt_out(m_scratch, m_first).add_(c.epsilon);
        if (c.momentum > 0.0) {
            m_second.mul_(c.momentum).addcdiv_(m_grads, m_scratch, learningRate);
            m_values.sub_(m_second);
        } else {
            m_values.addcdiv_(m_grads, m_scratch, -learningRate);
        }
        break;
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
