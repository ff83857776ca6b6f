#pragma once

#include <optional>
#include <string>

namespace trainbench {

/// Optimizer algorithm.
enum class OptimizerType { Adam, Sgd, RmsProp };

/// Optimizer settings with Keras's defaults.
struct OptimizerConfig
{
    OptimizerType type = OptimizerType::Adam;
    double learningRate = 1e-3;
    double beta1 = 0.9;    ///< Adam: first-moment decay.
    double beta2 = 0.999;  ///< Adam: second-moment decay.
    double epsilon = 1e-7; ///< Adam and RMSprop: Keras's epsilon.
    double momentum = 0.0; ///< SGD and RMSprop: momentum.
    bool nesterov = false; ///< SGD: Nesterov momentum.
    double rho = 0.9;      ///< RMSprop: decay of the squared-gradient average.
};

/// Lower-case name of an optimizer ("adam", "sgd", "rmsprop").
std::string toString(OptimizerType type);
/// Parses an optimizer name (case-insensitive); empty when unknown.
std::optional<OptimizerType> optimizerTypeFromString(const std::string& name);

} // namespace trainbench
