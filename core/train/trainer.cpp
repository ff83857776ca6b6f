#include "trainbench/trainer.h"

#include "../data/batchloader.h"
#include "../model/network.h"
#include "../model/networkweights.h"
#include "../infer/predictorimpl.h"
#include "allocatorsetup.h"
#include "flatoptimizer.h"
#include "threadsetup.h"
#include "trainbench/batchplanner.h"
#include "trainbench/buildinfo.h"
#include "trainbench/checkpointinfo.h"
#include "trainbench/dataset.h"
#include "trainbench/error.h"
#include "trainbench/modelpresets.h"
#include "trainbench/modelsummary.h"
#include "trainbench/predictor.h"
#include "trainbench/trainingobserver.h"

#include <ATen/core/grad_mode.h>
#include <c10/core/InferenceMode.h>
#include <torch/cuda.h>
#include <torch/nn/functional/loss.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>
#include <torch/utils.h>
#include <torch/csrc/autograd/profiler_legacy.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <random>
#include <new>
#include <unistd.h>

namespace trainbench {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Evaluation
{
    double loss = 0.0;
    double accuracy = 0.0;
    std::vector<uint8_t> predictions; ///< Only when asked for.
    std::vector<float> confidences;
};

/// A fixed, seeded sample of test indices, so the prediction grid shows the same images each epoch.
std::vector<int64_t> sampleIndices(int64_t count, int64_t wanted, uint64_t seed)
{
    std::vector<int64_t> all(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i)
        all[size_t(i)] = i;
    std::mt19937_64 rng(seed ^ 0x5DEECE66DULL);
    for (int64_t i = 0; i < std::min(wanted, count); ++i)
        std::swap(all[size_t(i)], all[size_t(i + int64_t(rng() % uint64_t(count - i)))]);
    all.resize(size_t(std::min(wanted, count)));
    std::sort(all.begin(), all.end());
    return all;
}

std::string describeLayers(const std::vector<LayerSpec>& layers)
{
    std::string text;
    for (const auto& layer : layers) {
        text += text.empty() ? "" : ", ";
        text += toString(layer.type);
        if (layer.type == LayerType::Conv2D)
            text += " " + std::to_string(layer.filters) + " " + std::to_string(layer.kernel) + "x" +
                    std::to_string(layer.kernel);
        if (layer.type == LayerType::Dense)
            text += " " + std::to_string(layer.units);
    }
    return text;
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
        build({1, 28, 28}, 10);
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
        return device.is_cuda() ? "cuda:0" : "cpu";
    }

    torch::Tensor imagesToDevice(const ImageSet& set, int64_t begin, int64_t n) const
    {
        auto bytes = torch::from_blob(const_cast<uint8_t*>(set.image(begin)),
                                      {n, set.channels, set.rows, set.cols}, torch::kUInt8);
        return bytes.to(device).to(torch::kFloat).div_(255.0);
    }

    Evaluation evaluate(const ImageSet& set, bool keepPredictions)
    {
        network->eval();
        c10::InferenceMode guard;
        const int64_t chunk = 1000;
        auto lossSum = torch::zeros({}, torch::TensorOptions(torch::kDouble).device(device));
        auto correct = torch::zeros({}, torch::TensorOptions(torch::kLong).device(device));
        std::vector<uint8_t> predictions;
        std::vector<float> confidences;
        for (int64_t begin = 0; begin < set.count; begin += chunk) {
            const int64_t n = std::min(chunk, set.count - begin);
            auto images = imagesToDevice(set, begin, n);
            auto labels = torch::from_blob(const_cast<uint8_t*>(set.labels.data() + begin), {n},
                                           torch::kUInt8)
                              .to(device)
                              .to(torch::kLong);
            auto logits = network->forward(images);
            namespace F = torch::nn::functional;
            lossSum += F::cross_entropy(logits, labels,
                                        F::CrossEntropyFuncOptions().reduction(torch::kSum))
                           .to(torch::kDouble);
            correct += logits.argmax(1).eq(labels).sum();
            if (keepPredictions) {
                auto [confidence, predicted] = torch::softmax(logits, 1).max(1);
                predicted = predicted.to(torch::kUInt8).cpu();
                confidence = confidence.to(torch::kFloat).cpu();
                predictions.insert(predictions.end(), predicted.data_ptr<uint8_t>(),
                                   predicted.data_ptr<uint8_t>() + n);
                confidences.insert(confidences.end(), confidence.data_ptr<float>(),
                                   confidence.data_ptr<float>() + n);
            }
        }
        network->train();
        Evaluation result;
        result.predictions = std::move(predictions);
        result.confidences = std::move(confidences);
        result.loss = lossSum.item<double>() / double(set.count);
        result.accuracy = double(correct.item<int64_t>()) / double(set.count);
        return result;
    }

    EpochDetails details(int epoch, const Dataset& data, const Evaluation& test)
    {
        EpochDetails d;
        d.epoch = epoch;
        d.classes = classes;
        d.confusion.assign(size_t(classes * classes), 0);
        for (size_t i = 0; i < test.predictions.size(); ++i)
            ++d.confusion[size_t(data.test.labels[i] * classes + test.predictions[i])];
        d.testPredictions = test.predictions;
        d.testConfidences = test.confidences;

        const auto indices = sampleIndices(data.test.count, 64, config.seed);
        if (!indices.empty()) {
            network->eval();
            c10::InferenceMode guard;
            const ImageSet& set = data.test;
            auto batch = torch::empty({int64_t(indices.size()), set.channels, set.rows, set.cols});
            auto labels = torch::empty({int64_t(indices.size())}, torch::kLong);
            BatchLoader::assemble(set, indices.data(), int64_t(indices.size()),
                                  batch.data_ptr<float>(), labels.data_ptr<int64_t>());
            auto probabilities = torch::softmax(network->forward(batch.to(device)), 1)
                                     .to(torch::kFloat).cpu().contiguous();
            network->train();
            for (size_t k = 0; k < indices.size(); ++k) {
                SamplePrediction s;
                s.index = indices[k];
                s.label = set.labels[size_t(s.index)];
                const float* p = probabilities.data_ptr<float>() + k * size_t(classes);
                s.probabilities.assign(p, p + classes);
                s.predicted = int(std::max_element(p, p + classes) - p);
                s.confidence = p[s.predicted];
                s.pixels.assign(set.image(s.index), set.image(s.index) + set.imageSize());
                s.rows = set.rows;
                s.cols = set.cols;
                d.samples.push_back(std::move(s));
            }
        }

        const auto params = network->parameters();
        const auto& names = network->parameterNames();
        for (size_t i = 0; i < params.size(); ++i) {
            auto values = params[i].detach().to(torch::kFloat).cpu().contiguous();
            ParameterHistogram h;
            h.name = i < names.size() ? names[i] : "param_" + std::to_string(i);
            h.histogram = Histogram::of(values.data_ptr<float>(), size_t(values.numel()));
            d.parameters.push_back(std::move(h));
        }
        return d;
    }

    template <typename F>
    void notify(F call)
    {
        for (auto* observer : observers)
            call(*observer);
    }

    void waitWhilePaused(double& pausedSeconds)
    {
        if (!paused.load())
            return;
        const auto start = Clock::now();
        std::unique_lock<std::mutex> lock(pauseMutex);
        pauseChanged.wait(lock, [&] { return !paused.load() || stopRequested.load(); });
        pausedSeconds += secondsSince(start);
    }

    std::shared_ptr<const Dataset> prepareData(double& loadSeconds)
    {
        std::shared_ptr<const Dataset> source = dataset;
        const auto start = Clock::now();
        if (!source)
            source = std::make_shared<Dataset>(Dataset::loadFolder(config.dataDir));
        loadSeconds = dataset ? 0.0 : secondsSince(start);
        if (config.limit == 0 && config.testLimit == 0 && config.validationSplit == 0.0)
            return source;
        auto prepared = std::make_shared<Dataset>(*source);
        prepared->limit(config.limit, config.testLimit);
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
                profile = std::make_unique<torch::autograd::profiler::RecordProfile>(std::string(path));
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
        return false;
    }

    void fail(const std::string& message)
    {
        {
            std::lock_guard<std::mutex> lock(stateMutex);
            lastError = message;
        }
        notify([&](TrainingObserver& o) { o.onFailed(message); });
    }

    void runEpochs()
    {
        const int threads = device.is_cuda() ? at::get_num_threads() : ThreadSetup::apply(config.threads);
        AllocatorSetup::apply();
        optimizer->setBackgroundUpdates(threads > 1); // one core asked for: no helper thread
        torch::manual_seed(config.seed); // dropout draws from the global generator

        RunInfo info;
        const auto data = prepareData(info.dataLoadSeconds);
        matchModelToData(*data);
        const ImageSet& train = data->train;
        BatchPlanner planner(train.count, config.batchSize, config.shuffleBuffer,
                             config.dropRemainder, config.seed);
        info.device = deviceName();
        info.threads = threads;
        info.parameters = network->parameterCount();
        info.trainSamples = train.count;
        info.validationSamples = data->validation.count;
        info.testSamples = data->test.count;
        info.batchesPerEpoch = planner.batchesPerEpoch();
        info.inputShape = inputShape;
        info.classes = classes;
        info.classNames = data->classNames;
        info.modelSummary = ModelSummary::analyze(layers, inputShape, classes).format(config.modelName);
        notify([&](TrainingObserver& o) { o.onStarted(info); });

        BatchLoader loader(train, config.batchSize);
        network->train();
        const auto runStart = Clock::now();
        const auto accumulatorOptions = torch::TensorOptions(torch::kDouble).device(device);
        const int firstEpoch = int(history.size());
        // Per-batch loss and accuracy stay on the device until the next report.
        auto batchStats = torch::zeros({config.reportEvery, 2}, torch::TensorOptions(torch::kFloat).device(device));
        int64_t globalStep = optimizer->steps();
        bool stopped = false;
        double learningRate = config.optimizer.learningRate;
        double bestLoss = std::numeric_limits<double>::infinity();
        int epochsSinceBest = 0;

        for (int e = firstEpoch; e < firstEpoch + config.epochs && !stopped; ++e) {
            const auto epochStart = Clock::now();
            double pausedSeconds = 0.0;
            loader.start(planner.epochOrder(e));
            auto lossSum = torch::zeros({}, accumulatorOptions);
            auto correct = torch::zeros({}, accumulatorOptions);
            double reportedLoss = 0.0;
            double reportedCorrect = 0.0;
            int64_t samples = 0;
            int64_t reportedSamples = 0;
            int64_t lastReportedBatch = -1;
            const int64_t batches = planner.batchesPerEpoch();

            BatchLoader::Batch batch;
            for (int64_t b = 0; b < batches; ++b) {
                waitWhilePaused(pausedSeconds);
                if (stopRequested.load()) {
                    stopped = true;
                    break;
                }
                if (!loader.next(batch))
                    throw Error("the batch loader ended early");
                auto images = batch.images.to(device);
                auto labels = batch.labels.to(device);
                const int64_t n = images.size(0);

                auto logits = network->forward(images);
                auto loss = torch::nn::functional::cross_entropy(logits, labels);
                optimizer->zeroGrad();
                learningRate = config.schedule.at(config.optimizer.learningRate,
                                                  double(e - firstEpoch) + double(b) / double(batches),
                                                  config.epochs);
                optimizer->beginStep(learningRate); // large layers update while backward goes on
                loss.backward();
                optimizer->finishStep();
                {
                    torch::NoGradGuard noGrad;
                    auto hits = logits.argmax(1).eq(labels).sum();
                    lossSum.add_(loss.detach(), double(n));
                    correct.add_(hits);
                    auto slot = batchStats[b % config.reportEvery];
                    slot[0].copy_(loss.detach());
                    slot[1].copy_(hits.to(torch::kFloat).div_(double(n)));
                }
                samples += n;
                ++globalStep;

                const bool last = b + 1 == batches;
                if ((b + 1) % config.reportEvery != 0 && !last)
                    continue;
                // The only host synchronisation of the loop: every reportEvery batches.
                const double lossTotal = lossSum.item<double>();
                const double correctTotal = correct.item<double>();
                if (!std::isfinite(lossTotal))
                    throw Error("the loss became " + std::string(std::isnan(lossTotal) ? "NaN" : "infinite") +
                                " in epoch " + std::to_string(e + 1) + " near batch " +
                                std::to_string(b + 1) +
                                "; training stopped. Try a lower learning rate.");
                if (!observers.empty()) {
                    BatchEvent event;
                    event.epoch = e + 1;
                    event.epochs = firstEpoch + config.epochs;
                    event.batch = b + 1;
                    event.batchesPerEpoch = batches;
                    event.globalStep = globalStep;
                    event.loss = lossTotal / double(samples);
                    event.accuracy = correctTotal / double(samples);
                    const double recent = double(samples - reportedSamples);
                    event.recentLoss = (lossTotal - reportedLoss) / recent;
                    event.recentAccuracy = (correctTotal - reportedCorrect) / recent;
                    event.learningRate = learningRate;
                    const double elapsed = secondsSince(epochStart) - pausedSeconds;
                    event.samplesPerSecond = elapsed > 0 ? double(samples) / elapsed : 0.0;
                    event.elapsedSeconds = secondsSince(runStart);
                    const auto values = batchStats.cpu();
                    const auto table = values.accessor<float, 2>();
                    for (int64_t k = lastReportedBatch + 1; k <= b; ++k) {
                        event.batchLosses.push_back(table[k % config.reportEvery][0]);
                        event.batchAccuracies.push_back(table[k % config.reportEvery][1]);
                    }
                    notify([&](TrainingObserver& o) { o.onBatchEnd(event); });
                }
                lastReportedBatch = b;
                reportedLoss = lossTotal;
                reportedCorrect = correctTotal;
                reportedSamples = samples;
            }
            loader.stop();
            if (stopped)
                break;

            EpochMetrics metrics;
            metrics.epoch = e + 1;
            metrics.trainSamples = samples;
            metrics.trainLoss = reportedLoss / double(samples);
            metrics.trainAccuracy = reportedCorrect / double(samples);
            metrics.seconds = secondsSince(epochStart) - pausedSeconds;
            metrics.samplesPerSecond = double(samples) / std::max(metrics.seconds, 1e-9);
            const auto evalStart = Clock::now();
            const Evaluation test = evaluate(data->test, true);
            metrics.testLoss = test.loss;
            metrics.testAccuracy = test.accuracy;
            if (data->validation.count > 0) {
                const Evaluation validation = evaluate(data->validation, false);
                metrics.hasValidation = true;
                metrics.validationLoss = validation.loss;
                metrics.validationAccuracy = validation.accuracy;
            }
            metrics.evalSeconds = secondsSince(evalStart);
            {
                std::lock_guard<std::mutex> lock(stateMutex);
                history.push_back(metrics);
            }
            if (!observers.empty()) {
                const EpochDetails epochDetails = details(e + 1, *data, test);
                notify([&](TrainingObserver& o) { o.onEpochDetails(epochDetails); });
            }
            notify([&](TrainingObserver& o) { o.onEpochEnd(metrics); });

            const double monitored = metrics.hasValidation ? metrics.validationLoss : metrics.testLoss;
            if (monitored < bestLoss) {
                bestLoss = monitored;
                epochsSinceBest = 0;
            } else if (config.earlyStoppingPatience > 0 &&
                       ++epochsSinceBest >= config.earlyStoppingPatience) {
                break; // early stopping: a normal end
            }
        }
        notify([&](TrainingObserver& o) { o.onFinished(stopped); });
    }

    void save(const std::string& path) const
    {
        CheckpointInfo info;
        info.formatVersion = CheckpointInfo::kFormatVersion;
        info.appVersion = BuildInfo::version();
        info.config = config;
        info.layers = layers;
        info.inputShape = inputShape;
        info.classes = classes;
        {
            std::lock_guard<std::mutex> lock(stateMutex);
            info.history = history;
        }
        torch::serialize::OutputArchive archive;
        archive.write("trainbench/header", c10::IValue(info.toJson()));
        NetworkWeights::write(network, archive);
        optimizer->save(archive);

        const std::string temp = path + ".tmp-" + std::to_string(::getpid());
        if (FILE* probe = std::fopen(temp.c_str(), "wb")) {
            std::fclose(probe);
        } else {
            throw Error(path + ": cannot write checkpoint: " + std::strerror(errno));
        }
        try {
            archive.save_to(temp);
        } catch (const std::exception& e) {
            std::remove(temp.c_str());
            throw Error(path + ": cannot write checkpoint (disk full?)");
        }
        if (std::rename(temp.c_str(), path.c_str()) != 0) {
            const std::string reason = std::strerror(errno);
            std::remove(temp.c_str());
            throw Error(path + ": cannot write checkpoint: " + reason);
        }
    }

    void load(const std::string& path)
    {
        const CheckpointInfo info = CheckpointInfo::read(path);
        if (info.layers != layers || info.classes != classes)
            throw Error(path + ": checkpoint holds a different architecture (" +
                        describeLayers(info.layers) + ", " + std::to_string(info.classes) +
                        " classes) than this model (" + describeLayers(layers) + ", " +
                        std::to_string(classes) + " classes)");
        if (info.inputShape != inputShape)
            build(info.inputShape, info.classes);
        torch::serialize::InputArchive archive;
        archive.load_from(path);
        NetworkWeights::read(network, archive, path);
        if (info.config.optimizer.type == config.optimizer.type) {
            try {
                optimizer->load(archive);
            } catch (const Error& e) {
                throw Error(path + ": " + e.what());
            }
        }
        weightsLoaded = true;
        std::lock_guard<std::mutex> lock(stateMutex);
        history = info.history;
    }

    TrainingConfig config;
    std::vector<TrainingObserver*> observers;
    std::shared_ptr<const Dataset> dataset;
    std::vector<LayerSpec> layers;
    std::vector<int64_t> inputShape;
    int classes = 10;
    torch::Device device{torch::kCPU};
    Network network{nullptr};
    std::unique_ptr<FlatOptimizer> optimizer;
    bool weightsLoaded = false;

    mutable std::mutex stateMutex;
    std::vector<EpochMetrics> history;
    std::string lastError;

    std::atomic<bool> stopRequested{false};
    std::atomic<bool> paused{false};
    std::mutex pauseMutex;
    std::condition_variable pauseChanged;
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
    m_impl->stopRequested.store(true);
    std::lock_guard<std::mutex> lock(m_impl->pauseMutex);
    m_impl->pauseChanged.notify_all();
}

void Trainer::setPaused(bool paused)
{
    m_impl->paused.store(paused);
    std::lock_guard<std::mutex> lock(m_impl->pauseMutex);
    m_impl->pauseChanged.notify_all();
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
    const auto& source = m_impl->network;
    impl->network = Network(m_impl->layers, m_impl->inputShape, m_impl->classes, m_impl->config.seed);
    NetworkWeights::copy(source, impl->network);
    impl->network->eval();
    const auto history = this->history();
    char accuracy[64] = "";
    if (!history.empty())
        std::snprintf(accuracy, sizeof accuracy, ", test accuracy %.2f%%", history.back().testAccuracy * 100.0);
    impl->description = m_impl->config.modelName + " just trained, " + std::to_string(history.size()) +
                        " epoch" + (history.size() == 1 ? "" : "s") + accuracy;
    return std::shared_ptr<Predictor>(new Predictor(std::move(impl)));
}

int64_t Trainer::parameterCount() const
{
    return m_impl->network->parameterCount();
}

} // namespace trainbench
