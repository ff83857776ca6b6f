#include "trainbench/train/sweepgrid.h"

#include "trainbench/common/error.h"
#include "trainbench/model/modelpresets.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace trainbench {

namespace {

double number(const std::string& key, const std::string& value)
{
    char* end = nullptr;
    errno = 0;
    const double parsed = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || errno == ERANGE)
        throw Error("grid " + key + ": '" + value + "' is not a number");
    return parsed;
}

long long integer(const std::string& key, const std::string& value, long long min, long long max)
{
    char* end = nullptr;
    errno = 0;
    const long long parsed = std::strtoll(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || errno == ERANGE || parsed < min || parsed > max)
        throw Error("grid " + key + ": '" + value + "' is not a whole number from " +
                    std::to_string(min) + " to " + std::to_string(max));
    return parsed;
}

void apply(TrainingConfig& c, const std::string& key, const std::string& value)
{
    if (key == "lr") {
        c.optimizer.learningRate = number(key, value);
    } else if (key == "momentum") {
        c.optimizer.momentum = number(key, value);
    } else if (key == "batch-size") {
        c.batchSize = int(integer(key, value, 1, 65536));
    } else if (key == "epochs") {
        c.epochs = int(integer(key, value, 1, 100000));
    } else if (key == "seed") {
        c.seed = uint64_t(integer(key, value, 0, 1LL << 62));
    } else if (key == "optimizer") {
        const auto type = optimizerTypeFromString(value);
        if (!type)
            throw Error("grid optimizer: unknown optimizer '" + value +
                        "' (known: adam, sgd, rmsprop)");
        c.optimizer.type = *type;
    } else if (key == "model") {
        if (value == c.modelName)
            return; // the base's own model, presets and custom stacks alike: its layers stay
        if (!ModelPresets::contains(value))
            throw Error("grid model: unknown model '" + value + "'");
        c.modelName = value;
        c.layers.clear(); // the preset's own layers
    }
}

} // namespace

const std::vector<std::string>& SweepGrid::keys()
{
    static const std::vector<std::string> kKeys = {"lr",     "batch-size", "optimizer", "model",
                                                   "epochs", "seed",       "momentum"};
    return kKeys;
}

void SweepGrid::add(const std::string& key, const std::vector<std::string>& values)
{
    if (std::find(keys().begin(), keys().end(), key) == keys().end())
        throw Error("grid: unknown setting '" + key +
                    "' (known: lr, batch-size, optimizer, model, epochs, seed, momentum)");
    if (values.empty())
        throw Error("grid " + key + ": no values");
    for (const auto& [other, unused] : m_axes)
        if (other == key)
            throw Error("grid " + key + " given twice");
    m_axes.emplace_back(key, values);
}

void SweepGrid::add(const std::string& spec)
{
    const auto eq = spec.find('=');
    if (eq == std::string::npos)
        throw Error("grid '" + spec + "': expected KEY=V1,V2,...");
    std::vector<std::string> values;
    for (size_t from = eq + 1;;) {
        const auto comma = spec.find(',', from);
        const std::string value =
            spec.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
        if (value.empty())
            throw Error("grid '" + spec + "': empty value");
        values.push_back(value);
        if (comma == std::string::npos)
            break;
        from = comma + 1;
    }
    add(spec.substr(0, eq), values);
}

size_t SweepGrid::size() const
{
    if (m_axes.empty())
        return 0;
    size_t total = 1;
    for (const auto& axis : m_axes)
        total *= axis.second.size();
    return total;
}

std::vector<SweepGrid::Point> SweepGrid::expand(const TrainingConfig& base) const
{
    std::vector<Point> points;
    if (m_axes.empty())
        return points;
    // Titles name the settings that vary; a grid of single values names them all.
    const bool anyVaries = size() > 1;
    std::vector<size_t> at(m_axes.size(), 0);
    for (bool more = true; more;) {
        Point point{base, {}};
        for (size_t k = 0; k < m_axes.size(); ++k) {
            const auto& [key, values] = m_axes[k];
            apply(point.config, key, values[at[k]]);
            if (values.size() > 1 || !anyVaries)
                point.title += (point.title.empty() ? "" : " ") + key + "=" + values[at[k]];
        }
        try {
            point.config.validate();
        } catch (const Error& e) {
            throw Error("grid point " + point.title + ": " + e.what());
        }
        points.push_back(std::move(point));
        more = false;
        for (size_t k = m_axes.size(); k-- > 0;) {
            if (++at[k] < m_axes[k].second.size()) {
                more = true;
                break;
            }
            at[k] = 0;
        }
    }
    return points;
}

} // namespace trainbench
