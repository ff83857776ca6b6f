#include "trainbench/data/dataset.h"
#include "trainbench/common/text.h"

#include "data/cifarreader.h"
#include "data/imagefolderreader.h"
#include "trainbench/common/error.h"
#include "trainbench/data/idxreader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace trainbench {

namespace {

/// True for anything at `path` but a folder: a pipe or device named like a dataset file is
/// found, and then refused by its reader with a message naming it, not passed over.
bool isFile(const std::string& path)
{
    std::error_code error;
    const auto status = std::filesystem::status(std::filesystem::u8path(path), error);
    return !error && std::filesystem::exists(status) && !std::filesystem::is_directory(status);
}

std::string findFile(const std::string& dir, const std::string& stem, const std::string& what)
{
    const auto candidates = Dataset::candidatePaths(dir, stem);
    for (const auto& path : candidates)
        if (isFile(path))
            return path;
    throw Error("data folder '" + dir + "' has no " + what + " file (looked for " + stem + " and " +
                stem + ".gz)");
}

std::string baseName(std::string path)
{
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

ImageSet loadPair(const std::string& dir, const std::string& prefix, const std::string& what)
{
    const std::string imagesPath = findFile(dir, prefix + "-images-idx3-ubyte", what + " images");
    const std::string labelsPath = findFile(dir, prefix + "-labels-idx1-ubyte", what + " labels");
    ImageSet set = IdxReader::readImages(imagesPath);
    set.labels = IdxReader::readLabels(labelsPath);
    if (int64_t(set.labels.size()) != set.count)
        throw Error(imagesPath + " holds " + std::to_string(set.count) + " images but " +
                    labelsPath + " holds " + std::to_string(set.labels.size()) + " labels");
    if (set.count == 0)
        throw Error(imagesPath + " holds no images");
    return set;
}

} // namespace

std::vector<std::string> Dataset::candidatePaths(const std::string& dir, const std::string& stem)
{
    // MNIST's own names, plus the "train-images.idx3-ubyte" spelling some mirrors use.
    std::string dotted = stem;
    const auto dash = dotted.find("-idx");
    if (dash != std::string::npos)
        dotted[dash] = '.';
    const std::string base = dir.empty() || dir.back() == '/' ? dir : dir + "/";
    return {base + stem, base + stem + ".gz", base + dotted, base + dotted + ".gz"};
}

namespace {

void requireFolder(const std::string& dir)
{
    if (dir.empty())
        throw Error("no data folder given");
    std::error_code error;
    const auto status = std::filesystem::status(std::filesystem::u8path(dir), error);
    if (error || !std::filesystem::exists(status))
        throw Error("data folder '" + dir + "' does not exist");
    if (!std::filesystem::is_directory(status))
        throw Error("data folder '" + dir + "' is not a folder");
}

} // namespace

DatasetKind Dataset::detect(const std::string& dir)
{
    requireFolder(dir);
    for (const auto& path : candidatePaths(dir, "train-images-idx3-ubyte"))
        if (isFile(path))
            return DatasetKind::Idx;
    if (!CifarReader::batchFolder(dir).empty())
        return DatasetKind::Cifar10;
    if (ImageFolderReader::looksLike(dir))
        return DatasetKind::ImageFolder;
    throw Error("data folder '" + dir +
                "' holds no dataset: expected MNIST-style IDX files (train-images-idx3-ubyte, "
                "...), CIFAR-10 binary batches (data_batch_1.bin, ...) or one subfolder of images "
                "per class");
}

Dataset Dataset::load(const std::string& dir, const DatasetOptions& options,
                      const LoadProgress& progress)
{
    switch (detect(dir)) {
    case DatasetKind::Cifar10:
        return CifarReader::read(dir);
    case DatasetKind::ImageFolder:
        return ImageFolderReader::read(dir, options, progress);
    case DatasetKind::Idx:
        break;
    }
    return loadFolder(dir);
}

bool Dataset::isDigits(const std::vector<std::string>& names, int channels)
{
    if (channels != 1 || names.size() != 10)
        return false;
    for (size_t i = 0; i < names.size(); ++i)
        if (names[i] != std::to_string(i))
            return false;
    return true;
}

std::string Dataset::describe() const
{
    const char* kinds[] = {"IDX files", "image folder", "CIFAR-10 batches"};
    return std::string(kinds[int(kind)]) + ", " + std::to_string(classes) + " classes, " +
           std::to_string(train.rows) + "x" + std::to_string(train.cols) + " " +
           (train.channels == 3 ? "colour" : "gray") + ", " + std::to_string(train.count) +
           " training / " + std::to_string(test.count) + " test images";
}

Dataset Dataset::loadFolder(const std::string& dir)
{
    requireFolder(dir);

    Dataset dataset;
    dataset.name = baseName(dir);
    dataset.train = loadPair(dir, "train", "training");
    dataset.test = loadPair(dir, "t10k", "test");
    if (dataset.train.rows != dataset.test.rows || dataset.train.cols != dataset.test.cols)
        throw Error("data folder '" + dir + "': training images are " +
                    std::to_string(dataset.train.rows) + "x" + std::to_string(dataset.train.cols) +
                    " but test images are " + std::to_string(dataset.test.rows) + "x" +
                    std::to_string(dataset.test.cols));

    // The classes are the training labels. Beyond MNIST's ten, every label up to the largest
    // must occur (a stray 200 among digits is damage, not 201 classes), and every test label
    // must be a training one; each failure names its file, the label and where it is.
    std::vector<int64_t> seen(256, 0);
    int maxLabel = 0;
    int64_t maxAt = 0;
    for (size_t i = 0; i < dataset.train.labels.size(); ++i) {
        const int label = dataset.train.labels[i];
        ++seen[size_t(label)];
        if (label > maxLabel)
            maxLabel = label, maxAt = int64_t(i);
    }
    dataset.classes = std::max(10, maxLabel + 1);
    const std::string trainLabels = findFile(dir, "train-labels-idx1-ubyte", "training labels");
    if (maxLabel >= 10) {
        for (int c = 0; c < maxLabel; ++c)
            if (seen[size_t(c)] == 0)
                throw Error(trainLabels + ": label " + std::to_string(maxLabel) + " at index " +
                            std::to_string(maxAt) + ", but label " + std::to_string(c) +
                            " never occurs: a damaged labels file? (classes are 0 to the "
                            "largest label, each with training images)");
    }
    for (size_t i = 0; i < dataset.test.labels.size(); ++i)
        if (dataset.test.labels[i] >= dataset.classes)
            throw Error(findFile(dir, "t10k-labels-idx1-ubyte", "test labels") + ": label " +
                        std::to_string(dataset.test.labels[i]) + " at index " + std::to_string(i) +
                        " is not a training class (0 to " + std::to_string(dataset.classes - 1) +
                        ")");

    const std::string lowerName = Text::lower(dataset.name);
    if (lowerName.find("fashion") != std::string::npos && dataset.classes == 10) {
        dataset.classNames = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                              "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    } else {
        for (int c = 0; c < dataset.classes; ++c)
            dataset.classNames.push_back(std::to_string(c));
    }
    return dataset;
}

void Dataset::splitValidation(double fraction)
{
    if (!(fraction >= 0.0 && fraction < 1.0))
        throw Error("validation split must be in [0, 1) (is " + std::to_string(fraction) + ")");
    const auto n = int64_t(std::llround(double(train.count) * fraction));
    if (n == 0)
        return;
    validation = train.slice(train.count - n, n);
    train = train.slice(0, train.count - n);
}

Dataset Dataset::sliced(int64_t trainCount, int64_t testCount) const
{
    Dataset part;
    part.name = name;
    part.kind = kind;
    part.classes = classes;
    part.classNames = classNames;
    part.skipped = skipped;
    part.fromCache = fromCache;
    part.cachePath = cachePath;
    part.train = train.slice(0, trainCount > 0 ? trainCount : train.count);
    part.validation = validation;
    part.test = test.slice(0, testCount > 0 ? testCount : test.count);
    return part;
}

void Dataset::limit(int64_t trainCount, int64_t testCount)
{
    if (trainCount > 0 && trainCount < train.count)
        train = train.slice(0, trainCount);
    if (testCount > 0 && testCount < test.count)
        test = test.slice(0, testCount);
}

} // namespace trainbench
