#pragma once

#include "model/network.h"
#include "trainbench/infer/predictor.h"

#include <string>

namespace trainbench {

/// Predictor's insides, shared with Trainer::predictor() (internal to core).
class Predictor::Impl
{
public:
    Network network{nullptr};
    std::string description;
};

} // namespace trainbench
