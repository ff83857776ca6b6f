#pragma once

#include <cstdint>
#include <string>

namespace trainbench {

/// Metrics of one epoch; loss and accuracy are means over that epoch only (accuracy as a fraction).
struct EpochMetrics
{
    int epoch = 0; ///< 1-based.
    double trainLoss = 0.0;
    double trainAccuracy = 0.0;
    double testLoss = 0.0;
    double testAccuracy = 0.0;
    bool hasValidation = false;
    double validationLoss = 0.0;
    double validationAccuracy = 0.0;
    int64_t trainSamples = 0;      ///< Samples trained on in this epoch.
    double seconds = 0.0;          ///< Wall time of the training part of the epoch.
    double evalSeconds = 0.0;      ///< Wall time of evaluation.
    double samplesPerSecond = 0.0; ///< Training throughput of this epoch.
    double learningRate = 0.0; ///< Learning rate of the epoch's last step (schedules change it).

    /// The tutorial's line: "Epoch 1, Loss: 0.1441, Accuracy: 95.71, Test Loss: ..., Test Accuracy:
    /// ..." (accuracies in percent), with validation values appended when present.
    std::string tutorialLine() const;
};

} // namespace trainbench
