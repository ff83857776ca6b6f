#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trainbench {

/// An 8-bit RGB image with the little drawing TensorBoard's images need (internal rendering,
/// PNG output through libpng).
struct RgbImage
{
    int width = 0;
    int height = 0;
    std::vector<uint8_t> pixels; ///< width x height x 3, row-major.

    /// A `width` x `height` image filled with one colour.
    RgbImage(int width, int height, uint32_t rgb = 0x000000);
    RgbImage() = default;

    /// Sets one pixel (ignored outside the image).
    void set(int x, int y, uint32_t rgb);
    /// Colour of one pixel as 0xRRGGBB.
    uint32_t at(int x, int y) const;
    /// Fills a rectangle.
    void fill(int x, int y, int w, int h, uint32_t rgb);
    /// Draws a rectangle outline `thickness` pixels wide.
    void frame(int x, int y, int w, int h, int thickness, uint32_t rgb);
    /// Draws a grayscale image scaled up by an integer factor.
    void blitGray(int x, int y, const uint8_t* gray, int w, int h, int scale);
    /// Draws a gray (1 plane) or colour (3 planes: red, green, blue) image scaled up.
    void blitPlanes(int x, int y, const uint8_t* planes, int channels, int w, int h, int scale);
    /// Draws text (digits, '/', '-', '.', '%', space and upper-case letters) in a 5x7 font.
    void text(int x, int y, const std::string& text, uint32_t rgb, int scale = 1);
    /// `text` in the characters text() draws: upper case, others as spaces, at most `length`.
    static std::string printable(const std::string& text, size_t length);
    /// Width in pixels of `text` drawn at `scale`.
    static int textWidth(const std::string& text, int scale = 1);
    /// The image as PNG bytes; throws Error if encoding fails.
    std::string encodePng() const;
};

} // namespace trainbench
