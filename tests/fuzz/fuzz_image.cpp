// Image files (PNG, JPEG, BMP; PGM and PNG as drawings): headers, decoding in gray and colour,
// resizing both ways, and the digit preprocessing, on any bytes.
#include "fuzzinput.h"
#include "trainbench/common/error.h"
#include "trainbench/data/image.h"
#include "trainbench/infer/digitpreprocessor.h"
#include "trainbench/infer/grayimage.h"

using namespace trainbench;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = fuzz::scratchFile(data, size, ".img");
    try {
        Image::readHeader(path);
    } catch (const Error&) {
    }
    for (int channels : {1, 3}) {
        try {
            const Image image = Image::load(path, channels);
            image.toSquarePlanes(28, ResizePolicy::Fit);
            image.toSquarePlanes(9, ResizePolicy::Stretch);
        } catch (const Error&) {
        }
    }
    try {
        DigitPreprocessor::toMnist(GrayImage::load(path));
    } catch (const Error&) {
    }
    return 0;
}
