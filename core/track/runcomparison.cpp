#include "trainbench/track/runcomparison.h"

#include "trainbench/train/configjson.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace trainbench {

namespace {

using Json = nlohmann::ordered_json;

/// Flattens nested objects into "a.b" keys; arrays (the layer stack) stay one value.
void flatten(const Json& j, const std::string& prefix,
             std::vector<std::pair<std::string, Json>>& out)
{
    for (const auto& [key, value] : j.items()) {
        const std::string name = prefix.empty() ? key : prefix + "." + key;
        if (value.is_object())
            flatten(value, name, out);
        else
            out.emplace_back(name, value);
    }
}

std::string text(const Json& value)
{
    return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string percent(double fraction)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f%%", fraction * 100.0);
    return buffer;
}

std::string number(double value, const char* format)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

} // namespace

RunComparison RunComparison::of(const RunRecord& a, const RunRecord& b)
{
    RunComparison c;
    std::vector<std::pair<std::string, Json>> left, right;
    flatten(Json::parse(ConfigJson::toJson(a.config)), "", left);
    flatten(Json::parse(ConfigJson::toJson(b.config)), "", right);
    if (a.dataset != b.dataset)
        c.settings.push_back({"dataset", a.dataset, b.dataset});
    for (const auto& [key, value] : left) {
        const auto other = std::find_if(right.begin(), right.end(),
                                        [&](const auto& kv) { return kv.first == key; });
        const std::string theirs = other == right.end() ? std::string("-") : text(other->second);
        if (other == right.end() || other->second != value)
            c.settings.push_back({key, text(value), theirs});
    }
    for (const auto& [key, value] : right)
        if (std::none_of(left.begin(), left.end(), [&](const auto& kv) { return kv.first == key; }))
            c.settings.push_back({key, "-", text(value)});

    const auto last = [](const RunRecord& r) {
        return r.history.empty() ? EpochMetrics{} : r.history.back();
    };
    c.results.push_back({"status", toString(a.status), toString(b.status)});
    c.results.push_back(
        {"epochs", std::to_string(a.history.size()), std::to_string(b.history.size())});
    c.results.push_back(
        {"best epoch", std::to_string(a.bestEpoch()), std::to_string(b.bestEpoch())});
    c.results.push_back(
        {"best test accuracy", percent(a.bestTestAccuracy()), percent(b.bestTestAccuracy())});
    c.results.push_back(
        {"final test accuracy", percent(last(a).testAccuracy), percent(last(b).testAccuracy)});
    c.results.push_back(
        {"final test loss", number(last(a).testLoss, "%.4f"), number(last(b).testLoss, "%.4f")});
    c.results.push_back(
        {"final train loss", number(last(a).trainLoss, "%.4f"), number(last(b).trainLoss, "%.4f")});
    c.results.push_back({"parameters", std::to_string(a.parameters), std::to_string(b.parameters)});
    c.results.push_back({"seconds", number(a.seconds(), "%.1f"), number(b.seconds(), "%.1f")});
    return c;
}

} // namespace trainbench
