#include "drawingcanvas.h"
#include "drawpage.h"
#include "trainbench/infer/predictor.h"
#include "trainbench/train/trainer.h"

#include <QCheckBox>
#include <QtTest>

#include <cmath>

using namespace trainbench;
using namespace trainbench::ui;

namespace {

void send(QWidget* widget, QEvent::Type type, const QPointF& at, Qt::MouseButtons buttons)
{
    QMouseEvent event(type, at, widget->mapToGlobal(at),
                      type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, buttons,
                      Qt::NoModifier);
    QApplication::sendEvent(widget, &event);
}

/// Drags the mouse through `points` (widget coordinates) as one stroke.
void drawStroke(QWidget* canvas, const QVector<QPointF>& points)
{
    send(canvas, QEvent::MouseButtonPress, points.front(), Qt::LeftButton);
    for (const auto& p : points)
        send(canvas, QEvent::MouseMove, p, Qt::LeftButton);
    send(canvas, QEvent::MouseButtonRelease, points.back(), Qt::NoButton);
}

} // namespace

class TestDrawPage final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        TrainingConfig config;
        config.dataDir = TRAINBENCH_TEST_DATA_DIR;
        config.limit = 12000;
        config.testLimit = 500;
        config.epochs = 2;
        Trainer trainer(config);
        QVERIFY2(trainer.run(), trainer.lastError().c_str());
        m_predictor = trainer.predictor();
    }

    void drawnOneAndZeroAreRecognised()
    {
        DrawPage page;
        page.resize(900, 560);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.setPredictor(m_predictor, "test model");
        DrawingCanvas* canvas = page.canvas();
        const double side = std::min(canvas->width(), canvas->height());
        const QPointF origin((canvas->width() - side) / 2, (canvas->height() - side) / 2);

        page.predictNow();
        QVERIFY(!page.answer().has_value()); // empty canvas: no invented answer

        // A "1": one slightly slanted vertical stroke, drawn off-centre.
        QVector<QPointF> one;
        for (int i = 0; i <= 20; ++i)
            one << origin + QPointF(side * (0.62 - 0.04 * i / 20.0), side * (0.2 + 0.6 * i / 20.0));
        drawStroke(canvas, one);
        page.predictNow();
        QVERIFY(page.answer().has_value());
        QCOMPARE(*page.answer(), 1);

        // Esc clears even when the focus has left the canvas, and Clear can be undone.
        auto* saliency = page.findChild<QCheckBox*>();
        QVERIFY(saliency);
        saliency->setFocus();
        QTest::keyClick(saliency, Qt::Key_Escape);
        QVERIFY(canvas->isEmpty());
        QTest::keyClick(saliency, Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(!canvas->isEmpty());
        page.predictNow();
        QCOMPARE(*page.answer(), 1);

        // Esc clears; a "0": an upright ellipse.
        QTest::keyClick(canvas, Qt::Key_Escape);
        QVERIFY(canvas->isEmpty());
        QVector<QPointF> zero;
        for (int i = 0; i <= 48; ++i) {
            const double a = 2 * 3.14159265358979 * i / 48.0;
            zero << origin + QPointF(side * (0.45 + 0.17 * std::cos(a)),
                                     side * (0.5 + 0.28 * std::sin(a)));
        }
        drawStroke(canvas, zero);
        page.predictNow();
        QCOMPARE(*page.answer(), 0);
        if (const QString shots = qEnvironmentVariable("TRAINBENCH_SCREENSHOTS");
            !shots.isEmpty()) {
            QDir().mkpath(shots);
            page.grab().save(shots + "/draw-zero.png");
        }

        // Live answers are fast: a prediction (preprocessing included) well under 5 ms.
        QVector<double> latencies;
        for (int i = 0; i < 50; ++i) {
            page.predictNow();
            latencies << page.lastLatencyMs();
        }
        std::sort(latencies.begin(), latencies.end());
        qInfo("prediction latency: median %.2f ms, max %.2f ms", latencies[25], latencies.back());

        // Ctrl+Z undoes the stroke.
        QTest::keyClick(canvas, Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(canvas->isEmpty());
    }

    void aBadCheckpointIsExplained()
    {
        DrawPage page;
        QTemporaryDir dir;
        QFile bad(dir.filePath("model.ckpt"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("nonsense");
        bad.close();
        QVERIFY(!page.openModel(bad.fileName()));
        QVERIFY2(page.status().contains("not a Trainbench checkpoint"), qPrintable(page.status()));
        QVERIFY(!page.openImage(dir.filePath("missing.png")));
        QVERIFY(page.status().contains("missing.png"));
    }

private:
    std::shared_ptr<Predictor> m_predictor;
};

QTEST_MAIN(TestDrawPage)
#include "tst_drawpage.moc"
