#pragma once

#include "trainbench/data/imageset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace trainbench {

/// An IDX array of unsigned bytes: its dimensions and data.
struct IdxArray
{
    std::vector<int64_t> dims;
    std::vector<uint8_t> data;
};

/// Reads IDX files (raw or gzip-compressed) as in LeCun's MNIST distribution.
class IdxReader
{
public:
    /// Largest number of elements a file may declare (2^31), so a bad header cannot make us
    /// allocate gigabytes.
    static constexpr int64_t kMaxElements = int64_t(1) << 31;
    /// Largest ratio of declared data to gzip file size accepted: image data compresses a
    /// few-fold, a decompression bomb a thousand-fold.
    static constexpr int64_t kMaxExpansion = 250;

    /// Reads any unsigned-byte IDX file; throws Error naming the file and the problem.
    static IdxArray read(const std::string& path);
    /// Reads an images file (3 dimensions: count, rows, cols).
    static ImageSet readImages(const std::string& path);
    /// Reads a labels file (1 dimension) whose values must be below `classes`.
    static std::vector<uint8_t> readLabels(const std::string& path, int classes = 256);
};

} // namespace trainbench
