#include "trainbench/platform/resourceusage.h"

#if defined(_WIN32)
#include "platform/windowsapi.h"

#include <psapi.h>    // after <windows.h>, which they need
#include <tlhelp32.h> // the threads of a process

#include <cstdint>
#else
#include <sys/resource.h>
#if defined(__APPLE__)
#include <mach/mach.h>
#else
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#endif
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

double ResourceUsage::currentMegabytes()
{
    return double(memoryCounters().WorkingSetSize) / (1024.0 * 1024.0);
}

int ResourceUsage::threadCount()
{
    const HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    if (snapshot == INVALID_HANDLE_VALUE)
        return 0;
    THREADENTRY32 entry{};
    entry.dwSize = sizeof entry;
    int count = 0;
    const DWORD self = GetCurrentProcessId();
    for (BOOL more = Thread32First(snapshot, &entry); more; more = Thread32Next(snapshot, &entry))
        count += entry.th32OwnerProcessID == self;
    CloseHandle(snapshot);
    return count;
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

#if defined(__APPLE__)

double ResourceUsage::currentMegabytes()
{
    mach_task_basic_info_data_t info{};
    mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
    if (task_info(mach_task_self(), MACH_TASK_BASIC_INFO, task_info_t(&info), &count) !=
        KERN_SUCCESS)
        return 0.0;
    return double(info.resident_size) / (1024.0 * 1024.0);
}

int ResourceUsage::threadCount()
{
    thread_act_array_t threads = nullptr;
    mach_msg_type_number_t count = 0;
    if (task_threads(mach_task_self(), &threads, &count) != KERN_SUCCESS)
        return 0;
    for (mach_msg_type_number_t i = 0; i < count; ++i)
        mach_port_deallocate(mach_task_self(), threads[i]);
    vm_deallocate(mach_task_self(), vm_address_t(threads), vm_size_t(count * sizeof *threads));
    return int(count);
}

#else

double ResourceUsage::currentMegabytes()
{
    long pages = 0, resident = 0;
    std::FILE* statm = std::fopen("/proc/self/statm", "r");
    if (!statm)
        return 0.0;
    const bool read = std::fscanf(statm, "%ld %ld", &pages, &resident) == 2;
    std::fclose(statm);
    return read ? double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0) : 0.0;
}

int ResourceUsage::threadCount()
{
    std::error_code error;
    int count = 0;
    for (std::filesystem::directory_iterator it("/proc/self/task", error), end; !error && it != end;
         it.increment(error))
        ++count;
    return count;
}

#endif

#endif

} // namespace trainbench
