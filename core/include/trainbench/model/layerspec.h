#pragma once

#include <optional>
#include <string>
#include <vector>

namespace trainbench {

/// Kind of a layer in a model description.
enum class LayerType { Conv2D, MaxPool, Flatten, Dense, Dropout, BatchNorm };

/// Activation applied after a Conv2D or Dense layer.
enum class Activation { None, ReLU, Tanh, Sigmoid };

/// Padding mode of Conv2D and MaxPool, with Keras's meaning.
enum class Padding { Valid, Same };

/// One layer described as plain data; fields that do not apply to the type are ignored.
struct LayerSpec
{
    LayerType type = LayerType::Dense;
    int filters = 0; ///< Conv2D: output channels.
    int kernel = 3;  ///< Conv2D: kernel size; MaxPool: pool size.
    int stride = 1;  ///< Conv2D and MaxPool: stride (MaxPool: 0 means the pool size).
    Padding padding = Padding::Valid;
    Activation activation = Activation::None;
    int units = 0;     ///< Dense: output features.
    double rate = 0.0; ///< Dropout: fraction of inputs dropped while training.

    /// A Conv2D layer (Keras Conv2D(filters, kernel, strides, padding, activation)).
    static LayerSpec conv2d(int filters, int kernel, Padding padding = Padding::Valid,
                            Activation activation = Activation::None, int stride = 1);
    /// A MaxPool layer (Keras MaxPool2D(pool, strides=pool by default)).
    static LayerSpec maxPool(int pool = 2, int stride = 0, Padding padding = Padding::Valid);
    /// A Flatten layer.
    static LayerSpec flatten();
    /// A Dense layer (Keras Dense(units, activation)).
    static LayerSpec dense(int units, Activation activation = Activation::None);
    /// A Dropout layer (Keras Dropout(rate)).
    static LayerSpec dropout(double rate);
    /// A BatchNorm layer over channels (after Conv2D) or features (after Dense).
    static LayerSpec batchNorm();

    /// A stack in one line, e.g. "Conv2D 32 3x3 relu, MaxPooling2D 2, Flatten, Dense 10".
    static std::string describe(const std::vector<LayerSpec>& layers);

    bool operator==(const LayerSpec& other) const;
    bool operator!=(const LayerSpec& other) const { return !(*this == other); }
};

/// Keras's name of a layer type ("Conv2D", "MaxPooling2D", ...).
std::string toString(LayerType type);
/// Lower-case name of an activation ("relu", "none", ...).
std::string toString(Activation activation);
/// Keras's name of a padding mode ("valid" or "same").
std::string toString(Padding padding);
/// Parses a layer type name (case-insensitive, Keras or short names); empty when unknown.
std::optional<LayerType> layerTypeFromString(const std::string& name);
/// Parses an activation name (case-insensitive); empty when unknown.
std::optional<Activation> activationFromString(const std::string& name);
/// Parses a padding name (case-insensitive); empty when unknown.
std::optional<Padding> paddingFromString(const std::string& name);

} // namespace trainbench
