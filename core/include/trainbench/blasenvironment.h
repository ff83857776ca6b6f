#pragma once

namespace trainbench {

/// OpenBLAS reads its settings from the environment when it loads, before main() runs. Its
/// worker threads otherwise spin (sched_yield) for ~0.1 s after every GEMM: on 2 cores that is
/// 2.3 s of kernel time per 12,000 training samples, taken from the UI and loader threads.
class BlasEnvironment
{
public:
    /// Call first in main(): unless OPENBLAS_THREAD_TIMEOUT is set, sets it (short spin, then
    /// sleep) and re-executes the program once with the same arguments; returns if that fails.
    static void prepare(char** argv);
};

} // namespace trainbench
