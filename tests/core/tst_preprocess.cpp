#include "trainbench/common/error.h"
#include "trainbench/data/dataset.h"
#include "trainbench/infer/digitpreprocessor.h"
#include "trainbench/infer/predictor.h"
#include "trainbench/train/trainer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace trainbench;

namespace {

/// Draws a thick dark line on a light picture (a pen stroke).
void stroke(GrayImage& image, double x0, double y0, double x1, double y1, double radius,
            uint8_t ink = 0)
{
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const double dx = x1 - x0, dy = y1 - y0;
            const double t = std::clamp(
                ((x - x0) * dx + (y - y0) * dy) / std::max(1e-9, dx * dx + dy * dy), 0.0, 1.0);
            const double d = std::hypot(x - (x0 + t * dx), y - (y0 + t * dy));
            if (d <= radius)
                image.at(x, y) = ink;
        }
}

struct Box
{
    int left = 99, right = -1, top = 99, bottom = -1;
};

Box inkBox(const GrayImage& image)
{
    Box b;
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x)
            if (image.at(x, y) > 40) {
                b.left = std::min(b.left, x);
                b.right = std::max(b.right, x);
                b.top = std::min(b.top, y);
                b.bottom = std::max(b.bottom, y);
            }
    return b;
}

/// A 28x28 MNIST digit enlarged 10x (bilinear), inverted to black on white, placed off-centre.
GrayImage enlargedOffCentre(const uint8_t* digit, int offsetX, int offsetY)
{
    GrayImage page(400, 400, 255);
    for (int y = 0; y < 280; ++y)
        for (int x = 0; x < 280; ++x) {
            const double sx = std::clamp((x + 0.5) / 10.0 - 0.5, 0.0, 27.0);
            const double sy = std::clamp((y + 0.5) / 10.0 - 0.5, 0.0, 27.0);
            const int x0 = int(sx), y0 = int(sy);
            const int x1 = std::min(27, x0 + 1), y1 = std::min(27, y0 + 1);
            const double fx = sx - x0, fy = sy - y0;
            const double v =
                (1 - fy) * ((1 - fx) * digit[y0 * 28 + x0] + fx * digit[y0 * 28 + x1]) +
                fy * ((1 - fx) * digit[y1 * 28 + x0] + fx * digit[y1 * 28 + x1]);
            page.at(offsetX + x, offsetY + y) = uint8_t(255 - std::lround(v));
        }
    return page;
}

} // namespace

class TestPreprocess final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void centresTheMassAndFitsTheBox_data()
    {
        QTest::addColumn<double>("x0");
        QTest::addColumn<double>("y0");
        QTest::addColumn<double>("x1");
        QTest::addColumn<double>("y1");
        QTest::newRow("vertical stroke, top left") << 40.0 << 20.0 << 60.0 << 150.0;
        QTest::newRow("diagonal, bottom right") << 200.0 << 180.0 << 280.0 << 290.0;
        QTest::newRow("horizontal bar") << 30.0 << 100.0 << 250.0 << 120.0;
    }

    void centresTheMassAndFitsTheBox()
    {
        QFETCH(double, x0);
        QFETCH(double, y0);
        QFETCH(double, x1);
        QFETCH(double, y1);
        GrayImage picture(300, 300, 255);
        stroke(picture, x0, y0, x1, y1, 8);
        stroke(picture, x1, y1, x1 + 10, y1 - 30, 8); // a hook makes the mass off the box centre
        const auto result = DigitPreprocessor::toMnist(picture);
        QVERIFY(result.has_value());
        QCOMPARE(result->width, 28);
        QCOMPARE(result->height, 28);
        const auto [cx, cy] = DigitPreprocessor::centreOfMass(*result);
        QVERIFY2(std::abs(cx - 14.0) <= 0.5 &&
                     std::abs(cy - 14.0) <= 0.5, // where MNIST centres its digits
                 qPrintable(QString("centre of mass %1, %2").arg(cx).arg(cy)));
        const Box box = inkBox(*result);
        QVERIFY(std::max(box.right - box.left + 1, box.bottom - box.top + 1) <= 20);
        QVERIFY(std::max(box.right - box.left + 1, box.bottom - box.top + 1) >= 19);
    }

    void keepsTheAspectRatio()
    {
        GrayImage picture(300, 300, 255);
        picture = GrayImage(300, 300, 255);
        for (int y = 50; y < 250; ++y)
            for (int x = 120; x < 170; ++x)
                picture.at(x, y) = 0; // 50 wide, 200 tall: 1:4
        const auto result = DigitPreprocessor::toMnist(picture);
        QVERIFY(result.has_value());
        const Box box = inkBox(*result);
        QCOMPARE(box.bottom - box.top + 1, 20);
        QVERIFY2(std::abs((box.right - box.left + 1) - 5) <= 1,
                 qPrintable(QString::number(box.right - box.left + 1)));
    }

    void detectsPolarity()
    {
        GrayImage dark(200, 200, 255);
        stroke(dark, 60, 40, 120, 160, 10, 0);
        GrayImage light(200, 200, 0);
        stroke(light, 60, 40, 120, 160, 10, 255);
        const auto a = DigitPreprocessor::toMnist(dark);
        const auto b = DigitPreprocessor::toMnist(light);
        QVERIFY(a && b);
        QCOMPARE(a->pixels, b->pixels);
        QCOMPARE(int(a->at(0, 0)), 0); // background black, ink white, as in MNIST
    }

    void anEmptyPicturePredictsNothing()
    {
        QVERIFY(!DigitPreprocessor::toMnist(GrayImage(280, 280, 255)).has_value());
        QVERIFY(!DigitPreprocessor::toMnist(GrayImage(280, 280, 0)).has_value());
        GrayImage speck(280, 280, 255);
        speck.at(10, 10) = 250; // faint noise is not ink
        QVERIFY(!DigitPreprocessor::toMnist(speck).has_value());
    }

    void rejectsBadImageFiles()
    {
        QTemporaryDir dir;
        QFile text(dir.filePath("notes.png"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("not a picture");
        text.close();
        for (const QString& path :
             {dir.filePath("notes.png"), dir.filePath("missing.png"), dir.path()}) {
            try {
                GrayImage::load(path.toStdString());
                QFAIL("no error");
            } catch (const Error& e) {
                QVERIFY2(QString::fromUtf8(e.what()).startsWith(path), e.what());
            }
        }
    }

    void enlargedOffCentreDigitsScoreLikeTheOriginals()
    {
        // A model trained on real MNIST, then the test digits as a user would photograph them:
        // 10x larger, black on white, away from the centre of a bigger page.
        TrainingConfig config;
        config.dataDir = TRAINBENCH_TEST_DATA_DIR;
        config.limit = 12000;
        config.testLimit = 1000;
        config.epochs = 2;
        Trainer trainer(config);
        QVERIFY2(trainer.run(), trainer.lastError().c_str());
        const auto predictor = trainer.predictor();
        const Dataset data = Dataset::loadFolder(TRAINBENCH_TEST_DATA_DIR);
        const int n = 1000;
        int original = 0;
        int enlarged = 0;
        for (int i = 0; i < n; ++i) {
            GrayImage digit(28, 28);
            std::copy_n(data.test.image(i), 784, digit.pixels.begin());
            const int label = data.test.labels[size_t(i)];
            original += predictor->predict(digit).digit == label;
            const auto answer = predictor->predictPicture(
                enlargedOffCentre(data.test.image(i), 15 + i % 90, 100 - i % 80));
            enlarged += answer && answer->digit == label;
        }
        const double a = 100.0 * original / n;
        const double b = 100.0 * enlarged / n;
        qInfo("accuracy on %d test digits: 28x28 %.1f%%, enlarged/off-centre %.1f%%", n, a, b);
        QVERIFY(a > 90.0);
        QVERIFY2(std::abs(a - b) <= 1.0, qPrintable(QString("%1 vs %2").arg(a).arg(b)));
    }
};

QTEST_GUILESS_MAIN(TestPreprocess)
#include "tst_preprocess.moc"
