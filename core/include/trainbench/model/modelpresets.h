#pragma once

#include "trainbench/model/layerspec.h"

#include <string>
#include <vector>

namespace trainbench {

/// How to train a preset for accuracy on one dataset: `trainbench-cli train` options.
struct PresetRecipe
{
    std::string dataset; ///< "mnist", "fashion-mnist", "cifar-10".
    std::string options; ///< e.g. "--model deep-cnn --epochs 10 --schedule cosine ...".
};

/// Ready-made layer stacks: "seed-cnn" (the tutorial's CNN), "lenet5", "mlp", and the accuracy
/// presets "deep-cnn" (28x28 digits and clothes) and "color-cnn" (32x32 colour images).
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
    /// The recipes of an accuracy preset, its main dataset first; empty for the others.
    static std::vector<PresetRecipe> recipes(const std::string& name);
};

} // namespace trainbench
