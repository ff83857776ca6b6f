#pragma once

#include <cstdint>
#include <string>

namespace trainbench {

/// Where one process stands in a data-parallel run, as torchrun (and launchers built on it, or
/// `trainbench-cli train --nproc`) describe it in the environment. A world of one is an ordinary
/// single-process run.
struct DistributedOptions
{
    int rank = 0;      ///< This process's rank, 0..worldSize-1; rank 0 prints and writes files.
    int worldSize = 1; ///< Processes in the run.
    int localRank = 0; ///< Rank on this machine (picks the GPU on multi-GPU machines).
    std::string masterAddress = "127.0.0.1"; ///< Host of the rendezvous store.
    int masterPort = 29500;                  ///< Port of the rendezvous store.
    /// The launcher hosts the store (torchrun's TORCHELASTIC_USE_AGENT_STORE=True): every rank
    /// is a client; otherwise rank 0 hosts it.
    bool agentStore = false;
    int restartCount = 0;         ///< torchrun's TORCHELASTIC_RESTART_COUNT: keys per attempt.
    std::string backend = "auto"; ///< "gloo", "nccl" or "auto" (NCCL on CUDA, else Gloo).
    double timeoutSeconds = 60.0; ///< How long a rank waits for the others before it gives up.

    /// True for a world of more than one process.
    bool enabled() const { return worldSize > 1; }
    /// Reads RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT,
    /// TORCHELASTIC_USE_AGENT_STORE and TORCHELASTIC_RESTART_COUNT; a world of one when
    /// WORLD_SIZE is unset. Throws Error naming the variable that is malformed or inconsistent.
    static DistributedOptions fromEnvironment();
    /// Throws Error when a value is out of range (rank beyond the world, port, timeout, backend).
    void validate() const;
};

} // namespace trainbench
