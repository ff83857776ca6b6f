#include "trainbench/platform/processsetup.h"

#include "platform/allocatorsetup.h"
#include "platform/threadsetup.h"
#include "trainbench/platform/platform.h"

#include <cstdlib>

namespace trainbench {

void ProcessSetup::initialize(char** argv, Work work)
{
#if defined(__linux__)
    if (work == Work::Training && !std::getenv("OPENBLAS_THREAD_TIMEOUT") &&
        !std::getenv("TRAINBENCH_NO_REEXEC")) {
        // 2^4 cycles of spinning, then sleep: the same samples/s with a fraction of the
        // kernel time. Restarting makes the setting reach OpenBLAS, which has already loaded.
        Platform::setEnvironment("OPENBLAS_THREAD_TIMEOUT", "4");
        Platform::restartSelf(argv); // returns only when the restart failed
    }
#else
    (void)argv; // the libtorch builds for macOS and Windows do not use OpenBLAS
    (void)work;
#endif
    Platform::reportFileSizeLimitAsError();
    AllocatorSetup::apply();
    ThreadSetup::apply(0);
}

} // namespace trainbench
