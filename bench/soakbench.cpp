// Soak benchmark: many short runs trained one after another in one window (offscreen), without
// restarting it, as a user's afternoon of experiments would. After each run it notes the
// process's resident and peak memory and its thread count: memory that grows run after run, or
// threads that stay behind, show here. Prints one JSON line per run, then a summary line.
// usage: trainbench-soakbench [RUNS] [SAMPLES]   (default 20 runs of 3000 training samples)
#include "datasetpanel.h"
#include "mainwindow.h"
#include "trainbench/platform/processsetup.h"
#include "trainbench/platform/resourceusage.h"
#include "trainingcontroller.h"
#include "trainingpanel.h"

#include <QAction>
#include <QApplication>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

struct Sample
{
    double residentMb = 0.0;
    double peakMb = 0.0;
    int threads = 0;
};

} // namespace

int main(int argc, char** argv)
{
    trainbench::ProcessSetup::initialize(argv);
    qputenv("QT_QPA_PLATFORM", "offscreen");
    const int runs = argc > 1 ? std::max(2, std::atoi(argv[1])) : 20;
    const int samples = argc > 2 ? std::max(32, std::atoi(argv[2])) : 3000;
    QApplication app(argc, argv);
    QTemporaryDir folder; // the runs are kept, as every run is: not in the user's runs folder
    qputenv("TRAINBENCH_RUNS_DIR", folder.path().toUtf8());
    QApplication::setOrganizationName("TrainbenchBench");
    using trainbench::ResourceUsage;
    using trainbench::ui::MainWindow;
    MainWindow window;
    window.show();
    window.trainingPanel()->setEpochs(1);
    window.trainingPanel()->setLogging(false);
    window.datasetPanel()->setLimit(samples);

    std::vector<Sample> taken;
    const int threadsBefore = ResourceUsage::threadCount();
    QTimer poll; // starts the next run once the window is ready for it
    QObject::connect(window.controller(), &trainbench::ui::TrainingController::runningChanged, &app,
                     [&](bool running) {
                         if (running)
                             return;
                         // A moment for the finished run's worker thread to be joined and its
                         // results shown.
                         QTimer::singleShot(500, &app, [&] {
                             Sample s{ResourceUsage::currentMegabytes(),
                                      ResourceUsage::peakMegabytes(), ResourceUsage::threadCount()};
                             taken.push_back(s);
                             std::printf("{\"run\": %zu, \"resident_mb\": %.1f, \"peak_mb\": %.1f, "
                                         "\"threads\": %d}\n",
                                         taken.size(), s.residentMb, s.peakMb, s.threads);
                             std::fflush(stdout);
                             if (int(taken.size()) < runs) {
                                 poll.start(50);
                                 return;
                             }
                             const Sample& second = taken[1];
                             const Sample& last = taken.back();
                             int threadsMost = 0;
                             for (size_t i = 1; i < taken.size(); ++i)
                                 threadsMost = std::max(threadsMost, taken[i].threads);
                             std::printf(
                                 "{\"runs\": %d, \"samples\": %d, \"peak_mb_run2\": %.1f, "
                                 "\"peak_mb_last\": %.1f, \"peak_growth_percent\": %.1f, "
                                 "\"resident_mb_run2\": %.1f, \"resident_mb_last\": %.1f, "
                                 "\"threads_before\": %d, \"threads_run2\": %d, \"threads_most\": "
                                 "%d, \"threads_last\": %d}\n",
                                 runs, samples, second.peakMb, last.peakMb,
                                 second.peakMb > 0.0
                                     ? 100.0 * (last.peakMb - second.peakMb) / second.peakMb
                                     : 0.0,
                                 second.residentMb, last.residentMb, threadsBefore, second.threads,
                                 threadsMost, last.threads);
                             app.quit();
                         });
                     });
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        if (!window.trainAction()->isEnabled())
            return;
        poll.stop();
        window.trainAction()->trigger();
    });
    poll.start(50);
    return QApplication::exec();
}
