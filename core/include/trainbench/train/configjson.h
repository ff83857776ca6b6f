#pragma once

#include "trainbench/model/layerspec.h"
#include "trainbench/train/epochmetrics.h"
#include "trainbench/train/trainingconfig.h"

#include <string>
#include <vector>

namespace trainbench {

/// JSON text for configs, layer stacks and metrics (the JSON library stays inside core).
class ConfigJson
{
public:
    /// A config as a JSON object.
    static std::string toJson(const TrainingConfig& config);
    /// Parses a config; throws Error naming the bad field.
    static TrainingConfig configFromJson(const std::string& json);
    /// A layer stack as a JSON array.
    static std::string toJson(const std::vector<LayerSpec>& layers);
    /// Parses a layer stack; throws Error naming the bad layer or field.
    static std::vector<LayerSpec> layersFromJson(const std::string& json);
    /// One epoch's metrics as a single-line JSON object (accuracies as fractions).
    static std::string toJson(const EpochMetrics& metrics);
    /// Parses metrics written by toJson(EpochMetrics).
    static EpochMetrics metricsFromJson(const std::string& json);
};

} // namespace trainbench
