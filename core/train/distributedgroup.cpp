#include "train/distributedgroup.h"

#include "trainbench/common/error.h"
#include "trainbench/platform/platform.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/version.h>
#ifdef TRAINBENCH_C10D_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef TRAINBENCH_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace trainbench {

namespace {

// libtorch 2 split the process group: Gloo and NCCL are c10d::Backend objects (with the same
// allreduce and broadcast) under a dispatching ProcessGroup. Calling the backend directly is what
// the ProcessGroup does for one device type, and keeps one code path for 1.13 and 2.x.
#if TORCH_VERSION_MAJOR >= 2
using GroupHandle = c10::intrusive_ptr<c10d::Backend>;
#else
using GroupHandle = c10::intrusive_ptr<c10d::ProcessGroup>;
#endif

using Clock = std::chrono::steady_clock;
using Milliseconds = std::chrono::milliseconds;

/// The first line of a libtorch/Gloo message, without the C++ backtrace that follows it.
std::string firstLine(const std::string& message)
{
    std::string line = message.substr(0, message.find('\n'));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
        line.pop_back();
    return line;
}

std::string messageOf(const std::exception& e)
{
    if (const auto* c10 = dynamic_cast<const c10::Error*>(&e))
        return firstLine(c10->what_without_backtrace());
    return firstLine(e.what());
}

bool isLoopback(const std::string& address)
{
    return address == "localhost" || address == "::1" || address.rfind("127.", 0) == 0;
}

std::string listRanks(const std::vector<int>& ranks)
{
    std::string text;
    for (size_t i = 0; i < ranks.size(); ++i)
        text += (i == 0 ? "" : i + 1 == ranks.size() ? " and " : ", ") + std::to_string(ranks[i]);
    return text;
}

std::vector<uint8_t> bytesOf(const std::string& text)
{
    return std::vector<uint8_t>(text.begin(), text.end());
}

/// c10d reports socket trouble through glog as well as through its exceptions; the exceptions
/// become this program's messages, so glog's copies (and its "Logging before InitGoogleLogging"
/// banner) are noise. Only builds of libtorch that log through glog have the flag.
void quietenGlog()
{
    if (auto* level = static_cast<int32_t*>(Platform::findSymbol("_ZN3fLI17FLAGS_minloglevelE")))
        *level = std::max(*level, 3);
}

} // namespace

class DistributedGroup::Impl
{
public:
    Impl(const DistributedOptions& o, torch::Device d) : options(o), device(d)
    {
        options.validate();
        quietenGlog();
        timeout = Milliseconds(int64_t(options.timeoutSeconds * 1000.0));
        store = connect(true);
        join();
        // Beating before the process group connects, so that a failure there can already tell
        // a rank that is gone from one that is alive.
        heartbeat = std::thread([this] { beat(); });
        try {
            group = createGroup();
        } catch (...) {
            // A throwing constructor runs no destructor: a joinable thread left behind would
            // end the process with std::terminate instead of the message.
            stopHeartbeat();
            throw;
        }
    }

    ~Impl() { stopHeartbeat(); }

    std::string where() const
    {
        return options.masterAddress + ":" + std::to_string(options.masterPort);
    }

    /// A store connection: rank 0 hosts the store unless the launcher does (`mayHost` false:
    /// a second, client-only connection for the heartbeat).
    c10::intrusive_ptr<c10d::Store> connect(bool mayHost)
    {
        c10d::TCPStoreOptions o;
        o.port = uint16_t(options.masterPort);
        o.isServer = mayHost && !options.agentStore && options.rank == 0;
        o.numWorkers = options.worldSize;
        o.waitWorkers = false; // join() waits, and can name who is missing
        o.timeout = timeout;
        c10::intrusive_ptr<c10d::Store> tcp;
        try {
            tcp = c10::make_intrusive<c10d::TCPStore>(options.masterAddress, o);
        } catch (const std::exception& e) {
            const std::string reason = messageOf(e);
            if (o.isServer)
                throw Error("rank 0 cannot host the rendezvous on port " +
                            std::to_string(options.masterPort) + ": " +
                            (reason.find("in use") != std::string::npos
                                 ? "the port is already in use (another run, or a stale one?); "
                                   "choose another with MASTER_PORT"
                                 : reason));
            throw Error("rank " + std::to_string(options.rank) +
                        " could not reach the rendezvous at " + where() + " within " + seconds() +
                        " (is rank 0 running, and are MASTER_ADDR and MASTER_PORT "
                        "right and open in the firewall?): " +
                        reason);
        }
        // torchrun's agent store is shared by every attempt of an elastic job: keys per attempt.
        if (options.agentStore)
            return c10::make_intrusive<c10d::PrefixStore>(
                "/trainbench/attempt_" + std::to_string(options.restartCount), tcp);
        return tcp;
    }

    std::string seconds() const
    {
        char text[32];
        std::snprintf(text, sizeof text, "%g s", options.timeoutSeconds);
        return text;
    }

    /// Waits until every rank has checked in, naming the ones that never do.
    void join()
    {
        const auto deadline = Clock::now() + timeout;
        try {
            store->set("tb/rank/" + std::to_string(options.rank), bytesOf(Platform::hostName()));
            int64_t joined = store->add("tb/joined", 1);
            while (joined < options.worldSize) {
                if (Clock::now() > deadline) {
                    std::vector<int> missing;
                    for (int r = 0; r < options.worldSize; ++r)
                        if (!store->check({"tb/rank/" + std::to_string(r)}))
                            missing.push_back(r);
                    throw Error("only " + std::to_string(joined) + " of " +
                                std::to_string(options.worldSize) +
                                " processes joined the run at " + where() + " within " + seconds() +
                                " (missing: rank" + (missing.size() == 1 ? " " : "s ") +
                                listRanks(missing) +
                                "); start every rank, with the same WORLD_SIZE");
                }
                std::this_thread::sleep_for(Milliseconds(20));
                joined = store->add("tb/joined", 0);
            }
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {
            throw Error("rank " + std::to_string(options.rank) + " lost the rendezvous at " +
                        where() + " while the ranks joined: " + messageOf(e));
        }
    }

    GroupHandle createGroup()
    {
        std::string wanted = options.backend;
        if (wanted == "auto")
            wanted = device.is_cuda() ? "nccl" : "gloo";
#ifndef TRAINBENCH_C10D_NCCL
        if (wanted == "nccl" && options.backend == "auto")
            wanted = "gloo"; // Gloo reduces CUDA tensors too, through host memory
#endif
        backendName = wanted;
        auto groupStore = c10::make_intrusive<c10d::PrefixStore>("tb/group", store);
        try {
            if (wanted == "gloo") {
#ifdef TRAINBENCH_C10D_GLOO
                auto o = c10d::ProcessGroupGloo::Options::create(timeout);
                if (const char* name = std::getenv("GLOO_SOCKET_IFNAME"); name && *name)
                    o->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(name));
                else if (isLoopback(options.masterAddress))
                    o->devices.push_back(
                        c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
                else
                    o->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
                o->threads = 2;
                return c10::make_intrusive<c10d::ProcessGroupGloo>(groupStore, options.rank,
                                                                   options.worldSize, o);
#else
                throw Error("backend 'gloo' is not in this build: libtorch's Gloo headers "
                            "(Debian: libgloo-dev) were missing when Trainbench was built");
#endif
            }
#ifdef TRAINBENCH_C10D_NCCL
            // Without blocking waits, NCCL's collectives wait for a dead peer forever.
            // libtorch 2.2 and later read TORCH_NCCL_* first, earlier ones only NCCL_*: both set.
            if (!std::getenv("NCCL_BLOCKING_WAIT") && !std::getenv("NCCL_ASYNC_ERROR_HANDLING") &&
                !std::getenv("TORCH_NCCL_BLOCKING_WAIT") &&
                !std::getenv("TORCH_NCCL_ASYNC_ERROR_HANDLING")) {
                Platform::setEnvironment("TORCH_NCCL_BLOCKING_WAIT", "1");
                Platform::setEnvironment("NCCL_BLOCKING_WAIT", "1");
            }
            auto o = c10d::ProcessGroupNCCL::Options::create();
            o->timeout = timeout;
            return c10::make_intrusive<c10d::ProcessGroupNCCL>(groupStore, options.rank,
                                                               options.worldSize, o);
#else
            throw Error("backend 'nccl' is not in this libtorch (it was built without NCCL, or "
                        "for CPU only); use --backend gloo");
#endif
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {
            throw Error(diagnose("while the ranks connected (" + backendName + ")", messageOf(e)));
        }
    }

    /// Counts up "tb/beat/RANK" every half second on its own connection, so that a rank whose
    /// collective failed can tell which of the others stopped.
    void beat()
    {
        c10::intrusive_ptr<c10d::Store> own;
        try {
            own = connect(false);
            const std::string key = "tb/beat/" + std::to_string(options.rank);
            std::unique_lock<std::mutex> lock(beatMutex);
            while (!beatStop) {
                lock.unlock();
                own->add(key, 1);
                lock.lock();
                beatChanged.wait_for(lock, Milliseconds(500), [this] { return beatStop; });
            }
        } catch (const std::exception&) {
            // The store is gone (rank 0 ended): diagnose() says so.
        }
    }

    void stopHeartbeat()
    {
        {
            std::lock_guard<std::mutex> lock(beatMutex);
            beatStop = true;
        }
        beatChanged.notify_all();
        if (heartbeat.joinable())
            heartbeat.join();
    }

    /// The message for a collective that failed `during` with `reason`: which ranks stopped
    /// beating, or that the store itself is gone.
    std::string diagnose(const std::string& during, const std::string& reason)
    {
        const std::string self =
            "rank " + std::to_string(options.rank) + " of " + std::to_string(options.worldSize);
        const std::string tail = " (" + self + " gave up " + during + ": " + reason + ")";
        std::vector<int64_t> before(size_t(options.worldSize)), after(before.size());
        try {
            auto probe = connect(false);
            probe->setTimeout(Milliseconds(5000));
            for (int r = 0; r < options.worldSize; ++r)
                before[size_t(r)] = probe->add("tb/beat/" + std::to_string(r), 0);
            std::this_thread::sleep_for(Milliseconds(2500));
            for (int r = 0; r < options.worldSize; ++r)
                after[size_t(r)] = probe->add("tb/beat/" + std::to_string(r), 0);
        } catch (const std::exception&) {
            return options.agentStore ? "the launcher's rendezvous store at " + where() +
                                            " is gone: the job is being torn down" + tail
                                      : "rank 0 stopped: the rendezvous store it hosts at " +
                                            where() + " is gone" + tail;
        }
        std::vector<int> stopped, silent;
        for (int r = 0; r < options.worldSize; ++r) {
            if (r == options.rank || after[size_t(r)] != before[size_t(r)])
                continue;
            (after[size_t(r)] == 0 ? silent : stopped).push_back(r);
        }
        if (stopped.empty() && !silent.empty())
            return std::string(silent.size() == 1 ? "rank " : "ranks ") + listRanks(silent) +
                   " never reported after joining (it may still be starting, or cannot reach "
                   "the rendezvous)" +
                   tail;
        if (stopped.empty())
            return "another rank failed or fell more than " + seconds() + " behind" + tail;
        return std::string(stopped.size() == 1 ? "rank " : "ranks ") + listRanks(stopped) +
               (stopped.size() == 1 ? " has" : " have") +
               " stopped (the process ended, was killed, or hangs); training cannot go on" + tail;
    }

    size_t start(c10::intrusive_ptr<c10d::Work> work)
    {
        works.push_back(std::move(work));
        return works.size() - 1;
    }

    template <typename F> auto guarded(const std::string& during, F call)
    {
        try {
            return call();
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {
            throw Error(diagnose(during, messageOf(e)));
        }
    }

    /// Tensors for the collectives: NCCL reduces device memory, Gloo host or device memory.
    torch::Tensor onBackend(const torch::Tensor& t) const
    {
        return backendName == "nccl" ? t.to(device) : t;
    }

    DistributedOptions options;
    torch::Device device;
    Milliseconds timeout{60000};
    std::string backendName;
    c10::intrusive_ptr<c10d::Store> store;
    GroupHandle group;
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    std::thread heartbeat;
    std::mutex beatMutex;
    std::condition_variable beatChanged;
    bool beatStop = false;
    bool finished = false;
};

DistributedGroup::DistributedGroup(const DistributedOptions& options, torch::Device device)
    : m_impl(std::make_unique<Impl>(options, device))
{
}

DistributedGroup::~DistributedGroup() = default;

int DistributedGroup::rank() const
{
    return m_impl->options.rank;
}

int DistributedGroup::size() const
{
    return m_impl->options.worldSize;
}

std::string DistributedGroup::backend() const
{
    return m_impl->backendName;
}

size_t DistributedGroup::startSum(torch::Tensor tensor)
{
    return m_impl->guarded("starting an all-reduce", [&] {
        std::vector<torch::Tensor> tensors{std::move(tensor)};
        return m_impl->start(m_impl->group->allreduce(tensors));
    });
}

void DistributedGroup::wait(size_t ticket)
{
    m_impl->guarded("in an all-reduce", [&] {
        auto work = std::move(m_impl->works.at(ticket));
        work->wait();
    });
    if (ticket + 1 == m_impl->works.size())
        m_impl->works.clear(); // all tickets so far are done
}

void DistributedGroup::sum(torch::Tensor tensor)
{
    auto target = m_impl->onBackend(tensor);
    wait(startSum(target));
    if (!target.is_same(tensor))
        tensor.copy_(target);
}

std::vector<double> DistributedGroup::sum(const std::vector<double>& values)
{
    auto host = torch::tensor(values, torch::kDouble);
    auto tensor = m_impl->onBackend(host);
    m_impl->guarded("summing the metrics", [&] {
        std::vector<torch::Tensor> tensors{tensor};
        m_impl->group->allreduce(tensors)->wait();
    });
    host = tensor.cpu();
    return std::vector<double>(host.data_ptr<double>(), host.data_ptr<double>() + host.numel());
}

void DistributedGroup::broadcast(torch::Tensor tensor, int root)
{
    m_impl->guarded("copying rank " + std::to_string(root) + "'s state", [&] {
        c10d::BroadcastOptions o;
        o.rootRank = root;
        auto target = m_impl->onBackend(tensor);
        std::vector<torch::Tensor> tensors{target};
        m_impl->group->broadcast(tensors, o)->wait();
        if (!target.is_same(tensor))
            tensor.copy_(target);
    });
}

void DistributedGroup::checkSame(const std::string& what, const std::string& value,
                                 const std::string& consequence)
{
    auto& impl = *m_impl;
    impl.guarded("comparing " + what, [&] {
        const std::string prefix = "tb/same/" + what + "/";
        impl.store->set(prefix + std::to_string(impl.options.rank), bytesOf(value));
        std::vector<std::string> keys;
        for (int r = 0; r < impl.options.worldSize; ++r)
            keys.push_back(prefix + std::to_string(r));
        impl.store->wait(keys, impl.timeout);
        for (int r = 0; r < impl.options.worldSize; ++r) {
            const auto other = impl.store->get(keys[size_t(r)]);
            if (std::string(other.begin(), other.end()) != value)
                throw Error("rank " + std::to_string(r) + "'s " + what + " (" +
                            std::string(other.begin(), other.end()) + ") differs from rank " +
                            std::to_string(impl.options.rank) + "'s (" + value +
                            "): " + consequence);
        }
    });
}

void DistributedGroup::waitForAll(const std::string& stage)
{
    auto& impl = *m_impl;
    const std::string key = "tb/ready/" + stage;
    impl.guarded(stage, [&] {
        int64_t ready = impl.store->add(key, 1);
        // Some ranks may take long (a first decode of a large image folder): no fixed limit, but
        // a rank whose heartbeat stops for the timeout is reported.
        std::vector<int64_t> beats(size_t(impl.options.worldSize), -1);
        std::vector<Clock::time_point> heard(beats.size(), Clock::now());
        while (ready < impl.options.worldSize) {
            std::this_thread::sleep_for(Milliseconds(50));
            ready = impl.store->add(key, 0);
            for (int r = 0; r < impl.options.worldSize; ++r) {
                const int64_t beat = impl.store->add("tb/beat/" + std::to_string(r), 0);
                if (beat != beats[size_t(r)]) {
                    beats[size_t(r)] = beat;
                    heard[size_t(r)] = Clock::now();
                } else if (Clock::now() - heard[size_t(r)] > impl.timeout) {
                    throw Error("rank " + std::to_string(r) + " stopped while " + stage +
                                " (no sign of life for " + impl.seconds() + ")");
                }
            }
        }
    });
}

void DistributedGroup::finish()
{
    auto& impl = *m_impl;
    if (impl.finished)
        return;
    impl.finished = true;
    impl.stopHeartbeat();
    // Everyone has read what they need from the store once all have counted themselves out;
    // rank 0 (the store's host) leaves last.
    impl.guarded("leaving the run", [&] {
        impl.store->add("tb/left", 1);
        if (impl.options.rank == 0 && !impl.options.agentStore) {
            const auto deadline = Clock::now() + impl.timeout;
            while (impl.store->add("tb/left", 0) < impl.options.worldSize &&
                   Clock::now() < deadline)
                std::this_thread::sleep_for(Milliseconds(10));
        }
    });
}

} // namespace trainbench
