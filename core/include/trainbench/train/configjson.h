#pragma once

#include "trainbench/model/layerspec.h"
#include "trainbench/train/batchevent.h"
#include "trainbench/train/epochmetrics.h"
#include "trainbench/train/runinfo.h"
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
    /// The config held in the file at `path` (as run.json's "config" or a file written by
    /// toJson); throws Error naming the file when it is missing, not a regular file, over 16 MB
    /// or not a config.
    static TrainingConfig configFromFile(const std::string& path);
    /// A layer stack as a JSON array.
    static std::string toJson(const std::vector<LayerSpec>& layers);
    /// Parses a layer stack; throws Error naming the bad layer or field.
    static std::vector<LayerSpec> layersFromJson(const std::string& json);
    /// One epoch's metrics as a single-line JSON object (accuracies as fractions).
    static std::string toJson(const EpochMetrics& metrics);
    /// Parses metrics written by toJson(EpochMetrics).
    static EpochMetrics metricsFromJson(const std::string& json);
    /// How a run starts, as a single-line object with "event": "started" (a program following
    /// trainbench-cli's --json-events stream reads it with runInfoFromJson()).
    static std::string toJson(const RunInfo& info);
    /// Parses what toJson(RunInfo) wrote; throws Error naming a bad field.
    static RunInfo runInfoFromJson(const std::string& json);
    /// One progress report, as a single-line object with "event": "batch".
    static std::string toJson(const BatchEvent& event);
    /// Parses what toJson(BatchEvent) wrote; throws Error naming a bad field.
    static BatchEvent batchEventFromJson(const std::string& json);
};

} // namespace trainbench
