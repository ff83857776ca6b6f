#include "threadsetup.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <dlfcn.h>
#include <thread>

namespace trainbench {

namespace {

using SetThreads = void (*)(int);

SetThreads openBlasSetter()
{
    // Debian's libtorch links the generic libblas.so.3; OpenBLAS shows itself by this symbol.
    return reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
}

} // namespace

int ThreadSetup::apply(int requested)
{
    const int threads = requested > 0 ? requested : int(std::max(1u, std::thread::hardware_concurrency()));
    // One pool at a time. The seed CNN's time is mostly GEMM (the 6272x256 Dense layer), so the
    // cores go to OpenBLAS and libtorch's OpenMP pool stays at one thread. Measured on 2 cores,
    // samples/s at batch 32: torch 1 + BLAS 2: 3,770-3,990; torch 2 + BLAS 1: 3,160-3,700;
    // torch 1 + BLAS 1: 3,040-3,220; torch 2 + BLAS 2: 1,450-1,530 (the pools fight).
    if (auto setter = openBlasSetter()) {
        setter(threads);
        at::set_num_threads(1);
    } else {
        at::set_num_threads(threads);
    }
    // Flush denormals to zero on this (the training) thread, as TensorFlow does on CPU: Adam's
    // moments for weights whose gradient stays zero (MNIST's empty borders) decay into denormal
    // floats after ~800 steps, and arithmetic on them made the optimizer pass 5x slower.
    at::globalContext().setFlushDenormal(true);
    return threads;
}

} // namespace trainbench
