#include "trainbench/train/distributedoptions.h"

#include "trainbench/common/error.h"

#include <cerrno>
#include <cstdlib>
#include <limits>

namespace trainbench {

namespace {

/// The integer in environment variable `name`, or `fallback` when it is unset or empty.
long long integerFromEnvironment(const char* name, long long fallback)
{
    const char* value = std::getenv(name);
    if (!value || !*value)
        return fallback;
    errno = 0;
    char* end = nullptr;
    const long long parsed = std::strtoll(value, &end, 10);
    if (errno != 0 || *end != '\0' || parsed < 0 || parsed > std::numeric_limits<int>::max())
        throw Error(std::string("environment variable ") + name + "='" + value +
                    "' is not a whole number from 0 to " +
                    std::to_string(std::numeric_limits<int>::max()));
    return parsed;
}

} // namespace

DistributedOptions DistributedOptions::fromEnvironment()
{
    DistributedOptions options;
    options.worldSize = int(integerFromEnvironment("WORLD_SIZE", 1));
    if (options.worldSize == 0)
        throw Error("environment variable WORLD_SIZE=0: a run needs at least one process");
    options.rank = int(integerFromEnvironment("RANK", 0));
    options.localRank = int(integerFromEnvironment("LOCAL_RANK", options.rank));
    if (const char* address = std::getenv("MASTER_ADDR"); address && *address)
        options.masterAddress = address;
    options.masterPort = int(integerFromEnvironment("MASTER_PORT", options.masterPort));
    const char* agent = std::getenv("TORCHELASTIC_USE_AGENT_STORE");
    options.agentStore = agent && std::string(agent) == "True";
    options.restartCount = int(integerFromEnvironment("TORCHELASTIC_RESTART_COUNT", 0));
    if (options.enabled()) {
        const char* rank = std::getenv("RANK");
        if (!rank || !*rank)
            throw Error("environment variable WORLD_SIZE=" + std::to_string(options.worldSize) +
                        " is set but RANK is not; start the processes with torchrun, or set "
                        "RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT for each");
        if (options.rank >= options.worldSize)
            throw Error("environment variable RANK=" + std::to_string(options.rank) +
                        " is outside the world of WORLD_SIZE=" + std::to_string(options.worldSize) +
                        " processes (ranks 0.." + std::to_string(options.worldSize - 1) + ")");
        if (options.masterPort < 1 || options.masterPort > 65535)
            throw Error("environment variable MASTER_PORT=" + std::to_string(options.masterPort) +
                        " is not a port number (1..65535)");
    }
    return options;
}

void DistributedOptions::validate() const
{
    if (worldSize < 1)
        throw Error("a distributed run needs at least one process, not " +
                    std::to_string(worldSize));
    if (rank < 0 || rank >= worldSize)
        throw Error("rank " + std::to_string(rank) + " is outside the world of " +
                    std::to_string(worldSize) + " processes");
    if (masterPort < 0 || masterPort > 65535)
        throw Error("port " + std::to_string(masterPort) + " is not a port number (1..65535)");
    if (!(timeoutSeconds > 0.0) || timeoutSeconds > 86400.0)
        throw Error("timeout " + std::to_string(timeoutSeconds) +
                    " s: give a number of seconds from 1 to 86400");
    if (backend != "auto" && backend != "gloo" && backend != "nccl")
        throw Error("backend '" + backend + "' is unknown (known: auto, gloo, nccl)");
}

} // namespace trainbench
