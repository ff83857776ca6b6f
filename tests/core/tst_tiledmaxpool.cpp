// The tiled max pool (windows at stride = size, no padding) against libtorch's max_pool2d,
// forward and backward, on NCHW and channels-last maps: sizes that tile the map and sizes that
// leave rows and columns over, NaN winning its window as in libtorch, and the layout it returns.
#include "model/tiledmaxpool.h"

#include <torch/torch.h>

#include <QtTest/QtTest> // after torch: Qt's "slots" macro breaks torch's headers

using namespace trainbench;

class TestTiledMaxPool : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesLibtorch_data()
    {
        QTest::addColumn<QList<int>>("shape");
        QTest::addColumn<int>("size");
        QTest::addColumn<bool>("channelsLast");
        QTest::newRow("channels-last 28x28 by 2 (deep-cnn's first)")
            << QList<int>{8, 32, 28, 28} << 2 << true;
        QTest::newRow("channels-last 7x7 by 2: a row and a column over")
            << QList<int>{4, 128, 7, 7} << 2 << true;
        QTest::newRow("channels-last, odd channels, by 3") << QList<int>{3, 37, 9, 10} << 3 << true;
        QTest::newRow("channels-last, few channels (libtorch's pool)")
            << QList<int>{4, 16, 10, 10} << 2 << true;
        QTest::newRow("NCHW 14x14 by 2") << QList<int>{4, 6, 14, 14} << 2 << false;
        QTest::newRow("NCHW 11x9 by 2") << QList<int>{2, 3, 11, 9} << 2 << false;
        QTest::newRow("one channel (both layouts at once)") << QList<int>{5, 1, 8, 8} << 2 << false;
    }

    void matchesLibtorch()
    {
        QFETCH(QList<int>, shape);
        QFETCH(int, size);
        QFETCH(bool, channelsLast);
        torch::manual_seed(shape[1]);
        auto base = torch::randn(std::vector<int64_t>(shape.begin(), shape.end()));
        if (channelsLast)
            base = base.contiguous(at::MemoryFormat::ChannelsLast);
        const auto x = base.clone().requires_grad_();
        const auto xRef = base.clone().requires_grad_();
        const auto out = tiledMaxPool(x, size);
        const auto expected = torch::max_pool2d(xRef, size, size);
        QCOMPARE(out.sizes().vec(), expected.sizes().vec());
        QVERIFY(torch::equal(out, expected)); // a maximum is exact
        if (channelsLast)
            QVERIFY(out.is_contiguous(at::MemoryFormat::ChannelsLast));
        const auto g = torch::randn_like(expected);
        out.backward(g);
        expected.backward(g);
        QVERIFY(torch::equal(x.grad(), xRef.grad()));
        if (channelsLast)
            QVERIFY(x.grad().is_contiguous(at::MemoryFormat::ChannelsLast));
    }

    void tiesGoWhereLibtorchSendsThem()
    {
        // After a ReLU whole windows are 0: the gradient goes to the same value as libtorch's.
        for (const bool channelsLast : {true, false}) {
            auto base = torch::relu(torch::randn({4, 32, 8, 8}) - 1.0);
            if (channelsLast)
                base = base.contiguous(at::MemoryFormat::ChannelsLast);
            const auto x = base.clone().requires_grad_();
            const auto xRef = base.clone().requires_grad_();
            const auto g = torch::randn({4, 32, 4, 4});
            tiledMaxPool(x, 2).backward(g);
            torch::max_pool2d(xRef, 2, 2).backward(g);
            QVERIFY(torch::equal(x.grad(), xRef.grad()));
        }
    }

    void nanWinsItsWindow()
    {
        auto x = torch::rand({2, 32, 4, 4}).contiguous(at::MemoryFormat::ChannelsLast);
        x.index_put_({0, 1, 1, 0}, std::numeric_limits<float>::quiet_NaN());
        const auto out = tiledMaxPool(x, 2);
        QVERIFY(std::isnan(out.index({0, 1, 0, 0}).item<float>()));
        QCOMPARE(int(out.isnan().sum().item<int64_t>()), 1);
        QVERIFY(out.is_contiguous(at::MemoryFormat::ChannelsLast));
        // The NaN's position gets the gradient; the window's other values none.
        const auto xg = x.clone().requires_grad_();
        tiledMaxPool(xg, 2).sum().backward();
        QCOMPARE(xg.grad().index({0, 1, 1, 0}).item<float>(), 1.0f);
        QCOMPARE(xg.grad().index({0, 1, 0, 0}).item<float>(), 0.0f);
    }
};

QTEST_GUILESS_MAIN(TestTiledMaxPool)
#include "tst_tiledmaxpool.moc"
