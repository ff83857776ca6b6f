#include "trainbench/train/checkpointinfo.h"

#include "train/checkpointrecords.h"

#include "trainbench/common/error.h"
#include "trainbench/model/modelsummary.h"
#include "trainbench/train/configjson.h"

#include <nlohmann/json.hpp>
#include <torch/serialize/input-archive.h>

#include <cmath>
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
              {"weights_crc32c", weightsDigest},
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
        // Whole numbers in range, checked before any conversion (1e92 is not an int).
        auto whole = [&path](const json& v, double lo, double hi, const char* what) {
            if (!v.is_number() || !(v.get<double>() >= lo && v.get<double>() <= hi) ||
                std::floor(v.get<double>()) != v.get<double>())
                throw Error(path + ": checkpoint header has a bad " + what);
            return int64_t(v.get<double>());
        };
        info.formatVersion = int(whole(j.at("format"), 0, 1e6, "format version"));
        if (info.formatVersion > kFormatVersion)
            throw Error(path + ": checkpoint format " + std::to_string(info.formatVersion) +
                        " is newer than this Trainbench reads (" + std::to_string(kFormatVersion) +
                        ")");
        info.appVersion = j.value("app_version", "");
        info.config = ConfigJson::configFromJson(j.at("config").dump());
        info.layers = ConfigJson::layersFromJson(j.at("layers").dump());
        if (!j.at("input_shape").is_array())
            throw Error(path + ": checkpoint header has a bad input shape");
        for (const auto& d : j.at("input_shape"))
            info.inputShape.push_back(whole(d, 1, 16384, "input shape"));
        info.classes = int(whole(j.at("classes"), 1, 65536, "class count"));
        if (j.contains("class_names"))
            info.classNames = j.at("class_names").get<std::vector<std::string>>();
        if (!info.classNames.empty() && int(info.classNames.size()) != info.classes)
            throw Error(path + ": checkpoint header names " +
                        std::to_string(info.classNames.size()) + " classes but has " +
                        std::to_string(info.classes));
        for (const auto& m : j.at("history"))
            info.history.push_back(ConfigJson::metricsFromJson(m.dump()));
        info.weightsDigest = j.value("weights_crc32c", "");
        if (info.inputShape.size() != 3 || info.classes <= 0 || info.classes > 65536)
            throw Error(path + ": checkpoint header has a bad input shape or class count");
        const auto& shape = info.inputShape;
        if ((shape[0] != 1 && shape[0] != 3) || shape[1] < 1 || shape[1] > 16384 || shape[2] < 1 ||
            shape[2] > 16384)
            throw Error(path + ": checkpoint header has an implausible input shape " +
                        std::to_string(shape[0]) + "x" + std::to_string(shape[1]) + "x" +
                        std::to_string(shape[2]));
        const auto summary = ModelSummary::analyze(info.layers, shape, info.classes);
        if (!summary.isValid())
            throw Error(path + ": checkpoint header describes an impossible model (" +
                        summary.error() + ")");
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
    const auto status = std::filesystem::status(std::filesystem::u8path(path), error);
    if (error || !std::filesystem::exists(status))
        throw Error(path + ": checkpoint does not exist");
    if (std::filesystem::is_directory(status))
        throw Error(path + ": is a folder, not a checkpoint");
    if (!std::filesystem::is_regular_file(status))
        throw Error(path + ": is not a regular file (a pipe or device?), not a checkpoint");
    CheckpointRecords::check(path); // before libtorch trusts the sizes the file declares
    torch::serialize::InputArchive archive;
    c10::IValue header;
    try {
        archive.load_from(path);
    } catch (const std::exception&) {
        throw Error(path + ": not a Trainbench checkpoint (unreadable or damaged file)");
    }
    if (!archive.try_read("trainbench/header", header) || !header.isString())
        throw Error(path + ": not a Trainbench checkpoint (no Trainbench header)");
    CheckpointInfo info = fromJson(header.toStringRef(), path);
    // The weights are in the file (4 bytes each, zip-stored): a header describing more than
    // the file can hold is crafted or damaged, and is refused before a model is built for it.
    const auto summary = ModelSummary::analyze(info.layers, info.inputShape, info.classes);
    const auto fileSize = std::filesystem::file_size(std::filesystem::u8path(path), error);
    if (!error && summary.totalParameters() > int64_t(fileSize / 4))
        throw Error(path + ": damaged checkpoint: its header describes " +
                    std::to_string(summary.totalParameters()) + " weights, more than its " +
                    std::to_string(fileSize) + " bytes can hold");
    return info;
}

} // namespace trainbench
