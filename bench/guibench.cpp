// GUI benchmark: one epoch of the seed CNN trained from the window (offscreen), timing the epoch
// the same way the CLI does, and the UI thread's longest stall while training runs.
// Prints one JSON line.
#include "curvespage.h"
#include "datasetpanel.h"
#include "mainwindow.h"
#include "trainbench/platform/processsetup.h"
#include "trainbench/platform/resourceusage.h"
#include "trainingcontroller.h"
#include "trainingpanel.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv)
{
    trainbench::ProcessSetup::initialize(argv);
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTemporaryDir runs; // the run is kept, as every run is: not in the user's runs folder
    qputenv("TRAINBENCH_RUNS_DIR", runs.path().toUtf8());
    QApplication::setOrganizationName("TrainbenchBench");
    using trainbench::ui::MainWindow;
    MainWindow window;
    window.show();
    window.trainingPanel()->setEpochs(1);
    window.trainingPanel()->setLogging(false);

    double epochSeconds = 0.0;
    double samplesPerSecond = 0.0;
    QObject::connect(window.controller(), &trainbench::ui::TrainingController::epochFinished, &app,
                     [&](const trainbench::EpochMetrics& m) {
                         epochSeconds = m.seconds;
                         samplesPerSecond = m.samplesPerSecond;
                     });
    // The UI thread's heartbeat: a 5 ms timer; the longest gap between beats is the worst stall.
    QElapsedTimer beat;
    qint64 worstGapMs = 0;
    QTimer heartbeat;
    heartbeat.setInterval(5);
    QObject::connect(&heartbeat, &QTimer::timeout, &app, [&] {
        if (beat.isValid())
            worstGapMs = std::max(worstGapMs, beat.restart());
        else
            beat.start();
    });
    QElapsedTimer wall;
    double uiCpuAtStart = 0.0;
    QObject::connect(window.controller(), &trainbench::ui::TrainingController::runningChanged, &app,
                     [&](bool running) {
                         if (!running) {
                             heartbeat.stop();
                             std::printf(
                                 "{\"gui_epoch_seconds\": %.2f, \"gui_samples_per_second\": %.0f, "
                                 "\"gui_wall_seconds\": %.2f, "
                                 "\"ui_worst_stall_ms\": %lld, \"ui_thread_cpu_seconds\": %.2f, "
                                 "\"page_faults\": %ld}\n",
                                 epochSeconds, samplesPerSecond, wall.elapsed() / 1000.0,
                                 (long long)(worstGapMs - 5),
                                 trainbench::ResourceUsage::threadCpuSeconds() - uiCpuAtStart,
                                 trainbench::ResourceUsage::pageFaults());
                             app.quit();
                         }
                     });
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        if (!window.trainAction()->isEnabled())
            return;
        poll.stop();
        heartbeat.start();
        wall.start();
        uiCpuAtStart = trainbench::ResourceUsage::threadCpuSeconds();
        window.trainAction()->trigger();
    });
    poll.start(50);
    return QApplication::exec();
}
