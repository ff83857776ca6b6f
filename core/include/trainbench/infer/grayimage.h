#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trainbench {

/// An 8-bit grayscale image (row-major), as drawn on a canvas or read from a file.
struct GrayImage
{
    int width = 0;
    int height = 0;
    std::vector<uint8_t> pixels;

    /// A `width` x `height` image filled with `value`.
    GrayImage(int width, int height, uint8_t value = 0);
    GrayImage() = default;

    uint8_t at(int x, int y) const { return pixels[size_t(y) * size_t(width) + size_t(x)]; }
    uint8_t& at(int x, int y) { return pixels[size_t(y) * size_t(width) + size_t(x)]; }

    /// Reads a PNG (any colour type and depth, converted to gray, transparency on white) or a
    /// PGM file (binary P5 or plain P2, comments, any maxval up to 65535); throws Error naming
    /// the file and the problem.
    static GrayImage load(const std::string& path);
};

} // namespace trainbench
