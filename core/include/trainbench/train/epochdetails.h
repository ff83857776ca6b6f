#pragma once

#include "trainbench/track/histogram.h"

#include <cstdint>
#include <string>
#include <vector>

namespace trainbench {

/// One test image with the model's answer.
struct SamplePrediction
{
    int64_t index = 0; ///< Position in the test set.
    int label = 0;
    int predicted = 0;
    float confidence = 0.0f;          ///< Softmax probability of `predicted`.
    std::vector<float> probabilities; ///< One per class.
    std::vector<uint8_t> pixels;      ///< The image, channels x rows x cols, as in the data.
    int channels = 1;
    int rows = 0;
    int cols = 0;
};

/// Weights of one parameter tensor, as a histogram.
struct ParameterHistogram
{
    std::string name; ///< e.g. "conv2d/kernel", "dense_1/bias".
    Histogram histogram;
};

/// What an epoch's evaluation found beyond the scalar metrics.
struct EpochDetails
{
    int epoch = 0; ///< 1-based.
    int classes = 0;
    std::vector<std::string> classNames;   ///< One per class.
    std::vector<int64_t> confusion;        ///< classes x classes, row = true, column = predicted.
    std::vector<uint8_t> testPredictions;  ///< Predicted class of every test image.
    std::vector<float> testConfidences;    ///< Its softmax probability.
    std::vector<SamplePrediction> samples; ///< A fixed sample of test images (same each epoch).
    std::vector<ParameterHistogram> parameters; ///< Every weight and bias tensor.

    /// Count in the confusion matrix.
    int64_t count(int label, int predicted) const
    {
        return confusion[size_t(label * classes + predicted)];
    }
};

} // namespace trainbench
