// ConvBlock's direct CPU path (convolution, tiled max-pool and activation fused) against
// libtorch's own conv2d, max_pool2d and activations: outputs and all three gradients.
#include "model/convblock.h"
#include "model/tiledmaxpool.h"
#include "referenceactivation.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <limits>

using namespace trainbench;

namespace {

struct Case
{
    int64_t in, filters, kernel, size, pool;
    Padding padding;
    Activation activation;
    bool inputGrad;
    int64_t width = 0; ///< 0: square
};

torch::Tensor reference(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b,
                        const WindowGeometry& h, const WindowGeometry& v, const Case& c,
                        int64_t stride)
{
    auto y = torch::constant_pad_nd(x, {v.padBefore, v.padAfter, h.padBefore, h.padAfter});
    y = torch::conv2d(y, w, b, stride);
    if (c.pool > 1)
        y = torch::max_pool2d(y, c.pool, c.pool);
    return referenceActivation(y, c.activation);
}

} // namespace

class TestConvBlock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesLibtorch_data()
    {
        QTest::addColumn<int>("index");
        QTest::newRow("seed CNN: 1->32, 3x3 same, pool 2, relu") << 0;
        QTest::newRow("3->8, 5x5 valid, pool 3 (ragged edge), tanh") << 1;
        QTest::newRow("2->4, 3x3 same, pool 2, sigmoid, input gradient") << 2;
        QTest::newRow("1->6, 2x2 same (asymmetric padding), pool 2, none") << 3;
        QTest::newRow("8->5, 3x3 valid, pool 2, relu, input gradient") << 4;
        QTest::newRow("colour: 3->32, 3x3 same, 32x32, pool 2, relu") << 5;
        // Beyond the direct path: libtorch's convolution on channels-last maps.
        QTest::newRow("LeNet-5's second: 6->16, 5x5 valid, pool 2, relu, input gradient") << 6;
        QTest::newRow("deep CNN: 32->64, 3x3 same, 14x14, no pool, relu, input gradient") << 7;
        QTest::newRow("deep CNN's first: 1->32, 3x3 same, no pool, relu") << 8;
        QTest::newRow("1->5, 3x3 same, 28x20, pool 3 (ragged, not square), relu") << 9;
        QTest::newRow("1->4, 7x7 same (49 taps), pool 2, tanh") << 10;
    }

    void matchesLibtorch()
    {
        QFETCH(int, index);
        const Case cases[] = {
            {1, 32, 3, 28, 2, Padding::Same, Activation::ReLU, false},
            {3, 8, 5, 17, 3, Padding::Valid, Activation::Tanh, false},
            {2, 4, 3, 10, 2, Padding::Same, Activation::Sigmoid, true},
            {1, 6, 2, 11, 2, Padding::Same, Activation::None, false},
            {8, 5, 3, 12, 2, Padding::Valid, Activation::ReLU, true},
            {3, 32, 3, 32, 2, Padding::Same, Activation::ReLU, false},
            {6, 16, 5, 14, 2, Padding::Valid, Activation::ReLU, true},
            {32, 64, 3, 14, 1, Padding::Same, Activation::ReLU, true},
            {1, 32, 3, 28, 1, Padding::Same, Activation::ReLU, false},
            {1, 5, 3, 28, 3, Padding::Same, Activation::ReLU, false, 20},
            {1, 4, 7, 16, 2, Padding::Same, Activation::Tanh, false},
        };
        const Case& c = cases[index];
        torch::manual_seed(index);
        const int64_t width = c.width > 0 ? c.width : c.size;
        const auto h = WindowGeometry::compute(c.size, int(c.kernel), 1, c.padding);
        const auto v = WindowGeometry::compute(width, int(c.kernel), 1, c.padding);
        ConvBlock block(c.in, c.filters, c.kernel, 1, h, v, c.pool, c.activation);
        {
            torch::NoGradGuard noGrad;
            block->weight.uniform_(-0.5, 0.5);
            block->bias.uniform_(-0.2, 0.2);
        }
        const auto x = torch::randn({5, c.in, c.size, width}).requires_grad_(c.inputGrad);
        const auto out = block->forward(x);
        const auto expected = reference(x, block->weight, block->bias, h, v, c, 1);
        QCOMPARE(out.sizes().vec(), expected.sizes().vec());
        QVERIFY(torch::allclose(out, expected, 1e-5, 1e-5));
        if (c.in * c.kernel * c.kernel > 75) // the maps stay channels-last for the next layers
            QVERIFY(out.is_contiguous(at::MemoryFormat::ChannelsLast));

        const auto upstream = torch::randn_like(out);
        std::vector<torch::Tensor> wrt{block->weight, block->bias};
        if (c.inputGrad)
            wrt.push_back(x);
        const auto ours = torch::autograd::grad({out}, wrt, {upstream});
        const auto theirs = torch::autograd::grad({expected}, wrt, {upstream});
        for (size_t i = 0; i < wrt.size(); ++i) {
            QVERIFY2(theirs[i].abs().sum().item<float>() > 0.0f,
                     "the reference gradient is not trivial");
            QVERIFY2(torch::allclose(ours[i], theirs[i], 1e-4, 1e-4),
                     qPrintable(QStringLiteral("gradient %1 differs by %2")
                                    .arg(i)
                                    .arg((ours[i] - theirs[i]).abs().max().item<float>())));
        }
    }

    void nanWinsItsWindow()
    {
        const auto h = WindowGeometry::compute(4, 1, 1, Padding::Valid);
        ConvBlock block(1, 1, 1, 1, h, h, 2, Activation::ReLU);
        {
            torch::NoGradGuard noGrad;
            block->weight.fill_(1.0);
            block->bias.zero_();
        }
        auto x = torch::arange(16, torch::kFloat).view({1, 1, 4, 4});
        x[0][0][1][0] = std::numeric_limits<float>::quiet_NaN();
        const auto out = block->forward(x);
        QVERIFY(std::isnan(out[0][0][0][0].item<float>()));
        QCOMPARE(out[0][0][0][1].item<float>(), 7.0f);
        QCOMPARE(out[0][0][1][1].item<float>(), 15.0f);
    }

    void tensorsOffTheCpuNeverEnterTheCpuKernels()
    {
        // No GPU here: the meta device stands in for one (tensors with shapes but no memory).
        // The direct convolution and the tiled pool read and write memory through data
        // pointers, so a tensor that is not on the CPU must take libtorch's own ops, which keep
        // it on its device.
        const auto h = WindowGeometry::compute(28, 3, 1, Padding::Same);
        ConvBlock block(1, 32, 3, 1, h, h, 2, Activation::ReLU);
        const auto meta = torch::TensorOptions().device(torch::kMeta);
        block->weight = torch::empty({32, 1, 3, 3}, meta); // forward uses these members
        block->bias = torch::empty({32}, meta);
        const auto x = torch::empty({4, 1, 28, 28}, meta);
        // libtorch 1.13 has no meta convolution: reaching its dispatcher for another backend
        // (instead of the direct kernel, which would dereference no memory) is what says so.
        QString reached;
        try {
            block->forward(x);
        } catch (const c10::Error& e) {
            reached = QString::fromUtf8(e.what());
        }
        QVERIFY2(reached.contains("convolution_overrideable"), qPrintable(reached));
        const auto pooled = tiledMaxPool(torch::empty({4, 32, 28, 28}, meta), 2);
        QVERIFY(pooled.is_meta());
        QCOMPARE(pooled.sizes().vec(), (std::vector<int64_t>{4, 32, 14, 14}));
    }

    void strideTwoTakesTheLibtorchPath()
    {
        const auto h = WindowGeometry::compute(10, 3, 2, Padding::Same);
        ConvBlock block(1, 4, 3, 2, h, h, 1, Activation::ReLU);
        {
            torch::NoGradGuard noGrad;
            block->weight.uniform_(-0.5, 0.5);
        }
        const auto x = torch::randn({2, 1, 10, 10});
        const Case c{1, 4, 3, 10, 1, Padding::Same, Activation::ReLU, false};
        QVERIFY(torch::allclose(block->forward(x),
                                reference(x, block->weight, block->bias, h, h, c, 2)));
    }
};

QTEST_GUILESS_MAIN(TestConvBlock)
#include "tst_convblock.moc"
