#pragma once

#include "trainbench/infer/grayimage.h"

#include <optional>

namespace trainbench {

/// Turns any picture of one digit into what an MNIST model expects, the way MNIST itself was
/// made: grayscale, white ink on black (the polarity is detected), cropped to the ink, scaled with
/// anti-aliasing to fit a 20x20 box keeping the aspect ratio, then placed in 28x28 with its
/// centre of mass at the centre. One implementation for the canvas, image files and the CLI.
class DigitPreprocessor
{
public:
    /// The 28x28 image, or nothing when the picture holds no ink (an empty canvas predicts
    /// nothing).
    static std::optional<GrayImage> toMnist(const GrayImage& picture);
    /// Centre of mass of an image's intensity, in pixel-index coordinates (x, y).
    static std::pair<double, double> centreOfMass(const GrayImage& image);
    /// Resamples to `width` x `height` by area averaging (anti-aliased down, bilinear-like up).
    static GrayImage resize(const GrayImage& image, int width, int height);
};

} // namespace trainbench
