#include "trainbench/train/configjson.h"

#include "trainbench/common/error.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <type_traits>

namespace trainbench {

using nlohmann::json;

namespace {

json layerToJson(const LayerSpec& layer)
{
    json j = {{"type", toString(layer.type)}};
    switch (layer.type) {
    case LayerType::Conv2D:
        j["filters"] = layer.filters;
        j["kernel"] = layer.kernel;
        j["stride"] = layer.stride;
        j["padding"] = toString(layer.padding);
        j["activation"] = toString(layer.activation);
        break;
    case LayerType::MaxPool:
        j["pool"] = layer.kernel;
        j["stride"] = layer.stride;
        j["padding"] = toString(layer.padding);
        break;
    case LayerType::Dense:
        j["units"] = layer.units;
        j["activation"] = toString(layer.activation);
        break;
    case LayerType::Dropout:
        j["rate"] = layer.rate;
        break;
    case LayerType::Flatten:
    case LayerType::BatchNorm:
        break;
    }
    return j;
}

template <typename T> T field(const json& j, const char* key, T fallback, const std::string& where)
{
    if (!j.contains(key))
        return fallback;
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        // A whole number in T's range: 1e92 or -1 for an unsigned field is an error, not
        // undefined behaviour in the conversion.
        const json& value = j.at(key);
        const bool whole =
            value.is_number_integer() ||
            (value.is_number_float() && std::floor(value.get<double>()) == value.get<double>());
        if (!whole)
            throw Error(where + ": field '" + key + "' is not a whole number");
        using Limits = std::numeric_limits<T>;
        if (value.is_number_unsigned()) {
            const auto x = value.get<uint64_t>();
            if (x > uint64_t(Limits::max()))
                throw Error(where + ": field '" + key + "' is out of range");
            return T(x);
        }
        if (value.is_number_integer()) {
            const auto x = value.get<int64_t>();
            if ((std::is_unsigned_v<T> && x < 0) ||
                (std::is_signed_v<T> && (x < int64_t(Limits::min()) || x > int64_t(Limits::max()))))
                throw Error(where + ": field '" + key + "' is out of range");
            return T(x);
        }
        // A whole float: compared against exclusive powers of two, exact in a double.
        const double x = value.get<double>();
        const double high = std::ldexp(1.0, Limits::digits);
        const double low = std::is_signed_v<T> ? -high : 0.0;
        if (!(x >= low && x < high))
            throw Error(where + ": field '" + key + "' is out of range");
        return T(x);
    }
    try {
        return j.at(key).get<T>();
    } catch (const json::exception&) {
        throw Error(where + ": field '" + key + "' has the wrong type");
    }
}

LayerSpec layerFromJson(const json& j, size_t index)
{
    const std::string where = "layer " + std::to_string(index + 1);
    if (!j.is_object())
        throw Error(where + ": expected an object");
    const auto type = layerTypeFromString(field<std::string>(j, "type", "", where));
    if (!type)
        throw Error(where + ": unknown type '" + field<std::string>(j, "type", "", where) + "'");
    LayerSpec layer;
    layer.type = *type;
    layer.filters = field(j, "filters", 0, where);
    layer.kernel =
        field(j, "kernel", field(j, "pool", *type == LayerType::MaxPool ? 2 : 3, where), where);
    layer.stride = field(j, "stride", *type == LayerType::MaxPool ? 0 : 1, where);
    layer.units = field(j, "units", 0, where);
    layer.rate = field(j, "rate", 0.0, where);
    const auto padding = paddingFromString(field<std::string>(j, "padding", "valid", where));
    if (!padding)
        throw Error(where + ": padding must be 'valid' or 'same'");
    layer.padding = *padding;
    const auto activation =
        activationFromString(field<std::string>(j, "activation", "none", where));
    if (!activation)
        throw Error(where + ": unknown activation '" +
                    field<std::string>(j, "activation", "", where) + "'");
    layer.activation = *activation;
    return layer;
}

json metricsToJson(const EpochMetrics& m)
{
    json j = {{"epoch", m.epoch},
              {"loss", m.trainLoss},
              {"accuracy", m.trainAccuracy},
              {"test_loss", m.testLoss},
              {"test_accuracy", m.testAccuracy},
              {"samples", m.trainSamples},
              {"seconds", m.seconds},
              {"eval_seconds", m.evalSeconds},
              {"samples_per_second", m.samplesPerSecond},
              {"learning_rate", m.learningRate}};
    if (m.hasValidation) {
        j["val_loss"] = m.validationLoss;
        j["val_accuracy"] = m.validationAccuracy;
    }
    return j;
}

json parse(const std::string& text, const std::string& what)
{
    try {
        return json::parse(text);
    } catch (const json::exception& e) {
        throw Error(what + " is not valid JSON: " + e.what());
    }
}

} // namespace

std::string ConfigJson::toJson(const std::vector<LayerSpec>& layers)
{
    json j = json::array();
    for (const auto& layer : layers)
        j.push_back(layerToJson(layer));
    return j.dump();
}

std::vector<LayerSpec> ConfigJson::layersFromJson(const std::string& text)
{
    const json j = parse(text, "layer list");
    if (!j.is_array())
        throw Error("layer list: expected a JSON array");
    std::vector<LayerSpec> layers;
    for (size_t i = 0; i < j.size(); ++i)
        layers.push_back(layerFromJson(j[i], i));
    return layers;
}

std::string ConfigJson::toJson(const TrainingConfig& c)
{
    json layers = json::array();
    for (const auto& layer : c.layers)
        layers.push_back(layerToJson(layer));
    const auto& o = c.optimizer;
    json j = {{"data_dir", c.dataDir},
              {"data_options",
               {{"image_size", c.dataOptions.imageSize},
                {"color", toString(c.dataOptions.color)},
                {"resize", toString(c.dataOptions.resize)},
                {"test_fraction", c.dataOptions.testFraction},
                {"split_seed", c.dataOptions.splitSeed}}},
              {"augment", c.augmentation.toString()},
              {"model", c.modelName},
              {"layers", layers},
              {"optimizer",
               {{"type", toString(o.type)},
                {"learning_rate", o.learningRate},
                {"beta1", o.beta1},
                {"beta2", o.beta2},
                {"epsilon", o.epsilon},
                {"momentum", o.momentum},
                {"nesterov", o.nesterov},
                {"rho", o.rho}}},
              {"schedule",
               {{"type", toString(c.schedule.type)},
                {"step_epochs", c.schedule.stepEpochs},
                {"step_gamma", c.schedule.stepGamma},
                {"epochs", c.scheduleEpochs}}},
              {"early_stopping_patience", c.earlyStoppingPatience},
              {"epochs", c.epochs},
              {"batch_size", c.batchSize},
              {"shuffle_buffer", c.shuffleBuffer},
              {"drop_remainder", c.dropRemainder},
              {"validation_split", c.validationSplit},
              {"limit", c.limit},
              {"test_limit", c.testLimit},
              {"seed", c.seed},
              {"device", c.device},
              {"threads", c.threads},
              {"report_every", c.reportEvery}};
    return j.dump();
}

TrainingConfig ConfigJson::configFromFile(const std::string& path)
{
    namespace fs = std::filesystem;
    std::error_code error;
    const auto status = fs::status(fs::u8path(path), error);
    if (error && error != std::errc::no_such_file_or_directory)
        throw Error(path + ": cannot read the config file (" + error.message() + ")");
    if (error || !fs::exists(status))
        throw Error(path + ": config file does not exist");
    if (!fs::is_regular_file(status)) // a pipe would be waited on for ever
        throw Error(path + ": is not a regular file (a pipe, device or folder?), not a config");
    const auto size = fs::file_size(fs::u8path(path), error);
    if (error)
        throw Error(path + ": cannot read the config file (" + error.message() + ")");
    if (size > (16u << 20))
        throw Error(path + ": is too big for a config (" + std::to_string(size) + " bytes)");
    std::ifstream in(fs::u8path(path), std::ios::binary);
    const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof())
        throw Error(path + ": cannot read the config file");
    try {
        return configFromJson(json);
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
}

TrainingConfig ConfigJson::configFromJson(const std::string& text)
{
    const json j = parse(text, "config");
    if (!j.is_object())
        throw Error("config: expected a JSON object");
    const std::string where = "config";
    TrainingConfig c;
    c.dataDir = field(j, "data_dir", c.dataDir, where);
    c.modelName = field(j, "model", c.modelName, where);
    if (j.contains("data_options")) {
        const json& d = j.at("data_options");
        const std::string dw = "config data_options";
        auto& o = c.dataOptions;
        o.imageSize = field(d, "image_size", o.imageSize, dw);
        const auto color = colorModeFromString(field<std::string>(d, "color", "auto", dw));
        const auto resize = resizePolicyFromString(field<std::string>(d, "resize", "fit", dw));
        if (!color || !resize)
            throw Error("config data_options: unknown colour mode or resize policy");
        o.color = *color;
        o.resize = *resize;
        o.testFraction = field(d, "test_fraction", o.testFraction, dw);
        o.splitSeed = field(d, "split_seed", o.splitSeed, dw);
    }
    c.augmentation = Augmentation::parse(field<std::string>(j, "augment", "off", where));
    if (j.contains("layers"))
        c.layers = layersFromJson(j.at("layers").dump());
    if (j.contains("optimizer")) {
        const json& o = j.at("optimizer");
        const std::string ow = "config optimizer";
        const auto type = optimizerTypeFromString(field<std::string>(o, "type", "adam", ow));
        if (!type)
            throw Error("config optimizer: unknown type '" + field<std::string>(o, "type", "", ow) +
                        "'");
        c.optimizer.type = *type;
        c.optimizer.learningRate = field(o, "learning_rate", c.optimizer.learningRate, ow);
        c.optimizer.beta1 = field(o, "beta1", c.optimizer.beta1, ow);
        c.optimizer.beta2 = field(o, "beta2", c.optimizer.beta2, ow);
        c.optimizer.epsilon = field(o, "epsilon", c.optimizer.epsilon, ow);
        c.optimizer.momentum = field(o, "momentum", c.optimizer.momentum, ow);
        c.optimizer.nesterov = field(o, "nesterov", c.optimizer.nesterov, ow);
        c.optimizer.rho = field(o, "rho", c.optimizer.rho, ow);
    }
    if (j.contains("schedule")) {
        const json& s = j.at("schedule");
        const auto type = scheduleTypeFromString(field<std::string>(s, "type", "constant", where));
        if (!type)
            throw Error("config schedule: unknown type");
        c.schedule.type = *type;
        c.schedule.stepEpochs = field(s, "step_epochs", c.schedule.stepEpochs, where);
        c.schedule.stepGamma = field(s, "step_gamma", c.schedule.stepGamma, where);
        c.scheduleEpochs = field(s, "epochs", c.scheduleEpochs, where);
    }
    c.earlyStoppingPatience = field(j, "early_stopping_patience", c.earlyStoppingPatience, where);
    c.epochs = field(j, "epochs", c.epochs, where);
    c.batchSize = field(j, "batch_size", c.batchSize, where);
    c.shuffleBuffer = field(j, "shuffle_buffer", c.shuffleBuffer, where);
    c.dropRemainder = field(j, "drop_remainder", c.dropRemainder, where);
    c.validationSplit = field(j, "validation_split", c.validationSplit, where);
    c.limit = field(j, "limit", c.limit, where);
    c.testLimit = field(j, "test_limit", c.testLimit, where);
    c.seed = field(j, "seed", c.seed, where);
    c.device = field(j, "device", c.device, where);
    c.threads = field(j, "threads", c.threads, where);
    c.reportEvery = field(j, "report_every", c.reportEvery, where);
    return c;
}

std::string ConfigJson::toJson(const EpochMetrics& metrics)
{
    return metricsToJson(metrics).dump();
}

EpochMetrics ConfigJson::metricsFromJson(const std::string& text)
{
    const json j = parse(text, "metrics");
    const std::string where = "metrics";
    EpochMetrics m;
    m.epoch = field(j, "epoch", 0, where);
    m.trainLoss = field(j, "loss", 0.0, where);
    m.trainAccuracy = field(j, "accuracy", 0.0, where);
    m.testLoss = field(j, "test_loss", 0.0, where);
    m.testAccuracy = field(j, "test_accuracy", 0.0, where);
    m.trainSamples = field<int64_t>(j, "samples", 0, where);
    m.seconds = field(j, "seconds", 0.0, where);
    m.evalSeconds = field(j, "eval_seconds", 0.0, where);
    m.samplesPerSecond = field(j, "samples_per_second", 0.0, where);
    m.learningRate = field(j, "learning_rate", 0.0, where);
    m.hasValidation = j.contains("val_loss");
    m.validationLoss = field(j, "val_loss", 0.0, where);
    m.validationAccuracy = field(j, "val_accuracy", 0.0, where);
    return m;
}

std::string ConfigJson::toJson(const RunInfo& info)
{
    const json j = {{"event", "started"},
                    {"dataset", info.dataset},
                    {"device", info.device},
                    {"threads", info.threads},
                    {"parameters", info.parameters},
                    {"train_samples", info.trainSamples},
                    {"validation_samples", info.validationSamples},
                    {"test_samples", info.testSamples},
                    {"batches_per_epoch", info.batchesPerEpoch},
                    {"world_size", info.worldSize},
                    {"global_batch", info.globalBatch},
                    {"backend", info.backend},
                    {"classes", info.classes},
                    {"class_names", info.classNames},
                    {"input_shape", info.inputShape},
                    {"model_summary", info.modelSummary}};
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

RunInfo ConfigJson::runInfoFromJson(const std::string& text)
{
    const json j = parse(text, "run start");
    const std::string where = "run start";
    RunInfo info;
    info.dataset = field<std::string>(j, "dataset", "", where);
    info.device = field<std::string>(j, "device", "", where);
    info.threads = field(j, "threads", 1, where);
    info.parameters = field<int64_t>(j, "parameters", 0, where);
    info.trainSamples = field<int64_t>(j, "train_samples", 0, where);
    info.validationSamples = field<int64_t>(j, "validation_samples", 0, where);
    info.testSamples = field<int64_t>(j, "test_samples", 0, where);
    info.batchesPerEpoch = field<int64_t>(j, "batches_per_epoch", 0, where);
    info.worldSize = field(j, "world_size", 1, where);
    info.globalBatch = field<int64_t>(j, "global_batch", 0, where);
    info.backend = field<std::string>(j, "backend", "", where);
    info.classes = field(j, "classes", 0, where);
    info.classNames = field<std::vector<std::string>>(j, "class_names", {}, where);
    info.inputShape = field<std::vector<int64_t>>(j, "input_shape", {}, where);
    info.modelSummary = field<std::string>(j, "model_summary", "", where);
    return info;
}

std::string ConfigJson::toJson(const BatchEvent& e)
{
    const json j = {{"event", "batch"},
                    {"epoch", e.epoch},
                    {"epochs", e.epochs},
                    {"batch", e.batch},
                    {"batches_per_epoch", e.batchesPerEpoch},
                    {"global_step", e.globalStep},
                    {"loss", e.loss},
                    {"accuracy", e.accuracy},
                    {"recent_loss", e.recentLoss},
                    {"recent_accuracy", e.recentAccuracy},
                    {"batch_losses", e.batchLosses},
                    {"batch_accuracies", e.batchAccuracies},
                    {"learning_rate", e.learningRate},
                    {"samples_per_second", e.samplesPerSecond},
                    {"elapsed_seconds", e.elapsedSeconds}};
    return j.dump();
}

BatchEvent ConfigJson::batchEventFromJson(const std::string& text)
{
    const json j = parse(text, "progress report");
    const std::string where = "progress report";
    BatchEvent e;
    e.epoch = field(j, "epoch", 0, where);
    e.epochs = field(j, "epochs", 0, where);
    e.batch = field<int64_t>(j, "batch", 0, where);
    e.batchesPerEpoch = field<int64_t>(j, "batches_per_epoch", 0, where);
    e.globalStep = field<int64_t>(j, "global_step", 0, where);
    e.loss = field(j, "loss", 0.0, where);
    e.accuracy = field(j, "accuracy", 0.0, where);
    e.recentLoss = field(j, "recent_loss", 0.0, where);
    e.recentAccuracy = field(j, "recent_accuracy", 0.0, where);
    e.batchLosses = field<std::vector<float>>(j, "batch_losses", {}, where);
    e.batchAccuracies = field<std::vector<float>>(j, "batch_accuracies", {}, where);
    e.learningRate = field(j, "learning_rate", 0.0, where);
    e.samplesPerSecond = field(j, "samples_per_second", 0.0, where);
    e.elapsedSeconds = field(j, "elapsed_seconds", 0.0, where);
    return e;
}

} // namespace trainbench
