#pragma once

#include "trainbench/model/layerspec.h"

#include <cstdint>

namespace trainbench {

/// The activations' loops shared by the fused CPU layers (internal to core): applied in place on
/// the layer's output, and their slope taken from that output, so a layer keeps only its output
/// for backward.
class ActivationKernels
{
public:
    /// v[i] = activation(v[i]) for i in [0, n); NaN stays NaN.
    static void applyInPlace(float* v, int64_t n, Activation activation);
    /// out[i] = grad[i] x activation'(x[i]), from the activation's output y[i] = activation(x[i]);
    /// out may be grad.
    static void slopeTimes(const float* grad, const float* y, float* out, int64_t n,
                           Activation activation);
};

} // namespace trainbench
