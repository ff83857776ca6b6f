// ThreadSetup: core's own parallel loops (the direct convolution, dropout, the optimizer's pass)
// really run on libtorch's pool, which they do only where core was compiled with OpenMP.
#include "model/splitgemm.h"
#include "platform/threadsetup.h"
#include "trainbench/platform/platform.h"

#include <ATen/Parallel.h>

#include <QDir>
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
        ThreadSetup::apply(2);
        const int threads = ThreadSetup::loopThreads();
        ThreadSetup::apply(1);
        const int single = ThreadSetup::loopThreads();
        at::set_num_threads(before);
#if defined(TRAINBENCH_CORE_OPENMP)
        QCOMPARE(threads, 2);
#else
        QCOMPARE(threads, 1); // no OpenMP in this build: the loops run where they are called
#endif
        QCOMPARE(single, 1);
    }

    void thePoolHasTheCoresAndOpenBlasOne()
    {
        if (std::thread::hardware_concurrency() < 2)
            QSKIP("one core: nothing to split over");
        const int before = at::get_num_threads();
        QCOMPARE(ThreadSetup::apply(2), 2);
        QCOMPARE(at::get_num_threads(), 2);
        // With OpenBLAS held at one thread the Dense layers split their GEMMs over the pool;
        // another BLAS keeps its own threading and nothing splits.
        using Get = int (*)();
        const auto get = reinterpret_cast<Get>(Platform::findSymbol("openblas_get_num_threads"));
        if (get)
            QCOMPARE(get(), 1);
        QCOMPARE(SplitGemm::enabled(), get != nullptr);
        ThreadSetup::apply(1);
        QVERIFY(!SplitGemm::enabled()); // one thread: nothing to split over
        at::set_num_threads(before);
    }

    void applyingTheSameCountStartsNoThreads()
    {
#if defined(Q_OS_LINUX)
        // A program applies the set-up more than once (at start, then per run); the same
        // count again must not replace any of libtorch's threads.
        const auto threads = [] {
            QStringList ids = QDir(QStringLiteral("/proc/self/task"))
                                  .entryList(QDir::Dirs | QDir::NoDotAndDotDot);
            ids.sort();
            return ids;
        };
        const int count = std::max(2, int(std::thread::hardware_concurrency()));
        ThreadSetup::apply(count);
        // The control: setting the count directly does replace threads (libtorch's second
        // pool); a libtorch without that pool has nothing to show here.
        const QStringList start = threads();
        at::set_num_threads(count);
        if (threads() == start)
            QSKIP("this libtorch replaces no threads when its thread count is set");
        const QStringList before = threads();
        ThreadSetup::apply(count);
        ThreadSetup::apply(count);
        QCOMPARE(threads(), before);
#else
        QSKIP("reads the thread list from /proc");
#endif
    }
};

QTEST_GUILESS_MAIN(TestThreadSetup)
#include "tst_threadsetup.moc"
