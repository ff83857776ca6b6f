#include "trainbench/data/image.h"
#include "trainbench/common/text.h"

#include "trainbench/common/error.h"

#include <png.h>
// jpeglib.h needs size_t and FILE declared first.
#include <cstddef>
#include <cstdio>
#include <jpeglib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <csetjmp>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace trainbench {

namespace {

std::vector<uint8_t> readFile(const std::string& path)
{
    const auto fsPath = std::filesystem::u8path(path);
    std::error_code error;
    const auto status = std::filesystem::status(fsPath, error);
    if (!std::filesystem::exists(status))
        throw Error(path + ": cannot open: " + (error ? error.message() : "no such file"));
    if (std::filesystem::is_directory(status))
        throw Error(path + ": is a folder, not an image");
    if (!std::filesystem::is_regular_file(status))
        throw Error(path + ": is not a regular file (a pipe or device?), not an image");
    const auto size = std::filesystem::file_size(fsPath, error);
    if (error)
        throw Error(path + ": cannot read: " + error.message());
    if (int64_t(size) > Image::kMaxFileBytes)
        throw Error(path + ": is " + std::to_string(size >> 20) + " MB, larger than the " +
                    std::to_string(Image::kMaxFileBytes >> 20) + " MB an image may be");
    std::ifstream in(fsPath, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot open: " + std::strerror(errno));
    std::vector<uint8_t> bytes(size);
    in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size));
    if (in.gcount() != std::streamsize(size))
        throw Error(path + ": cannot read the whole file");
    return bytes;
}

enum class Format { Png, Jpeg, Bmp, Unknown };

Format formatOf(const std::vector<uint8_t>& b)
{
    if (b.size() >= 8 && png_sig_cmp(b.data(), 0, 8) == 0)
        return Format::Png;
    if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return Format::Jpeg;
    if (b.size() >= 2 && b[0] == 'B' && b[1] == 'M')
        return Format::Bmp;
    return Format::Unknown;
}

void checkSize(const std::string& path, int64_t width, int64_t height)
{
    if (width <= 0 || height <= 0 || width > Image::kMaxSide || height > Image::kMaxSide ||
        width * height > Image::kMaxPixels)
        throw Error(path + ": image size " + std::to_string(width) + "x" + std::to_string(height) +
                    " is not supported (1 to " + std::to_string(Image::kMaxSide) +
                    " pixels a side, " + std::to_string(Image::kMaxPixels / 1000000) +
                    " million pixels in all)");
}

// --- PNG (libpng's simplified API) ---

Image::Header pngHeader(const std::string& path, const std::vector<uint8_t>& bytes, png_image& png)
{
    std::memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()))
        throw Error(path + ": damaged PNG (" + png.message + ")");
    Image::Header header{int(png.width), int(png.height),
                         (png.format & PNG_FORMAT_FLAG_COLOR) != 0};
    if (png.width > unsigned(Image::kMaxSide) || png.height > unsigned(Image::kMaxSide)) {
        png_image_free(&png);
        checkSize(path, png.width, png.height);
    }
    return header;
}

Image pngDecode(const std::string& path, const std::vector<uint8_t>& bytes, int channels)
{
    png_image png;
    const Image::Header header = pngHeader(path, bytes, png);
    Image image;
    image.width = header.width;
    image.height = header.height;
    image.channels = channels;
    image.pixels.resize(size_t(image.width) * size_t(image.height) * size_t(channels));
    png_color black = {0, 0, 0};
    // 16-bit samples without a gAMA chunk are encoded as 8-bit ones are (libpng would take
    // them as linear light and brighten them).
    png.flags |= PNG_IMAGE_FLAG_16BIT_sRGB;
    png.format = channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
    if (!png_image_finish_read(&png, &black, image.pixels.data(), 0, nullptr)) {
        const std::string message = png.message;
        png_image_free(&png);
        throw Error(path + ": damaged PNG (" + message + ")");
    }
    return image;
}

// --- JPEG (libjpeg-turbo's libjpeg API) ---

struct JpegErrors
{
    jpeg_error_mgr manager;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

void jpegFail(j_common_ptr info)
{
    auto* errors = reinterpret_cast<JpegErrors*>(info->err);
    (*info->err->format_message)(info, errors->message);
    std::longjmp(errors->jump, 1);
}

void jpegIgnore(j_common_ptr) {}

/// Decodes into `out` (already allocated by the caller when `decode`); false with `errors`'s
/// message on failure. Only plain data lives in this frame, so longjmp skips no destructor.
bool jpegRun(const std::vector<uint8_t>& bytes, int channels, bool decode, Image::Header& header,
             uint8_t* (*allocate)(void*, const Image::Header&), void* context, JpegErrors& errors)
{
    jpeg_decompress_struct info;
    info.err = jpeg_std_error(&errors.manager);
    errors.manager.error_exit = jpegFail;
    errors.manager.output_message = jpegIgnore;
    if (setjmp(errors.jump)) {
        jpeg_destroy_decompress(&info);
        return false;
    }
    jpeg_create_decompress(&info);
    // Progressive files buffer every coefficient: bound what a crafted one can ask for.
    info.mem->max_memory_to_use = 512L << 20;
    jpeg_mem_src(&info, bytes.data(), static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&info, TRUE);
    header.width = int(std::min<JDIMENSION>(info.image_width, 1u << 30));
    header.height = int(std::min<JDIMENSION>(info.image_height, 1u << 30));
    header.color = info.num_components >= 3;
    if (!decode || header.width <= 0 || header.height <= 0 || header.width > Image::kMaxSide ||
        header.height > Image::kMaxSide ||
        int64_t(header.width) * header.height > Image::kMaxPixels) {
        jpeg_destroy_decompress(&info);
        return true;
    }
    info.out_color_space = channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_start_decompress(&info);
    uint8_t* out = allocate(context, header);
    const size_t stride = size_t(info.output_width) * size_t(channels);
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = out + size_t(info.output_scanline) * stride;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    return true;
}

uint8_t* allocateImage(void* context, const Image::Header& header)
{
    auto* image = static_cast<Image*>(context);
    image->width = header.width;
    image->height = header.height;
    image->pixels.resize(size_t(header.width) * size_t(header.height) * size_t(image->channels));
    return image->pixels.data();
}

Image::Header jpegHeader(const std::string& path, const std::vector<uint8_t>& bytes)
{
    JpegErrors errors{};
    Image::Header header;
    if (!jpegRun(bytes, 1, false, header, nullptr, nullptr, errors))
        throw Error(path + ": damaged JPEG (" + errors.message + ")");
    checkSize(path, header.width, header.height);
    return header;
}

Image jpegDecode(const std::string& path, const std::vector<uint8_t>& bytes, int channels)
{
    jpegHeader(path, bytes);
    JpegErrors errors{};
    Image::Header header;
    Image image;
    image.channels = channels;
    if (!jpegRun(bytes, channels, true, header, allocateImage, &image, errors))
        throw Error(path + ": damaged JPEG (" + errors.message + ")");
    return image;
}

// --- BMP (uncompressed 8-bit palette, 24-bit and 32-bit, the kinds image tools write) ---

struct BmpLayout
{
    int64_t width = 0, height = 0, bits = 0, dataOffset = 0, paletteOffset = 0, colors = 0;
    bool topDown = false;
};

uint32_t le32(const std::vector<uint8_t>& b, size_t at)
{
    return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 |
           uint32_t(b[at + 3]) << 24;
}

BmpLayout bmpLayout(const std::string& path, const std::vector<uint8_t>& b)
{
    if (b.size() < 54)
        throw Error(path + ": damaged BMP (shorter than its header)");
    BmpLayout l;
    l.dataOffset = le32(b, 10);
    const uint32_t headerSize = le32(b, 14);
    if (headerSize < 40)
        throw Error(path + ": unsupported BMP (an OS/2 header)");
    l.width = int32_t(le32(b, 18));
    const int32_t h = int32_t(le32(b, 22));
    l.topDown = h < 0;
    l.height = h < 0 ? -int64_t(h) : int64_t(h);
    l.bits = uint16_t(b[28] | b[29] << 8);
    const uint32_t compression = le32(b, 30);
    l.colors = le32(b, 46);
    l.paletteOffset = 14 + int64_t(headerSize);
    checkSize(path, l.width, l.height);
    if (!(compression == 0 || (compression == 3 && l.bits == 32)) ||
        (l.bits != 8 && l.bits != 24 && l.bits != 32))
        throw Error(path + ": unsupported BMP (" + std::to_string(l.bits) + "-bit, compression " +
                    std::to_string(compression) + "; 8, 24 and 32-bit uncompressed are read)");
    if (l.bits == 8 && (l.colors == 0 || l.colors > 256))
        l.colors = 256;
    const int64_t stride = (l.width * l.bits + 31) / 32 * 4;
    if (l.dataOffset < 0 || l.dataOffset + stride * l.height > int64_t(b.size()) ||
        (l.bits == 8 && l.paletteOffset + 4 * l.colors > int64_t(b.size())))
        throw Error(path + ": damaged BMP (the file is shorter than its pixels)");
    return l;
}

bool bmpColor(const std::vector<uint8_t>& b, const BmpLayout& l)
{
    if (l.bits != 8)
        return true;
    for (int64_t i = 0; i < l.colors; ++i) {
        const uint8_t* p = b.data() + l.paletteOffset + 4 * i;
        if (p[0] != p[1] || p[1] != p[2])
            return true;
    }
    return false;
}

Image bmpDecode(const std::string& path, const std::vector<uint8_t>& b, int channels)
{
    const BmpLayout l = bmpLayout(path, b);
    Image image;
    image.width = int(l.width);
    image.height = int(l.height);
    image.channels = channels;
    image.pixels.resize(size_t(l.width * l.height * channels));
    const int64_t stride = (l.width * l.bits + 31) / 32 * 4;
    for (int64_t y = 0; y < l.height; ++y) {
        const uint8_t* row = b.data() + l.dataOffset + stride * (l.topDown ? y : l.height - 1 - y);
        for (int64_t x = 0; x < l.width; ++x) {
            uint8_t r, g, bl;
            if (l.bits == 8) {
                const int64_t index = std::min<int64_t>(row[x], l.colors - 1);
                const uint8_t* p = b.data() + l.paletteOffset + 4 * index;
                bl = p[0], g = p[1], r = p[2];
            } else {
                const uint8_t* p = row + x * (l.bits / 8);
                bl = p[0], g = p[1], r = p[2];
            }
            uint8_t* out = image.pixels.data() + (y * l.width + x) * channels;
            if (channels == 3) {
                out[0] = r, out[1] = g, out[2] = bl;
            } else {
                // ITU-R BT.601 luma, as libjpeg converts.
                out[0] = uint8_t((299 * r + 587 * g + 114 * bl + 500) / 1000);
            }
        }
    }
    return image;
}

// --- Resampling ---

/// For each output index, the source indices and weights that make it (a box filter when
/// shrinking, linear interpolation when enlarging).
struct Taps
{
    std::vector<int> first;
    std::vector<std::vector<float>> weights;
};

Taps taps(int source, int target)
{
    Taps t;
    const double ratio = double(source) / double(target);
    for (int i = 0; i < target; ++i) {
        std::vector<float> w;
        int first = 0;
        if (ratio > 1.0) {
            const double begin = i * ratio, end = (i + 1) * ratio;
            first = int(std::floor(begin));
            const int last = std::min(source - 1, int(std::ceil(end)) - 1);
            for (int s = first; s <= last; ++s)
                w.push_back(
                    float((std::min<double>(end, s + 1) - std::max<double>(begin, s)) / ratio));
        } else {
            const double centre = std::clamp((i + 0.5) * ratio - 0.5, 0.0, double(source - 1));
            first = int(std::floor(centre));
            const float frac = float(centre - first);
            w.push_back(1.0f - frac);
            if (first + 1 < source)
                w.push_back(frac);
        }
        t.first.push_back(first);
        t.weights.push_back(std::move(w));
    }
    return t;
}

} // namespace

bool Image::hasImageExtension(const std::string& path)
{
    const auto dot = path.find_last_of('.');
    if (dot == std::string::npos)
        return false;
    const std::string ext = Text::lower(path.substr(dot + 1));
    return ext == "png" || ext == "jpg" || ext == "jpeg" || ext == "bmp";
}

Image::Header Image::readHeader(const std::string& path)
{
    const auto bytes = readFile(path);
    switch (formatOf(bytes)) {
    case Format::Png: {
        png_image png;
        const Header header = pngHeader(path, bytes, png);
        png_image_free(&png);
        return header;
    }
    case Format::Jpeg:
        return jpegHeader(path, bytes);
    case Format::Bmp: {
        const BmpLayout layout = bmpLayout(path, bytes);
        return {int(layout.width), int(layout.height), bmpColor(bytes, layout)};
    }
    case Format::Unknown:
        break;
    }
    throw Error(path + ": not a PNG, JPEG or BMP image");
}

Image Image::load(const std::string& path, int channels)
{
    if (channels != 1 && channels != 3)
        throw Error(path + ": images are decoded to 1 or 3 channels, not " +
                    std::to_string(channels));
    const auto bytes = readFile(path);
    switch (formatOf(bytes)) {
    case Format::Png:
        return pngDecode(path, bytes, channels);
    case Format::Jpeg:
        return jpegDecode(path, bytes, channels);
    case Format::Bmp:
        return bmpDecode(path, bytes, channels);
    case Format::Unknown:
        break;
    }
    throw Error(path + ": not a PNG, JPEG or BMP image");
}

std::vector<uint8_t> Image::toSquarePlanes(int size, ResizePolicy policy) const
{
    int targetWidth = size, targetHeight = size;
    if (policy == ResizePolicy::Fit && width != height) {
        const double scale = double(size) / double(std::max(width, height));
        targetWidth = std::clamp(int(std::lround(width * scale)), 1, size);
        targetHeight = std::clamp(int(std::lround(height * scale)), 1, size);
    }
    const int left = (size - targetWidth) / 2, top = (size - targetHeight) / 2;
    const Taps across = taps(width, targetWidth), down = taps(height, targetHeight);
    std::vector<uint8_t> planes(size_t(channels) * size_t(size) * size_t(size), 0);
    std::vector<float> rows(size_t(height) * size_t(targetWidth));
    for (int c = 0; c < channels; ++c) {
        for (int y = 0; y < height; ++y) {
            const uint8_t* in = pixels.data() + size_t(y) * size_t(width) * size_t(channels) + c;
            for (int x = 0; x < targetWidth; ++x) {
                float v = 0.0f;
                const auto& w = across.weights[size_t(x)];
                for (size_t k = 0; k < w.size(); ++k)
                    v += w[k] * in[size_t(across.first[size_t(x)] + int(k)) * size_t(channels)];
                rows[size_t(y) * size_t(targetWidth) + size_t(x)] = v;
            }
        }
        uint8_t* plane = planes.data() + size_t(c) * size_t(size) * size_t(size);
        for (int y = 0; y < targetHeight; ++y) {
            const auto& w = down.weights[size_t(y)];
            for (int x = 0; x < targetWidth; ++x) {
                float v = 0.0f;
                for (size_t k = 0; k < w.size(); ++k)
                    v += w[k] * rows[size_t(down.first[size_t(y)] + int(k)) * size_t(targetWidth) +
                                     size_t(x)];
                plane[size_t(top + y) * size_t(size) + size_t(left + x)] =
                    uint8_t(std::clamp(std::lround(v), 0L, 255L));
            }
        }
    }
    return planes;
}

} // namespace trainbench
