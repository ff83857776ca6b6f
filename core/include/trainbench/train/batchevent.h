#pragma once

#include <cstdint>
#include <vector>

namespace trainbench {

/// Progress report sent every few batches; loss and accuracy are running means of the epoch so far.
struct BatchEvent
{
    int epoch = 0; ///< 1-based.
    int epochs = 0;
    int64_t batch = 0; ///< Batches done in this epoch (1-based).
    int64_t batchesPerEpoch = 0;
    int64_t globalStep = 0; ///< Batches done since the run began.
    double loss = 0.0;
    double accuracy = 0.0;       ///< Fraction.
    double recentLoss = 0.0;     ///< Mean loss of the batches since the previous report.
    double recentAccuracy = 0.0; ///< Mean accuracy of the batches since the previous report.
    double learningRate = 0.0;
    double samplesPerSecond = 0.0;
    double elapsedSeconds = 0.0; ///< Since the run began.
    /// Loss and accuracy of each batch since the previous report, ending with this one
    /// (global steps globalStep - size + 1 ... globalStep).
    std::vector<float> batchLosses;
    std::vector<float> batchAccuracies;
};

} // namespace trainbench
