#include "trainbench/track/runrecord.h"

#include "trainbench/common/error.h"
#include "trainbench/train/configjson.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace trainbench {

using nlohmann::json;

namespace {

const char* const kStatusNames[] = {"running", "finished",    "stopped",
                                    "failed",  "interrupted", "cancelled"};

/// A number for CSV: empty when absent, shortest text that reads back the same.
std::string csvNumber(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

} // namespace

std::string toString(RunStatus status)
{
    return kStatusNames[int(status)];
}

std::optional<RunStatus> runStatusFromString(const std::string& text)
{
    for (int i = 0; i < int(std::size(kStatusNames)); ++i)
        if (text == kStatusNames[i])
            return RunStatus(i);
    return std::nullopt;
}

int RunRecord::bestEpoch() const
{
    int best = 0;
    double bestValue = -1.0;
    for (const auto& m : history) {
        const double value = m.hasValidation ? m.validationAccuracy : m.testAccuracy;
        if (value > bestValue) {
            bestValue = value;
            best = m.epoch;
        }
    }
    return best;
}

double RunRecord::bestTestAccuracy() const
{
    const int best = bestEpoch();
    for (const auto& m : history)
        if (m.epoch == best)
            return m.testAccuracy;
    return 0.0;
}

double RunRecord::seconds() const
{
    double total = 0.0;
    for (const auto& m : history)
        total += m.seconds + m.evalSeconds;
    return total;
}

std::string RunRecord::toJson() const
{
    json epochs = json::array();
    for (const auto& m : history)
        epochs.push_back(json::parse(ConfigJson::toJson(m)));
    json j = {{"format", 1},
              {"id", id},
              {"name", name},
              {"created", created},
              {"ended", ended},
              {"status", toString(status)},
              {"error", error},
              {"config", json::parse(ConfigJson::toJson(config))},
              {"dataset", dataset},
              {"model", config.modelName},
              {"model_summary", modelSummary},
              {"parameters", parameters},
              {"device", device},
              {"threads", threads},
              {"program_version", programVersion},
              {"torch_version", torchVersion},
              {"epochs", epochs},
              {"best_epoch", bestEpoch()},
              {"best_test_accuracy", bestTestAccuracy()},
              {"notes", notes},
              {"sweep", sweep},
              {"pid", processId},
              {"host", host}};
    // Invalid UTF-8 in a name or note is replaced, never a reason to lose the record.
    return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

RunRecord RunRecord::fromJson(const std::string& text, const std::string& path)
{
    json j;
    try {
        // A run.json is a few levels deep; a hand-made one nested thousands deep would make
        // the JSON library recurse when it is written out again.
        const auto shallow = [](int depth, json::parse_event_t, json&) {
            if (depth > 32)
                throw Error("nested more than 32 levels deep");
            return true;
        };
        j = json::parse(text, shallow);
    } catch (const json::exception&) {
        throw Error(path + ": not valid JSON");
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
    if (!j.is_object())
        throw Error(path + ": not a JSON object");
    RunRecord r;
    const auto get = [&](const char* key, auto& out) {
        if (!j.contains(key))
            return;
        try {
            j.at(key).get_to(out);
        } catch (const json::exception&) {
            throw Error(path + ": field '" + key + "' has the wrong type");
        }
    };
    get("id", r.id);
    get("name", r.name);
    get("created", r.created);
    get("ended", r.ended);
    std::string status;
    get("status", status);
    const auto parsed = runStatusFromString(status);
    if (!parsed)
        throw Error(path + ": unknown status '" + status + "'");
    r.status = *parsed;
    get("error", r.error);
    get("dataset", r.dataset);
    get("model_summary", r.modelSummary);
    get("parameters", r.parameters);
    get("device", r.device);
    get("threads", r.threads);
    get("program_version", r.programVersion);
    get("torch_version", r.torchVersion);
    get("notes", r.notes);
    get("sweep", r.sweep);
    get("pid", r.processId);
    get("host", r.host);
    if (!j.contains("config") || !j.at("config").is_object())
        throw Error(path + ": no config");
    try {
        r.config = ConfigJson::configFromJson(j.at("config").dump());
        if (j.contains("epochs")) {
            if (!j.at("epochs").is_array())
                throw Error("field 'epochs' is not a list");
            for (const auto& epoch : j.at("epochs"))
                r.history.push_back(ConfigJson::metricsFromJson(epoch.dump()));
        }
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
    if (r.id.empty())
        throw Error(path + ": no id");
    if (r.name.empty())
        r.name = r.id;
    return r;
}

std::string RunRecord::metricsCsv() const
{
    std::string csv =
        "epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,test_loss,"
        "test_accuracy,learning_rate,seconds\n";
    for (const auto& m : history) {
        csv += std::to_string(m.epoch) + "," + csvNumber(m.trainLoss) + "," +
               csvNumber(m.trainAccuracy) + ",";
        csv += m.hasValidation
                   ? csvNumber(m.validationLoss) + "," + csvNumber(m.validationAccuracy) + ","
                   : ",,";
        csv += csvNumber(m.testLoss) + "," + csvNumber(m.testAccuracy) + "," +
               csvNumber(m.learningRate) + "," + csvNumber(m.seconds + m.evalSeconds) + "\n";
    }
    return csv;
}

} // namespace trainbench
