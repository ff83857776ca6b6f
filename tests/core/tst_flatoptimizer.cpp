// FlatOptimizer's overlapped step (large parameters updated on the helper thread while backward
// goes on) against its plain step: the same parameters and state, bit for bit.
#include "train/flatoptimizer.h"
#include "trainbench/common/error.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace trainbench;

namespace {

/// A layer large enough to be updated in the background (120,000 weights) and a small one.
std::vector<torch::Tensor> makeParameters()
{
    torch::manual_seed(7);
    return {(torch::randn({300, 400}) * 0.05).requires_grad_(),
            torch::zeros({300}).requires_grad_(),
            (torch::randn({10, 300}) * 0.05).requires_grad_()};
}

torch::Tensor lossOf(const std::vector<torch::Tensor>& p, const torch::Tensor& x)
{
    const auto hidden = torch::tanh(torch::addmm(p[1], x, p[0].t()));
    return hidden.mm(p[2].t()).pow(2).mean();
}

} // namespace

class TestFlatOptimizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void overlappedStepMatchesPlainStep_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<bool>("background");
        QTest::newRow("adam, helper thread") << int(OptimizerType::Adam) << true;
        QTest::newRow("sgd with momentum, helper thread") << int(OptimizerType::Sgd) << true;
        QTest::newRow("rmsprop with momentum, helper thread")
            << int(OptimizerType::RmsProp) << true;
        QTest::newRow("adam, helper thread off") << int(OptimizerType::Adam) << false;
    }

    void overlappedStepMatchesPlainStep()
    {
        QFETCH(int, type);
        QFETCH(bool, background);
        OptimizerConfig config;
        config.type = OptimizerType(type);
        config.learningRate = 0.01;
        config.momentum = config.type == OptimizerType::Adam ? 0.0 : 0.9;
        auto plain = makeParameters();
        auto overlapped = makeParameters();
        FlatOptimizer plainOptimizer(plain, config);
        FlatOptimizer overlappedOptimizer(overlapped, config);
        overlappedOptimizer.setBackgroundUpdates(background);

        for (int step = 0; step < 6; ++step) {
            const auto x = torch::randn({16, 400});
            plainOptimizer.zeroGrad();
            lossOf(plain, x).backward();
            plainOptimizer.step(0.01);

            overlappedOptimizer.zeroGrad();
            overlappedOptimizer.beginStep(0.01);
            lossOf(overlapped, x).backward();
            overlappedOptimizer.finishStep();
        }
        // Only the 120,000-weight matrix is large enough for the helper thread.
        QCOMPARE(overlappedOptimizer.backgroundUpdates(), background ? 6 : 0);
        QCOMPARE(plainOptimizer.backgroundUpdates(), 0);
        for (size_t i = 0; i < plain.size(); ++i) {
            QVERIFY2(!torch::equal(plain[i], makeParameters()[i]), "the parameters moved");
            QVERIFY2(torch::equal(plain[i], overlapped[i]),
                     qPrintable(QStringLiteral("parameter %1").arg(i)));
            // The gradient autograd stored is the one the update used, not a copy of it.
            QVERIFY(overlapped[i].grad().defined());
            QVERIFY(torch::equal(plain[i].grad(), overlapped[i].grad()));
        }
    }

    // The tensor-op step (CUDA's, and any dtype but float on the CPU) against the CPU loop, on
    // parameters shaped like a convolution's, a Dense layer's and a bias.
    void tensorStepMatchesCpuLoop_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<double>("momentum");
        QTest::newRow("adam") << int(OptimizerType::Adam) << 0.0;
        QTest::newRow("sgd") << int(OptimizerType::Sgd) << 0.0;
        QTest::newRow("sgd with momentum") << int(OptimizerType::Sgd) << 0.9;
        QTest::newRow("rmsprop with momentum") << int(OptimizerType::RmsProp) << 0.9;
    }

    void tensorStepMatchesCpuLoop()
    {
        QFETCH(int, type);
        QFETCH(double, momentum);
        OptimizerConfig config;
        config.type = OptimizerType(type);
        config.momentum = momentum;
        torch::manual_seed(3);
        const std::vector<torch::Tensor> start{
            torch::randn({32, 1, 3, 3}),
            torch::randn({8, 4, 3, 3}).contiguous(torch::MemoryFormat::ChannelsLast),
            torch::randn({10, 20}), torch::randn({20, 10}).t(), torch::randn({10})};
        std::vector<torch::Tensor> loop;
        std::vector<torch::Tensor> tensors;
        for (const auto& p : start) {
            loop.push_back(p.clone().requires_grad_());
            // Double parameters take the tensor ops, as CUDA's do.
            tensors.push_back(p.to(torch::kDouble).requires_grad_());
        }
        FlatOptimizer loopOptimizer(loop, config);
        FlatOptimizer tensorOptimizer(tensors, config);
        for (int step = 0; step < 4; ++step) {
            std::vector<torch::Tensor> gradients;
            for (const auto& p : start)
                gradients.push_back(torch::randn(p.sizes()));
            for (size_t i = 0; i < start.size(); ++i) {
                loop[i].mutable_grad() = gradients[i].clone();
                tensors[i].mutable_grad() = gradients[i].to(torch::kDouble);
            }
            loopOptimizer.step(0.01);
            tensorOptimizer.step(0.01);
        }
        for (size_t i = 0; i < start.size(); ++i) {
            QVERIFY2(!torch::allclose(loop[i], start[i]), "the parameters moved");
            QVERIFY2(
                torch::allclose(tensors[i].to(torch::kFloat), loop[i], 1e-4, 1e-5),
                qPrintable(
                    QStringLiteral("parameter %1 differs by %2")
                        .arg(i)
                        .arg((tensors[i].to(torch::kFloat) - loop[i]).abs().max().item<float>())));
        }
    }

    void unfinishedStepIsCompletedByTheNextOne()
    {
        auto p = makeParameters();
        OptimizerConfig config;
        FlatOptimizer optimizer(p, config);
        optimizer.beginStep(0.001);
        lossOf(p, torch::randn({4, 400})).backward();
        optimizer.beginStep(0.001); // e.g. backward failed: the pending update is finished first
        optimizer.finishStep();
        QCOMPARE(optimizer.steps(), int64_t(2));
        optimizer.finishStep(); // nothing begun: nothing happens
        QCOMPARE(optimizer.steps(), int64_t(2));
    }

    void adamBetasOutsideTheUnitIntervalAreRefused()
    {
        // A beta of 1 divides by zero in the bias correction; the CPU loop and libtorch's fused
        // kernel would each answer it differently (no step, NaN).
        for (const auto& [beta1, beta2] :
             std::vector<std::pair<double, double>>{{0.9, 1.0}, {1.0, 0.999}, {-0.1, 0.999}}) {
            OptimizerConfig config;
            config.beta1 = beta1;
            config.beta2 = beta2;
            QVERIFY_THROWS_EXCEPTION(Error, FlatOptimizer(makeParameters(), config));
        }
        OptimizerConfig sgd;
        sgd.type = OptimizerType::Sgd;
        sgd.beta2 = 1.0; // not Adam's: not looked at
        FlatOptimizer optimizer(makeParameters(), sgd);
        QCOMPARE(optimizer.steps(), int64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestFlatOptimizer)
#include "tst_flatoptimizer.moc"
