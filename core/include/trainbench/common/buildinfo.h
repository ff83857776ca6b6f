#pragma once

#include <string>

namespace trainbench {

/// Versions of Trainbench and the libraries core was built with.
class BuildInfo
{
public:
    /// Trainbench's version, from CMake's project version.
    static std::string version();
    /// libtorch's version, e.g. "1.13.1".
    static std::string torchVersion();
    /// True when CUDA can be used now.
    static bool cudaAvailable();
};

} // namespace trainbench
