#pragma once

#include "trainbench/data/dataset.h"

#include <string>

namespace trainbench {

/// Reads a folder of images with one subfolder per class, as torchvision's ImageFolder and
/// Keras's image_dataset_from_directory: DIR/train/<class>/... and DIR/test/<class>/..., or
/// DIR/<class>/... split into train and test per class by options.testFraction. Class names are
/// the subfolder names, sorted. Images that cannot be decoded are skipped and listed.
class ImageFolderReader
{
public:
    /// True when `dir` has at least one subfolder that is not hidden.
    static bool looksLike(const std::string& dir);
    /// Reads (or takes from the cache) the dataset; throws Error naming the folder or class.
    static Dataset read(const std::string& dir, const DatasetOptions& options,
                        const LoadProgress& progress);
};

} // namespace trainbench
