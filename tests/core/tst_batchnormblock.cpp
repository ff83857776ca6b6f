// BatchNormBlock's fused CPU path against libtorch's batch norm, forward and backward: outputs,
// running statistics, the batch count and all three gradients, for NCHW maps, channels-last
// maps and [N, C] rows; statistics that stay exact when the mean dwarfs the spread; evaluation;
// the ReLU of the layer before applied on the way in; and a checkpoint's worth of state named
// and ordered as libtorch's BatchNorm has it.
#include "model/batchnormblock.h"

#include <torch/torch.h>

#include <QtTest/QtTest> // after torch: Qt's "slots" macro breaks torch's headers

using namespace trainbench;

class TestBatchNormBlock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesLibtorch_data()
    {
        QTest::addColumn<QList<int>>("shape");
        QTest::addColumn<bool>("channelsLast");
        QTest::addColumn<double>("offset");
        QTest::addColumn<bool>("relu"); // the layer before's ReLU, applied by the block
        QTest::newRow("NCHW maps, few channels (the first block)")
            << QList<int>{32, 8, 14, 14} << false << 0.0 << false;
        QTest::newRow("channels-last maps") << QList<int>{16, 24, 7, 7} << true << 0.0 << false;
        QTest::newRow("channels-last, odd sizes") << QList<int>{3, 5, 3, 7} << true << 0.5 << false;
        QTest::newRow("NCHW, odd sizes") << QList<int>{5, 3, 9, 5} << false << -2.0 << false;
        QTest::newRow("rows: [N, C] after a Dense layer")
            << QList<int>{32, 256} << false << 0.0 << false;
        QTest::newRow("rows, more than one block of rows")
            << QList<int>{700, 5} << false << 1.0 << false;
        QTest::newRow("mean far above the spread")
            << QList<int>{8, 4, 6, 6} << false << 1000.0 << false;
        QTest::newRow("mean far above the spread, rows")
            << QList<int>{600, 3} << false << -3000.0 << false;
        QTest::newRow("ReLU before, NCHW maps")
            << QList<int>{16, 6, 10, 10} << false << 0.0 << true;
        QTest::newRow("ReLU before, channels-last maps")
            << QList<int>{8, 16, 7, 7} << true << 0.3 << true;
        QTest::newRow("ReLU before, rows") << QList<int>{300, 17} << false << 0.0 << true;
        QTest::newRow("one channel: NCHW and channels-last at once")
            << QList<int>{4, 1, 6, 6} << false << 0.0 << false;
        QTest::newRow("1x1 maps: NCHW and channels-last at once")
            << QList<int>{6, 5, 1, 1} << false << 0.0 << true;
        QTest::newRow("one image") << QList<int>{1, 8, 5, 5} << false << 0.0 << false;
    }

    void matchesLibtorch()
    {
        QFETCH(bool, relu);
        QFETCH(QList<int>, shape);
        QFETCH(bool, channelsLast);
        QFETCH(double, offset);
        std::vector<int64_t> sizes(shape.begin(), shape.end());
        torch::manual_seed(int(sizes[1]));
        const int64_t channels = sizes[1];
        BatchNormBlock block(channels, 1e-3, 0.1, relu ? Activation::ReLU : Activation::None);
        {
            torch::NoGradGuard noGrad;
            block->weight.uniform_(0.5, 1.5);
            block->bias.uniform_(-0.5, 0.5);
            block->runningMean.uniform_(-0.1, 0.1);
        }
        // A spread of 0.01 around `offset`: float's E[x^2] - E[x]^2 would lose it entirely.
        auto base = torch::randn(sizes) * (std::abs(offset) > 100 ? 0.01 : 1.0) + offset;
        if (channelsLast)
            base = base.contiguous(at::MemoryFormat::ChannelsLast);
        const auto x = base.clone().requires_grad_();
        const auto xRef = base.clone().requires_grad_();
        const auto gamma = block->weight.detach().clone().requires_grad_();
        const auto beta = block->bias.detach().clone().requires_grad_();
        auto refMean = block->runningMean.to(torch::kDouble);
        auto refVar = block->runningVar.to(torch::kDouble);

        block->train();
        const auto out = block->forward(x);
        // The reference in double: with a large offset float's own rounding of x shows.
        const auto expected =
            torch::batch_norm((relu ? torch::relu(xRef) : xRef).to(torch::kDouble),
                              gamma.to(torch::kDouble), beta.to(torch::kDouble), refMean, refVar,
                              true, 0.1, 1e-3, false)
                .to(torch::kFloat);
        QCOMPARE(out.sizes().vec(), expected.sizes().vec());
        if (sizes.size() == 4)
            QVERIFY(out.is_contiguous(at::MemoryFormat::ChannelsLast));
        const double tolerance = std::abs(offset) > 100 ? 1e-3 : 1e-4;
        QVERIFY2(torch::allclose(out, expected, tolerance, tolerance),
                 qPrintable(QString::number((out - expected).abs().max().item<double>())));
        QVERIFY(torch::allclose(block->runningMean, refMean.to(torch::kFloat), 1e-4, 1e-5));
        QVERIFY(torch::allclose(block->runningVar, refVar.to(torch::kFloat), 1e-3, 1e-6));
        QCOMPARE(block->batchesSeen.item<int64_t>(), int64_t(1));

        // The gradient the next layer hands back: channels-last for NCHW input (the block's own
        // output is channels-last), NCHW for channels-last input (both orders reach backward).
        auto g = torch::randn_like(expected);
        if (sizes.size() == 4)
            g = g.contiguous(channelsLast ? at::MemoryFormat::Contiguous
                                          : at::MemoryFormat::ChannelsLast);
        out.backward(g);
        expected.backward(g);
        QVERIFY2(torch::allclose(x.grad(), xRef.grad(), tolerance, tolerance),
                 qPrintable(QString::number((x.grad() - xRef.grad()).abs().max().item<double>())));
        // Sums over the batch: compared as vectors, relative to their size.
        auto close = [&](const torch::Tensor& a, const torch::Tensor& b) {
            return (a - b).norm().item<double>() <= tolerance * (1.0 + b.norm().item<double>());
        };
        QVERIFY2(close(block->weight.grad(), gamma.grad()),
                 qPrintable(QString("%1 vs %2")
                                .arg((block->weight.grad() - gamma.grad()).norm().item<double>())
                                .arg(gamma.grad().norm().item<double>())));
        QVERIFY(close(block->bias.grad(), beta.grad()));

        // Evaluation uses the running statistics, as libtorch's does.
        block->eval();
        torch::NoGradGuard noGrad;
        const auto evaluated = block->forward(base);
        const auto evalExpected = torch::batch_norm(
            relu ? torch::relu(base) : base, block->weight, block->bias, refMean.to(torch::kFloat),
            refVar.to(torch::kFloat), false, 0.1, 1e-3, false);
        QVERIFY(torch::allclose(evaluated, evalExpected, tolerance, tolerance));
    }

    void stateIsLibtorchs()
    {
        // Checkpoints list parameters and buffers in module order: the same as libtorch's.
        BatchNormBlock ours(6, 1e-3, 0.1);
        torch::nn::BatchNorm2d theirs(torch::nn::BatchNormOptions(6).eps(1e-3).momentum(0.1));
        const auto a = ours->named_parameters(), b = theirs->named_parameters();
        QCOMPARE(a.keys(), b.keys());
        const auto c = ours->named_buffers(), d = theirs->named_buffers();
        QCOMPARE(c.keys(), d.keys());
        for (size_t i = 0; i < c.size(); ++i) {
            QCOMPARE(c[i].value().scalar_type(), d[i].value().scalar_type());
            QVERIFY(torch::equal(c[i].value(), d[i].value()));
        }
    }

    void nanSpreadsAsInLibtorch()
    {
        // Without a ReLU before it a NaN input makes its channel NaN, forward and backward.
        BatchNormBlock block(3, 1e-3, 0.1);
        block->train();
        auto base = torch::randn({4, 3, 5, 5});
        base.index_put_({2, 1, 3, 3}, std::numeric_limits<float>::quiet_NaN());
        const auto x = base.clone().requires_grad_();
        const auto out = block->forward(x);
        QVERIFY(out.select(1, 1).isnan().all().item<bool>());
        QVERIFY(!out.select(1, 0).isnan().any().item<bool>());
        out.backward(torch::ones_like(out));
        QVERIFY(x.grad().select(1, 1).isnan().all().item<bool>());
    }

    void emptyBatchGivesEmptyOutput()
    {
        BatchNormBlock block(4, 1e-3, 0.1);
        block->train();
        QCOMPARE(block->forward(torch::randn({0, 4})).sizes().vec(), (std::vector<int64_t>{0, 4}));
    }

    void refusesOneValuePerChannel()
    {
        // libtorch's message for a batch of one row in training: no crash, a clear error.
        BatchNormBlock block(4, 1e-3, 0.1);
        block->train();
        QVERIFY_THROWS_EXCEPTION(c10::Error, block->forward(torch::randn({1, 4})));
    }
};

QTEST_GUILESS_MAIN(TestBatchNormBlock)
#include "tst_batchnormblock.moc"
