#include "trainbench/platform/resourceusage.h"

#if defined(_WIN32)
#include "platform/windowsapi.h"

#include <psapi.h> // after <windows.h>, which it needs

#include <cstdint>
#else
#include <sys/resource.h>
#endif

namespace trainbench {

#if defined(_WIN32)

namespace {

PROCESS_MEMORY_COUNTERS memoryCounters()
{
    PROCESS_MEMORY_COUNTERS counters{};
    counters.cb = sizeof counters;
    GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof counters);
    return counters;
}

double seconds(const FILETIME& time)
{
    return double((uint64_t(time.dwHighDateTime) << 32) | time.dwLowDateTime) / 1e7;
}

} // namespace

double ResourceUsage::peakMegabytes()
{
    return double(memoryCounters().PeakWorkingSetSize) / (1024.0 * 1024.0);
}

long ResourceUsage::pageFaults()
{
    return long(memoryCounters().PageFaultCount);
}

double ResourceUsage::threadCpuSeconds()
{
    FILETIME created, exited, kernel, user;
    if (!GetThreadTimes(GetCurrentThread(), &created, &exited, &kernel, &user))
        return 0.0;
    return seconds(kernel) + seconds(user);
}

#else

namespace {

rusage usageOf(int who)
{
    rusage usage{};
    getrusage(who, &usage);
    return usage;
}

} // namespace

double ResourceUsage::peakMegabytes()
{
#if defined(__APPLE__)
    return double(usageOf(RUSAGE_SELF).ru_maxrss) / (1024.0 * 1024.0); // bytes on macOS
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
    return 0.0;                                             // macOS has no per-thread rusage
#endif
}

#endif

} // namespace trainbench
