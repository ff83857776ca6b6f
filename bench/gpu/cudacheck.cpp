// trainbench-cudacheck: core's layers on the GPU take libtorch's CUDA ops, never a CPU fast path,
// and compute what libtorch computes. Exit 0 when so, 1 when not, 77 without CUDA.
#include "devicepathcheck.h"

#include <torch/cuda.h>

#include <iostream>

int main()
{
    if (!torch::cuda::is_available()) {
        std::cout << "no CUDA device: nothing checked\n";
        return 77;
    }
    const auto report = trainbench::DevicePathCheck::run(torch::Device(torch::kCUDA, 0));
    for (const auto& line : report.lines)
        std::cout << "  " << line << '\n';
    for (const auto& name : report.fastPaths)
        std::cout << "CPU fast path ran on CUDA tensors: " << name << '\n';
    const bool ok = report.fastPaths.empty() && report.mismatches.empty();
    std::cout << (ok ? "PASS" : "FAIL") << ": " << report.mismatches.size() << " mismatches, "
              << report.fastPaths.size() << " CPU fast paths on CUDA\n";
    return ok ? 0 : 1;
}
