#include "data/datasetcache.h"

#include "common/atomicfile.h"
#include "trainbench/common/error.h"
#include "trainbench/platform/platform.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace trainbench {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr char kMagic[8] = {'T', 'B', 'D', 'S', 'E', 'T', '0', '1'};
constexpr const char* kPrefix = "decoded-";
constexpr const char* kSuffix = ".tbds";

/// FNV-1a: a stable name for a folder in the shared cache folder.
std::string hashName(const std::string& text)
{
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : text)
        h = (h ^ c) * 1099511628211ULL;
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
    return out;
}

bool writable(const fs::path& folder)
{
    std::error_code error;
    fs::create_directories(folder, error);
    if (error)
        return false;
    try {
        AtomicFile::checkWritable((folder / "probe").u8string());
        return true;
    } catch (const Error&) {
        return false;
    }
}

json setHeader(const ImageSet& set)
{
    return {{"count", set.count}, {"sources", set.sources}};
}

} // namespace

std::string DatasetCache::pathFor(const std::string& dir, const std::string& key)
{
    const fs::path local = fs::u8path(dir) / ".trainbench";
    const std::string name = kPrefix + key + kSuffix;
    if (writable(local))
        return (local / name).u8string();
    std::error_code error;
    const std::string absolute = fs::absolute(fs::u8path(dir), error).u8string();
    const fs::path shared = fs::u8path(Platform::userCacheDir()) / "Trainbench" / "datasets" /
                            hashName(error ? dir : absolute);
    return (shared / name).u8string();
}

std::optional<Dataset> DatasetCache::read(const std::string& path, const std::string& key)
{
    try {
        std::error_code error;
        if (!fs::is_regular_file(fs::u8path(path), error))
            return std::nullopt;
        const auto fileSize = int64_t(fs::file_size(fs::u8path(path), error));
        std::ifstream in(fs::u8path(path), std::ios::binary);
        char magic[8] = {};
        uint64_t headerSize = 0;
        in.read(magic, 8);
        in.read(reinterpret_cast<char*>(&headerSize), sizeof headerSize);
        if (!in || std::memcmp(magic, kMagic, 8) != 0 || fileSize < 16 ||
            headerSize > uint64_t(fileSize - 16))
            return std::nullopt;
        std::string text(headerSize, '\0');
        in.read(text.data(), std::streamsize(headerSize));
        const json header = json::parse(text);
        if (header.at("key").get<std::string>() != key)
            return std::nullopt;
        Dataset d;
        d.kind = DatasetKind::ImageFolder;
        d.name = header.at("name").get<std::string>();
        d.classNames = header.at("classes").get<std::vector<std::string>>();
        d.classes = int(d.classNames.size());
        d.skipped = header.at("skipped").get<std::vector<std::string>>();
        const int channels = header.at("channels").get<int>();
        const int size = header.at("size").get<int>();
        if ((channels != 1 && channels != 3) || size < 1 || size > 4096 || d.classes < 1 ||
            d.classes > 256)
            return std::nullopt;
        int64_t expected = 16 + int64_t(headerSize);
        for (auto [set, field] : {std::pair{&d.train, "train"}, std::pair{&d.test, "test"}}) {
            const json& part = header.at(field);
            set->count = part.at("count").get<int64_t>();
            set->sources = part.at("sources").get<std::vector<std::string>>();
            set->channels = channels;
            set->rows = set->cols = size;
            if (set->count <= 0 || int64_t(set->sources.size()) != set->count)
                return std::nullopt;
            expected += set->count * (set->imageSize() + 1);
        }
        if (expected != fileSize)
            return std::nullopt;
        for (ImageSet* set : {&d.train, &d.test}) {
            set->pixels.resize(size_t(set->count * set->imageSize()));
            set->labels.resize(size_t(set->count));
            in.read(reinterpret_cast<char*>(set->pixels.data()),
                    std::streamsize(set->pixels.size()));
            in.read(reinterpret_cast<char*>(set->labels.data()),
                    std::streamsize(set->labels.size()));
            for (uint8_t label : set->labels)
                if (label >= d.classes)
                    return std::nullopt;
        }
        if (!in)
            return std::nullopt;
        d.fromCache = true;
        d.cachePath = path;
        return d;
    } catch (const std::exception&) {
        return std::nullopt; // damaged: decode again
    }
}

bool DatasetCache::write(const std::string& path, const std::string& key, const Dataset& d)
{
    const fs::path target = fs::u8path(path);
    std::error_code error;
    fs::create_directories(target.parent_path(), error);
    try {
        const json header = {{"key", key},
                             {"name", d.name},
                             {"classes", d.classNames},
                             {"skipped", d.skipped},
                             {"channels", d.train.channels},
                             {"size", d.train.rows},
                             {"train", setHeader(d.train)},
                             {"test", setHeader(d.test)}};
        const std::string text = header.dump();
        const uint64_t headerSize = text.size();
        auto bytes = [](const std::vector<uint8_t>& v) {
            return std::string_view(reinterpret_cast<const char*>(v.data()), v.size());
        };
        AtomicFile::write(
            path, {std::string_view(kMagic, 8),
                   std::string_view(reinterpret_cast<const char*>(&headerSize), sizeof headerSize),
                   text, bytes(d.train.pixels), bytes(d.train.labels), bytes(d.test.pixels),
                   bytes(d.test.labels)});
    } catch (const std::exception&) {
        return false; // AtomicFile removed its temporary file
    }
    // Older caches of this folder (other files or options) would only take space.
    for (const auto& entry : fs::directory_iterator(target.parent_path(), error)) {
        const std::string name = entry.path().filename().u8string();
        if (entry.path() != target && name.rfind(kPrefix, 0) == 0 &&
            name.size() > std::strlen(kSuffix) &&
            name.compare(name.size() - std::strlen(kSuffix), std::string::npos, kSuffix) == 0)
            fs::remove(entry.path(), error);
    }
    return true;
}

} // namespace trainbench
