#include "trainbench/train/checkpointinfo.h"

#include "trainbench/common/error.h"
#include "trainbench/train/configjson.h"

#include <nlohmann/json.hpp>
#include <torch/serialize/input-archive.h>

#include <filesystem>

namespace trainbench {

using nlohmann::json;

std::string CheckpointInfo::toJson() const
{
    json history_ = json::array();
    for (const auto& m : history)
        history_.push_back(json::parse(ConfigJson::toJson(m)));
    json j = {{"format", kFormatVersion},
              {"app_version", appVersion},
              {"config", json::parse(ConfigJson::toJson(config))},
              {"layers", json::parse(ConfigJson::toJson(layers))},
              {"input_shape", inputShape},
              {"classes", classes},
              {"class_names", classNames},
              {"history", history_}};
    return j.dump();
}

std::vector<std::string> CheckpointInfo::namesOrIndices() const
{
    if (!classNames.empty())
        return classNames;
    std::vector<std::string> names;
    for (int c = 0; c < classes; ++c)
        names.push_back(std::to_string(c));
    return names;
}

CheckpointInfo CheckpointInfo::fromJson(const std::string& text, const std::string& path)
{
    try {
        const json j = json::parse(text);
        CheckpointInfo info;
        info.formatVersion = j.at("format").get<int>();
        if (info.formatVersion > kFormatVersion)
            throw Error(path + ": checkpoint format " + std::to_string(info.formatVersion) +
                        " is newer than this Trainbench reads (" + std::to_string(kFormatVersion) +
                        ")");
        info.appVersion = j.value("app_version", "");
        info.config = ConfigJson::configFromJson(j.at("config").dump());
        info.layers = ConfigJson::layersFromJson(j.at("layers").dump());
        info.inputShape = j.at("input_shape").get<std::vector<int64_t>>();
        info.classes = j.at("classes").get<int>();
        if (j.contains("class_names"))
            info.classNames = j.at("class_names").get<std::vector<std::string>>();
        if (!info.classNames.empty() && int(info.classNames.size()) != info.classes)
            throw Error(path + ": checkpoint header names " +
                        std::to_string(info.classNames.size()) + " classes but has " +
                        std::to_string(info.classes));
        for (const auto& m : j.at("history"))
            info.history.push_back(ConfigJson::metricsFromJson(m.dump()));
        if (info.inputShape.size() != 3 || info.classes <= 0)
            throw Error(path + ": checkpoint header has a bad input shape or class count");
        return info;
    } catch (const json::exception& e) {
        throw Error(path + ": damaged checkpoint header (" + e.what() + ")");
    } catch (const Error& e) {
        const std::string message = e.what();
        if (message.rfind(path, 0) == 0)
            throw;
        throw Error(path + ": damaged checkpoint header (" + message + ")");
    }
}

CheckpointInfo CheckpointInfo::read(const std::string& path)
{
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status))
        throw Error(path + ": checkpoint does not exist");
    if (std::filesystem::is_directory(status))
        throw Error(path + ": is a folder, not a checkpoint");
    if (!std::filesystem::is_regular_file(status))
        throw Error(path + ": is not a regular file (a pipe or device?), not a checkpoint");
    torch::serialize::InputArchive archive;
    c10::IValue header;
    try {
        archive.load_from(path);
    } catch (const std::exception&) {
        throw Error(path + ": not a Trainbench checkpoint (unreadable or damaged file)");
    }
    if (!archive.try_read("trainbench/header", header) || !header.isString())
        throw Error(path + ": not a Trainbench checkpoint (no Trainbench header)");
    return fromJson(header.toStringRef(), path);
}

} // namespace trainbench
