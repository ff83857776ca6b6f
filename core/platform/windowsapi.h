#pragma once

// <windows.h> for the platform layer's Windows branches (internal to core), without the min/max
// macros that break std::min and std::numeric_limits, and without the rarely used APIs.
#if defined(_WIN32)
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#endif
