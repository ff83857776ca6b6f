#include "trainbench/platform/processsetup.h"

#include "platform/allocatorsetup.h"
#include "platform/threadsetup.h"
#include "trainbench/platform/platform.h"

#include <cstdlib>

namespace trainbench {

// OpenBLAS runs threaded only where core cannot split the GEMMs over libtorch's pool itself
// (compiled without OpenMP, see ThreadSetup). With OpenMP it stays at one thread: its idle
// workers spin once while the libraries start and never again, while the restart costs a
// second load of libtorch's ~300 libraries (a good part of a second, every run). (Should an
// OpenMP build's pool have a single thread, OMP_THREAD_LIMIT=1 say, OpenBLAS gets the threads
// without the timeout: it then spins after its GEMMs, as it does by default.)
#if defined(__linux__) && !defined(_OPENMP)
#define TRAINBENCH_RESTART_FOR_BLAS 1
#endif

#if defined(TRAINBENCH_RESTART_FOR_BLAS)
// 2^4 cycles of spinning, then sleep: the same samples/s with a fraction of the kernel time.
// Macros, so that restartEarly()'s ready-made "NAME=value" entry is spelt from the same two.
#define TRAINBENCH_BLAS_TIMEOUT "OPENBLAS_THREAD_TIMEOUT"
#define TRAINBENCH_BLAS_TIMEOUT_VALUE "4"

namespace {

/// Whether `entry` ("NAME=value") sets `name`, by hand: restartEarly() runs before the C library
/// has set up the environment.
bool sets(const char* entry, const char* name)
{
    while (*name && *entry == *name) {
        ++entry;
        ++name;
    }
    return *name == '\0' && *entry == '=';
}

/// Whether `text` contains `part` (no C library call, as above).
bool contains(const char* text, const char* part)
{
    for (; *text; ++text) {
        const char* a = text;
        const char* b = part;
        while (*b && *a == *b) {
            ++a;
            ++b;
        }
        if (!*b)
            return true;
    }
    return false;
}

/// Under valgrind /proc/self/exe is valgrind's tool, which refuses to run by itself.
bool underValgrind(const char* preload)
{
    return preload && contains(preload, "vgpreload");
}

} // namespace
#endif

void ProcessSetup::restartEarly(char** argv, char** envp)
{
#if defined(TRAINBENCH_RESTART_FOR_BLAS)
    // The new environment: the old one plus the timeout, in static storage (no allocator yet).
    constexpr int kCapacity = 4096;
    static char* s_environment[kCapacity];
    static char s_timeout[] = TRAINBENCH_BLAS_TIMEOUT "=" TRAINBENCH_BLAS_TIMEOUT_VALUE;
    int count = 0;
    for (; envp && envp[count]; ++count) {
        if (sets(envp[count], TRAINBENCH_BLAS_TIMEOUT) ||
            sets(envp[count], "TRAINBENCH_NO_REEXEC") ||
            (sets(envp[count], "LD_PRELOAD") && underValgrind(envp[count])) ||
            count + 2 >= kCapacity)
            return; // set already, refused, valgrind, or too large: initialize() decides
        s_environment[count] = envp[count];
    }
    s_environment[count] = s_timeout;
    s_environment[count + 1] = nullptr;
    Platform::restartSelf(argv, s_environment); // returns only when it failed
#else
    (void)argv;
    (void)envp;
#endif
}

void ProcessSetup::initialize(char** argv, Work work)
{
#if defined(TRAINBENCH_RESTART_FOR_BLAS)
    if (work == Work::Training && !std::getenv(TRAINBENCH_BLAS_TIMEOUT) &&
        !std::getenv("TRAINBENCH_NO_REEXEC") && !underValgrind(std::getenv("LD_PRELOAD"))) {
        // Restarting makes the setting reach OpenBLAS, which has already loaded.
        Platform::setEnvironment(TRAINBENCH_BLAS_TIMEOUT, TRAINBENCH_BLAS_TIMEOUT_VALUE);
        Platform::restartSelf(argv); // returns only when the restart failed
    }
#else
    // With OpenMP (above), or on macOS and Windows, whose libtorch builds do not use OpenBLAS.
    (void)argv;
    (void)work;
#endif
    Platform::reportFileSizeLimitAsError();
    AllocatorSetup::apply();
    ThreadSetup::apply(0);
}

} // namespace trainbench
