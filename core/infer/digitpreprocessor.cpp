#include "trainbench/infer/digitpreprocessor.h"

#include <algorithm>
#include <cmath>

namespace trainbench {

namespace {

constexpr int kSize = 28;
constexpr int kBox = 20;
// Ink below this (of 255) is anti-aliasing or noise, not the digit's extent.
constexpr int kInkThreshold = 10;

/// Median of the border pixels: the background's brightness.
int borderLevel(const GrayImage& image)
{
    std::vector<uint8_t> border;
    for (int x = 0; x < image.width; ++x) {
        border.push_back(image.at(x, 0));
        border.push_back(image.at(x, image.height - 1));
    }
    for (int y = 0; y < image.height; ++y) {
        border.push_back(image.at(0, y));
        border.push_back(image.at(image.width - 1, y));
    }
    std::nth_element(border.begin(), border.begin() + long(border.size() / 2), border.end());
    return border[border.size() / 2];
}

} // namespace

std::pair<double, double> DigitPreprocessor::centreOfMass(const GrayImage& image)
{
    double total = 0.0, sx = 0.0, sy = 0.0;
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const double v = image.at(x, y);
            total += v;
            sx += v * x;
            sy += v * y;
        }
    if (total <= 0.0)
        return {(image.width - 1) / 2.0, (image.height - 1) / 2.0};
    return {sx / total, sy / total};
}

GrayImage DigitPreprocessor::resize(const GrayImage& image, int width, int height)
{
    // Each output pixel averages the source area it covers, weighting partly covered pixels:
    // anti-aliased when shrinking, a smooth box filter when growing.
    GrayImage out(width, height);
    const double fx = double(image.width) / width;
    const double fy = double(image.height) / height;
    for (int oy = 0; oy < height; ++oy) {
        const double y0 = oy * fy, y1 = (oy + 1) * fy;
        for (int ox = 0; ox < width; ++ox) {
            const double x0 = ox * fx, x1 = (ox + 1) * fx;
            double sum = 0.0, area = 0.0;
            for (int sy = int(y0); sy < std::min(image.height, int(std::ceil(y1))); ++sy) {
                const double wy = std::min(y1, sy + 1.0) - std::max(y0, double(sy));
                for (int sx = int(x0); sx < std::min(image.width, int(std::ceil(x1))); ++sx) {
                    const double wx = std::min(x1, sx + 1.0) - std::max(x0, double(sx));
                    sum += image.at(sx, sy) * wx * wy;
                    area += wx * wy;
                }
            }
            out.at(ox, oy) =
                uint8_t(std::clamp(std::lround(area > 0 ? sum / area : 0.0), 0L, 255L));
        }
    }
    return out;
}

std::optional<GrayImage> DigitPreprocessor::toMnist(const GrayImage& picture)
{
    if (picture.width <= 0 || picture.height <= 0)
        return std::nullopt;
    // Polarity: MNIST has white ink on black; a light background means dark ink.
    const int background = borderLevel(picture);
    const bool invert = background > 127;
    GrayImage ink(picture.width, picture.height);
    for (size_t i = 0; i < ink.pixels.size(); ++i) {
        const int v = invert ? background - picture.pixels[i] : picture.pixels[i] - background;
        ink.pixels[i] = uint8_t(
            std::clamp(v * 255 / std::max(1, invert ? background : 255 - background), 0, 255));
    }
    // Crop to the ink (ignoring faint noise).
    int left = ink.width, right = -1, top = ink.height, bottom = -1;
    for (int y = 0; y < ink.height; ++y)
        for (int x = 0; x < ink.width; ++x)
            if (ink.at(x, y) > kInkThreshold) {
                left = std::min(left, x);
                right = std::max(right, x);
                top = std::min(top, y);
                bottom = std::max(bottom, y);
            }
    if (right < 0)
        return std::nullopt;
    const int w = right - left + 1, h = bottom - top + 1;
    GrayImage cropped(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            cropped.at(x, y) = ink.at(left + x, top + y);

    // Fit the longer side to 20 pixels, keeping the aspect ratio.
    const double scale = double(kBox) / std::max(w, h);
    const int fw = std::max(1, int(std::lround(w * scale)));
    const int fh = std::max(1, int(std::lround(h * scale)));
    const GrayImage fitted = resize(cropped, fw, fh);

    // Place so that the centre of mass lands where MNIST puts it: pixel (14, 14) of 28x28
    // (measured over its test set: mean 14.00, 13.99).
    const auto [cx, cy] = centreOfMass(fitted);
    const int dx = int(std::lround(14.0 - cx));
    const int dy = int(std::lround(14.0 - cy));
    GrayImage out(kSize, kSize);
    for (int y = 0; y < fh; ++y)
        for (int x = 0; x < fw; ++x) {
            const int tx = x + dx, ty = y + dy;
            if (tx >= 0 && ty >= 0 && tx < kSize && ty < kSize)
                out.at(tx, ty) = fitted.at(x, y);
        }
    return out;
}

} // namespace trainbench
