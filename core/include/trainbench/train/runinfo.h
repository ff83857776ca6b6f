#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trainbench {

/// Facts about a run known once it starts.
struct RunInfo
{
    std::string dataset; ///< The dataset's name, e.g. "mnist".
    std::string device;  ///< "cpu" or "cuda:0 (NVIDIA ...)".
    int threads = 1;     ///< Intra-op threads in use.
    int64_t parameters = 0;
    int64_t trainSamples = 0;
    int64_t validationSamples = 0;
    int64_t testSamples = 0;
    int64_t batchesPerEpoch = 0;     ///< Steps per epoch (global batches in a distributed run).
    int worldSize = 1;               ///< Processes training together (data parallel).
    int64_t globalBatch = 0;         ///< Samples per step, all processes together.
    std::string backend;             ///< Collectives of a distributed run: "gloo" or "nccl".
    double dataLoadSeconds = 0.0;    ///< Time spent reading the dataset (0 when it was given).
    std::vector<int64_t> inputShape; ///< (channels, rows, cols).
    int classes = 0;
    std::vector<std::string> classNames;
    std::string modelSummary; ///< Keras-style summary text of the model.
};

} // namespace trainbench
