#pragma once

namespace trainbench {

/// Keeps freed tensor memory in the process instead of handing it back to the kernel after
/// every step (internal to core). glibc's defaults return the top of a heap once a few MB are
/// free; a training step frees and reallocates several MB (the 6.4 MB Dense gradient among
/// them), so each step faulted the same pages in again. Worst on a thread that is not the main
/// one (the window's training thread uses its own malloc arena): 1.2 million page faults and
/// 3.1 s of kernel time in one MNIST epoch, against 79,000 faults and 1.0 s with this setup.
class AllocatorSetup
{
public:
    /// Applies the settings once per process (later calls do nothing); a no-op without glibc.
    static void apply();
};

} // namespace trainbench
