#pragma once

#include <cstddef>
#include <vector>

namespace trainbench {

/// A histogram as TensorBoard stores it: bucket[i] counts values up to bucketLimits[i].
struct Histogram
{
    double min = 0.0;
    double max = 0.0;
    double num = 0.0;
    double sum = 0.0;
    double sumSquares = 0.0;
    std::vector<double> bucketLimits;
    std::vector<double> buckets;

    /// Equal-width histogram of `count` values over [min, max] (non-finite values are skipped).
    static Histogram of(const float* values, size_t count, int bucketCount = 30);
};

} // namespace trainbench
