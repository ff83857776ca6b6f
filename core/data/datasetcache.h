#pragma once

#include "trainbench/data/dataset.h"

#include <cstdint>
#include <optional>
#include <string>

namespace trainbench {

/// The decoded images of an image folder, kept in one file so a second load reads bytes instead
/// of decoding every image again. The key covers the file list (names, sizes, times) and the
/// decoding options, so any change to either makes a new cache.
class DatasetCache
{
public:
    /// Where the cache of `dir` with `key` lives: DIR/.trainbench/ when that folder can be
    /// written, else the user's cache folder.
    static std::string pathFor(const std::string& dir, const std::string& key);
    /// The cached dataset, or nothing when the file is missing, stale or damaged.
    static std::optional<Dataset> read(const std::string& path, const std::string& key);
    /// Writes the dataset atomically and removes older caches of the same folder; false (and
    /// nothing written) when that fails: a cache is an optimisation, never an error.
    static bool write(const std::string& path, const std::string& key, const Dataset& dataset);
};

} // namespace trainbench
