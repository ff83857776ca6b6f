#pragma once

#include "trainbench/model/layerspec.h"

#include <torch/types.h>

#include <cstdint>

namespace trainbench {

/// The activations shared by the layers (internal to core): the fused CPU layers' loops, applied
/// in place on the layer's output and their slope taken from that output, so a layer keeps only
/// its output for backward; and libtorch's ops, for the layers' paths off the CPU.
class ActivationKernels
{
public:
    /// v[i] = activation(v[i]) for i in [0, n); NaN stays NaN.
    static void applyInPlace(float* v, int64_t n, Activation activation);
    /// out[i] = grad[i] x activation'(x[i]), from the activation's output y[i] = activation(x[i]);
    /// out may be grad.
    static void slopeTimes(const float* grad, const float* y, float* out, int64_t n,
                           Activation activation);
    /// activation(x) with libtorch's ops (any device; autograd records them).
    static torch::Tensor applyOp(const torch::Tensor& x, Activation activation);
};

} // namespace trainbench
