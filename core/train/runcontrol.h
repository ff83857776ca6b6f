#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace trainbench {

/// Stop and pause requests for a running training loop (internal to core). Any thread may ask;
/// the training thread checks between batches, so a request takes effect within one batch.
class RunControl
{
public:
    /// Asks the loop to stop; also ends a pause.
    void requestStop();
    /// Pauses or resumes the loop.
    void setPaused(bool paused);
    /// True once a stop was requested.
    bool stopRequested() const { return m_stop.load(); }
    /// Blocks the calling (training) thread while paused and not stopped; returns the seconds
    /// it waited.
    double waitWhilePaused();

private:
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_paused{false};
    std::mutex m_mutex;
    std::condition_variable m_changed;
};

} // namespace trainbench
