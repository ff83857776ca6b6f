#include "trainbench/common/buildinfo.h"

#include "trainbench/common/version.h"

#include <torch/cuda.h>
#include <torch/version.h>

namespace trainbench {

std::string BuildInfo::version()
{
    return TRAINBENCH_VERSION;
}

std::string BuildInfo::torchVersion()
{
    return TORCH_VERSION;
}

bool BuildInfo::cudaAvailable()
{
    return torch::cuda::is_available();
}

} // namespace trainbench
