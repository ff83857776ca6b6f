#pragma once

#include "track/rgbimage.h"
#include "trainbench/train/epochdetails.h"

#include <string>
#include <vector>

namespace trainbench {

/// Renders an epoch's evaluation as pictures for TensorBoard (internal to core).
class SummaryImages
{
public:
    /// A grid of test images, each with its predicted class (green when right, red when wrong,
    /// then "/" and the true class; names when the classes have them) and a red frame around
    /// the wrong ones.
    static RgbImage predictionGrid(const std::vector<SamplePrediction>& samples,
                                   const std::vector<std::string>& classNames = {},
                                   int columns = 8);
    /// The confusion matrix as a heatmap with counts; rows are true classes, columns predicted.
    static RgbImage confusionMatrix(const EpochDetails& details);
};

} // namespace trainbench
