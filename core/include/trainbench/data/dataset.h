#pragma once

#include "trainbench/data/imageset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace trainbench {

/// Train, optional validation and test images of one classification problem.
struct Dataset
{
    std::string name; ///< e.g. "mnist" or the folder's name.
    ImageSet train;
    ImageSet validation; ///< Empty unless a validation split was asked for.
    ImageSet test;
    int classes = 10;
    std::vector<std::string> classNames;

    /// Loads a folder holding train-images, train-labels, t10k-images and t10k-labels IDX files
    /// (raw or .gz; names as in MNIST and Fashion-MNIST). Throws Error naming the folder or file.
    static Dataset loadFolder(const std::string& dir);
    /// Moves the last `fraction` of the training images into `validation`.
    void splitValidation(double fraction);
    /// Keeps only the first `trainCount` training and `testCount` test images (0: keep all).
    void limit(int64_t trainCount, int64_t testCount);
    /// Paths tried for one of the four files, for messages; `stem` like "train-images-idx3-ubyte".
    static std::vector<std::string> candidatePaths(const std::string& dir, const std::string& stem);
};

} // namespace trainbench
