#pragma once

namespace trainbench {

/// Process-wide set-up for training, done once at the top of main() by every program that
/// trains (trainbench, trainbench-cli, the benchmarks), never from inside a library call:
///  - OpenBLAS's worker threads otherwise spin for a long time after every GEMM, taking the
///    cores from the UI and loader threads. OpenBLAS reads OPENBLAS_THREAD_TIMEOUT only while
///    it loads, before main(): on Linux a program about to train sets it and restarts itself
///    once (TRAINBENCH_NO_REEXEC=1 or an OPENBLAS_THREAD_TIMEOUT of the user's own skips that;
///    setting it from a preinit function does not work: glibc resets the environment after);
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
};

} // namespace trainbench
