#pragma once

// libtorch's own activations, the reference the fused layers' tests compare against (kept apart
// from core's code on purpose: a reference must not be the code it checks).
#include "trainbench/model/layerspec.h"

#include <torch/torch.h>

inline torch::Tensor referenceActivation(const torch::Tensor& x, trainbench::Activation activation)
{
    switch (activation) {
    case trainbench::Activation::ReLU:
        return torch::relu(x);
    case trainbench::Activation::Tanh:
        return torch::tanh(x);
    case trainbench::Activation::Sigmoid:
        return torch::sigmoid(x);
    case trainbench::Activation::None:
        break;
    }
    return x;
}
