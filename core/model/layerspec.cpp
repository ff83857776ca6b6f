#include "trainbench/model/layerspec.h"

#include "trainbench/common/text.h"

#include <algorithm>
#include <cctype>

namespace trainbench {

std::string LayerSpec::describe(const std::vector<LayerSpec>& layers)
{
    std::string text;
    for (const auto& layer : layers) {
        text += text.empty() ? "" : ", ";
        text += toString(layer.type);
        switch (layer.type) {
        case LayerType::Conv2D:
            text += " " + std::to_string(layer.filters) + " " + std::to_string(layer.kernel) + "x" +
                    std::to_string(layer.kernel);
            break;
        case LayerType::MaxPool:
            text += " " + std::to_string(layer.kernel);
            break;
        case LayerType::Dense:
            text += " " + std::to_string(layer.units);
            break;
        case LayerType::Dropout:
            text += " " + std::to_string(layer.rate).substr(0, 4);
            break;
        case LayerType::Flatten:
        case LayerType::BatchNorm:
            break;
        }
        if ((layer.type == LayerType::Conv2D || layer.type == LayerType::Dense) &&
            layer.activation != Activation::None)
            text += " " + toString(layer.activation);
    }
    return text;
}

LayerSpec LayerSpec::conv2d(int filters, int kernel, Padding padding, Activation activation,
                            int stride)
{
    LayerSpec spec;
    spec.type = LayerType::Conv2D;
    spec.filters = filters;
    spec.kernel = kernel;
    spec.padding = padding;
    spec.activation = activation;
    spec.stride = stride;
    return spec;
}

LayerSpec LayerSpec::maxPool(int pool, int stride, Padding padding)
{
    LayerSpec spec;
    spec.type = LayerType::MaxPool;
    spec.kernel = pool;
    spec.stride = stride;
    spec.padding = padding;
    return spec;
}

LayerSpec LayerSpec::flatten()
{
    LayerSpec spec;
    spec.type = LayerType::Flatten;
    return spec;
}

LayerSpec LayerSpec::dense(int units, Activation activation)
{
    LayerSpec spec;
    spec.type = LayerType::Dense;
    spec.units = units;
    spec.activation = activation;
    return spec;
}

LayerSpec LayerSpec::dropout(double rate)
{
    LayerSpec spec;
    spec.type = LayerType::Dropout;
    spec.rate = rate;
    return spec;
}

LayerSpec LayerSpec::batchNorm()
{
    LayerSpec spec;
    spec.type = LayerType::BatchNorm;
    return spec;
}

bool LayerSpec::operator==(const LayerSpec& other) const
{
    if (type != other.type)
        return false;
    switch (type) {
    case LayerType::Conv2D:
        return filters == other.filters && kernel == other.kernel && stride == other.stride &&
               padding == other.padding && activation == other.activation;
    case LayerType::MaxPool:
        return kernel == other.kernel && stride == other.stride && padding == other.padding;
    case LayerType::Dense:
        return units == other.units && activation == other.activation;
    case LayerType::Dropout:
        return rate == other.rate;
    case LayerType::Flatten:
    case LayerType::BatchNorm:
        return true;
    }
    return false;
}

std::string toString(LayerType type)
{
    switch (type) {
    case LayerType::Conv2D:
        return "Conv2D";
    case LayerType::MaxPool:
        return "MaxPooling2D";
    case LayerType::Flatten:
        return "Flatten";
    case LayerType::Dense:
        return "Dense";
    case LayerType::Dropout:
        return "Dropout";
    case LayerType::BatchNorm:
        return "BatchNormalization";
    }
    return "?";
}

std::string toString(Activation activation)
{
    switch (activation) {
    case Activation::None:
        return "none";
    case Activation::ReLU:
        return "relu";
    case Activation::Tanh:
        return "tanh";
    case Activation::Sigmoid:
        return "sigmoid";
    }
    return "?";
}

std::string toString(Padding padding)
{
    return padding == Padding::Same ? "same" : "valid";
}

std::optional<LayerType> layerTypeFromString(const std::string& name)
{
    const std::string key = Text::lower(name);
    if (key == "conv2d" || key == "conv")
        return LayerType::Conv2D;
    if (key == "maxpooling2d" || key == "maxpool2d" || key == "maxpool")
        return LayerType::MaxPool;
    if (key == "flatten")
        return LayerType::Flatten;
    if (key == "dense" || key == "linear")
        return LayerType::Dense;
    if (key == "dropout")
        return LayerType::Dropout;
    if (key == "batchnormalization" || key == "batchnorm")
        return LayerType::BatchNorm;
    return std::nullopt;
}

std::optional<Activation> activationFromString(const std::string& name)
{
    const std::string key = Text::lower(name);
    if (key.empty() || key == "none" || key == "linear")
        return Activation::None;
    if (key == "relu")
        return Activation::ReLU;
    if (key == "tanh")
        return Activation::Tanh;
    if (key == "sigmoid")
        return Activation::Sigmoid;
    return std::nullopt;
}

std::optional<Padding> paddingFromString(const std::string& name)
{
    const std::string key = Text::lower(name);
    if (key == "valid")
        return Padding::Valid;
    if (key == "same")
        return Padding::Same;
    return std::nullopt;
}

} // namespace trainbench
