#pragma once

#include <torch/types.h>

#include <string>
#include <vector>

namespace trainbench {

/// Which of core's layers take a CPU fast path on a given device, and whether what they compute
/// there matches libtorch's own ops on the same device. Shared by tests/core/tst_devicepaths.cpp
/// (CPU, where the fast paths must run: proof that the check sees them) and
/// bench/gpu/cudacheck.cpp (CUDA, where none may run). Qt-free, so it builds on a GPU server with
/// only libtorch.
class DevicePathCheck
{
public:
    struct Report
    {
        /// Names of core's fast-path records ("trainbench::direct_conv", ...) seen while the
        /// layers ran, each once.
        std::vector<std::string> fastPaths;
        /// One line per output or gradient that differs from libtorch's reference.
        std::vector<std::string> mismatches;
        /// One line per layer checked, with its largest difference.
        std::vector<std::string> lines;
    };

    /// Runs a pooled 1->32 convolution, Dense layers, dropout, batch norm, the pool and the loss
    /// forward and backward on `device`, with the shapes of the tutorial's CNN; then Adam's steps
    /// there against core's CPU loop.
    static Report run(torch::Device device);
};

} // namespace trainbench
