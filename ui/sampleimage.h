#pragma once

#include <QImage>

#include <cstdint>

namespace trainbench::ui {

/// Turns dataset pixels into QImages for display.
class SampleImage
{
public:
    /// A grayscale QImage (deep copy) of `rows` x `cols` uint8 pixels.
    static QImage fromPixels(const uint8_t* pixels, int rows, int cols);
};

} // namespace trainbench::ui
