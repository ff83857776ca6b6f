#pragma once

namespace trainbench {

/// Puts libtorch's intra-op pool and OpenBLAS's own threads in one deliberate arrangement
/// (internal to core): two pools competing for the same cores made training 2x slower.
class ThreadSetup
{
public:
    /// Applies `requested` threads (0: all cores) and flushes denormals on the calling thread;
    /// returns the number of threads in use.
    static int apply(int requested);
};

} // namespace trainbench
