#include "trainbench/train/trainer.h"

#include "data/batchloader.h"
#include "infer/predictorimpl.h"
#include "model/network.h"
#include "model/networkweights.h"
#include "platform/threadsetup.h"
#include "train/checkpointwriter.h"
#include "train/distributedgroup.h"
#include "train/epochloop.h"
#include "train/evaluator.h"
#include "train/flatoptimizer.h"
#include "train/gradientreducer.h"
#include "train/runcontrol.h"
#include "trainbench/common/buildinfo.h"
#include "trainbench/common/error.h"
#include "trainbench/data/batchplanner.h"
#include "trainbench/data/dataset.h"
#include "trainbench/infer/predictor.h"
#include "trainbench/model/modelpresets.h"
#include "trainbench/model/modelsummary.h"
#include "trainbench/train/checkpointinfo.h"
#include "trainbench/train/configjson.h"
#include "trainbench/train/trainingobserver.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/cuda.h>
#include <torch/serialize/input-archive.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <new>
#include <thread>

namespace trainbench {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

class Trainer::Impl
{
public:
    explicit Impl(TrainingConfig c) : config(std::move(c))
    {
        config.validate();
        layers = config.layers.empty() ? ModelPresets::layers(config.modelName) : config.layers;
        device = resolveDevice(config.device);
        // A model exists before any data (parameter counts, checkpoints to load); it is built
        // for MNIST's shape and the stack's own head, and again for the data when that differs.
        // A stack made for other images may not fit MNIST's: then it waits for the data.
        const int head = !layers.empty() && layers.back().type == LayerType::Dense
                             ? std::max(1, layers.back().units)
                             : 10;
        try {
            build({1, 28, 28}, head);
        } catch (const Error&) {
            network = Network(nullptr);
            inputShape.clear();
        }
    }

    static torch::Device resolveDevice(const std::string& name)
    {
        const bool cuda = torch::cuda::is_available();
        if (name == "cuda" && !cuda)
            throw Error("device 'cuda' was requested but CUDA is not available here "
                        "(no GPU found, or this libtorch was built for CPU only)");
        return (name == "cuda" || (name == "auto" && cuda)) ? torch::Device(torch::kCUDA, 0)
                                                            : torch::Device(torch::kCPU);
    }

    void build(const std::vector<int64_t>& shape, int classCount)
    {
        inputShape = shape;
        classes = classCount;
        network = Network(layers, inputShape, classes, config.seed);
        network->to(device);
        optimizer = std::make_unique<FlatOptimizer>(network->parameters(), config.optimizer);
    }

    std::string deviceName() const
    {
        return device.is_cuda() ? "cuda:" + std::to_string(device.index()) : "cpu";
    }

    template <typename F> void notify(F call)
    {
        for (auto* observer : observers)
            call(*observer);
    }

    std::shared_ptr<const Dataset> prepareData(double& loadSeconds)
    {
        std::shared_ptr<const Dataset> source = dataset;
        const auto start = Clock::now();
        if (!source)
            source = std::make_shared<Dataset>(Dataset::load(config.dataDir, config.dataOptions));
        loadSeconds = dataset ? 0.0 : secondsSince(start);
        if (config.limit == 0 && config.testLimit == 0 && config.validationSplit == 0.0)
            return source;
        // Only the images asked for are copied (a --limit of 1,000 copies 1,000, not 60,000).
        auto prepared = std::make_shared<Dataset>(source->sliced(config.limit, config.testLimit));
        prepared->splitValidation(config.validationSplit);
        if (prepared->train.count == 0)
            throw Error("the validation split leaves no training samples");
        return prepared;
    }

    void matchModelToData(const Dataset& data)
    {
        const std::vector<int64_t> shape = {data.train.channels, data.train.rows, data.train.cols};
        if (shape == inputShape && data.classes == classes)
            return;
        if (!weightsLoaded && config.layers.empty())
            layers = ModelPresets::layers(config.modelName, data.classes); // head fits the data
        if (weightsLoaded)
            throw Error("the loaded checkpoint expects " + std::to_string(inputShape[1]) + "x" +
                        std::to_string(inputShape[2]) + " images in " + std::to_string(classes) +
                        " classes, but the data has " + std::to_string(shape[1]) + "x" +
                        std::to_string(shape[2]) + " images in " + std::to_string(data.classes));
        build(shape, data.classes);
    }

    bool run()
    {
        try {
            std::unique_ptr<torch::autograd::profiler::RecordProfile> profile;
            if (const char* path = std::getenv("TRAINBENCH_PROFILE"))
                profile = std::make_unique<torch::autograd::profiler::RecordProfile>(
                    std::string(path) + (distributed.rank > 0
                                             ? ".rank" + std::to_string(distributed.rank)
                                             : std::string()));
            runEpochs();
            return true;
        } catch (const Error& e) {
            fail(e.what());
        } catch (const std::bad_alloc&) {
            fail("out of memory; try a smaller batch size or model");
        } catch (const c10::Error& e) {
            fail(std::string("libtorch error: ") + e.what_without_backtrace());
        } catch (const std::exception& e) {
            fail(e.what());
        }
        dropGroup();
        return false;
    }

    /// Leaves a failed distributed run at once: no hooks, reducer or store outlive it.
    void dropGroup()
    {
        if (optimizer)
            optimizer->setReducer(nullptr);
        reducer.reset();
        group.reset();
    }

    void fail(const std::string& message)
    {
        {
            std::lock_guard<std::mutex> lock(stateMutex);
            lastError = message;
        }
        notify([&](TrainingObserver& o) { o.onFailed(message); });
    }

    /// The run: data, model and reports set up, then epochs until done, stopped or early-stopped.
    void runEpochs()
    {
        // Dropout draws from the global generator: seeded once per model, then it goes on, so
        // a second run() and a resumed checkpoint (which restores the generator) draw what one
        // long run would have drawn.
        if (generatorState.defined()) {
            auto generator = at::detail::getDefaultCPUGenerator();
            std::lock_guard<std::mutex> lock(generator.mutex());
            generator.set_state(generatorState);
            generatorState = torch::Tensor();
        } else if (!generatorSeeded) {
            torch::manual_seed(config.seed);
        }
        generatorSeeded = true;

        RunInfo info;
        // The ranks meet first (a missing rank shows at once), then each loads its data for as
        // long as that takes.
        if (distributed.enabled())
            group = std::make_unique<DistributedGroup>(distributed, device);
        const auto data = prepareData(info.dataLoadSeconds);
        matchModelToData(*data);
        // Thread counts are per run (config.threads); the denormal setting is per thread, so the
        // training thread applies both itself. Process-wide set-up happened in main().
        const int threads =
            device.is_cuda() ? at::get_num_threads() : ThreadSetup::apply(config.threads);
        // The helper thread updates large parameters while backward goes on, on a core the
        // pool leaves free: beside a pool that has every core it competes with the pool's own
        // threads. One thread asked for means one core: no helper either.
        optimizer->setBackgroundUpdates(threads > 1 &&
                                        threads < int(std::thread::hardware_concurrency()));
        startTogether(*data);
        const int world = group ? group->size() : 1;
        const int rank = group ? group->rank() : 0;
        // Planned in global batches; each rank trains its share of every one.
        const int64_t globalBatch = int64_t(config.batchSize) * world;
        BatchPlanner planner(data->train.count, globalBatch, config.shuffleBuffer,
                             config.dropRemainder || lastBatchTooSmallToNormalise(
                                                         data->train.count, globalBatch, world),
                             config.seed);
        describeRun(info, *data, planner, threads);
        classNames = data->classNames;
        notify([&](TrainingObserver& o) { o.onStarted(info); });

        BatchLoader loader(data->train, config.batchSize);
        loader.setAugmentation(config.augmentation, config.seed);
        Evaluator evaluator(network, device, classes, config.seed);
        evaluator.setDistributed(group.get());
        std::function<void(const BatchEvent&)> report;
        if (!observers.empty())
            report = [this](const BatchEvent& e) {
                notify([&](TrainingObserver& o) { o.onBatchEnd(e); });
            };
        EpochLoop loop(network, *optimizer, config, device, control, report);
        loop.setDistributed(group.get(), &planner);

        network->train();
        const auto runStart = Clock::now();
        const int firstEpoch = int(history.size());
        int64_t globalStep = optimizer->steps();
        bool stopped = false;
        double bestLoss = std::numeric_limits<double>::infinity();
        int epochsSinceBest = 0;

        for (int e = firstEpoch; e < firstEpoch + config.epochs; ++e) {
            loader.start(group ? planner.shard(planner.epochOrder(e), rank, world)
                               : planner.epochOrder(e),
                         e);
            const EpochLoop::Result trained =
                loop.run(loader, e, firstEpoch, planner.batchesPerEpoch(), globalStep, runStart);
            loader.stop();
            if (trained.stopped) {
                stopped = true;
                break;
            }
            if (group)
                shareBuffers(); // rank 0's running statistics, as DistributedDataParallel does
            const EpochMetrics metrics = finishEpoch(e, trained, *data, evaluator);
            const double monitored =
                metrics.hasValidation ? metrics.validationLoss : metrics.testLoss;
            if (monitored < bestLoss) {
                bestLoss = monitored;
                epochsSinceBest = 0;
            } else if (config.earlyStoppingPatience > 0 &&
                       ++epochsSinceBest >= config.earlyStoppingPatience) {
                break; // early stopping: a normal end
            }
        }
        leaveGroup();
        notify([&](TrainingObserver& o) { o.onFinished(stopped); });
    }

    /// Once every rank has its data and model: checks they were started alike, then starts
    /// every rank from rank 0's model and optimizer state, with gradients averaged from now on.
    void startTogether(const Dataset& data)
    {
        if (!group)
            return;
        group->waitForAll("loading the data");
        // Options that may differ per rank (paths, threads, device) are left out.
        TrainingConfig shared = config;
        shared.dataDir.clear();
        shared.threads = 0;
        shared.device.clear();
        const std::string settings =
            ConfigJson::toJson(shared) + ConfigJson::toJson(layers) + "|" +
            std::to_string(data.train.count) + "/" + std::to_string(data.validation.count) + "/" +
            std::to_string(data.test.count) + "|" + std::to_string(classes) + "|" +
            std::to_string(network->parameterCount());
        uint64_t hash = 1469598103934665603ULL; // FNV-1a: a short fingerprint for the store
        for (unsigned char c : settings)
            hash = (hash ^ c) * 1099511628211ULL;
        char fingerprint[24];
        std::snprintf(fingerprint, sizeof fingerprint, "%016llx", (unsigned long long)hash);
        group->checkSame("settings and data", fingerprint,
                         "every rank must be started with the same training options and the "
                         "same data (same images and labels, same counts)");
        torch::NoGradGuard noGrad;
        for (auto& p : network->parameters()) {
            auto values = p.detach();
            group->broadcast(values);
        }
        shareBuffers();
        for (auto& state : optimizer->stateTensors())
            group->broadcast(state);
        group->checkSame("optimizer step count", std::to_string(optimizer->steps()));
        reducer = std::make_unique<GradientReducer>(network->parameters(), *group);
        optimizer->setReducer(reducer.get());
    }

    void shareBuffers()
    {
        torch::NoGradGuard noGrad;
        for (auto& b : network->buffers()) {
            auto values = b.detach();
            group->broadcast(values);
        }
    }

    /// Checks that the ranks end with the same weights, and leaves the run together.
    void leaveGroup()
    {
        if (!group)
            return;
        shareBuffers(); // also after a stop, which skips the epoch's end
        group->checkSame("weights digest", NetworkWeights::digest(network));
        optimizer->setReducer(nullptr);
        reducer.reset();
        group->finish();
        group.reset();
    }

    /// Whether the epoch's last, smaller batch would leave a rank a single image while the
    /// model has a BatchNorm layer, which cannot normalise one value per channel (libtorch
    /// refuses it): such a batch is dropped, as the plain drop-remainder option would, rather
    /// than failing the run at the end of its first epoch (33 images of a user's own, say).
    bool lastBatchTooSmallToNormalise(int64_t count, int64_t globalBatch, int world) const
    {
        const int64_t remainder = count % globalBatch;
        const bool normalised = std::any_of(layers.begin(), layers.end(), [](const LayerSpec& l) {
            return l.type == LayerType::BatchNorm;
        });
        return normalised && remainder > 0 && remainder < 2 * int64_t(world);
    }

    void describeRun(RunInfo& info, const Dataset& data, const BatchPlanner& planner,
                     int threads) const
    {
        info.dataset = data.name;
        info.device = deviceName();
        info.threads = threads;
        info.parameters = network->parameterCount();
        info.trainSamples = data.train.count;
        info.validationSamples = data.validation.count;
        info.testSamples = data.test.count;
        info.batchesPerEpoch = planner.batchesPerEpoch();
        info.worldSize = group ? group->size() : 1;
        info.globalBatch = planner.batchSize();
        info.backend = group ? group->backend() : std::string();
        info.inputShape = inputShape;
        info.classes = classes;
        info.classNames = data.classNames;
        info.modelSummary =
            ModelSummary::analyze(layers, inputShape, classes).format(config.modelName);
    }

    /// Evaluates epoch `e` (0-based) after training, records and reports its metrics.
    EpochMetrics finishEpoch(int e, const EpochLoop::Result& trained, const Dataset& data,
                             Evaluator& evaluator)
    {
        EpochMetrics metrics;
        metrics.epoch = e + 1;
        metrics.trainSamples = trained.samples;
        metrics.trainLoss = trained.lossTotal / double(trained.samples);
        metrics.trainAccuracy = trained.correctTotal / double(trained.samples);
        metrics.seconds = trained.seconds;
        metrics.learningRate = trained.learningRate;
        metrics.samplesPerSecond = double(trained.samples) / std::max(metrics.seconds, 1e-9);
        const auto evalStart = Clock::now();
        const bool details = std::any_of(observers.begin(), observers.end(),
                                         [](auto* o) { return o->wantsEpochDetails(); });
        // Every rank of a distributed run assembles the answers (a collective all must join),
        // whether or not its own observers want them.
        const Evaluator::Result test = evaluator.evaluate(data.test, details || group);
        metrics.testLoss = test.loss;
        metrics.testAccuracy = test.accuracy;
        if (data.validation.count > 0) {
            const Evaluator::Result validation = evaluator.evaluate(data.validation, false);
            metrics.hasValidation = true;
            metrics.validationLoss = validation.loss;
            metrics.validationAccuracy = validation.accuracy;
        }
        metrics.evalSeconds = secondsSince(evalStart);
        {
            std::lock_guard<std::mutex> lock(stateMutex);
            history.push_back(metrics);
        }
        if (details) {
            const EpochDetails epochDetails = evaluator.details(e + 1, data, test);
            notify([&](TrainingObserver& o) { o.onEpochDetails(epochDetails); });
        }
        notify([&](TrainingObserver& o) { o.onEpochEnd(metrics); });
        return metrics;
    }

    void save(const std::string& path) const
    {
        if (!network)
            throw Error(path + ": there is no model to save yet: it is built when training starts");
        CheckpointInfo info;
        info.formatVersion = CheckpointInfo::kFormatVersion;
        info.appVersion = BuildInfo::version();
        info.config = config;
        info.layers = layers;
        info.inputShape = inputShape;
        info.classes = classes;
        info.classNames = classNames;
        {
            std::lock_guard<std::mutex> lock(stateMutex);
            info.history = history;
        }
        torch::Tensor generator;
        {
            auto cpu = at::detail::getDefaultCPUGenerator();
            std::lock_guard<std::mutex> lock(cpu.mutex());
            generator = cpu.get_state();
        }
        CheckpointWriter::write(path, info, network, *optimizer, generator);
    }

    void load(const std::string& path)
    {
        const CheckpointInfo info = CheckpointInfo::read(path);
        if (info.layers != layers || info.classes != classes)
            throw Error(path + ": checkpoint holds a different architecture (" +
                        LayerSpec::describe(info.layers) + ", " + std::to_string(info.classes) +
                        " classes) than this model (" + LayerSpec::describe(layers) + ", " +
                        std::to_string(classes) + " classes)");
        if (info.inputShape != inputShape)
            build(info.inputShape, info.classes);
        torch::serialize::InputArchive archive;
        archive.load_from(path);
        NetworkWeights::read(network, archive, path);
        NetworkWeights::verify(network, info.weightsDigest, path);
        if (info.config.optimizer.type == config.optimizer.type) {
            try {
                optimizer->load(archive);
            } catch (const Error& e) {
                throw Error(path + ": " + e.what());
            }
        }
        weightsLoaded = true;
        classNames = info.classNames;
        c10::IValue generator;
        if (archive.try_read("trainbench/generator", generator) && generator.isTensor())
            generatorState = generator.toTensor(); // checked by set_state when the run starts
        std::lock_guard<std::mutex> lock(stateMutex);
        history = info.history;
    }

    TrainingConfig config;
    std::vector<TrainingObserver*> observers;
    std::shared_ptr<const Dataset> dataset;
    std::vector<LayerSpec> layers;
    std::vector<int64_t> inputShape;
    std::vector<std::string> classNames;
    bool generatorSeeded = false; ///< The global generator was seeded for this model.
    torch::Tensor generatorState; ///< From a loaded checkpoint, applied when the run starts.
    int classes = 10;
    torch::Device device{torch::kCPU};
    Network network{nullptr};
    std::unique_ptr<FlatOptimizer> optimizer;
    bool weightsLoaded = false;

    mutable std::mutex stateMutex;
    std::vector<EpochMetrics> history;
    std::string lastError;

    RunControl control;
    DistributedOptions distributed;
    std::unique_ptr<DistributedGroup> group;
    std::unique_ptr<GradientReducer> reducer; ///< Declared after group: goes first.
};

Trainer::Trainer(TrainingConfig config) : m_impl(std::make_unique<Impl>(std::move(config))) {}

Trainer::~Trainer() = default;

void Trainer::addObserver(TrainingObserver* observer)
{
    if (observer)
        m_impl->observers.push_back(observer);
}

void Trainer::setDataset(std::shared_ptr<const Dataset> dataset)
{
    m_impl->dataset = std::move(dataset);
}

void Trainer::setDistributed(const DistributedOptions& options)
{
    options.validate();
    auto& impl = *m_impl;
    impl.distributed = options;
    // One GPU per process on a machine: the local rank picks it.
    if (options.enabled() && impl.device.is_cuda()) {
        const int gpus = int(torch::cuda::device_count());
        const torch::Device mine(torch::kCUDA, gpus > 0 ? options.localRank % gpus : 0);
        if (mine != impl.device) {
            impl.device = mine;
            if (impl.network)
                impl.build(impl.inputShape, impl.classes);
        }
    }
}

void Trainer::loadCheckpoint(const std::string& path)
{
    try {
        m_impl->load(path);
    } catch (const Error&) {
        throw;
    } catch (const std::exception&) {
        throw Error(path + ": not a Trainbench checkpoint (unreadable or damaged file)");
    }
}

void Trainer::saveCheckpoint(const std::string& path) const
{
    m_impl->save(path);
}

bool Trainer::run()
{
    return m_impl->run();
}

void Trainer::requestStop()
{
    m_impl->control.requestStop();
}

void Trainer::setPaused(bool paused)
{
    m_impl->control.setPaused(paused);
}

const TrainingConfig& Trainer::config() const
{
    return m_impl->config;
}

std::vector<EpochMetrics> Trainer::history() const
{
    std::lock_guard<std::mutex> lock(m_impl->stateMutex);
    return m_impl->history;
}

std::string Trainer::lastError() const
{
    std::lock_guard<std::mutex> lock(m_impl->stateMutex);
    return m_impl->lastError;
}

std::string Trainer::deviceName() const
{
    return m_impl->deviceName();
}

std::shared_ptr<Predictor> Trainer::predictor() const
{
    auto impl = std::make_unique<Predictor::Impl>();
    if (!m_impl->network)
        throw Error("there is no model yet: it is built when training starts");
    const auto& source = m_impl->network;
    impl->network =
        Network(m_impl->layers, m_impl->inputShape, m_impl->classes, m_impl->config.seed);
    NetworkWeights::copy(source, impl->network);
    impl->network->eval();
    impl->classNames = m_impl->classNames;
    impl->resize = m_impl->config.dataOptions.resize;
    const auto history = this->history();
    char accuracy[64] = "";
    if (!history.empty())
        std::snprintf(accuracy, sizeof accuracy, ", test accuracy %.2f%%",
                      history.back().testAccuracy * 100.0);
    impl->description = m_impl->config.modelName + " just trained, " +
                        std::to_string(history.size()) + " epoch" +
                        (history.size() == 1 ? "" : "s") + accuracy;
    return std::shared_ptr<Predictor>(new Predictor(std::move(impl)));
}

std::string Trainer::weightsDigest() const
{
    return m_impl->network ? NetworkWeights::digest(m_impl->network) : std::string();
}

int64_t Trainer::parameterCount() const
{
    return m_impl->network ? m_impl->network->parameterCount() : 0;
}

} // namespace trainbench
