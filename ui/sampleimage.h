#pragma once

#include <QImage>

#include <cstdint>

namespace trainbench::ui {

/// Turns dataset pixels into QImages for display.
class SampleImage
{
public:
    /// A QImage (deep copy) of one dataset image: `channels` planes (1: gray; 3: red, green,
    /// blue) of `rows` x `cols` uint8 pixels.
    static QImage fromPixels(const uint8_t* pixels, int rows, int cols, int channels = 1);
};

} // namespace trainbench::ui
