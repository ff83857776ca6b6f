#include "threadsetup.h"

#include <ATen/Parallel.h>

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

bool ThreadSetup::openBlasLoaded()
{
    return openBlasSetter() != nullptr;
}

int ThreadSetup::apply(int requested)
{
    int threads = requested;
    if (threads <= 0)
        threads = int(std::max(1u, std::thread::hardware_concurrency()));
    // One pool: libtorch's OpenMP threads own the cores; GEMMs inside each op run single-threaded.
    if (auto setter = openBlasSetter())
        setter(1);
    at::set_num_threads(threads);
    return at::get_num_threads();
}

} // namespace trainbench
