#include "trainbench/resourceusage.h"

#if defined(__unix__) || defined(__APPLE__)
#include <sys/resource.h>
#define TRAINBENCH_HAS_RUSAGE 1
#endif

namespace trainbench {

#if defined(TRAINBENCH_HAS_RUSAGE)

namespace {

rusage usageOf(int who)
{
    rusage usage {};
    getrusage(who, &usage);
    return usage;
}

} // namespace

double ResourceUsage::peakMegabytes()
{
#if defined(__APPLE__)
    return double(usageOf(RUSAGE_SELF).ru_maxrss) / (1024.0 * 1024.0); // bytes there
#else
    return double(usageOf(RUSAGE_SELF).ru_maxrss) / 1024.0; // kB on Linux
#endif
}

long ResourceUsage::pageFaults()
{
    const rusage usage = usageOf(RUSAGE_SELF);
    return usage.ru_minflt + usage.ru_majflt;
}

double ResourceUsage::threadCpuSeconds()
{
#if defined(RUSAGE_THREAD)
    const rusage usage = usageOf(RUSAGE_THREAD);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
#else
    return 0.0;
#endif
}

#else

double ResourceUsage::peakMegabytes() { return 0.0; }
long ResourceUsage::pageFaults() { return 0; }
double ResourceUsage::threadCpuSeconds() { return 0.0; }

#endif

} // namespace trainbench
