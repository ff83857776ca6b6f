#pragma once

#include "trainbench/data/datasetoptions.h"

#include <cstdint>
#include <string>
#include <vector>

namespace trainbench {

/// An 8-bit image with 1 (gray) or 3 (RGB) channels, pixels interleaved row by row.
struct Image
{
    int width = 0;
    int height = 0;
    int channels = 1;
    std::vector<uint8_t> pixels;

    /// What a file's header says, read without decoding the pixels.
    struct Header
    {
        int width = 0;
        int height = 0;
        bool color = false; ///< The file stores colour (a gray picture saved as RGB counts).
    };

    /// Largest side and pixel count accepted, so a small hostile file cannot make us allocate
    /// gigabytes (a 40-megapixel colour image decodes to 120 MB).
    static constexpr int kMaxSide = 16384;
    static constexpr int64_t kMaxPixels = 40000000;
    /// Largest file read (bytes).
    static constexpr int64_t kMaxFileBytes = int64_t(256) << 20;

    /// True when the name ends in .png, .jpg, .jpeg or .bmp (any case).
    static bool hasImageExtension(const std::string& path);
    /// Reads a PNG, JPEG or BMP header; throws Error naming the file and the problem.
    static Header readHeader(const std::string& path);
    /// Decodes a PNG, JPEG or BMP file to `channels` (1 or 3) channels; transparent pixels are
    /// composited on black. Throws Error naming the file and the problem.
    static Image load(const std::string& path, int channels);

    /// The image resized to `size` x `size` by `policy`, as planes (channels x size x size), the
    /// layout of an ImageSet. Shrinking averages the covered pixels; enlarging interpolates.
    std::vector<uint8_t> toSquarePlanes(int size, ResizePolicy policy) const;
};

} // namespace trainbench
