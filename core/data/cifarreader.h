#pragma once

#include "trainbench/data/dataset.h"

#include <string>

namespace trainbench {

/// Reads CIFAR-10's binary version: data_batch_1.bin ... data_batch_5.bin and test_batch.bin,
/// records of one label byte and 32x32 red, green and blue planes, with class names from
/// batches.meta.txt. Also finds them in a cifar-10-batches-bin subfolder, as the archive unpacks.
class CifarReader
{
public:
    static constexpr int kSide = 32;
    static constexpr int64_t kRecordBytes = 1 + 3 * kSide * kSide;

    /// The folder holding the batches (`dir` or its cifar-10-batches-bin), or "" when neither.
    static std::string batchFolder(const std::string& dir);
    /// Reads every batch; throws Error naming the file and the problem.
    static Dataset read(const std::string& dir);
};

} // namespace trainbench
