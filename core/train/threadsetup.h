#pragma once

namespace trainbench {

/// Puts libtorch's intra-op pool and OpenBLAS's own threads in one deliberate arrangement
/// (internal to core): two pools competing for the same cores made training 2x slower.
class ThreadSetup
{
public:
    /// Applies `requested` intra-op threads (0: automatic) and returns the number in use.
    static int apply(int requested);
};

} // namespace trainbench
