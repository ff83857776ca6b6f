#include "track/rgbimage.h"

#include <cctype>

#include "trainbench/common/error.h"

#include <png.h>

#include <array>
#include <csetjmp>
#include <map>

namespace trainbench {

namespace {

/// 5x7 glyphs, one byte per row, bit 4 = leftmost column.
const std::map<char, std::array<uint8_t, 7>>& font()
{
    static const std::map<char, std::array<uint8_t, 7>> glyphs = {
        {'0', {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}},
        {'1', {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E}},
        {'2', {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}},
        {'3', {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E}},
        {'4', {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}},
        {'5', {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E}},
        {'6', {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}},
        {'7', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}},
        {'8', {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}},
        {'9', {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C}},
        {'/', {0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x10}},
        {'-', {0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00}},
        {'.', {0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C}},
        {'%', {0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03}},
        {':', {0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00}},
        {' ', {0, 0, 0, 0, 0, 0, 0}},
        {'A', {0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}},
        {'B', {0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E}},
        {'C', {0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E}},
        {'D', {0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C}},
        {'E', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F}},
        {'F', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10}},
        {'G', {0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F}},
        {'H', {0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}},
        {'I', {0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E}},
        {'J', {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C}},
        {'K', {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11}},
        {'L', {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F}},
        {'M', {0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11}},
        {'N', {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11}},
        {'O', {0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}},
        {'P', {0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10}},
        {'Q', {0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D}},
        {'R', {0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11}},
        {'S', {0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E}},
        {'T', {0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04}},
        {'U', {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}},
        {'V', {0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04}},
        {'W', {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A}},
        {'X', {0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11}},
        {'Y', {0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04}},
        {'Z', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F}},
    };
    return glyphs;
}

void appendPng(png_structp png, png_bytep data, png_size_t length)
{
    auto* out = static_cast<std::string*>(png_get_io_ptr(png));
    out->append(reinterpret_cast<const char*>(data), length);
}

void flushPng(png_structp) {}

} // namespace

RgbImage::RgbImage(int w, int h, uint32_t rgb) : width(w), height(h)
{
    pixels.resize(size_t(w) * size_t(h) * 3);
    fill(0, 0, w, h, rgb);
}

void RgbImage::set(int x, int y, uint32_t rgb)
{
    if (x < 0 || y < 0 || x >= width || y >= height)
        return;
    uint8_t* p = &pixels[(size_t(y) * size_t(width) + size_t(x)) * 3];
    p[0] = uint8_t(rgb >> 16);
    p[1] = uint8_t(rgb >> 8);
    p[2] = uint8_t(rgb);
}

uint32_t RgbImage::at(int x, int y) const
{
    const uint8_t* p = &pixels[(size_t(y) * size_t(width) + size_t(x)) * 3];
    return (uint32_t(p[0]) << 16) | (uint32_t(p[1]) << 8) | p[2];
}

void RgbImage::fill(int x, int y, int w, int h, uint32_t rgb)
{
    for (int yy = y; yy < y + h; ++yy)
        for (int xx = x; xx < x + w; ++xx)
            set(xx, yy, rgb);
}

void RgbImage::frame(int x, int y, int w, int h, int thickness, uint32_t rgb)
{
    fill(x, y, w, thickness, rgb);
    fill(x, y + h - thickness, w, thickness, rgb);
    fill(x, y, thickness, h, rgb);
    fill(x + w - thickness, y, thickness, h, rgb);
}

void RgbImage::blitGray(int x, int y, const uint8_t* gray, int w, int h, int scale)
{
    for (int row = 0; row < h; ++row)
        for (int col = 0; col < w; ++col) {
            const uint32_t v = gray[row * w + col];
            fill(x + col * scale, y + row * scale, scale, scale, (v << 16) | (v << 8) | v);
        }
}

void RgbImage::blitPlanes(int x, int y, const uint8_t* planes, int channels, int w, int h,
                          int scale)
{
    if (channels != 3) {
        blitGray(x, y, planes, w, h, scale);
        return;
    }
    const int plane = w * h;
    for (int row = 0; row < h; ++row)
        for (int col = 0; col < w; ++col) {
            const int at = row * w + col;
            fill(x + col * scale, y + row * scale, scale, scale,
                 uint32_t(planes[at]) << 16 | uint32_t(planes[plane + at]) << 8 |
                     planes[2 * plane + at]);
        }
}

std::string RgbImage::printable(const std::string& text, size_t length)
{
    std::string out;
    for (unsigned char c : text) {
        if (out.size() >= length)
            break;
        const char upper = char(std::toupper(c));
        const bool known = (upper >= 'A' && upper <= 'Z') || (upper >= '0' && upper <= '9') ||
                           upper == '/' || upper == '-' || upper == '.' || upper == '%';
        out += known ? upper : ' ';
    }
    return out;
}

int RgbImage::textWidth(const std::string& text, int scale)
{
    return text.empty() ? 0 : int(text.size()) * 6 * scale - scale;
}

void RgbImage::text(int x, int y, const std::string& text, uint32_t rgb, int scale)
{
    const auto& glyphs = font();
    for (char c : text) {
        const char key = (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
        const auto it = glyphs.find(key);
        if (it != glyphs.end()) {
            for (int row = 0; row < 7; ++row)
                for (int col = 0; col < 5; ++col)
                    if (it->second[size_t(row)] & (0x10 >> col))
                        fill(x + col * scale, y + row * scale, scale, scale, rgb);
        }
        x += 6 * scale;
    }
}

std::string RgbImage::encodePng() const
{
    std::string out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!png || !info) {
        png_destroy_write_struct(&png, nullptr);
        throw Error("PNG encoder: out of memory");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        throw Error("PNG encoder failed");
    }
    png_set_write_fn(png, &out, appendPng, flushPng);
    png_set_IHDR(png, info, png_uint_32(width), png_uint_32(height), 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < height; ++y)
        png_write_row(png, const_cast<png_bytep>(&pixels[size_t(y) * size_t(width) * 3]));
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

} // namespace trainbench
