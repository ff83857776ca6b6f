// SplitGemm: the Dense layers' products split by column blocks over libtorch's pool give
// libtorch's own products, cover every column once, really run on the pool's threads, and work
// in the modes the layers are called in (inference mode, grad mode, inside a parallel loop).
#include "model/splitgemm.h"
#include "platform/threadsetup.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <QtTest/QtTest> // after torch: Qt's "slots" macro breaks torch's headers

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace trainbench;

class TestSplitGemm : public QObject
{
    Q_OBJECT

private:
    int m_threadsBefore = 1;
    bool m_enabledBefore = false;

private Q_SLOTS:
    void init()
    {
        m_threadsBefore = at::get_num_threads();
        m_enabledBefore = SplitGemm::enabled();
        at::set_num_threads(2);
        SplitGemm::setEnabled(true);
    }

    void cleanup()
    {
        at::set_num_threads(m_threadsBefore);
        SplitGemm::setEnabled(m_enabledBefore);
    }

    void matchesLibtorch_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("inner");
        QTest::addColumn<int>("columns");
        QTest::addColumn<bool>("transposedB");
        QTest::newRow("seed CNN forward: 32x6272 . 6272x256") << 32 << 6272 << 256 << true;
        QTest::newRow("input gradient: 32x256 . 256x6272") << 32 << 256 << 6272 << false;
        QTest::newRow("MLP: 32x784 . 784x256") << 32 << 784 << 256 << true;
        QTest::newRow("odd columns: 32x500 . 500x1001") << 32 << 500 << 1001 << false;
        QTest::newRow("narrower than two blocks: 64x300 . 300x31") << 64 << 300 << 31 << true;
        QTest::newRow("too small to split: 4x8 . 8x40") << 4 << 8 << 40 << false;
    }

    void matchesLibtorch()
    {
        QFETCH(int, rows);
        QFETCH(int, inner);
        QFETCH(int, columns);
        QFETCH(bool, transposedB);
        torch::manual_seed(columns);
        const auto a = torch::randn({rows, inner});
        // The layers pass weight.t() and delta.t(): strided views, not copies.
        const auto b =
            transposedB ? torch::randn({columns, inner}).t() : torch::randn({inner, columns});
        const auto bias = torch::randn({columns});
        const auto expected = torch::mm(a, b);
        const auto product = SplitGemm::mm(a, b);
        QCOMPARE(product.sizes().vec(), expected.sizes().vec());
        QVERIFY(product.is_contiguous());
        QVERIFY(torch::allclose(product, expected, 1e-4, 1e-4));

        std::vector<std::atomic<int>> seen(static_cast<size_t>(columns));
        for (auto& s : seen)
            s = 0;
        const auto withBias =
            SplitGemm::addmm(bias, a, b, [&](torch::Tensor& out, int64_t begin, int64_t end) {
                // On the pool's threads: counted here, checked after (QtTest is not thread-safe).
                if (out.size(1) != columns)
                    return;
                for (int64_t c = begin; c < end; ++c)
                    ++seen[size_t(c)];
            });
        QVERIFY(torch::allclose(withBias, torch::addmm(bias, a, b), 1e-4, 1e-4));
        for (int c = 0; c < columns; ++c)
            QCOMPARE(seen[size_t(c)].load(), 1); // every column block handed over exactly once
    }

    void runsOnThePool()
    {
        if (std::thread::hardware_concurrency() < 2)
            QSKIP("one core: nothing to split over");
        const auto a = torch::randn({32, 6272});
        const auto b = torch::randn({256, 6272}).t();
        std::mutex lock;
        std::set<int> threads;
        std::atomic<int> parts{0};
        auto note = [&](torch::Tensor&, int64_t, int64_t) {
            ++parts;
            const std::lock_guard<std::mutex> hold(lock);
            threads.insert(at::get_thread_num());
        };
        SplitGemm::addmm(torch::zeros({256}), a, b, note);
        QCOMPARE(parts.load(), 2);
#if defined(TRAINBENCH_CORE_OPENMP)
        QCOMPARE(int(threads.size()), 2); // without OpenMP the parts run one after the other
#endif

        parts = 0;
        SplitGemm::setEnabled(false); // as where another BLAS keeps its own threads
        SplitGemm::addmm(torch::zeros({256}), a, b, note);
        QCOMPARE(parts.load(), 1);

#if defined(TRAINBENCH_CORE_OPENMP)
        // Called from inside a parallel loop (the pool is busy): no second team, one part each.
        SplitGemm::setEnabled(true);
        parts = 0;
        at::parallel_for(0, 2, 1, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i)
                SplitGemm::addmm(torch::zeros({256}), a, b, note);
        });
        QCOMPARE(parts.load(), 2);
#endif
    }

    void worksInTheCallersModes()
    {
        const auto a = torch::randn({32, 784}).requires_grad_();
        const auto w = torch::randn({256, 784}).requires_grad_();
        // Grad mode on and inputs needing gradients (inside an autograd function's forward):
        // the out= products must not be recorded, on any of the pool's threads.
        const auto tracked = SplitGemm::mm(a, w.t());
        QVERIFY(!tracked.requires_grad());
        QVERIFY(torch::allclose(tracked, torch::mm(a, w.t()).detach(), 1e-4, 1e-4));
        // Evaluation and prediction run in inference mode: the result is written in place on the
        // pool's threads, which must be in that mode too.
        const c10::InferenceMode inference;
        const auto x = torch::randn({32, 784});
        const auto product = SplitGemm::mm(x, w.detach().t());
        QVERIFY(product.is_inference());
        QVERIFY(torch::allclose(product, torch::mm(x, w.detach().t()), 1e-4, 1e-4));
    }
};

QTEST_GUILESS_MAIN(TestSplitGemm)
#include "tst_splitgemm.moc"
