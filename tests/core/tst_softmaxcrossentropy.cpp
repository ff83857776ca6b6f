// SoftmaxCrossEntropy's fused CPU loss against libtorch's cross_entropy and arg-max: the loss,
// its gradient, the hit count, and labels outside the classes.
#include "train/softmaxcrossentropy.h"

// Before Qt's headers: torch's jit headers use the name `slots`.
#include <torch/torch.h>

#include <QtTest/QtTest>

#include <limits>

using namespace trainbench;

class TestSoftmaxCrossEntropy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesLibtorch_data()
    {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("classes");
        QTest::addColumn<double>("spread");
        QTest::newRow("MNIST batch") << 32 << 10 << 3.0;
        QTest::newRow("last batch of one") << 1 << 10 << 3.0;
        QTest::newRow("large logits") << 16 << 7 << 80.0;
        QTest::newRow("two classes") << 5 << 2 << 1.0;
    }

    void matchesLibtorch()
    {
        QFETCH(int, batch);
        QFETCH(int, classes);
        QFETCH(double, spread);
        torch::manual_seed(batch * classes);
        const auto logits = (torch::randn({batch, classes}) * spread).requires_grad_(true);
        const auto labels = torch::randint(classes, {batch}, torch::kLong);
        const auto ours = SoftmaxCrossEntropy::compute(logits, labels);
        QVERIFY(ours.loss.grad_fn()->name().find("LossFunction") != std::string::npos);
        const auto theirs = torch::nn::functional::cross_entropy(logits, labels);
        QVERIFY2(
            torch::allclose(ours.loss, theirs, 1e-5, 1e-5),
            qPrintable(
                QStringLiteral("%1 vs %2").arg(ours.loss.item<float>()).arg(theirs.item<float>())));
        QCOMPARE(ours.hits.item<int64_t>(), logits.argmax(1).eq(labels).sum().item<int64_t>());
        const auto a = torch::autograd::grad({ours.loss * 3.0}, {logits})[0];
        const auto b = torch::autograd::grad({theirs * 3.0}, {logits})[0];
        QVERIFY2(torch::allclose(a, b, 1e-5, 1e-6),
                 qPrintable(QString::number((a - b).abs().max().item<float>())));
    }

    void hitsCountTiesAndNaNAsArgMaxDoes()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const auto logits = torch::tensor({{1.0f, 3.0f, 3.0f}, {nan, 5.0f, 1.0f}, {0.f, 1.f, nan}});
        const auto labels = torch::tensor({1, 0, 2}, torch::kLong);
        const auto ours = SoftmaxCrossEntropy::compute(logits, labels);
        QCOMPARE(ours.hits.item<int64_t>(), logits.argmax(1).eq(labels).sum().item<int64_t>());
        QCOMPARE(ours.hits.item<int64_t>(), int64_t(3));
        QVERIFY(std::isnan(ours.loss.item<float>()));
    }

    void tensorsOffTheCpuTakeLibtorchsOps()
    {
        // No GPU here: the meta device stands in for one (shapes, no memory).
        const auto meta = torch::TensorOptions().device(torch::kMeta);
        const auto logits = torch::empty({4, 10}, meta.requires_grad(true));
        const auto labels = torch::empty({4}, meta.dtype(torch::kLong));
        QString reached;
        try {
            const auto result = SoftmaxCrossEntropy::compute(logits, labels);
            QVERIFY(result.loss.is_meta());
            QVERIFY(result.hits.is_meta());
            return;
        } catch (const c10::Error& e) {
            reached = QString::fromUtf8(e.what()); // an op libtorch 1.13 has no meta kernel for
        }
        QVERIFY2(!reached.contains("data_ptr") && !reached.contains("storage"),
                 qPrintable(reached));
    }

    void aLabelOutsideTheClassesIsRefusedAsLibtorchRefusesIt()
    {
        const auto logits = torch::randn({4, 10});
        const auto labels = torch::tensor({1, 2, 10, 3}, torch::kLong);
        QVERIFY_THROWS_EXCEPTION(c10::Error, SoftmaxCrossEntropy::compute(logits, labels));
        QVERIFY_THROWS_EXCEPTION(
            c10::Error,
            SoftmaxCrossEntropy::compute(logits, torch::tensor({-1, 0, 0, 0}, torch::kLong)));
    }
};

QTEST_GUILESS_MAIN(TestSoftmaxCrossEntropy)
#include "tst_softmaxcrossentropy.moc"
