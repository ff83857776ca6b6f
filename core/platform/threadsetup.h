#pragma once

namespace trainbench {

/// Puts libtorch's intra-op pool and OpenBLAS's own threads in one deliberate arrangement
/// (internal to core): two pools competing for the same cores made training 2x slower.
class ThreadSetup
{
public:
    /// Gives libtorch's pool `requested` threads (0: all cores), holds OpenBLAS at one thread
    /// with the Dense layers' GEMMs split over the pool instead, and flushes denormals on the
    /// calling thread; returns the number of threads in use.
    static int apply(int requested);
    /// How many threads one of core's own parallel loops (at::parallel_for) runs on now: libtorch's
    /// pool size where core was compiled with OpenMP, 1 where it was not.
    static int loopThreads();
};

} // namespace trainbench
