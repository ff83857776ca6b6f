#pragma once

/// TRAINBENCH_CPU_CLONES before a function with a hot loop compiles it three times, for x86-64-v4
/// (AVX-512), x86-64-v3 (AVX2 + FMA) and the baseline, and picks one when the library loads, so
/// one binary uses the wide vectors of the machine it runs on (internal to core). Elsewhere
/// (other compilers or architectures) it expands to nothing.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__ELF__)
#define TRAINBENCH_CPU_CLONES                                                                      \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TRAINBENCH_CPU_CLONES
#endif
