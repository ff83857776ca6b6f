#include "model/activationkernels.h"

#include "model/cputargets.h"

#include <algorithm>
#include <cmath>

namespace trainbench {

namespace {

TRAINBENCH_CPU_CLONES
void reluInPlace(float* v, int64_t n)
{
    for (int64_t i = 0; i < n; ++i)
        v[i] = v[i] < 0.0f ? 0.0f : v[i]; // NaN stays NaN
}

TRAINBENCH_CPU_CLONES
void reluSlopeTimes(const float* grad, const float* y, float* out, int64_t n)
{
    for (int64_t i = 0; i < n; ++i)
        out[i] = y[i] <= 0.0f ? 0.0f : grad[i]; // as threshold_backward: NaN passes the gradient
}

} // namespace

void ActivationKernels::applyInPlace(float* v, int64_t n, Activation activation)
{
    switch (activation) {
    case Activation::ReLU:
        reluInPlace(v, n);
        break;
    case Activation::Tanh:
        for (int64_t i = 0; i < n; ++i)
            v[i] = std::tanh(v[i]);
        break;
    case Activation::Sigmoid:
        for (int64_t i = 0; i < n; ++i)
            v[i] = 1.0f / (1.0f + std::exp(-v[i]));
        break;
    case Activation::None:
        break;
    }
}

void ActivationKernels::slopeTimes(const float* grad, const float* y, float* out, int64_t n,
                                   Activation activation)
{
    switch (activation) {
    case Activation::ReLU:
        reluSlopeTimes(grad, y, out, n);
        break;
    case Activation::Tanh:
        for (int64_t i = 0; i < n; ++i)
            out[i] = grad[i] * (1.0f - y[i] * y[i]);
        break;
    case Activation::Sigmoid:
        for (int64_t i = 0; i < n; ++i)
            out[i] = grad[i] * y[i] * (1.0f - y[i]);
        break;
    case Activation::None:
        if (out != grad)
            std::copy_n(grad, n, out);
        break;
    }
}

torch::Tensor ActivationKernels::applyOp(const torch::Tensor& x, Activation activation)
{
    switch (activation) {
    case Activation::ReLU:
        return torch::relu(x);
    case Activation::Tanh:
        return torch::tanh(x);
    case Activation::Sigmoid:
        return torch::sigmoid(x);
    case Activation::None:
        break;
    }
    return x;
}

} // namespace trainbench
