#include "trainbench/model/modelpresets.h"

#include "trainbench/common/error.h"

#include <algorithm>

namespace trainbench {

std::vector<std::string> ModelPresets::names()
{
    return {"seed-cnn", "lenet5", "mlp", "deep-cnn", "color-cnn"};
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
    if (name == "deep-cnn") {
        // Three Conv-ReLU-BatchNorm blocks with pooling, widening as the maps shrink so each
        // costs about the same, then dropout and a dense head: the accuracy preset for 28x28
        // digits and clothes, sized to train to 99.5% on MNIST in minutes on a laptop CPU.
        return {LayerSpec::conv2d(32, 3, P::Same, A::ReLU),
                LayerSpec::batchNorm(),
                LayerSpec::maxPool(2),
                LayerSpec::conv2d(64, 3, P::Same, A::ReLU),
                LayerSpec::batchNorm(),
                LayerSpec::maxPool(2),
                LayerSpec::conv2d(128, 3, P::Same, A::ReLU),
                LayerSpec::batchNorm(),
                LayerSpec::maxPool(2),
                LayerSpec::dropout(0.25),
                LayerSpec::flatten(),
                LayerSpec::dense(256, A::ReLU),
                LayerSpec::batchNorm(),
                LayerSpec::dropout(0.4),
                LayerSpec::dense(classes)};
    }
    if (name == "color-cnn") {
        // Small enough to train 32x32 colour images on a laptop CPU.
        return {LayerSpec::conv2d(32, 3, P::Same, A::ReLU),
                LayerSpec::batchNorm(),
                LayerSpec::maxPool(2),
                LayerSpec::conv2d(64, 3, P::Same, A::ReLU),
                LayerSpec::batchNorm(),
                LayerSpec::maxPool(2),
                LayerSpec::conv2d(128, 3, P::Same, A::ReLU),
                LayerSpec::batchNorm(),
                LayerSpec::maxPool(2),
                LayerSpec::dropout(0.3),
                LayerSpec::flatten(),
                LayerSpec::dense(128, A::ReLU),
                LayerSpec::dropout(0.3),
                LayerSpec::dense(classes)};
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
    if (name == "deep-cnn")
        return "accuracy preset for 28x28 images: Conv2D 32/64/128 3x3 each with BatchNorm and "
               "MaxPool 2, Dropout, Dense 256; with shifts and rotations over a cosine schedule";
    if (name == "color-cnn")
        return "small CNN for 32x32 colour images: Conv2D 32/64/128 3x3 with BatchNorm and "
               "MaxPool 2, Dropout, Dense 128; with shifts and flips over a cosine schedule";
    return {};
}

std::vector<PresetRecipe> ModelPresets::recipes(const std::string& name)
{
    if (name == "deep-cnn")
        return {{"mnist", "--model deep-cnn --epochs 8 --schedule cosine "
                          "--augment shift=2,rotate=10,scale=0.1"},
                {"fashion-mnist", "--model deep-cnn --epochs 12 --schedule cosine --augment flip"}};
    if (name == "color-cnn")
        return {{"cifar-10", "--model color-cnn --epochs 15 --schedule cosine "
                             "--augment shift=3,flip"}};
    return {};
}

} // namespace trainbench
