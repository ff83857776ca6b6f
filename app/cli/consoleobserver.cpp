#include "consoleobserver.h"

#include "trainbench/train/configjson.h"

#include <cstdio>
#include <string>

namespace trainbench::cli {

namespace {

std::string clock(double seconds)
{
    const auto total = long(seconds + 0.5);
    char text[32];
    if (total >= 3600)
        std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60,
                      total % 60);
    else
        std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
    return text;
}

} // namespace

ConsoleObserver::ConsoleObserver(bool json, bool progress) : m_json(json), m_progress(progress) {}

void ConsoleObserver::clearProgress()
{
    if (m_progressShown) {
        std::fputs("\r\033[2K", stderr);
        std::fflush(stderr);
        m_progressShown = false;
    }
}

void ConsoleObserver::onStarted(const RunInfo& info)
{
    if (m_silent)
        return;
    m_distributed = info.worldSize > 1;
    if (m_events) {
        std::printf("%s\n", ConfigJson::toJson(info).c_str());
        std::fflush(stdout);
    }
    if (m_distributed)
        std::fprintf(stderr,
                     "Data parallel: %d processes (%s), batch %lld per process, global batch "
                     "%lld, %lld steps per epoch\n",
                     info.worldSize, info.backend.c_str(),
                     (long long)(info.globalBatch / info.worldSize), (long long)info.globalBatch,
                     (long long)info.batchesPerEpoch);
    if (!m_progress)
        return;
    std::fprintf(
        stderr, "Training on %s (%d thread%s): %lld samples, %lld test samples, %lld parameters\n",
        info.device.c_str(), info.threads, info.threads == 1 ? "" : "s",
        (long long)info.trainSamples, (long long)info.testSamples, (long long)info.parameters);
}

void ConsoleObserver::onBatchEnd(const BatchEvent& e)
{
    if (shouldStop && !m_stopAsked && shouldStop()) {
        m_stopAsked = true;
        clearProgress();
        if (!m_silent)
            std::fputs(m_distributed
                           ? "Stopping all processes after the same batch (press Ctrl+C again "
                             "to abort)...\n"
                           : "Stopping after this batch (press Ctrl+C again to abort)...\n",
                       stderr);
        if (stop)
            stop();
    }
    if (m_events && !m_silent) {
        std::printf("%s\n", ConfigJson::toJson(e).c_str());
        std::fflush(stdout);
    }
    if (!m_progress || m_silent)
        return;
    constexpr int width = 30;
    const double fraction = double(e.batch) / double(e.batchesPerEpoch);
    const int filled = int(fraction * width);
    std::string bar(size_t(filled), '=');
    if (filled < width)
        bar += '>' + std::string(size_t(width - filled - 1), ' ');
    // ETA from throughput: batches left in this epoch and in later ones.
    const double batchesLeft = double(e.batchesPerEpoch - e.batch) +
                               double(e.epochs - e.epoch) * double(e.batchesPerEpoch);
    const double secondsPerBatch = e.elapsedSeconds / double(e.globalStep > 0 ? e.globalStep : 1);
    std::fprintf(
        stderr,
        "\r\033[2KEpoch %d/%d [%s] %lld/%lld  loss %.4f  acc %.2f%%  %.0f samples/s  ETA %s",
        e.epoch, e.epochs, bar.c_str(), (long long)e.batch, (long long)e.batchesPerEpoch, e.loss,
        e.accuracy * 100.0, e.samplesPerSecond, clock(batchesLeft * secondsPerBatch).c_str());
    std::fflush(stderr);
    m_progressShown = true;
}

void ConsoleObserver::onEpochEnd(const EpochMetrics& metrics)
{
    clearProgress();
    m_trainingSeconds += metrics.seconds;
    ++m_epochs;
    if (m_silent)
        return;
    if (m_json)
        std::printf("%s\n", ConfigJson::toJson(metrics).c_str());
    else
        std::printf("%s\n", metrics.tutorialLine().c_str());
    std::fflush(stdout);
    if (afterEpoch)
        afterEpoch(metrics);
}

void ConsoleObserver::onFinished(bool stopped)
{
    clearProgress();
    if (stopped && !m_silent)
        std::fprintf(stderr, "Stopped after %d finished epoch%s.\n", m_epochs,
                     m_epochs == 1 ? "" : "s");
}

void ConsoleObserver::onFailed(const std::string& message)
{
    clearProgress();
    (void)message; // the caller prints the error once, with the program name
}

} // namespace trainbench::cli
