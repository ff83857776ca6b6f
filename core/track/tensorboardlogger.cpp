#include "trainbench/track/tensorboardlogger.h"

#include "track/eventfilewriter.h"
#include "track/summaryimages.h"
#include "trainbench/common/error.h"
#include "trainbench/model/modelpresets.h"
#include "trainbench/platform/platform.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <sstream>

namespace trainbench {

namespace {

double wallTime()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool exists(const std::string& path)
{
    std::error_code error;
    return std::filesystem::exists(path, error);
}

std::string configMarkdown(const TrainingConfig& c)
{
    std::ostringstream md;
    const auto row = [&md](const std::string& key, const std::string& value) {
        md << "| " << key << " | " << value << " |\n";
    };
    md << "| setting | value |\n|---|---|\n";
    row("data", c.dataDir);
    row("model", c.modelName);
    row("optimizer", toString(c.optimizer.type));
    row("learning rate", std::to_string(c.optimizer.learningRate));
    if (c.optimizer.type != OptimizerType::Adam)
        row("momentum", std::to_string(c.optimizer.momentum));
    row("epochs", std::to_string(c.epochs));
    row("batch size", std::to_string(c.batchSize));
    row("shuffle buffer", c.shuffleBuffer < 0 ? "full" : std::to_string(c.shuffleBuffer));
    row("drop remainder", c.dropRemainder ? "yes" : "no");
    row("validation split", std::to_string(c.validationSplit));
    row("training samples", c.limit > 0 ? "first " + std::to_string(c.limit) : "all");
    row("seed", std::to_string(c.seed));
    row("device", c.device);
    return md.str();
}

std::string indent(const std::string& text)
{
    // Markdown code block: four spaces before every line.
    std::string out = "    ";
    for (char ch : text) {
        out += ch;
        if (ch == '\n')
            out += "    ";
    }
    return out;
}

/// The hyperparameters of a session, with their values; the experiment record declares the
/// same names and types.
std::vector<EventFileWriter::HParamSpec> sessionHParams(const TrainingConfig& c,
                                                        const RunInfo& info)
{
    return {{"model", "model preset or name", c.modelName},
            {"optimizer", "adam, sgd or rmsprop", toString(c.optimizer.type)},
            {"learning_rate", "base learning rate", c.optimizer.learningRate},
            {"batch_size", "samples per batch", double(c.batchSize)},
            {"epochs", "epochs planned", double(c.epochs)},
            {"shuffle_buffer", "shuffle buffer size (0: file order)", double(c.shuffleBuffer)},
            {"drop_remainder", "last smaller batch dropped", c.dropRemainder},
            {"validation_split", "fraction held out for validation", c.validationSplit},
            {"seed", "seed of initialisation, shuffling and dropout", double(c.seed)},
            {"train_samples", "training images used", double(info.trainSamples)},
            {"parameters", "model parameters", double(info.parameters)}};
}

/// The hparams experiment record, once per runs folder (TensorBoard reads the first it finds):
/// typed hyperparameters, and the metrics that matter, so the dashboard does not offer every
/// per-batch scalar as one.
void writeExperimentOnce(const std::string& root)
{
    std::error_code error;
    for (std::filesystem::directory_iterator it(root, error), end; !error && it != end;
         it.increment(error))
        if (it->path().filename().string().rfind("events.out.tfevents.", 0) == 0)
            return;
    EventFileWriter writer(root);
    writer.experiment(sessionHParams(TrainingConfig{}, RunInfo{}),
                      {{"test", "accuracy", true},
                       {"test", "loss", true},
                       {"validation", "accuracy", true},
                       {"validation", "loss", true}},
                      wallTime());
    writer.close();
}

} // namespace

std::string TensorBoardLogger::timestampRunName()
{
    const std::time_t now = std::time(nullptr);
    const std::tm local = Platform::localTime(now);
    char name[32];
    std::strftime(name, sizeof name, "%Y%m%d-%H%M%S", &local);
    return name;
}

TensorBoardLogger::TensorBoardLogger(const std::string& logdir, TrainingConfig config,
                                     std::string runName, bool existingRunFolder)
    : m_config(std::move(config))
{
    if (logdir.empty())
        throw Error("no log folder given");
    if (runName.empty())
        runName = timestampRunName();
    std::string base = logdir;
    while (base.size() > 1 && base.back() == '/')
        base.pop_back();
    m_runDir = base + "/" + runName;
    for (int n = 2; !existingRunFolder && exists(m_runDir); ++n)
        m_runDir = base + "/" + runName + "-" + std::to_string(n);
    m_session = std::make_unique<EventFileWriter>(m_runDir);
    writeExperimentOnce(base);
    m_train = std::make_unique<EventFileWriter>(m_runDir + "/train");
    m_test = std::make_unique<EventFileWriter>(m_runDir + "/test");
    if (m_config.validationSplit > 0.0)
        m_validation = std::make_unique<EventFileWriter>(m_runDir + "/validation");
}

TensorBoardLogger::~TensorBoardLogger() = default;

template <typename F> void TensorBoardLogger::guarded(F write)
{
    if (m_broken)
        return;
    try {
        write();
    } catch (const Error& e) {
        m_broken = true;
        if (onWarning)
            onWarning(std::string("TensorBoard logging stopped: ") + e.what());
    }
}

void TensorBoardLogger::onStarted(const RunInfo& info)
{
    guarded([&] {
        std::map<std::string, EventFileWriter::HParamValue> values;
        for (const auto& h : sessionHParams(m_config, info))
            values[h.name] = h.example;
        m_session->sessionStart(values, wallTime());
        m_train->text("config", configMarkdown(m_config), 0);
        m_train->text("model_summary", indent(info.modelSummary), 0);
        m_train->flush();
    });
}

void TensorBoardLogger::onBatchEnd(const BatchEvent& e)
{
    guarded([&] {
        const int64_t first = e.globalStep - int64_t(e.batchLosses.size()) + 1;
        for (size_t i = 0; i < e.batchLosses.size(); ++i) {
            const int64_t step = first + int64_t(i);
            m_train->scalar("batch/loss", e.batchLosses[i], step);
            m_train->scalar("batch/accuracy", e.batchAccuracies[i], step);
            m_train->scalar("learning_rate", e.learningRate, step);
        }
    });
}

void TensorBoardLogger::onEpochDetails(const EpochDetails& d)
{
    guarded([&] {
        m_test->image("predictions", SummaryImages::predictionGrid(d.samples, d.classNames),
                      d.epoch);
        m_test->image("confusion_matrix", SummaryImages::confusionMatrix(d), d.epoch);
        for (const auto& p : d.parameters)
            m_train->histogram(p.name, p.histogram, d.epoch);
    });
}

void TensorBoardLogger::onEpochEnd(const EpochMetrics& m)
{
    guarded([&] {
        m_train->scalar("loss", m.trainLoss, m.epoch);
        m_train->scalar("accuracy", m.trainAccuracy, m.epoch);
        m_train->scalar("samples_per_second", m.samplesPerSecond, m.epoch);
        m_test->scalar("loss", m.testLoss, m.epoch);
        m_test->scalar("accuracy", m.testAccuracy, m.epoch);
        if (m_validation && m.hasValidation) {
            m_validation->scalar("loss", m.validationLoss, m.epoch);
            m_validation->scalar("accuracy", m.validationAccuracy, m.epoch);
            m_validation->flush();
        }
        m_train->flush();
        m_test->flush();
    });
}

void TensorBoardLogger::finish(bool success)
{
    guarded([&] {
        m_session->sessionEnd(success, wallTime());
        for (auto* writer : {m_session.get(), m_train.get(), m_test.get(), m_validation.get()})
            if (writer)
                writer->close();
    });
}

void TensorBoardLogger::onFinished(bool stopped)
{
    (void)stopped; // a stopped run still ended cleanly
    finish(true);
}

void TensorBoardLogger::onFailed(const std::string& message)
{
    (void)message;
    finish(false);
}

} // namespace trainbench
