#include "sampleimage.h"

namespace trainbench::ui {

QImage SampleImage::fromPixels(const uint8_t* pixels, int rows, int cols, int channels)
{
    if (channels != 3)
        return QImage(pixels, cols, rows, cols, QImage::Format_Grayscale8).copy();
    QImage image(cols, rows, QImage::Format_RGB888);
    const int plane = rows * cols;
    for (int y = 0; y < rows; ++y) {
        uchar* line = image.scanLine(y);
        for (int x = 0; x < cols; ++x) {
            const int at = y * cols + x;
            line[3 * x] = pixels[at];
            line[3 * x + 1] = pixels[plane + at];
            line[3 * x + 2] = pixels[2 * plane + at];
        }
    }
    return image;
}

} // namespace trainbench::ui
