#pragma once

namespace trainbench {

/// Puts libtorch's intra-op pool and OpenBLAS's own threads in one deliberate arrangement
/// (internal to core): two pools competing for the same cores made training 2x slower.
class ThreadSetup
{
public:
    /// What most of a model's arithmetic is, which decides the pool that gets the cores.
    enum class Work {
        Gemm,       ///< Dense layers (and the 1-channel convolution's own kernel): OpenBLAS.
        Convolution ///< Convolutions of many channels: oneDNN, in libtorch's pool.
    };
    /// Applies `requested` threads (0: all cores) to the pool `work` uses (the other keeps one)
    /// and flushes denormals on the calling thread; returns the number of threads in use.
    static int apply(int requested, Work work = Work::Gemm);
    /// How many threads one of core's own parallel loops (at::parallel_for) runs on now: libtorch's
    /// pool size where core was compiled with OpenMP, 1 where it was not.
    static int loopThreads();
};

} // namespace trainbench
