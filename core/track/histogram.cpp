#include "trainbench/track/histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace trainbench {

Histogram Histogram::of(const float* values, size_t count, int bucketCount)
{
    Histogram h;
    h.min = std::numeric_limits<double>::infinity();
    h.max = -std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < count; ++i) {
        const double v = values[i];
        if (!std::isfinite(v))
            continue;
        h.min = std::min(h.min, v);
        h.max = std::max(h.max, v);
        h.num += 1.0;
        h.sum += v;
        h.sumSquares += v * v;
    }
    if (h.num == 0.0) {
        h.min = h.max = 0.0;
        return h;
    }
    bucketCount = std::max(1, bucketCount);
    const double width = (h.max - h.min) / bucketCount;
    if (width <= 0.0) {
        h.bucketLimits = {h.max};
        h.buckets = {h.num};
        return h;
    }
    h.buckets.assign(size_t(bucketCount), 0.0);
    for (int i = 0; i < bucketCount; ++i)
        h.bucketLimits.push_back(i + 1 == bucketCount ? h.max : h.min + width * (i + 1));
    for (size_t i = 0; i < count; ++i) {
        const double v = values[i];
        if (!std::isfinite(v))
            continue;
        const int bucket = std::min(bucketCount - 1, int((v - h.min) / width));
        h.buckets[size_t(bucket)] += 1.0;
    }
    return h;
}

} // namespace trainbench
