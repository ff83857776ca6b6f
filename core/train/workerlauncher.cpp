#include "trainbench/train/workerlauncher.h"

#include "trainbench/common/error.h"
#include "trainbench/platform/platform.h"

#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <thread>

namespace trainbench {

namespace {

using Clock = std::chrono::steady_clock;

struct Worker
{
    int64_t handle = -1;
    bool running = false;
    int exitCode = 0;
};

} // namespace

int WorkerLauncher::run(const std::string& program, const std::vector<std::string>& arguments,
                        int count, double graceSeconds,
                        const std::function<void(const std::string&)>& say,
                        const std::function<bool()>& stopRequested)
{
    // Port 0: the system picks a free one; the store lives as long as the workers.
    c10d::TCPStoreOptions options;
    options.port = 0;
    options.isServer = true;
    options.numWorkers = count;
    options.waitWorkers = false;
    c10::intrusive_ptr<c10d::TCPStore> store;
    try {
        store = c10::make_intrusive<c10d::TCPStore>("127.0.0.1", options);
    } catch (const std::exception& e) {
        throw Error(std::string("cannot host the workers' rendezvous on 127.0.0.1: ") + e.what());
    }
    const std::string port = std::to_string(store->getPort());
    Platform::setEnvironment("MASTER_ADDR", "127.0.0.1");
    Platform::setEnvironment("MASTER_PORT", port.c_str());
    Platform::setEnvironment("WORLD_SIZE", std::to_string(count).c_str());
    Platform::setEnvironment("LOCAL_WORLD_SIZE", std::to_string(count).c_str());
    Platform::setEnvironment("TORCHELASTIC_USE_AGENT_STORE", "True");
    Platform::setEnvironment("TORCHELASTIC_RESTART_COUNT", "0");

    std::vector<Worker> workers(static_cast<size_t>(count));
    for (int r = 0; r < count; ++r) {
        // Each worker inherits the environment as it is when it starts.
        Platform::setEnvironment("RANK", std::to_string(r).c_str());
        Platform::setEnvironment("LOCAL_RANK", std::to_string(r).c_str());
        std::string error;
        const int64_t handle = Platform::startProcess(program, arguments, &error);
        if (handle < 0) {
            for (auto& w : workers) {
                if (!w.running)
                    continue;
                Platform::endProcess(w.handle, true);
                while (!Platform::pollProcess(w.handle, &w.exitCode)) // reap it
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            throw Error("cannot start worker " + std::to_string(r) + ": " + error);
        }
        workers[size_t(r)] = {handle, true, 0};
    }
    say("started " + std::to_string(count) + " worker processes (ranks 0-" +
        std::to_string(count - 1) + ", rendezvous 127.0.0.1:" + port + ")");

    int result = 0;
    int running = count;
    Clock::time_point deadline = Clock::time_point::max();
    bool ended = false;
    bool asked = false;
    while (running > 0) {
        if (!asked && stopRequested && stopRequested()) {
            asked = true;
            for (auto& w : workers)
                if (w.running)
                    Platform::endProcess(w.handle, false);
        }
        for (int r = 0; r < count; ++r) {
            auto& w = workers[size_t(r)];
            if (!w.running || !Platform::pollProcess(w.handle, &w.exitCode))
                continue;
            w.running = false;
            --running;
            if (w.exitCode != 0 && result == 0) {
                result = w.exitCode;
                if (running > 0) {
                    if (w.exitCode != 130) // 130: Ctrl+C, which all of them got
                        say("rank " + std::to_string(r) + " ended with exit code " +
                            std::to_string(w.exitCode) + "; the others get " +
                            std::to_string(int(graceSeconds)) + " s to stop");
                    deadline =
                        Clock::now() + std::chrono::milliseconds(int64_t(graceSeconds * 1000.0));
                }
            }
        }
        if (running > 0 && !ended && Clock::now() > deadline) {
            say("ending the workers still running");
            for (auto& w : workers)
                if (w.running)
                    Platform::endProcess(w.handle, true);
            ended = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return result;
}

} // namespace trainbench
