#include "trainbench/model/modelpresets.h"

#include "trainbench/common/error.h"

#include <algorithm>

namespace trainbench {

std::vector<std::string> ModelPresets::names()
{
    return {"seed-cnn", "lenet5", "mlp"};
}

bool ModelPresets::contains(const std::string& name)
{
    const auto all = names();
    return std::find(all.begin(), all.end(), name) != all.end();
}

std::vector<LayerSpec> ModelPresets::layers(const std::string& name, int classes)
{
    using A = Activation;
    using P = Padding;
    if (name == "seed-cnn") {
        // The tutorial's model, layer for layer.
        return {LayerSpec::conv2d(32, 3, P::Same, A::ReLU),
                LayerSpec::maxPool(2),
                LayerSpec::flatten(),
                LayerSpec::dense(256, A::ReLU),
                LayerSpec::dense(128, A::ReLU),
                LayerSpec::dense(classes)};
    }
    if (name == "lenet5") {
        return {LayerSpec::conv2d(6, 5, P::Same, A::ReLU),
                LayerSpec::maxPool(2),
                LayerSpec::conv2d(16, 5, P::Valid, A::ReLU),
                LayerSpec::maxPool(2),
                LayerSpec::flatten(),
                LayerSpec::dense(120, A::ReLU),
                LayerSpec::dense(84, A::ReLU),
                LayerSpec::dense(classes)};
    }
    if (name == "mlp") {
        return {LayerSpec::flatten(), LayerSpec::dense(256, A::ReLU), LayerSpec::dropout(0.2),
                LayerSpec::dense(128, A::ReLU), LayerSpec::dense(classes)};
    }
    std::string known;
    for (const auto& n : names())
        known += (known.empty() ? "" : ", ") + n;
    throw Error("unknown model '" + name + "' (known models: " + known + ")");
}

std::string ModelPresets::description(const std::string& name)
{
    if (name == "seed-cnn")
        return "the tutorial's CNN: Conv2D 32 3x3 same + ReLU, MaxPool 2, Dense 256, Dense 128";
    if (name == "lenet5")
        return "LeNet-5 with ReLU and max pooling";
    if (name == "mlp")
        return "multi-layer perceptron: Dense 256, Dropout 0.2, Dense 128";
    return {};
}

} // namespace trainbench
