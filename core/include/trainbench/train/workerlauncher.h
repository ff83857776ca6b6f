#pragma once

#include <functional>
#include <string>
#include <vector>

namespace trainbench {

/// Starts the processes of a data-parallel run on this machine the way
/// `torchrun --standalone --nproc_per_node=N` does, for users without torchrun: it hosts the
/// rendezvous store itself on a free port of 127.0.0.1 and gives each worker RANK, LOCAL_RANK,
/// WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT and TORCHELASTIC_USE_AGENT_STORE=True.
class WorkerLauncher
{
public:
    /// Runs `count` copies of `program` with `arguments` and waits for them. When one fails, the
    /// others get `graceSeconds` to notice and stop on their own before they are ended.
    /// `say` receives one-line reports (started, which worker failed). Returns 0 when every
    /// worker succeeded, else the first failure's exit code. `stopRequested` (optional) is
    /// polled: once it returns true, every worker is asked to stop (SIGTERM: they agree on a
    /// batch and end as after Ctrl+C). Throws Error when the store or a worker cannot be
    /// started.
    static int run(const std::string& program, const std::vector<std::string>& arguments, int count,
                   double graceSeconds, const std::function<void(const std::string&)>& say,
                   const std::function<bool()>& stopRequested = {});
};

} // namespace trainbench
