#include "platform/allocatorsetup.h"

#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace trainbench {

void AllocatorSetup::apply()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        // Blocks up to 32 MB (glibc's largest threshold) come from the heaps, not fresh mmaps;
        // up to 256 MB of free memory may stay at a heap's top before it is trimmed. Setting
        // either also stops glibc from adjusting them on its own.
        mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
        mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    });
#endif
}

} // namespace trainbench
