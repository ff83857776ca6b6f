#pragma once

namespace trainbench {

/// What this process has used so far, for progress lines and benchmarks. Where the platform does
/// not tell (no getrusage), each figure is 0.
class ResourceUsage
{
public:
    /// Peak resident memory of the process, in MB.
    static double peakMegabytes();
    /// Page faults of the process (minor and major).
    static long pageFaults();
    /// CPU seconds (user and kernel) the calling thread has used.
    static double threadCpuSeconds();
    /// Resident memory of the process now, in MB.
    static double currentMegabytes();
    /// Threads the process has now (for finding threads left behind).
    static int threadCount();
};

} // namespace trainbench
