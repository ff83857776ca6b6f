#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace trainbench {

/// Colour of the images a dataset is decoded to.
enum class ColorMode { Auto, Gray, Rgb };

/// How an image whose shape differs from the square target is resized.
enum class ResizePolicy {
    Fit,    ///< Scale the longer side to the target, centre, pad with black (keeps the shape).
    Stretch ///< Scale each side to the target (distorts, uses every pixel).
};

/// How an image-class folder is decoded and split (IDX and CIFAR files ignore all but none).
struct DatasetOptions
{
    int imageSize = 0;                 ///< Side of the square images; 0: the most common, <= 64.
    ColorMode color = ColorMode::Auto; ///< Auto: colour when any image is colour.
    ResizePolicy resize = ResizePolicy::Fit;
    /// Fraction of each class held out for testing when the folder has no train/ and test/.
    double testFraction = 0.2;
    /// Seed of that split; fixed (not the run's seed) so runs with different seeds are tested on
    /// the same images and stay comparable.
    uint64_t splitSeed = 0;
    bool useCache = true; ///< Read and write the decoded cache.

    /// Checks the values; throws Error naming the first bad one.
    void validate() const;
    bool operator==(const DatasetOptions& other) const;
    bool operator!=(const DatasetOptions& other) const { return !(*this == other); }
};

/// Progress of a long load: images done, images in all, and what is being done.
using LoadProgress = std::function<void(int64_t done, int64_t total, const std::string& stage)>;

/// "auto", "gray", "rgb".
std::string toString(ColorMode mode);
/// "fit", "stretch".
std::string toString(ResizePolicy policy);
/// Parses a colour mode (case-insensitive); empty when unknown.
std::optional<ColorMode> colorModeFromString(const std::string& name);
/// Parses a resize policy (case-insensitive); empty when unknown.
std::optional<ResizePolicy> resizePolicyFromString(const std::string& name);

} // namespace trainbench
