#pragma once

#include "trainbench/model/layerspec.h"

#include <string>
#include <vector>

namespace trainbench {

/// Ready-made layer stacks: "seed-cnn" (the tutorial's CNN), "lenet5" and "mlp".
class ModelPresets
{
public:
    /// Names of all presets, the default first.
    static std::vector<std::string> names();
    /// True when `name` is a preset.
    static bool contains(const std::string& name);
    /// The layers of preset `name`, ending in a Dense layer of `classes` units; throws Error if
    /// unknown.
    static std::vector<LayerSpec> layers(const std::string& name, int classes = 10);
    /// One-line description of a preset.
    static std::string description(const std::string& name);
};

} // namespace trainbench
