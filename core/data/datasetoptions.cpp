#include "trainbench/data/datasetoptions.h"

#include "trainbench/common/error.h"
#include "trainbench/common/text.h"

#include <algorithm>
#include <cctype>

namespace trainbench {

void DatasetOptions::validate() const
{
    if (imageSize < 0 || imageSize > 512)
        throw Error("image size must be 0 (automatic) or 1 to 512 pixels (is " +
                    std::to_string(imageSize) + ")");
    if (!(testFraction >= 0.0 && testFraction < 1.0))
        throw Error("test fraction must be in [0, 1) (is " + std::to_string(testFraction) + ")");
}

bool DatasetOptions::operator==(const DatasetOptions& o) const
{
    return imageSize == o.imageSize && color == o.color && resize == o.resize &&
           testFraction == o.testFraction && splitSeed == o.splitSeed && useCache == o.useCache;
}

std::string toString(ColorMode mode)
{
    switch (mode) {
    case ColorMode::Gray:
        return "gray";
    case ColorMode::Rgb:
        return "rgb";
    case ColorMode::Auto:
        break;
    }
    return "auto";
}

std::string toString(ResizePolicy policy)
{
    return policy == ResizePolicy::Stretch ? "stretch" : "fit";
}

std::optional<ColorMode> colorModeFromString(const std::string& name)
{
    const std::string n = Text::lower(name);
    if (n == "auto")
        return ColorMode::Auto;
    if (n == "gray" || n == "grey" || n == "grayscale")
        return ColorMode::Gray;
    if (n == "rgb" || n == "color" || n == "colour")
        return ColorMode::Rgb;
    return std::nullopt;
}

std::optional<ResizePolicy> resizePolicyFromString(const std::string& name)
{
    const std::string n = Text::lower(name);
    if (n == "fit" || n == "pad")
        return ResizePolicy::Fit;
    if (n == "stretch")
        return ResizePolicy::Stretch;
    return std::nullopt;
}

} // namespace trainbench
