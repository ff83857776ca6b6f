#include "train/runcontrol.h"

#include <chrono>

namespace trainbench {

void RunControl::requestStop()
{
    m_stop.store(true);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_changed.notify_all();
}

void RunControl::setPaused(bool paused)
{
    m_paused.store(paused);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_changed.notify_all();
}

double RunControl::waitWhilePaused()
{
    if (!m_paused.load())
        return 0.0;
    const auto start = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(m_mutex);
    m_changed.wait(lock, [&] { return !m_paused.load() || m_stop.load(); });
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace trainbench
