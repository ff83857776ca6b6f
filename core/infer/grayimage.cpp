#include "trainbench/infer/grayimage.h"

#include "trainbench/common/error.h"

#include <png.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace trainbench {

namespace {

/// The next whitespace-separated token of a PGM header, skipping '#' comments.
bool pgmToken(std::istream& in, long long& value)
{
    for (int c = in.peek(); c != EOF; c = in.peek()) {
        if (c == '#') {
            std::string comment;
            std::getline(in, comment);
        } else if (std::isspace(c)) {
            in.get();
        } else {
            break;
        }
    }
    std::string digits;
    while (in.peek() != EOF && std::isdigit(in.peek()) && digits.size() < 12)
        digits += char(in.get());
    if (digits.empty())
        return false;
    value = std::stoll(digits);
    return true;
}

/// Binary (P5) and plain (P2) PGM, with comments and any maxval up to 65535, scaled to 0-255.
GrayImage loadPgm(const std::string& path, bool plain)
{
    std::ifstream in(std::filesystem::u8path(path), std::ios::binary);
    in.ignore(2); // "P5" / "P2"
    long long width = 0, height = 0, maxValue = 0;
    if (!pgmToken(in, width) || !pgmToken(in, height) || !pgmToken(in, maxValue) || width <= 0 ||
        height <= 0 || width > 20000 || height > 20000 || maxValue <= 0 || maxValue > 65535)
        throw Error(path + ": not a valid PGM image (size 1 to 20000 a side, maxval 1 to 65535)");
    GrayImage image{int(width), int(height)};
    const size_t count = image.pixels.size();
    auto scale = [maxValue](long long v) {
        return uint8_t((std::min(v, maxValue) * 255 + maxValue / 2) / maxValue);
    };
    if (plain) {
        for (size_t i = 0; i < count; ++i) {
            long long v = 0;
            if (!pgmToken(in, v))
                throw Error(path + ": truncated PGM image");
            image.pixels[i] = scale(v);
        }
        return image;
    }
    in.get(); // the single whitespace after maxval
    const size_t bytesPerSample = maxValue > 255 ? 2 : 1;
    std::vector<uint8_t> raw(count * bytesPerSample);
    in.read(reinterpret_cast<char*>(raw.data()), std::streamsize(raw.size()));
    if (in.gcount() != std::streamsize(raw.size()))
        throw Error(path + ": truncated PGM image");
    for (size_t i = 0; i < count; ++i)
        image.pixels[i] =
            scale(bytesPerSample == 2 ? (static_cast<long long>(raw[2 * i]) << 8) | raw[2 * i + 1]
                                      : static_cast<long long>(raw[i]));
    return image;
}

} // namespace

GrayImage::GrayImage(int w, int h, uint8_t value) : width(w), height(h)
{
    pixels.assign(size_t(w) * size_t(h), value);
}

GrayImage GrayImage::load(const std::string& path)
{
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status))
        throw Error(path +
                    ": cannot open: " + (error ? error.message() : std::string("no such file")));
    if (std::filesystem::is_directory(status))
        throw Error(path + ": is a folder, not an image");
    if (!std::filesystem::is_regular_file(status))
        throw Error(path + ": is not a regular file (a pipe or device?), not an image");
    std::ifstream probe(path, std::ios::binary);
    char head[8] = {};
    probe.read(head, 8);
    if (probe.gcount() >= 2 && head[0] == 'P' && (head[1] == '5' || head[1] == '2'))
        return loadPgm(path, head[1] == '2');
    if (probe.gcount() < 8 || png_sig_cmp(reinterpret_cast<png_const_bytep>(head), 0, 8) != 0)
        throw Error(path + ": not a PNG or PGM image");

    png_image png;
    std::memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&png, path.c_str()))
        throw Error(path + ": unreadable PNG (" + png.message + ")");
    if (png.width == 0 || png.height == 0 || png.width > 20000 || png.height > 20000) {
        png_image_free(&png);
        throw Error(path + ": image size " + std::to_string(png.width) + "x" +
                    std::to_string(png.height) + " is not supported (1 to 20000 pixels a side)");
    }
    GrayImage image(int(png.width), int(png.height));
    // 16-bit samples without a gAMA chunk are encoded as 8-bit ones are (libpng would take
    // them as linear light and brighten them).
    png.flags |= PNG_IMAGE_FLAG_16BIT_sRGB;
    png.format = PNG_FORMAT_GRAY;
    // Transparent pixels are composited on white, like a drawing on paper.
    png_color white = {255, 255, 255};
    if (!png_image_finish_read(&png, &white, image.pixels.data(), 0, nullptr)) {
        const std::string message = png.message;
        png_image_free(&png);
        throw Error(path + ": damaged PNG (" + message + ")");
    }
    return image;
}

} // namespace trainbench
