#include "runsreport.h"

#include "trainbench/train/configjson.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace trainbench::cli {

namespace {

std::string format(const char* pattern, double value)
{
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

/// A CSV field: quoted when it holds a separator, a quote or a line break.
std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string padded(std::string text, size_t width)
{
    if (text.size() < width)
        text.append(width - text.size(), ' ');
    return text;
}

} // namespace

std::string RunsReport::table(const std::vector<RunListing>& runs)
{
    std::string out = padded("RUN", 24) + padded("STATUS", 13) + padded("EPOCHS", 8) +
                      padded("BEST TEST", 11) + padded("MODEL", 10) + padded("DATASET", 15) +
                      "CREATED\n";
    for (const auto& run : runs) {
        if (run.damaged) {
            out += padded(run.id, 24) + "damaged: " + run.problem + "\n";
            continue;
        }
        const RunRecord& r = run.record;
        out +=
            padded(r.id, 24) + padded(toString(r.status), 13) +
            padded(std::to_string(r.history.size()), 8) +
            padded(r.history.empty() ? "-" : format("%.2f%%", r.bestTestAccuracy() * 100.0), 11) +
            padded(r.config.modelName, 10) + padded(r.dataset.empty() ? "-" : r.dataset, 15) +
            r.created + "\n";
    }
    return out;
}

std::string RunsReport::jsonLine(const RunListing& run)
{
    nlohmann::ordered_json j;
    j["id"] = run.id;
    if (run.damaged) {
        j["status"] = "damaged";
        j["problem"] = run.problem;
    } else {
        const RunRecord& r = run.record;
        j["name"] = r.name;
        j["status"] = toString(r.status);
        j["epochs"] = r.history.size();
        j["best_epoch"] = r.bestEpoch();
        j["best_test_accuracy"] = r.bestTestAccuracy();
        j["created"] = r.created;
        j["ended"] = r.ended;
        j["dataset"] = r.dataset;
        j["model"] = r.config.modelName;
        j["parameters"] = r.parameters;
        j["sweep"] = r.sweep;
        j["config"] = nlohmann::ordered_json::parse(ConfigJson::toJson(r.config));
    }
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string RunsReport::details(const RunListing& run)
{
    if (run.damaged)
        return run.id + ": damaged: " + run.problem + "\n";
    const RunRecord& r = run.record;
    std::string out = "Run " + r.id + (r.name != r.id ? " (" + r.name + ")" : "") + ": " +
                      toString(r.status) + "\n";
    out += "  folder      " + run.folder + "\n";
    out += "  created     " + r.created + (r.ended.empty() ? "" : ", ended " + r.ended) + "\n";
    out += "  model       " + r.config.modelName + ", " + std::to_string(r.parameters) +
           " parameters\n";
    if (!r.modelSummary.empty())
        out += "  layers      " + r.modelSummary + "\n";
    out += "  data        " + (r.dataset.empty() ? r.config.dataDir : r.dataset) + "\n";
    out += "  optimizer   " + toString(r.config.optimizer.type) + ", learning rate " +
           format("%g", r.config.optimizer.learningRate) + ", batch size " +
           std::to_string(r.config.batchSize) + ", seed " + std::to_string(r.config.seed) + "\n";
    out += "  device      " + (r.device.empty() ? "-" : r.device) + ", Trainbench " +
           r.programVersion + ", libtorch " + r.torchVersion + "\n";
    if (!r.error.empty())
        out += "  error       " + r.error + "\n";
    if (!r.notes.empty())
        out += "  notes       " + r.notes + "\n";
    for (const auto& m : r.history)
        out += m.tutorialLine() + "\n";
    if (r.bestEpoch() > 0)
        out += "Best epoch " + std::to_string(r.bestEpoch()) + ": test accuracy " +
               format("%.2f%%", r.bestTestAccuracy() * 100.0) + "\n";
    return out;
}

std::string RunsReport::csv(const std::vector<RunListing>& runs)
{
    std::string out = "run,epoch,split,metric,value\n";
    for (const auto& run : runs) {
        const std::string id = csvField(run.id);
        for (const auto& m : run.record.history) {
            const std::string prefix = id + "," + std::to_string(m.epoch) + ",";
            const auto row = [&](const char* split, const char* metric, double value) {
                out += prefix + split + "," + metric + "," + format("%.10g", value) + "\n";
            };
            row("train", "loss", m.trainLoss);
            row("train", "accuracy", m.trainAccuracy);
            row("train", "learning_rate", m.learningRate);
            row("train", "seconds", m.seconds);
            if (m.hasValidation) {
                row("validation", "loss", m.validationLoss);
                row("validation", "accuracy", m.validationAccuracy);
            }
            row("test", "loss", m.testLoss);
            row("test", "accuracy", m.testAccuracy);
        }
    }
    return out;
}

} // namespace trainbench::cli
