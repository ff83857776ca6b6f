// ThreadSetup: core's own parallel loops (the direct convolution, dropout, the optimizer's pass)
// really run on libtorch's pool, which they do only where core was compiled with OpenMP.
#include "platform/threadsetup.h"
#include "trainbench/platform/platform.h"

#include <ATen/Parallel.h>

#include <QtTest/QtTest>

#include <thread>

using namespace trainbench;

class TestThreadSetup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void coreLoopsUseThePool()
    {
        if (std::thread::hardware_concurrency() < 2)
            QSKIP("one core: nothing to split over");
        const int before = at::get_num_threads();
        ThreadSetup::apply(2, ThreadSetup::Work::Convolution);
        const int threads = ThreadSetup::loopThreads();
        ThreadSetup::apply(1, ThreadSetup::Work::Convolution);
        const int single = ThreadSetup::loopThreads();
        at::set_num_threads(before);
#if defined(TRAINBENCH_CORE_OPENMP)
        QCOMPARE(threads, 2);
#else
        QCOMPARE(threads, 1); // no OpenMP in this build: the loops run where they are called
#endif
        QCOMPARE(single, 1);
    }

    void eachWorkGivesItsPoolTheThreads()
    {
        if (std::thread::hardware_concurrency() < 2)
            QSKIP("one core: nothing to split over");
        const int before = at::get_num_threads();
        QCOMPARE(ThreadSetup::apply(2, ThreadSetup::Work::Convolution), 2);
        QCOMPARE(at::get_num_threads(), 2);
        ThreadSetup::apply(2, ThreadSetup::Work::Gemm);
        // With OpenBLAS the GEMMs take the cores and libtorch's pool keeps one; without it
        // (the reference BLAS) libtorch's pool has them all.
        const bool openBlas = Platform::findSymbol("openblas_set_num_threads") != nullptr;
        QCOMPARE(at::get_num_threads(), openBlas ? 1 : 2);
#if defined(TRAINBENCH_CORE_OPENMP)
        QCOMPARE(ThreadSetup::loopThreads(), openBlas ? 1 : 2); // core's loops follow the pool
#endif
        at::set_num_threads(before);
    }
};

QTEST_GUILESS_MAIN(TestThreadSetup)
#include "tst_threadsetup.moc"
