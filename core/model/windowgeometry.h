#pragma once

#include "trainbench/model/layerspec.h"

#include <algorithm>
#include <cstdint>

namespace trainbench {

/// Output size and padding of a sliding window along one axis, with Keras's 'valid'/'same' rules
/// ('same' pads the extra element at the end, as TensorFlow does).
struct WindowGeometry
{
    int64_t output = 0;
    int64_t padBefore = 0;
    int64_t padAfter = 0;

    /// Geometry for an input of `input` elements; output <= 0 means the window does not fit.
    static WindowGeometry compute(int64_t input, int kernel, int stride, Padding padding)
    {
        WindowGeometry g;
        if (padding == Padding::Valid) {
            g.output = input >= kernel ? (input - kernel) / stride + 1 : 0;
            return g;
        }
        g.output = (input + stride - 1) / stride;
        const int64_t total = std::max<int64_t>((g.output - 1) * stride + kernel - input, 0);
        g.padBefore = total / 2;
        g.padAfter = total - g.padBefore;
        return g;
    }
};

} // namespace trainbench
