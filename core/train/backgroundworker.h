#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace trainbench {

/// One helper thread that runs posted jobs in order (internal to core). It starts with the first
/// job; floats on it flush denormals to zero, as on the training thread.
class BackgroundWorker
{
public:
    BackgroundWorker() = default;
    /// Waits for the jobs posted so far, then ends the thread.
    ~BackgroundWorker();
    BackgroundWorker(const BackgroundWorker&) = delete;
    BackgroundWorker& operator=(const BackgroundWorker&) = delete;

    /// Queues `job`; it must not throw.
    void post(std::function<void()> job);
    /// Returns when every job posted so far has finished.
    void wait();

private:
    void loop();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::deque<std::function<void()>> m_jobs;
    bool m_busy = false;
    bool m_quit = false;
    std::thread m_thread;
};

} // namespace trainbench
