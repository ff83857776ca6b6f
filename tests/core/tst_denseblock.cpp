// DenseBlock's fused CPU path (one GEMM, bias and activation in one autograd node) against
// libtorch's own linear and activations: outputs and all three gradients.
#include "model/denseblock.h"
#include "referenceactivation.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace trainbench;

namespace {

torch::Tensor reference(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b,
                        Activation activation)
{
    return referenceActivation(torch::linear(x, w, b), activation);
}

} // namespace

class TestDenseBlock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesLibtorch_data()
    {
        QTest::addColumn<int>("activation");
        QTest::addColumn<int>("inputs");
        QTest::addColumn<int>("units");
        QTest::addColumn<bool>("inputGrad");
        QTest::newRow("MLP's first: 784->256, relu")
            << int(Activation::ReLU) << 784 << 256 << false;
        QTest::newRow("hidden: 256->128, relu, input gradient")
            << int(Activation::ReLU) << 256 << 128 << true;
        QTest::newRow("head: 128->10, none, input gradient")
            << int(Activation::None) << 128 << 10 << true;
        QTest::newRow("tanh, input gradient") << int(Activation::Tanh) << 30 << 17 << true;
        QTest::newRow("sigmoid, input gradient") << int(Activation::Sigmoid) << 9 << 33 << true;
    }

    void matchesLibtorch()
    {
        QFETCH(int, activation);
        QFETCH(int, inputs);
        QFETCH(int, units);
        QFETCH(bool, inputGrad);
        torch::manual_seed(units);
        DenseBlock block(inputs, units, Activation(activation));
        {
            torch::NoGradGuard noGrad;
            block->weight.uniform_(-0.2, 0.2);
            block->bias.uniform_(-0.2, 0.2);
        }
        const auto x = torch::randn({32, inputs}).requires_grad_(inputGrad);
        const auto out = block->forward(x);
        const auto expected = reference(x, block->weight, block->bias, Activation(activation));
        QCOMPARE(out.sizes().vec(), expected.sizes().vec());
        QVERIFY(torch::allclose(out, expected, 1e-5, 1e-5));
        // One node: the fused path, not libtorch's chain of five.
        QVERIFY(out.grad_fn());
        QVERIFY2(out.grad_fn()->name().find("DenseFunction") != std::string::npos,
                 out.grad_fn()->name().c_str());

        const auto upstream = torch::randn_like(out);
        std::vector<torch::Tensor> wrt{block->weight, block->bias};
        if (inputGrad)
            wrt.push_back(x);
        const auto ours = torch::autograd::grad({out}, wrt, {upstream});
        const auto theirs = torch::autograd::grad({expected}, wrt, {upstream});
        for (size_t i = 0; i < wrt.size(); ++i) {
            QVERIFY2(theirs[i].abs().sum().item<float>() > 0.0f,
                     "the reference gradient is not trivial");
            QCOMPARE(ours[i].sizes().vec(), theirs[i].sizes().vec());
            QVERIFY2(torch::allclose(ours[i], theirs[i], 1e-4, 1e-5),
                     qPrintable(QStringLiteral("gradient %1 differs by %2")
                                    .arg(i)
                                    .arg((ours[i] - theirs[i]).abs().max().item<float>())));
        }
        // The weight's gradient has the weight's layout: the optimizer takes it without a copy.
        QCOMPARE(ours[0].strides().vec(), block->weight.strides().vec());
    }

    void withoutGradientsItIsTheSameFunction()
    {
        DenseBlock block(20, 7, Activation::ReLU);
        {
            torch::NoGradGuard noGrad;
            block->weight.uniform_(-1, 1);
            block->bias.uniform_(-1, 1);
        }
        const auto x = torch::randn({5, 20});
        const auto tracked = block->forward(x);
        torch::NoGradGuard noGrad;
        const auto plain = block->forward(x);
        QVERIFY(!plain.requires_grad());
        QVERIFY(torch::equal(plain, tracked.detach()));
    }

    void tensorsOffTheCpuTakeLibtorchsOps()
    {
        // No GPU here: the meta device stands in for one (shapes, no memory). The fused node
        // reads and writes memory through data pointers, so it must not see such tensors.
        DenseBlock block(20, 7, Activation::ReLU);
        const auto meta = torch::TensorOptions().device(torch::kMeta);
        block->weight = torch::empty({7, 20}, meta.requires_grad(true));
        block->bias = torch::empty({7}, meta.requires_grad(true));
        // libtorch 1.13 has no meta ReLU: reaching its dispatcher for the Meta backend (instead
        // of the fused node, which would dereference no memory) is what says so.
        QString reached;
        try {
            const auto out = block->forward(torch::empty({5, 20}, meta));
            QVERIFY(out.is_meta());
            QCOMPARE(out.sizes().vec(), (std::vector<int64_t>{5, 7}));
        } catch (const c10::Error& e) {
            reached = QString::fromUtf8(e.what_without_backtrace());
        }
        if (!reached.isEmpty())
            QVERIFY2(reached.contains("'Meta' backend"), qPrintable(reached));
        DenseBlock linear(20, 7, Activation::None);
        linear->weight = block->weight;
        linear->bias = block->bias;
        const auto out = linear->forward(torch::empty({5, 20}, meta));
        QVERIFY(out.is_meta());
        QCOMPARE(out.sizes().vec(), (std::vector<int64_t>{5, 7}));
    }

    void reluKeepsNaN()
    {
        DenseBlock block(2, 1, Activation::ReLU);
        const auto x = torch::tensor({{std::nanf(""), 1.0f}});
        QVERIFY(std::isnan(block->forward(x).item<float>()));
    }
};

QTEST_GUILESS_MAIN(TestDenseBlock)
#include "tst_denseblock.moc"
