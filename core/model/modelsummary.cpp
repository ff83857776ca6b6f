#include "trainbench/model/modelsummary.h"

#include "model/windowgeometry.h"

#include <cstdio>
#include <iomanip>
#include <map>
#include <sstream>

namespace trainbench {

namespace {

std::string instanceName(LayerType type, std::map<LayerType, int>& seen)
{
    static const std::map<LayerType, std::string> base = {
        {LayerType::Conv2D, "conv2d"},   {LayerType::MaxPool, "max_pooling2d"},
        {LayerType::Flatten, "flatten"}, {LayerType::Dense, "dense"},
        {LayerType::Dropout, "dropout"}, {LayerType::BatchNorm, "batch_normalization"}};
    const int n = seen[type]++;
    return base.at(type) + (n == 0 ? "" : "_" + std::to_string(n));
}

std::string dims(const std::vector<int64_t>& shape)
{
    if (shape.size() == 3)
        return std::to_string(shape[1]) + "x" + std::to_string(shape[2]) + "x" +
               std::to_string(shape[0]);
    std::string text;
    for (auto d : shape)
        text += (text.empty() ? "" : "x") + std::to_string(d);
    return text;
}

/// The most parameters, or values per sample, one layer may have: beyond it a model (from a
/// typo, or a crafted checkpoint header) would not fit in memory, and products would overflow.
constexpr double kMaxElements = 2147483648.0;
/// The most values one layer may output per image: its activations for a batch must fit in
/// memory (2^27 floats are 512 MB an image).
constexpr double kMaxValuesPerImage = 134217728.0;

/// The reason when `count` (computed in floating point, so it cannot overflow) is too large.
std::string tooLarge(double count, const std::string& what)
{
    if (count <= kMaxElements)
        return {};
    char text[64];
    std::snprintf(text, sizeof text, "%.3g", count);
    return "it would have " + std::string(text) + " " + what +
           ", more than the 2^31 one layer may have";
}

/// Computes `row.outputShape` and parameters from `in`; returns the reason when the layer cannot
/// follow.
std::string applyLayer(const LayerSpec& spec, const std::vector<int64_t>& in, LayerSummary& row)
{
    const bool spatial = in.size() == 3;
    switch (spec.type) {
    case LayerType::Conv2D:
    case LayerType::MaxPool: {
        const bool conv = spec.type == LayerType::Conv2D;
        const std::string what = conv ? "kernel" : "pool size";
        if (!spatial)
            return toString(spec.type) +
                   " needs an image input (height, width, channels) but gets " + dims(in) +
                   "; move it before Flatten";
        if (conv && spec.filters <= 0)
            return "filters must be positive (is " + std::to_string(spec.filters) + ")";
        if (spec.kernel <= 0)
            return what + " must be positive (is " + std::to_string(spec.kernel) + ")";
        const int stride = (!conv && spec.stride == 0) ? spec.kernel : spec.stride;
        if (stride <= 0)
            return "stride must be positive (is " + std::to_string(spec.stride) + ")";
        const auto h = WindowGeometry::compute(in[1], spec.kernel, stride, spec.padding);
        const auto w = WindowGeometry::compute(in[2], spec.kernel, stride, spec.padding);
        if (h.output <= 0 || w.output <= 0)
            return what + " " + std::to_string(spec.kernel) + "x" + std::to_string(spec.kernel) +
                   " is larger than its " + std::to_string(in[1]) + "x" + std::to_string(in[2]) +
                   " input (padding 'valid')";
        const double outputs =
            double(conv ? spec.filters : in[0]) * double(h.output) * double(w.output);
        const double weights =
            conv ? double(spec.kernel) * spec.kernel * double(in[0]) * spec.filters : 0.0;
        if (outputs > kMaxValuesPerImage) {
            char text[64];
            std::snprintf(text, sizeof text, "%.3g", outputs);
            return "it would output " + std::string(text) +
                   " values per image, more than the 2^27 one layer may";
        }
        if (auto why = tooLarge(weights, "parameters"); !why.empty())
            return why;
        row.outputShape = {conv ? spec.filters : in[0], h.output, w.output};
        if (conv)
            row.parameters =
                int64_t(spec.kernel) * spec.kernel * in[0] * spec.filters + spec.filters;
        row.trainableParameters = row.parameters;
        return {};
    }
    case LayerType::Flatten: {
        double n = 1.0;
        for (auto d : in)
            n *= double(d);
        if (auto why = tooLarge(n, "values"); !why.empty())
            return why;
        row.outputShape = {int64_t(n)};
        return {};
    }
    case LayerType::Dense:
        if (spatial)
            return "Dense needs a flat input but gets " + dims(in) +
                   "; add a Flatten layer before it";
        if (spec.units <= 0)
            return "units must be positive (is " + std::to_string(spec.units) + ")";
        if (auto why = tooLarge(double(in[0]) * spec.units, "parameters"); !why.empty())
            return why;
        row.outputShape = {spec.units};
        row.parameters = in[0] * spec.units + spec.units;
        row.trainableParameters = row.parameters;
        return {};
    case LayerType::Dropout:
        if (!(spec.rate >= 0.0 && spec.rate < 1.0))
            return "rate must be in [0, 1) (is " + std::to_string(spec.rate) + ")";
        row.outputShape = in;
        return {};
    case LayerType::BatchNorm:
        row.outputShape = in;
        // Keras counts gamma, beta and the two moving statistics; only gamma and beta train.
        row.parameters = 4 * in[0];
        row.trainableParameters = 2 * in[0];
        return {};
    }
    return "unknown layer type";
}

} // namespace

ModelSummary ModelSummary::analyze(const std::vector<LayerSpec>& layers,
                                   const std::vector<int64_t>& inputShape, int classes)
{
    ModelSummary summary;
    std::map<LayerType, int> seen;
    std::vector<int64_t> shape = inputShape;
    for (size_t i = 0; i < layers.size(); ++i) {
        LayerSummary row;
        row.spec = layers[i];
        row.name = instanceName(layers[i].type, seen);
        row.error = applyLayer(layers[i], shape, row);
        if (!row.error.empty()) {
            if (summary.m_error.empty()) {
                summary.m_error =
                    "layer " + std::to_string(i + 1) + " (" + row.name + "): " + row.error;
                summary.m_errorLayer = int(i);
            }
            summary.m_layers.push_back(row);
            continue;
        }
        shape = row.outputShape;
        summary.m_total += row.parameters;
        summary.m_trainable += row.trainableParameters;
        summary.m_layers.push_back(row);
    }
    if (summary.m_error.empty()) {
        if (layers.empty()) {
            summary.m_error = "the model has no layers";
        } else if (shape.size() != 1 || shape[0] != classes) {
            summary.m_error = "the last layer must output " + std::to_string(classes) +
                              " values, one per class (it outputs " + dims(shape) +
                              "); end the model with Dense(" + std::to_string(classes) + ")";
            summary.m_errorLayer = int(layers.size()) - 1;
        }
    }
    return summary;
}

std::string ModelSummary::formatShape(const std::vector<int64_t>& shape)
{
    std::string text = "(None";
    if (shape.size() == 3) {
        for (int64_t d : {shape[1], shape[2], shape[0]})
            text += ", " + std::to_string(d);
    } else {
        for (auto d : shape)
            text += ", " + std::to_string(d);
    }
    return text + ")";
}

std::string ModelSummary::formatCount(int64_t value)
{
    std::string digits = std::to_string(value < 0 ? -value : value);
    for (int i = int(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(size_t(i), ",");
    return value < 0 ? "-" + digits : digits;
}

std::string ModelSummary::format(const std::string& modelName) const
{
    std::ostringstream out;
    const std::string thin(65, '_');
    const std::string thick(65, '=');
    out << "Model: \"" << modelName << "\"\n" << thin << "\n";
    out << std::left << std::setw(31) << " Layer (type)" << std::setw(26) << "Output Shape"
        << "Param #\n"
        << thick << "\n";
    for (size_t i = 0; i < m_layers.size(); ++i) {
        const auto& row = m_layers[i];
        const std::string shape = row.error.empty() ? formatShape(row.outputShape) : "error";
        out << std::left << std::setw(31) << (" " + row.name + " (" + toString(row.spec.type) + ")")
            << std::setw(26) << shape << formatCount(row.parameters) << "\n";
        if (!row.error.empty())
            out << "   ! " << row.error << "\n";
        out << (i + 1 < m_layers.size() ? "\n" : "");
    }
    out << thick << "\n";
    out << "Total params: " << formatCount(m_total) << "\n";
    out << "Trainable params: " << formatCount(m_trainable) << "\n";
    out << "Non-trainable params: " << formatCount(m_total - m_trainable) << "\n";
    out << thin << "\n";
    if (!m_error.empty())
        out << "Invalid model: " << m_error << "\n";
    return out.str();
}

} // namespace trainbench
