#pragma once

#include "model/network.h"
#include "trainbench/infer/predictor.h"

#include <string>
#include <vector>

namespace trainbench {

/// Predictor's insides, shared with Trainer::predictor() (internal to core).
class Predictor::Impl
{
public:
    Network network{nullptr};
    std::string description;
    std::vector<std::string> classNames; ///< One per class ("0", "1", ... when unknown).
    ResizePolicy resize = ResizePolicy::Fit;
};

} // namespace trainbench
