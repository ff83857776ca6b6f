#include "platform/threadsetup.h"

#include "model/splitgemm.h"

#include "trainbench/platform/platform.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <algorithm>
#include <atomic>
#include <thread>

namespace trainbench {

namespace {

using SetThreads = void (*)(int);

SetThreads openBlasSetter()
{
    // Debian's libtorch links the generic libblas.so.3; OpenBLAS shows itself by this symbol.
    return reinterpret_cast<SetThreads>(Platform::findSymbol("openblas_set_num_threads"));
}

} // namespace

int ThreadSetup::apply(int requested)
{
    const int threads =
        requested > 0 ? requested : int(std::max(1u, std::thread::hardware_concurrency()));
    // One pool for everything: OpenBLAS's own threads beside libtorch's pool on the same cores
    // fight and halve the speed, and they synchronise by spinning and yielding, which costs more
    // than a batch-32 GEMM's work. So OpenBLAS stays at one thread and the pool has the cores;
    // the Dense layers split their GEMMs over the pool themselves (SplitGemm), the convolutions
    // run in it (oneDNN, core's direct loops).
    // Only when the count changes: every call rebuilds libtorch's second pool (the one
    // QNNPACK/NNPACK use), whose fresh threads then spin for a while beside the work. Both the
    // process-wide count (that pool, MKL) and the calling thread's own (OpenMP's is per thread)
    // must already be right to skip it; the first call finds libtorch's defaults in place.
    static std::atomic<int> s_applied{at::get_num_threads()};
    if (s_applied != threads || at::get_num_threads() != threads) {
        at::set_num_threads(threads);
        s_applied = threads;
    }
    // Only where core's own loops reach the pool (compiled with OpenMP) can it split the GEMMs;
    // elsewhere OpenBLAS keeps the cores, and another BLAS its own threading.
    const bool split = threads > 1 && loopThreads() > 1;
    if (auto setter = openBlasSetter()) {
        setter(split ? 1 : threads);
        SplitGemm::setEnabled(split);
    } else {
        SplitGemm::setEnabled(false);
    }
#if defined(_OPENMP)
    // Core's own loops run on the OpenMP runtime core was compiled with. Where libtorch brings
    // another (the official Windows build's Intel runtime), at::set_num_threads does not reach
    // it, and core's loops would take every core beside libtorch's threads.
    omp_set_num_threads(at::get_num_threads());
#endif
    // Flush denormals to zero on this thread, as TensorFlow does on CPU: Adam's moments for
    // weights whose gradient stays zero (MNIST's empty borders) decay into denormal floats,
    // and arithmetic on them made the optimizer pass several times slower. The setting is
    // per thread, so the training thread calls this itself.
    at::globalContext().setFlushDenormal(true);
    return threads;
}

int ThreadSetup::loopThreads()
{
    // Each chunk notes the pool thread it ran on.
    std::atomic<uint64_t> seen{0};
    at::parallel_for(0, 1024, 1, [&](int64_t, int64_t) {
        seen |= uint64_t(1) << std::min(at::get_thread_num(), 63);
    });
    int count = 0;
    for (uint64_t bits = seen; bits != 0; bits &= bits - 1)
        ++count;
    return count;
}

} // namespace trainbench
