// Runs-library benchmark: a runs folder of 500 runs of 20 epochs, opened in the window's Runs
// panel (time to list them), then 10 of them overlaid on the curves (the UI thread's longest
// stall while that happens). Prints one JSON line.
#include "curveplot.h"
#include "curvespage.h"
#include "mainwindow.h"
#include "runspanel.h"
#include "runstablemodel.h"
#include "trainbench/track/runstore.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace trainbench;

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName("TrainbenchBench");
    const int runs = argc > 1 ? std::atoi(argv[1]) : 500;
    const int epochs = 20;
    QTemporaryDir dir;
    const RunStore store(dir.path().toStdString());
    for (int i = 0; i < runs; ++i) {
        RunRecord r;
        r.id = store.createRun("run-" + std::to_string(i));
        r.created = "2026-11-26T10:00:00Z";
        r.status = RunStatus::Finished;
        r.dataset = "mnist";
        r.parameters = 1640394;
        r.config.optimizer.learningRate = i % 2 ? 0.001 : 0.0001;
        r.config.epochs = epochs;
        for (int e = 1; e <= epochs; ++e) {
            EpochMetrics m;
            m.epoch = e;
            m.trainLoss = 1.0 / e + i * 1e-4;
            m.testLoss = 1.1 / e + i * 1e-4;
            m.trainAccuracy = 0.9 + 0.004 * e;
            m.testAccuracy = 0.89 + 0.004 * e;
            m.seconds = 10.0;
            r.history.push_back(m);
        }
        store.write(r);
    }
    QTemporaryDir empty; // the window starts on an empty runs folder; the timing opens the full one
    qputenv("TRAINBENCH_RUNS_DIR", empty.path().toUtf8());

    ui::MainWindow window;
    window.resize(1400, 900);
    window.show();
    app.processEvents();

    QElapsedTimer timer;
    timer.start();
    window.runsPanel()->setRoot(dir.path());
    app.processEvents(); // the table lays out and paints
    const double openSeconds = timer.nsecsElapsed() / 1e9;
    const int listed = window.runsPanel()->model()->rowCount();

    // The UI thread's heartbeat: a 5 ms timer; the longest gap between beats is the worst stall.
    QElapsedTimer beat;
    qint64 worstGapMs = 0;
    QTimer heart;
    heart.setInterval(5);
    QObject::connect(&heart, &QTimer::timeout,
                     [&] { worstGapMs = std::max(worstGapMs, beat.restart()); });
    QStringList ten;
    for (int i = 0; i < 10; ++i)
        ten << QString("run-%1").arg(i * 7);
    QTimer::singleShot(100, [&] { window.runsPanel()->select(ten); });
    QTimer::singleShot(600, &app, &QApplication::quit);
    beat.start();
    heart.start();
    app.exec();

    std::printf("{\"runs\": %d, \"listed\": %d, \"open_seconds\": %.3f, \"overlaid\": %d, "
                "\"overlay_worst_stall_ms\": %lld}\n",
                runs, listed, openSeconds, window.curvesPage()->lossPlot()->overlayCount(),
                static_cast<long long>(worstGapMs));
    return listed == runs ? 0 : 1;
}
