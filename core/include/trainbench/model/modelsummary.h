#pragma once

#include "trainbench/model/layerspec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace trainbench {

/// Shape and parameter count of one layer, or the reason it cannot follow its input.
struct LayerSummary
{
    std::string name;                 ///< Keras-style instance name, e.g. "conv2d_1".
    LayerSpec spec;                   ///< The layer as described.
    std::vector<int64_t> outputShape; ///< Per-sample output shape, channels first (C,H,W) or (N).
    int64_t parameters = 0;           ///< All parameters of the layer.
    int64_t trainableParameters = 0;  ///< Parameters an optimizer updates.
    std::string error;                ///< Empty when the layer fits its input.
};

/// A shape check and Keras-style summary of a layer stack for a given input.
class ModelSummary
{
public:
    /// Walks the stack from an input of (channels, height, width) to `classes` outputs.
    static ModelSummary analyze(const std::vector<LayerSpec>& layers,
                                const std::vector<int64_t>& inputShape, int classes);

    /// True when every layer fits its input and the last one outputs one value per class.
    bool isValid() const { return m_error.empty(); }
    /// The first problem found, naming the layer; empty when valid.
    const std::string& error() const { return m_error; }
    /// Index of the layer the error is about, or -1 (none, or the whole model).
    int errorLayer() const { return m_errorLayer; }
    /// One row per layer.
    const std::vector<LayerSummary>& layers() const { return m_layers; }
    /// Sum of all parameters.
    int64_t totalParameters() const { return m_total; }
    /// Sum of parameters an optimizer updates.
    int64_t trainableParameters() const { return m_trainable; }
    /// The summary as Keras prints it; output shapes as (None, H, W, C) like Keras.
    std::string format(const std::string& modelName) const;

    /// Formats a shape as Keras shows it: (None, H, W, C) or (None, N).
    static std::string formatShape(const std::vector<int64_t>& shape);
    /// Formats 1640394 as "1,640,394".
    static std::string formatCount(int64_t value);

private:
    std::vector<LayerSummary> m_layers;
    int64_t m_total = 0;
    int64_t m_trainable = 0;
    std::string m_error;
    int m_errorLayer = -1;
};

} // namespace trainbench
