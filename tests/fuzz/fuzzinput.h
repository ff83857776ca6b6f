#pragma once

// The readers under fuzzing take file names (as users give them): each input is written to one
// file per process, named with the extension the reader dispatches on.

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

namespace fuzz {

/// Writes `data` to this process's scratch file ending in `suffix`; returns its name.
inline std::string scratchFile(const uint8_t* data, size_t size, const std::string& suffix)
{
    static const std::string base =
        "/tmp/trainbench-fuzz-" + std::to_string(std::random_device{}()) + "-";
    const std::string path = base + suffix;
    if (FILE* file = std::fopen(path.c_str(), "wb")) {
        std::fwrite(data, 1, size, file);
        std::fclose(file);
    }
    return path;
}

} // namespace fuzz
