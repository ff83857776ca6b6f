#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trainbench {

/// Labelled images kept as uint8, one contiguous block (count x channels x rows x cols).
struct ImageSet
{
    std::vector<uint8_t> pixels;
    std::vector<uint8_t> labels;
    int64_t count = 0;
    int channels = 1;
    int rows = 0;
    int cols = 0;
    /// The file each image came from (image folders only; empty otherwise).
    std::vector<std::string> sources;

    /// Bytes per image.
    int64_t imageSize() const { return int64_t(channels) * rows * cols; }
    /// Pointer to the first pixel of image `index`.
    const uint8_t* image(int64_t index) const { return pixels.data() + index * imageSize(); }
    /// A copy of images [begin, begin + n).
    ImageSet slice(int64_t begin, int64_t n) const;
};

} // namespace trainbench
