#include "trainbench/infer/grayimage.h"

#include "trainbench/common/error.h"

#include <png.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace trainbench {

namespace {

GrayImage loadPgm(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::string magic;
    int width = 0, height = 0, maxValue = 0;
    in >> magic >> width >> height >> maxValue;
    if (magic != "P5" || !in || width <= 0 || height <= 0 || width > 20000 || height > 20000 ||
        maxValue <= 0 || maxValue > 255)
        throw Error(path + ": not a supported PGM image (8-bit binary P5 only)");
    in.get();
    GrayImage image(width, height);
    in.read(reinterpret_cast<char*>(image.pixels.data()), std::streamsize(image.pixels.size()));
    if (in.gcount() != std::streamsize(image.pixels.size()))
        throw Error(path + ": truncated PGM image");
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
    if (probe.gcount() >= 2 && head[0] == 'P' && head[1] == '5')
        return loadPgm(path);
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
    png.format = PNG_FORMAT_GRAY;
    GrayImage image(int(png.width), int(png.height));
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
