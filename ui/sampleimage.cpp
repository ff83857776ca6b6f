#include "sampleimage.h"

namespace trainbench::ui {

QImage SampleImage::fromPixels(const uint8_t* pixels, int rows, int cols)
{
    return QImage(pixels, cols, rows, cols, QImage::Format_Grayscale8).copy();
}

} // namespace trainbench::ui
