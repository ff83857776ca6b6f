#pragma once

namespace trainbench {

/// Process-wide set-up for training, done once at the top of main() by every program that
/// trains (trainbench, trainbench-cli, the benchmarks), never from inside a library call:
///  - where OpenBLAS runs threaded (core built without OpenMP; with it OpenBLAS stays at one
///    thread and the restart would only load libtorch twice), its worker threads otherwise spin for
///    a long time after every GEMM, taking the cores from the UI and loader threads. OpenBLAS reads
///    OPENBLAS_THREAD_TIMEOUT only while it loads, before main(): on Linux a program about to train
///    sets it and restarts itself once (TRAINBENCH_NO_REEXEC=1 or an OPENBLAS_THREAD_TIMEOUT of the
///    user's own skips that; setting it from a preinit function does not work: glibc resets the
///    environment after). A program that declares TRAINBENCH_RESTART_EARLY_IF restarts before its
///    libraries start (libtorch's start-up, a good part of a second, then runs once instead of
///    twice);
///  - glibc's allocator keeps freed tensor memory instead of returning and re-faulting it
///    every step (elsewhere the system allocator is left as it is);
///  - libtorch's and OpenBLAS's thread pools get the default split for all cores, and the
///    calling thread flushes denormal floats to zero (a training thread does that for itself,
///    since the setting is per thread).
class ProcessSetup
{
public:
    /// What the program is about to do.
    enum class Work {
        Training, ///< Long GEMM-heavy work: worth the restart (the window, train, sweep, bench).
        Brief     ///< A quick command (predict, runs, --help...): no restart, which would cost
                  ///< more than OpenBLAS's spinning (libtorch loads twice).
    };
    /// Call first in main(), with main's argv; may not return on Linux (the restart).
    static void initialize(char** argv, Work work = Work::Training);
    /// The restart of initialize(), done earlier: from the executable's .preinit_array (see
    /// TRAINBENCH_RESTART_EARLY_IF), before any library's constructor (glibc; elsewhere the
    /// preinit array may not run, and initialize() restarts). Reads the environment from `envp`
    /// and allocates nothing: getenv() and malloc() are not ready there. Returns where it does
    /// not restart (the variable set, TRAINBENCH_NO_REEXEC, valgrind, a failed exec).
    static void restartEarly(char** argv, char** envp);
};

} // namespace trainbench

/// In an executable's main.cpp, at namespace scope: restart early (ProcessSetup::restartEarly())
/// when `condition`, an expression of `argc` and `argv`, holds. It runs before the C library has
/// set up the environment: it may use argc, argv and pure functions such as std::strcmp, never
/// getenv() or allocation. ELF executables on Linux only; elsewhere, and without the condition,
/// initialize() restarts as before.
#if defined(__linux__) && (defined(__GNUC__) || defined(__clang__))
#define TRAINBENCH_RESTART_EARLY_IF(condition)                                                     \
    namespace {                                                                                    \
    void trainbenchRestartEarly(int argc, char** argv, char** envp)                                \
    {                                                                                              \
        (void)argc;                                                                                \
        if (condition)                                                                             \
            ::trainbench::ProcessSetup::restartEarly(argv, envp);                                  \
    }                                                                                              \
    __attribute__((section(".preinit_array"), used)) void (*const trainbenchRestartEarlyEntry)(    \
        int, char**, char**) = &trainbenchRestartEarly;                                            \
    }
#else
#define TRAINBENCH_RESTART_EARLY_IF(condition)
#endif
