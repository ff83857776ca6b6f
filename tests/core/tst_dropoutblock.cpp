// DropoutBlock's CPU path: the rate and scale of its masks, its gradient, evaluation, and masks
// that libtorch's generator state reproduces on any number of threads.
#include "model/dropoutblock.h"

#include <QtTest/QtTest>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/torch.h>

using namespace trainbench;

class TestDropoutBlock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dropsAtTheRateAndScalesTheRest_data()
    {
        QTest::addColumn<double>("rate");
        QTest::newRow("0.2") << 0.2;
        QTest::newRow("0.5") << 0.5;
        QTest::newRow("0.9") << 0.9;
    }

    void dropsAtTheRateAndScalesTheRest()
    {
        QFETCH(double, rate);
        torch::manual_seed(1);
        DropoutBlock dropout(rate);
        dropout->train();
        const auto x = torch::rand({64, 4096}) + 1.0f; // no zeros of its own
        const auto out = dropout->forward(x);
        const auto dropped = out.eq(0).to(torch::kDouble).mean().item<double>();
        // 262,144 draws: the standard error is below 0.001.
        QVERIFY2(std::abs(dropped - rate) < 0.005, qPrintable(QString::number(dropped)));
        const auto kept = out.ne(0);
        QVERIFY(torch::allclose(out.masked_select(kept), x.masked_select(kept) / (1.0 - rate), 1e-6,
                                1e-6));
        // Neighbouring values are independent: as many kept pairs as chance gives.
        const auto pairs = (kept.narrow(1, 0, 4095) & kept.narrow(1, 1, 4095))
                               .to(torch::kDouble)
                               .mean()
                               .item<double>();
        QVERIFY2(std::abs(pairs - (1 - rate) * (1 - rate)) < 0.005,
                 qPrintable(QString::number(pairs)));
    }

    void gradientFollowsTheMask()
    {
        torch::manual_seed(2);
        DropoutBlock dropout(0.3);
        dropout->train();
        const auto x = (torch::rand({32, 256}) + 0.5f).requires_grad_(true);
        const auto out = dropout->forward(x);
        QVERIFY(out.grad_fn()->name().find("DropoutFunction") != std::string::npos);
        const auto upstream = torch::randn_like(out);
        const auto grad = torch::autograd::grad({out}, {x}, {upstream})[0];
        const auto scale = (out / x).detach(); // 0 or 1 / 0.7
        QVERIFY(torch::allclose(grad, upstream * scale, 1e-6, 1e-6));
    }

    void tensorsOffTheCpuTakeLibtorchsOps()
    {
        // No GPU here: the meta device stands in for one (shapes, no memory).
        DropoutBlock dropout(0.5);
        dropout->train();
        const auto x =
            torch::empty({8, 16}, torch::TensorOptions().device(torch::kMeta).requires_grad(true));
        const auto out = dropout->forward(x);
        QVERIFY(out.is_meta());
        QCOMPARE(out.sizes().vec(), x.sizes().vec());
        QVERIFY(out.grad_fn()->name().find("DropoutFunction") == std::string::npos);
    }

    void channelsLastMapsKeepTheirLayout()
    {
        // deep-cnn's maps reach its dropout channels-last: no copy back to NCHW.
        torch::manual_seed(3);
        DropoutBlock dropout(0.25);
        dropout->train();
        const auto x = (torch::rand({4, 16, 3, 3}) + 0.5f)
                           .contiguous(at::MemoryFormat::ChannelsLast)
                           .requires_grad_(true);
        const auto out = dropout->forward(x);
        QVERIFY(out.is_contiguous(at::MemoryFormat::ChannelsLast));
        const auto scale = (out / x).detach();
        QVERIFY((scale.eq(0) | scale.sub(1.0 / 0.75).abs().lt(1e-6)).all().item<bool>());
        const auto upstream = torch::randn({4, 16, 3, 3}); // NCHW: backward matches the layouts
        const auto grad = torch::autograd::grad({out}, {x}, {upstream})[0];
        QVERIFY(torch::allclose(grad, upstream * scale, 1e-6, 1e-6));
    }

    void evaluationPassesTheInputThrough()
    {
        DropoutBlock dropout(0.5);
        dropout->eval();
        const auto x = torch::randn({8, 16});
        QVERIFY(torch::equal(dropout->forward(x), x));
    }

    void theGeneratorStateReproducesTheMasksOnAnyThreadCount()
    {
        DropoutBlock dropout(0.4);
        dropout->train();
        const auto x = torch::ones({300000}); // several chunks of the parallel loop
        torch::manual_seed(7);
        auto generator = at::detail::getDefaultCPUGenerator();
        const auto state = generator.get_state();
        const int threads = at::get_num_threads();
        at::set_num_threads(1);
        const auto first = dropout->forward(x);
        const auto second = dropout->forward(x);
        generator.set_state(state);
        at::set_num_threads(2);
        const auto again = dropout->forward(x);
        at::set_num_threads(threads);
        QVERIFY(torch::equal(first, again));
        QVERIFY(!torch::equal(first, second)); // the generator moved on between calls
    }
};

QTEST_GUILESS_MAIN(TestDropoutBlock)
#include "tst_dropoutblock.moc"
