#pragma once

#include "trainbench/data/datasetoptions.h"
#include "trainbench/data/imageset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace trainbench {

/// The on-disk forms a dataset can take.
enum class DatasetKind {
    Idx,         ///< MNIST's four IDX files (raw or .gz).
    ImageFolder, ///< One subfolder of images per class (optionally under train/ and test/).
    Cifar10      ///< CIFAR-10's binary batches.
};

/// Train, optional validation and test images of one classification problem.
struct Dataset
{
    std::string name; ///< e.g. "mnist" or the folder's name.
    DatasetKind kind = DatasetKind::Idx;
    ImageSet train;
    ImageSet validation; ///< Empty unless a validation split was asked for.
    ImageSet test;
    int classes = 10;
    std::vector<std::string> classNames;
    /// Files that could not be decoded, "path: reason" (image folders; never a crash).
    std::vector<std::string> skipped;
    bool fromCache = false; ///< Decoded images came from the cache, not the files.
    std::string cachePath;  ///< Where the decoded images are cached ("" when not).

    /// Finds which kind of dataset `dir` holds; throws Error naming the folder when none.
    static DatasetKind detect(const std::string& dir);
    /// Loads any kind of dataset (detect()); `progress` hears about long decoding.
    static Dataset load(const std::string& dir, const DatasetOptions& options = {},
                        const LoadProgress& progress = {});
    /// True for handwritten-digit classes: the names "0" to "9" on one channel (drawing and
    /// digit preprocessing apply).
    static bool isDigits(const std::vector<std::string>& classNames, int channels);
    /// True when this dataset is handwritten digits (isDigits()).
    bool digits() const { return isDigits(classNames, train.channels); }
    /// One line: "image folder, 10 classes, 28x28 gray, 60000 training / 10000 test images".
    std::string describe() const;

    /// Loads a folder holding train-images, train-labels, t10k-images and t10k-labels IDX files
    /// (raw or .gz; names as in MNIST and Fashion-MNIST). Throws Error naming the folder or file.
    static Dataset loadFolder(const std::string& dir);
    /// Moves the last `fraction` of the training images into `validation`.
    void splitValidation(double fraction);
    /// Keeps only the first `trainCount` training and `testCount` test images (0: keep all).
    void limit(int64_t trainCount, int64_t testCount);
    /// A copy holding only the first `trainCount` training and `testCount` test images (0: all)
    /// and all validation images; copies only those images, never the whole set first.
    Dataset sliced(int64_t trainCount, int64_t testCount) const;
    /// Paths tried for one of the four files, for messages; `stem` like "train-images-idx3-ubyte".
    static std::vector<std::string> candidatePaths(const std::string& dir, const std::string& stem);
};

} // namespace trainbench
