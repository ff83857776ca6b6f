#include "commandline.h"
#include "trainbench/common/text.h"

#include "consoleobserver.h"
#include "runsreport.h"
#include "trainbench/common/buildinfo.h"
#include "trainbench/common/error.h"
#include "trainbench/data/dataset.h"
#include "trainbench/data/image.h"
#include "trainbench/infer/predictor.h"
#include "trainbench/model/modelpresets.h"
#include "trainbench/model/modelsummary.h"
#include "trainbench/platform/platform.h"
#include "trainbench/platform/resourceusage.h"
#include "trainbench/track/runrecorder.h"
#include "trainbench/track/runstore.h"
#include "trainbench/track/tensorboardlogger.h"
#include "trainbench/train/configjson.h"
#include "trainbench/train/sweepgrid.h"
#include "trainbench/train/trainer.h"
#include "trainbench/train/workerlauncher.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

namespace trainbench::cli {

namespace {

/// A bad command-line argument: exit code 2.
struct UsageError
{
    std::string message;
};

std::atomic<bool> g_interrupted{false};

void onInterrupt(int)
{
    g_interrupted.store(true);
    std::signal(SIGINT, SIG_DFL); // a second Ctrl+C aborts
}

std::atomic<bool> g_terminated{false};

/// SIGTERM to a launcher or a rank of a distributed run: stop all ranks politely (the window's
/// Stop for a multi-process run). Repeated ones change nothing (SIGKILL ends a process at once).
void onTerminate(int)
{
    g_interrupted.store(true);
    g_terminated.store(true);
}

const char* kMainHelp = R"(Usage: trainbench-cli <command> [options]

Train, inspect and use image classifiers without a window (libtorch, CPU or CUDA).

Commands:
  train      train a model on a dataset folder and print per-epoch metrics
  summary    print a model's layers, output shapes and parameter counts
  predict    classify image files (PNG, JPEG, BMP or PGM) with a trained checkpoint
  presets    list the preset models, their sizes and the recipes of the accuracy presets
  bench      measure dataset load, training throughput, prediction latency and memory
  sweep      train a grid of settings, one run after another, kept as one sweep
  runs       list the runs kept in a runs folder, show one, or export their metrics

Options:
  -h, --help       show this help (trainbench-cli <command> --help for a command's options)
  -V, --version    show the version

Exit codes: 0 success, 1 runtime error, 2 bad arguments, 130 stopped by Ctrl+C.

This command speaks English (scripts read its output). The window, trainbench, speaks
Simplified Chinese too: it follows the system language (LANG=zh_CN.UTF-8 trainbench), or choose
View > Language > 简体中文 in it.
)";

const char* kTrainHelp = R"(Usage: trainbench-cli train [options]

Options (defaults reproduce the TensorFlow tutorial):
  --data DIR             dataset folder, of any of three kinds (default: $TRAINBENCH_DATA_DIR,
                         else data/mnist): MNIST-style IDX files (train/t10k images and labels,
                         raw or .gz); CIFAR-10 binary batches (data_batch_1.bin ... test_batch.bin);
                         or one subfolder of images (.png .jpg .jpeg .bmp) per class, either as
                         DIR/train/<class>/ and DIR/test/<class>/ or DIR/<class>/ (split by
                         --test-fraction). Image folders are decoded once and cached in
                         DIR/.trainbench/ (or the user's cache folder when DIR is read-only)
  --image-size N         image folders: side of the square images (default: the most common
                         size in the folder, at most 64)
  --color MODE           image folders: auto (default: colour when any image is), gray or rgb
  --resize POLICY        image folders: fit (default: keep the shape, pad with black) or stretch
  --test-fraction X      image folders without train/ and test/: fraction of each class held
                         out for testing, the same images for every run (default 0.2)
  --augment LIST         random changes to training images, e.g. shift=2,rotate=10,scale=0.1,flip
                         (shift in pixels, rotate in degrees, scale as a fraction; flip mirrors
                         left-right); off by default, as in the tutorial
  --model NAME           {models} (the first is the default)
  --epochs N             epochs to train (default 5)
  --batch-size N         samples per batch (default 32)
  --optimizer NAME       adam (default), sgd or rmsprop
  --lr X                 learning rate (default 0.001)
  --momentum X           momentum for sgd and rmsprop (default 0)
  --schedule NAME        learning-rate schedule: constant (default), step (halve every 2
                         epochs) or cosine (decay to zero over the run)
  --shuffle-buffer N     shuffle through a buffer of N samples; 'full' shuffles the whole set,
                         0 keeps the file order (default 10000)
  --drop-remainder       drop the last, smaller batch of each epoch
  --validation-split X   hold out the last fraction X of the training set for validation
  --seed N               seed for initialisation, shuffling and dropout (default 0)
  --limit N              train on the first N training samples only
  --test-limit N         evaluate on the first N test samples only
  --device NAME          auto (default: cuda when available), cpu or cuda
  --threads N            intra-op threads (default: all cores)
  --resume FILE          start from a checkpoint's weights and optimizer state (a new run)
  --resume-run ID        continue kept run ID (stopped or interrupted) from its last.ckpt, in
                         its folder, to its planned epochs (or --epochs more)
  --save FILE            write a checkpoint after every epoch (atomically)
  --runs DIR             runs folder: the run is kept in DIR/<run>/ (run.json, metrics.csv,
                         last.ckpt, best.ckpt) and listed by 'trainbench-cli runs' and the window
                         (default: $TRAINBENCH_RUNS_DIR, else the window's runs folder)
  --logdir DIR           also write TensorBoard logs, to DIR/<run>/train and DIR/<run>/test;
                         DIR is then the runs folder too
  --run NAME             the run's folder name (default: the time, YYYYmmdd-HHMMSS)
  --json                 print one JSON object per epoch instead of the tutorial's lines
  --json-events          with --json, also one object when training starts ("event": "started")
                         and per progress report ("event": "batch"), for programs that follow
                         the run (the window does, for runs with several workers)
  --config FILE          take every training setting from FILE, a config as run.json holds it
                         (--data, --threads and --device may still be given); a regular
                         file: a pipe such as <(...) is refused, as one nobody writes to
                         would be waited on for ever
  --no-progress          no progress bar (it is shown only when stderr is a terminal anyway)

Data-parallel training (several processes, one or more machines):
  --nproc N              start N local worker processes and train with all of them; each
                         uses all cores / N threads unless --threads says otherwise
  --backend NAME         collectives: auto (default: nccl on CUDA when this libtorch has it,
                         else gloo), gloo or nccl
  --timeout SECONDS      how long a process waits for the others (joining, each all-reduce)
                         before it stops with a message naming the rank that failed (default 60)
  Under torchrun, or any launcher that sets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT:
    torchrun --standalone --nproc_per_node=2 --no_python trainbench-cli train [options]
  --batch-size is per process (the global batch is N times larger); every process sees its own
  share of each epoch; only rank 0 prints the epochs and writes the run, the logs and
  checkpoints (the other ranks end with one line: their weights digest, or their error).

Loss and accuracy are means over each epoch (the tutorial's metrics are never reset, so its
numbers are running means over all epochs so far).
)";

const char* kPredictHelp = R"(Usage: trainbench-cli predict --model CHECKPOINT [--json] FILE...

Classifies PNG, JPEG, BMP or PGM images and prints FILE<TAB>class<TAB>confidence, or with --json
one object per line: {"file", "class" (its name), "index", "confidence", "probabilities"}, plus
"digit" for a model of handwritten digits. For digits each image goes through the drawing
canvas's preprocessing (polarity, crop to the ink, fit 20x20, centre of mass at the centre);
other images are resized to the model's input as its dataset was (fit or stretch), in its
colour. An unreadable or empty image is reported for that file; the others go on; exit code 1
at the end.
)";

const char* kPresetsHelp = R"(Usage: trainbench-cli presets [--json]

Lists every preset model: its description and parameter count (for 28x28 gray input and 10
classes; 32x32 colour for color-cnn) and, for the accuracy presets, the dataset it is meant for
and its recipe as train options. --json prints one object per line.
)";

const char* kRunsHelp = R"(Usage: trainbench-cli runs [--runs DIR] [--json]
       trainbench-cli runs show ID [--runs DIR] [--json]
       trainbench-cli runs export --format csv ID... [--runs DIR]

Lists the runs kept in a runs folder (default: $TRAINBENCH_RUNS_DIR, else the window's runs
folder): one line each, or with --json one JSON object per line (id, name, status, epochs,
best_epoch, best_test_accuracy, created, ended, dataset, model, parameters, sweep, config).
Status is running, finished, stopped, failed, cancelled, or interrupted (marked running by a
process that is gone); a run whose files cannot be read lists as damaged, with the reason.
'show' prints one run's settings and per-epoch metrics (--json: its run.json); 'export' writes
the metrics of the given runs as CSV in long format: run,epoch,split,metric,value.
)";

const std::vector<std::string> kTrainOptions = {
    "data",      "image-size", "color",      "resize",         "test-fraction",
    "augment",   "schedule",   "model",      "epochs",         "batch-size",
    "optimizer", "lr",         "momentum",   "shuffle-buffer", "validation-split",
    "seed",      "limit",      "test-limit", "resume-run",     "device",
    "threads",   "save",       "resume",     "logdir",         "run",
    "runs",      "nproc",      "backend",    "timeout",        "config"};
const std::vector<std::string> kTrainFlags = {"drop-remainder", "json", "json-events",
                                              "no-progress"};

const char* kSweepHelp =
    R"(Usage: trainbench-cli sweep --grid KEY=V1,V2,... [--grid ...] [train options]
                           [--runs DIR] [--sweep NAME]

Trains one run for every combination of the grid's values, one after another, each kept in the
runs folder as DIR/<sweep>-<n> and grouped as one sweep (trainbench-cli runs, the window's Runs
list). KEY is one of lr, batch-size, optimizer, model, epochs, seed, momentum; the other train
options (--data, --limit, --epochs, ...) apply to every run. Ctrl+C stops the current run and
cancels the rest (they are recorded as cancelled). Ends with the runs sorted by best test
accuracy. Example:
  trainbench-cli sweep --data data/mnist --grid lr=0.001,0.0001 --grid batch-size=32,64
)";

const char* kSummaryHelp = R"(Usage: trainbench-cli summary [--model NAME]

Prints a Keras-style summary of a preset model ({models}) for 28x28 inputs.
)";

/// The preset names, "seed-cnn, lenet5, ...", from the one list core keeps.
std::string presetList()
{
    std::string list;
    for (const auto& name : ModelPresets::names())
        list += (list.empty() ? "" : ", ") + name;
    return list;
}

/// Prints a help text with {models} replaced by the preset list.
void printHelp(const char* text)
{
    std::string help = text;
    const std::string marker = "{models}";
    if (const auto at = help.find(marker); at != std::string::npos)
        help.replace(at, marker.size(), presetList());
    std::fputs(help.c_str(), stdout);
}

} // namespace

CommandLine::CommandLine(int argc, char** argv)
{
    m_argv0 = argc > 0 ? argv[0] : "trainbench-cli";
    for (int i = 1; i < argc; ++i)
        m_args.emplace_back(argv[i]);
}

int CommandLine::usageError(const std::string& message) const
{
    std::fprintf(stderr, "%s: %s\n", m_program.c_str(), message.c_str());
    std::fprintf(stderr, "Try '%s%s --help'.\n", m_program.c_str(),
                 m_command.empty() ? "" : (" " + m_command).c_str());
    return 2;
}

int CommandLine::run()
{
    if (m_args.empty()) {
        std::fputs(kMainHelp, stderr);
        return 2;
    }
    const std::string first = m_args.front();
    if (first == "-h" || first == "--help" || first == "help") {
        std::fputs(kMainHelp, stdout);
        return 0;
    }
    if (first == "-V" || first == "--version") {
        std::printf("trainbench-cli %s (libtorch %s)\n", BuildInfo::version().c_str(),
                    BuildInfo::torchVersion().c_str());
        return 0;
    }
    m_command = first;
    m_args.erase(m_args.begin());
    try {
        if (m_command == "train")
            return train();
        if (m_command == "summary")
            return summary();
        if (m_command == "predict")
            return predict();
        if (m_command == "bench")
            return bench();
        if (m_command == "runs")
            return runs();
        if (m_command == "sweep")
            return sweep();
        if (m_command == "presets")
            return presets();
        m_command.clear();
        return usageError("unknown command '" + first + "'");
    } catch (const UsageError& e) {
        return usageError(e.message);
    } catch (const Error& e) {
        std::fprintf(stderr, "%s: error: %s\n", m_program.c_str(), e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: error: %s\n", m_program.c_str(), e.what());
        return 1;
    }
}

bool CommandLine::parseOptions(const std::vector<std::string>& valueOptions,
                               const std::vector<std::string>& flags)
{
    auto known = [](const std::vector<std::string>& list, const std::string& key) {
        return std::find(list.begin(), list.end(), key) != list.end();
    };
    for (size_t i = 0; i < m_args.size(); ++i) {
        std::string arg = m_args[i];
        if (arg == "-h" || arg == "--help")
            return false;
        if (arg.rfind("--", 0) != 0)
            throw UsageError{"unexpected argument '" + arg + "'"};
        std::string value;
        const auto eq = arg.find('=');
        const bool inlineValue = eq != std::string::npos;
        if (inlineValue) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        }
        const std::string key = arg.substr(2);
        if (known(flags, key)) {
            if (inlineValue)
                throw UsageError{"option '" + arg + "' takes no value"};
            m_options[key] = "1";
        } else if (known(valueOptions, key)) {
            if (!inlineValue) {
                if (i + 1 >= m_args.size())
                    throw UsageError{"option '" + arg + "' needs a value"};
                value = m_args[++i];
            }
            m_options[key] = value;
        } else {
            throw UsageError{"unknown option '" + arg + "'"};
        }
    }
    return true;
}

std::string CommandLine::text(const std::string& key, const std::string& fallback) const
{
    const auto it = m_options.find(key);
    return it == m_options.end() ? fallback : it->second;
}

long long CommandLine::integer(const std::string& key, long long fallback, long long min,
                               long long max) const
{
    const auto it = m_options.find(key);
    if (it == m_options.end())
        return fallback;
    const std::string& value = it->second;
    char* end = nullptr;
    errno = 0;
    const long long parsed = std::strtoll(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || errno == ERANGE)
        throw UsageError{"--" + key + ": expected a whole number, got '" + value + "'"};
    if (parsed < min || parsed > max)
        throw UsageError{"--" + key + ": " + value + " is out of range (" + std::to_string(min) +
                         " to " + std::to_string(max) + ")"};
    return parsed;
}

double CommandLine::number(const std::string& key, double fallback) const
{
    const auto it = m_options.find(key);
    if (it == m_options.end())
        return fallback;
    const std::string& value = it->second;
    char* end = nullptr;
    errno = 0;
    const double parsed = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || errno == ERANGE)
        throw UsageError{"--" + key + ": expected a number, got '" + value + "'"};
    return parsed;
}

int CommandLine::predict()
{
    std::vector<std::string> files;
    std::vector<std::string> rest;
    for (size_t i = 0; i < m_args.size(); ++i) {
        const std::string& arg = m_args[i];
        if (arg == "--model" && i + 1 < m_args.size()) {
            rest.push_back(arg);
            rest.push_back(m_args[++i]);
        } else if (arg.rfind("--", 0) == 0 || arg == "-h") {
            rest.push_back(arg);
        } else {
            files.push_back(arg);
        }
    }
    m_args = rest;
    if (!parseOptions({"model"}, {"json"})) {
        std::fputs(kPredictHelp, stdout);
        return 0;
    }
    if (!has("model"))
        throw UsageError{"predict needs --model CHECKPOINT"};
    if (files.empty())
        throw UsageError{"predict needs at least one image file"};
    const auto predictor = Predictor::fromCheckpoint(text("model", ""));
    const auto names = predictor->classNames();
    const bool digits = predictor->digits();
    const int channels = int(predictor->inputShape()[0]);
    bool anyFailed = false;
    for (const auto& file : files) {
        try {
            // Digit models read PNG and PGM as drawings (transparency on white paper);
            // everything else goes through the image decoder.
            std::optional<Prediction> prediction;
            const bool jpegOrBmp = Text::endsWithNoCase(file, ".jpg") ||
                                   Text::endsWithNoCase(file, ".jpeg") ||
                                   Text::endsWithNoCase(file, ".bmp");
            if (digits && !jpegOrBmp) {
                prediction = predictor->predictPicture(GrayImage::load(file));
            } else {
                prediction = predictor->predictImage(Image::load(file, digits ? 1 : channels));
            }
            if (!prediction)
                throw Error(file + ": no ink found (empty image)");
            const std::string name = names[size_t(prediction->digit)];
            if (has("json")) {
                // The JSON library escapes what a file name may hold (quotes, control
                // characters); invalid UTF-8 is replaced rather than thrown on.
                nlohmann::ordered_json line = {
                    {"file", file}, {"class", name}, {"index", prediction->digit}};
                if (digits)
                    line["digit"] = prediction->digit;
                line["confidence"] = prediction->confidence;
                line["probabilities"] = prediction->probabilities;
                std::printf("%s\n", line.dump(-1, ' ', false,
                                              nlohmann::ordered_json::error_handler_t::replace)
                                        .c_str());
            } else {
                std::printf("%s\t%s\t%.4f\n", file.c_str(), name.c_str(), prediction->confidence);
            }
            std::fflush(stdout);
        } catch (const Error& e) {
            anyFailed = true;
            std::fprintf(stderr, "%s: error: %s\n", m_program.c_str(), e.what());
        }
    }
    return anyFailed ? 1 : 0;
}

int CommandLine::bench()
{
    if (!parseOptions({"data", "model", "epochs", "batch-size", "threads", "limit", "device"},
                      {})) {
        std::fputs(
            "Usage: trainbench-cli bench [--data DIR] [--model NAME] [--epochs N] [--batch-size "
            "N]\n"
            "                            [--threads N] [--limit N] [--device NAME]\n\n"
            "Prints one JSON object: dataset load seconds, training samples/s (epochs after the\n"
            "first count when there are several), single-image prediction latency, peak memory.\n",
            stdout);
        return 0;
    }
    using Clock = std::chrono::steady_clock;
    const char* envData = std::getenv("TRAINBENCH_DATA_DIR");
    const std::string dir = text("data", envData && *envData ? envData : "data/mnist");
    const auto loadStart = Clock::now();
    auto dataset = std::make_shared<Dataset>(Dataset::load(dir));
    const double loadSeconds = std::chrono::duration<double>(Clock::now() - loadStart).count();

    TrainingConfig config;
    config.dataDir = dir;
    config.modelName = text("model", "seed-cnn");
    config.epochs = int(integer("epochs", 1, 1, 1000));
    config.batchSize = int(integer("batch-size", 32, 1, 65536));
    config.threads = int(integer("threads", 0, 0, 1024));
    if (!has("threads")) {
        // Several workers on one machine (torchrun, --nproc): the cores are shared out, or the
        // workers' thread pools would fight over them.
        const char* local = std::getenv("LOCAL_WORLD_SIZE");
        const int workers = local ? std::atoi(local) : 1;
        if (workers > 1)
            config.threads = std::max(1, int(std::thread::hardware_concurrency()) / workers);
    }
    config.limit = integer("limit", 0, 0, 1LL << 40);
    config.testLimit = 1000;
    config.device = text("device", "auto");
    try {
        config.validate();
    } catch (const Error& e) {
        throw UsageError{e.what()};
    }
    Trainer trainer(config);
    trainer.setDataset(dataset);
    if (!trainer.run())
        throw Error(trainer.lastError());
    const auto history = trainer.history();
    double samples = 0.0, seconds = 0.0;
    for (size_t i = history.size() > 1 ? 1 : 0; i < history.size(); ++i) {
        samples += double(history[i].trainSamples);
        seconds += history[i].seconds;
    }
    const auto predictor = trainer.predictor();
    const std::vector<uint8_t> image(dataset->test.image(0),
                                     dataset->test.image(0) + dataset->test.imageSize());
    // As the Draw tab asks: a 280x280 drawing, dark ink on white, preprocessed (cropped,
    // centred, resized) and classified; a model of other images gets its input planes.
    Image drawing;
    const bool drawn = predictor->digits() && dataset->test.channels == 1;
    if (drawn) {
        const int side = 280, scale = side / int(dataset->test.cols);
        drawing.width = drawing.height = side;
        drawing.pixels.resize(size_t(side) * side);
        for (int y = 0; y < side; ++y)
            for (int x = 0; x < side; ++x)
                drawing.pixels[size_t(y) * side + size_t(x)] = uint8_t(
                    255 -
                    image[size_t(y / scale) * size_t(dataset->test.cols) + size_t(x / scale)]);
    }
    std::vector<double> latencies;
    for (int i = 0; i < 200; ++i) {
        const auto start = Clock::now();
        if (drawn)
            predictor->predictImage(drawing);
        else
            predictor->predictPlanes(image);
        latencies.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(latencies.begin(), latencies.end());
    std::printf(
        "{\"dataset_load_seconds\": %.3f, \"samples_per_second\": %.0f, \"epoch_seconds\": %.2f, "
        "\"test_accuracy\": %.4f, \"predict_ms_median\": %.3f, \"predict_ms_p99\": %.3f, "
        "\"peak_rss_mb\": %.0f, \"page_faults\": %ld, \"device\": \"%s\"}\n",
        loadSeconds, samples / seconds,
        seconds / double(history.size() > 1 ? history.size() - 1 : 1), history.back().testAccuracy,
        latencies[100], latencies[197], ResourceUsage::peakMegabytes(), ResourceUsage::pageFaults(),
        trainer.deviceName().c_str());
    return 0;
}

int CommandLine::runs()
{
    std::vector<std::string> positional;
    std::vector<std::string> rest;
    for (size_t i = 0; i < m_args.size(); ++i) {
        const std::string& arg = m_args[i];
        if ((arg == "--runs" || arg == "--format") && i + 1 < m_args.size()) {
            rest.push_back(arg);
            rest.push_back(m_args[++i]);
        } else if (arg.rfind("-", 0) == 0) {
            rest.push_back(arg);
        } else {
            positional.push_back(arg);
        }
    }
    m_args = rest;
    if (!parseOptions({"runs", "format"}, {"json"})) {
        std::fputs(kRunsHelp, stdout);
        return 0;
    }
    const RunStore store(text("runs", RunStore::defaultRoot()));
    // A mistyped folder is an error, not an empty list.
    std::error_code error;
    const auto status = std::filesystem::status(std::filesystem::u8path(store.root()), error);
    if (std::filesystem::exists(status) && !std::filesystem::is_directory(status))
        throw Error("runs folder '" + store.root() + "' is a file, not a folder");
    if (!std::filesystem::exists(status))
        throw Error("runs folder '" + store.root() + "' does not exist" +
                    (has("runs") ? std::string() : " (no run has been kept yet)"));
    const std::string action = positional.empty() ? "list" : positional.front();
    const std::vector<std::string> ids(positional.begin() + (positional.empty() ? 0 : 1),
                                       positional.end());
    if (action == "list") {
        if (!ids.empty())
            throw UsageError{"runs list takes no run ids (did you mean 'runs show ID'?)"};
        const auto listing = store.list();
        if (has("json")) {
            for (const auto& run : listing)
                std::fputs(RunsReport::jsonLine(run).c_str(), stdout);
        } else if (listing.empty()) {
            std::printf("No runs in %s\n", store.root().c_str());
        } else {
            std::fputs(RunsReport::table(listing).c_str(), stdout);
        }
        return 0;
    }
    if (action == "show") {
        if (ids.size() != 1)
            throw UsageError{"runs show needs one run id"};
        const RunListing run = store.read(ids.front());
        std::fputs(
            (has("json") && !run.damaged ? run.record.toJson() : RunsReport::details(run)).c_str(),
            stdout);
        return run.damaged ? 1 : 0;
    }
    if (action == "export") {
        if (text("format", "csv") != "csv")
            throw UsageError{"--format: only csv is supported, not '" + text("format", "") + "'"};
        if (ids.empty())
            throw UsageError{"runs export needs at least one run id"};
        std::vector<RunListing> chosen;
        for (const auto& id : ids) {
            RunListing run = store.read(id);
            if (run.damaged)
                throw Error(run.problem);
            chosen.push_back(std::move(run));
        }
        std::fputs(RunsReport::csv(chosen).c_str(), stdout);
        return 0;
    }
    throw UsageError{"runs: unknown action '" + action + "' (known: list, show, export)"};
}

int CommandLine::presets()
{
    if (!parseOptions({}, {"json"})) {
        std::fputs(kPresetsHelp, stdout);
        return 0;
    }
    for (const auto& name : ModelPresets::names()) {
        // Parameter counts for the input each preset is meant for.
        const bool color = name == "color-cnn";
        const auto summary = ModelSummary::analyze(
            ModelPresets::layers(name),
            color ? std::vector<int64_t>{3, 32, 32} : std::vector<int64_t>{1, 28, 28}, 10);
        const auto recipes = ModelPresets::recipes(name);
        if (has("json")) {
            nlohmann::ordered_json line = {{"name", name},
                                           {"description", ModelPresets::description(name)},
                                           {"parameters", summary.totalParameters()},
                                           {"input", color ? "32x32x3" : "28x28x1"}};
            if (!recipes.empty()) {
                line["dataset"] = recipes.front().dataset;
                line["recipe"] = recipes.front().options;
                nlohmann::ordered_json all = nlohmann::ordered_json::array();
                for (const auto& r : recipes)
                    all.push_back({{"dataset", r.dataset}, {"recipe", r.options}});
                line["recipes"] = all;
            }
            std::printf("%s\n", line.dump().c_str());
        } else {
            std::printf("%-10s %9lld parameters  %s\n", name.c_str(),
                        (long long)summary.totalParameters(),
                        ModelPresets::description(name).c_str());
            for (const auto& r : recipes)
                std::printf("%-10s %9s   %s: trainbench-cli train --data DIR %s\n", "", "",
                            r.dataset.c_str(), r.options.c_str());
        }
    }
    return 0;
}

int CommandLine::summary()
{
    if (!parseOptions({"model"}, {})) {
        printHelp(kSummaryHelp);
        return 0;
    }
    const std::string model = text("model", ModelPresets::names().front());
    if (!ModelPresets::contains(model))
        throw UsageError{"--model: unknown model '" + model + "' (known: " + presetList() + ")"};
    const auto summary = ModelSummary::analyze(ModelPresets::layers(model), {1, 28, 28}, 10);
    std::fputs(summary.format(model).c_str(), stdout);
    return summary.isValid() ? 0 : 1;
}

TrainingConfig CommandLine::trainingConfig() const
{
    if (has("config"))
        return configFromFile();
    TrainingConfig config;
    const char* envData = std::getenv("TRAINBENCH_DATA_DIR");
    config.dataDir = text("data", envData && *envData ? envData : "data/mnist");
    config.modelName = text("model", config.modelName);
    if (!ModelPresets::contains(config.modelName))
        throw UsageError{"--model: unknown model '" + config.modelName +
                         "' (known: " + presetList() + ")"};
    config.epochs = int(integer("epochs", config.epochs, 1, 100000));
    config.batchSize = int(integer("batch-size", config.batchSize, 1, 65536));
    const auto optimizer = optimizerTypeFromString(text("optimizer", "adam"));
    if (!optimizer)
        throw UsageError{"--optimizer: unknown optimizer '" + text("optimizer", "") +
                         "' (known: adam, sgd, rmsprop)"};
    config.optimizer.type = *optimizer;
    config.optimizer.learningRate = number("lr", config.optimizer.learningRate);
    config.optimizer.momentum = number("momentum", config.optimizer.momentum);
    if (text("shuffle-buffer", "") == "full")
        config.shuffleBuffer = TrainingConfig::kFullShuffle;
    else
        config.shuffleBuffer = integer("shuffle-buffer", config.shuffleBuffer, 0, 1LL << 40);
    config.dropRemainder = has("drop-remainder");
    config.validationSplit = number("validation-split", 0.0);
    config.seed = uint64_t(integer("seed", 0, 0, (1LL << 62)));
    config.limit = integer("limit", 0, 0, 1LL << 40);
    config.testLimit = integer("test-limit", 0, 0, 1LL << 40);
    config.device = text("device", "auto");
    config.threads = int(integer("threads", 0, 0, 1024));
    if (!has("threads")) {
        // Several workers on one machine (torchrun, --nproc): the cores are shared out, or the
        // workers' thread pools would fight over them.
        const char* local = std::getenv("LOCAL_WORLD_SIZE");
        const int workers = local ? std::atoi(local) : 1;
        if (workers > 1)
            config.threads = std::max(1, int(std::thread::hardware_concurrency()) / workers);
    }
    config.dataOptions.imageSize = int(integer("image-size", 0, 0, 512));
    const auto color = colorModeFromString(text("color", "auto"));
    if (!color)
        throw UsageError{"--color: unknown mode '" + text("color", "") +
                         "' (known: auto, gray, rgb)"};
    config.dataOptions.color = *color;
    const auto resize = resizePolicyFromString(text("resize", "fit"));
    if (!resize)
        throw UsageError{"--resize: unknown policy '" + text("resize", "") +
                         "' (known: fit, stretch)"};
    config.dataOptions.resize = *resize;
    config.dataOptions.testFraction = number("test-fraction", config.dataOptions.testFraction);
    const auto schedule = scheduleTypeFromString(text("schedule", "constant"));
    if (!schedule)
        throw UsageError{"--schedule: unknown schedule '" + text("schedule", "") +
                         "' (known: constant, step, cosine)"};
    config.schedule.type = *schedule;
    try {
        config.augmentation = Augmentation::parse(text("augment", "off"));
    } catch (const Error& e) {
        throw UsageError{std::string("--") + e.what()};
    }
    try {
        config.validate();
    } catch (const Error& e) {
        throw UsageError{e.what()};
    }
    return config;
}

TrainingConfig CommandLine::configFromFile() const
{
    const std::string path = text("config", "");
    for (const char* key :
         {"model", "epochs", "batch-size", "optimizer", "lr", "momentum", "shuffle-buffer",
          "drop-remainder", "validation-split", "seed", "limit", "test-limit", "image-size",
          "color", "resize", "test-fraction", "augment", "schedule"})
        if (has(key))
            throw UsageError{"--config " + path + " holds the training settings; --" + key +
                             " cannot be given with it (only --data, --threads, --device)"};
    TrainingConfig config = ConfigJson::configFromFile(path); // names the file on failure
    try {
        if (has("data"))
            config.dataDir = text("data", "");
        config.threads = int(integer("threads", config.threads, 0, 1024));
        config.device = text("device", config.device);
        config.validate();
    } catch (const Error& e) {
        throw Error("--config " + path + ": " + e.what());
    }
    return config;
}

RunStore CommandLine::runStore() const
{
    const RunStore store(has("logdir") ? text("logdir", "")
                                       : text("runs", RunStore::defaultRoot()));
    if (store.root().empty())
        throw UsageError{"--runs: empty folder name"};
    return store;
}

CommandLine::Outcome CommandLine::trainOne(const TrainingConfig& config, const RunStore& store,
                                           const std::string& runName, const std::string& sweep,
                                           const std::string& title, RunRecorder* resumed)
{
    Outcome outcome;
    const std::string savePath = text("save", "");
    const bool lead = m_distributed.rank == 0;
    const auto data =
        lead ? loadDataset(config)
             : std::make_shared<Dataset>(Dataset::load(config.dataDir, config.dataOptions));
    Trainer trainer(config);
    trainer.setDataset(data);
    trainer.setDistributed(m_distributed);
    if (resumed) {
        try {
            trainer.loadCheckpoint(resumed->lastCheckpoint());
        } catch (const Error& e) {
            resumed->onFailed(e.what());
            throw;
        }
    } else if (has("resume")) {
        trainer.loadCheckpoint(text("resume", ""));
    }

    if (!lead) {
        // Another rank of a distributed run: it trains its share and reports nothing; rank 0
        // speaks (and writes) for the run. Ctrl+C reaches every process of the terminal; the
        // ranks agree on it and stop after the same batch.
        ConsoleObserver quiet(false, false);
        quiet.setSilent(true);
        quiet.shouldStop = [] { return g_interrupted.load(); };
        quiet.stop = [&] { trainer.requestStop(); };
        trainer.addObserver(&quiet);
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onTerminate);
        outcome.ok = trainer.run();
        std::signal(SIGINT, SIG_DFL);
        if (!outcome.ok)
            std::fprintf(stderr, "%s: error: %s\n", m_program.c_str(), trainer.lastError().c_str());
        else
            std::fprintf(stderr, "%s: weights digest %s\n", m_program.c_str(),
                         trainer.weightsDigest().c_str());
        return outcome;
    }
    const bool progress = !has("no-progress") && Platform::isTerminal(Platform::Stream::Error);
    ConsoleObserver observer(has("json"), progress);
    observer.setEvents(has("json") && has("json-events"));
    trainer.addObserver(&observer);
    // The run's folder in the runs folder; an unwritable one refuses the run before it starts
    // (RunStore and TensorBoardLogger throw).
    std::optional<RunRecorder> created;
    if (!resumed)
        created.emplace(store, config, runName, sweep);
    RunRecorder& recorder = resumed ? *resumed : *created;
    outcome.id = recorder.id();
    // Training goes on when a log or record cannot be written (the weights matter most), but
    // the run is then incomplete and the exit status says so. Set before the first write after
    // the folder's creation (the rename), so that no failure goes untold.
    recorder.onWarning = [this, &outcome](const std::string& message) {
        outcome.incomplete = true;
        std::fprintf(stderr, "%s: warning: %s\n", m_program.c_str(), message.c_str());
    };
    if (!title.empty())
        recorder.rename(title);
    std::unique_ptr<TensorBoardLogger> logger;
    if (has("logdir")) {
        try {
            logger = std::make_unique<TensorBoardLogger>(store.root(), config, recorder.id(), true);
        } catch (const Error& e) {
            recorder.onFailed(e.what()); // the run folder says why the run never began
            throw;
        }
        logger->onWarning = recorder.onWarning;
        trainer.addObserver(logger.get());
        std::fprintf(stderr, "TensorBoard logs: %s (tensorboard --logdir %s)\n",
                     logger->runDir().c_str(), store.root().c_str());
    }
    trainer.addObserver(&recorder); // last: the checkpoints are written when it records an epoch
    std::fprintf(stderr, "Run %s in %s\n", recorder.id().c_str(), store.root().c_str());

    recorder.saveCheckpoint = [&](const std::string& path) { trainer.saveCheckpoint(path); };
    if (!savePath.empty())
        observer.afterEpoch = [&](const EpochMetrics&) { trainer.saveCheckpoint(savePath); };
    observer.shouldStop = [] { return g_interrupted.load(); };
    observer.stop = [&] { trainer.requestStop(); };
    std::signal(SIGINT, onInterrupt);
    if (m_distributed.enabled())
        std::signal(SIGTERM, onTerminate);

    outcome.ok = trainer.run();
    if (sweep.empty())
        std::signal(SIGINT, SIG_DFL);  // a sweep keeps its handler between runs
    recorder.saveCheckpoint = nullptr; // the trainer is gone after this call
    recorder.onWarning = nullptr;      // and so is `outcome` (a resumed recorder lives on)
    outcome.record = recorder.record();
    if (!outcome.ok) {
        std::fprintf(stderr, "%s: error: %s\n", m_program.c_str(), trainer.lastError().c_str());
        return outcome;
    }
    const int epochs = observer.epochsDone();
    if (epochs > 0)
        std::fprintf(stderr,
                     "Trained %d epoch%s in %.1f s (%.1f s per epoch); peak memory %.0f MB%s\n",
                     epochs, epochs == 1 ? "" : "s", observer.trainingSeconds(),
                     observer.trainingSeconds() / epochs, ResourceUsage::peakMegabytes(),
                     savePath.empty() ? "" : ("; saved " + savePath).c_str());
    if (m_distributed.enabled())
        std::fprintf(stderr, "Weights identical on all %d processes (digest %s)\n",
                     m_distributed.worldSize, trainer.weightsDigest().c_str());
    if (outcome.incomplete)
        std::fprintf(stderr,
                     "%s: error: training finished, but not everything was written (see the "
                     "warnings above); what was written before the failure is whole\n",
                     m_program.c_str());
    return outcome;
}

std::shared_ptr<const Dataset> CommandLine::loadDataset(const TrainingConfig& config) const
{
    const bool bar = !has("no-progress") && Platform::isTerminal(Platform::Stream::Error);
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    bool decoded = false;
    LoadProgress progress = [&](int64_t done, int64_t total, const std::string& stage) {
        decoded = decoded || stage == "decoding images";
        if (bar && total > 0)
            std::fprintf(stderr, "\r%s: %3d%% (%lld/%lld)", stage.c_str(), int(done * 100 / total),
                         (long long)done, (long long)total);
    };
    auto data =
        std::make_shared<Dataset>(Dataset::load(config.dataDir, config.dataOptions, progress));
    if (bar && decoded)
        std::fputs("\r\033[K", stderr);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::string how;
    if (data->fromCache)
        how = "; decoded images from the cache " + data->cachePath;
    else if (decoded)
        how = "; decoded in " + std::to_string(int(seconds * 10) / 10) + "." +
              std::to_string(int(seconds * 10) % 10) + " s" +
              (data->cachePath.empty() ? std::string() : ", cached in " + data->cachePath);
    std::fprintf(stderr, "Data: %s (%s%s)\n", config.dataDir.c_str(), data->describe().c_str(),
                 how.c_str());
    if (!data->skipped.empty()) {
        std::string first;
        for (size_t i = 0; i < data->skipped.size() && i < 3; ++i)
            first += (i ? "; " : "") + data->skipped[i];
        std::fprintf(stderr,
                     "%s: warning: skipped %zu file%s that could not be read as images: %s%s\n",
                     m_program.c_str(), data->skipped.size(), data->skipped.size() == 1 ? "" : "s",
                     first.c_str(), data->skipped.size() > 3 ? "; ..." : "");
    }
    return data;
}

void CommandLine::probeSavePath() const
{
    const std::string savePath = text("save", "");
    if (savePath.empty())
        return;
    // Fail now, not after an hour of training. A new file under a name no one can guess, never
    // opened through a link someone planted; a folder is no place for a checkpoint.
    std::error_code folderError;
    if (std::filesystem::is_directory(std::filesystem::u8path(savePath), folderError))
        throw Error("--save " + savePath + ": is a folder; give a file name for the checkpoint");
    const std::string probe =
        savePath + ".probe-" + std::to_string(Platform::processId()) + "-" +
        std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    std::string reason;
    FILE* file = Platform::createExclusive(probe, &reason);
    if (!file)
        throw Error("--save " + savePath + ": cannot write there: " + reason);
    std::fclose(file);
    std::error_code ignored;
    std::filesystem::remove(std::filesystem::u8path(probe), ignored);
}

int CommandLine::train()
{
    if (!parseOptions(kTrainOptions, kTrainFlags)) {
        printHelp(kTrainHelp);
        return 0;
    }
    m_distributed = distributedOptions();
    if (has("nproc")) {
        const int count = int(integer("nproc", 1, 1, 1024));
        if (count > 1 && m_distributed.enabled())
            throw UsageError{"--nproc starts its own workers; this process is already rank " +
                             std::to_string(m_distributed.rank) +
                             " of a distributed run "
                             "(RANK and WORLD_SIZE are set, e.g. by torchrun)"};
        if (count > 1) {
            if (!has("resume-run"))
                (void)trainingConfig(); // a bad option is reported once, not by every worker
            return launchWorkers(count);
        }
    }
    if (m_distributed.rank > 0)
        m_program += " (rank " + std::to_string(m_distributed.rank) + ")";
    else
        probeSavePath();
    const RunStore store = runStore();
    if (has("resume-run")) {
        if (m_distributed.enabled())
            throw UsageError{"--resume-run is for single-process runs; to go on from a "
                             "distributed run, start a new one with --resume DIR/ID/last.ckpt"};
        if (has("resume") || has("run"))
            throw UsageError{
                "--resume-run continues a kept run: it takes neither --resume nor --run"};
        const RunListing kept = store.read(text("resume-run", ""));
        if (!kept.damaged && kept.record.status == RunStatus::Finished && !has("epochs"))
            throw Error("run '" + kept.id + "' finished its " +
                        std::to_string(kept.record.history.size()) +
                        " epochs; give --epochs N to train it N epochs further");
        RunRecorder recorder = RunRecorder::resume(store, kept.id);
        TrainingConfig config = recorder.record().config;
        const int planned = config.epochs;
        config.epochs =
            has("epochs") ? int(integer("epochs", 1, 1, 100000)) : recorder.remainingEpochs();
        // The schedule goes on where it stopped, over the plan (or further, when asked for more).
        config.scheduleEpochs =
            std::max(planned, int(recorder.record().history.size()) + config.epochs);
        const Outcome outcome = trainOne(config, store, {}, {}, {}, &recorder);
        if (!outcome.ok || outcome.incomplete)
            return 1;
        return g_interrupted.load() ? 130 : 0;
    }
    const TrainingConfig config = trainingConfig();
    const std::string runName =
        has("run") ? text("run", "") : TensorBoardLogger::timestampRunName();
    const Outcome outcome = trainOne(config, store, runName, {}, {});
    if (!outcome.ok || outcome.incomplete)
        return 1;
    return g_interrupted.load() ? 130 : 0;
}

DistributedOptions CommandLine::distributedOptions() const
{
    DistributedOptions options = DistributedOptions::fromEnvironment();
    options.backend = text("backend", "auto");
    if (options.backend != "auto" && options.backend != "gloo" && options.backend != "nccl")
        throw UsageError{"--backend: unknown backend '" + options.backend +
                         "' (known: auto, gloo, nccl)"};
    options.timeoutSeconds = number("timeout", 60.0);
    if (!(options.timeoutSeconds >= 1.0 && options.timeoutSeconds <= 86400.0))
        throw UsageError{"--timeout: " + text("timeout", "") +
                         " is out of range (1 to 86400 seconds)"};
    return options;
}

int CommandLine::launchWorkers(int count)
{
    // The workers run this very command without --nproc: they find their ranks in the
    // environment the launcher sets.
    std::vector<std::string> arguments{m_command};
    for (size_t i = 0; i < m_args.size(); ++i) {
        if (m_args[i] == "--nproc") {
            ++i;
            continue;
        }
        if (m_args[i].rfind("--nproc=", 0) == 0)
            continue;
        arguments.push_back(m_args[i]);
    }
    std::string program = Platform::executablePath();
    if (program.empty())
        program = m_argv0;
    // Ctrl+C reaches the workers too (one terminal process group); they agree to stop, and
    // this process waits for them.
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onTerminate);
    const double grace = m_distributed.timeoutSeconds + 10.0;
    return WorkerLauncher::run(
        program, arguments, count, grace,
        [this](const std::string& line) {
            std::fprintf(stderr, "%s: %s\n", m_program.c_str(), line.c_str());
        },
        [] { return g_terminated.load(); });
}

int CommandLine::sweep()
{
    if (DistributedOptions::fromEnvironment().enabled())
        throw UsageError{"sweep trains its runs one after another in one process; start it "
                         "without torchrun (WORLD_SIZE is set here), or train each run with "
                         "'train' under torchrun"};
    // --grid may repeat: take those out before the other options are parsed.
    SweepGrid grid;
    std::vector<std::string> rest;
    try {
        for (size_t i = 0; i < m_args.size(); ++i) {
            if (m_args[i] == "--grid" && i + 1 < m_args.size())
                grid.add(m_args[++i]);
            else if (m_args[i].rfind("--grid=", 0) == 0)
                grid.add(m_args[i].substr(7));
            else
                rest.push_back(m_args[i]);
        }
    } catch (const Error& e) {
        throw UsageError{std::string("--") + e.what()};
    }
    m_args = rest;
    auto options = kTrainOptions;
    for (const char* unused :
         {"save", "resume", "run", "resume-run", "nproc", "backend", "timeout"})
        options.erase(std::remove(options.begin(), options.end(), std::string(unused)),
                      options.end());
    options.push_back("sweep");
    if (!parseOptions(options, kTrainFlags)) {
        printHelp(kSweepHelp);
        return 0;
    }
    if (grid.size() == 0)
        throw UsageError{"sweep needs at least one --grid KEY=V1,V2,..."};
    if (grid.size() > 1000)
        throw UsageError{"the grid makes " + std::to_string(grid.size()) + " runs; at most 1000"};
    // Every combination's config first: a bad value refuses the sweep before anything trains.
    std::vector<SweepGrid::Point> planned;
    try {
        planned = grid.expand(trainingConfig());
    } catch (const Error& e) {
        throw UsageError{std::string("--") + e.what()};
    }

    // Ctrl+C from here on ends the current run and cancels the rest, never the process.
    std::signal(SIGINT, onInterrupt);
    const RunStore store = runStore();
    const std::string sweepId =
        has("sweep") ? text("sweep", "") : "sweep-" + TensorBoardLogger::timestampRunName();
    std::fprintf(stderr, "Sweep %s: %zu runs in %s\n", sweepId.c_str(), planned.size(),
                 store.root().c_str());
    std::vector<Outcome> outcomes;
    bool anyFailed = false;
    for (size_t i = 0; i < planned.size(); ++i) {
        const std::string runName = sweepId + "-" + std::to_string(i + 1);
        if (g_interrupted.load()) {
            // Stopped: the rest are recorded as cancelled, so the list shows what never ran.
            RunRecorder cancelled(store, planned[i].config, runName, sweepId);
            cancelled.rename(planned[i].title);
            cancelled.cancel();
            continue;
        }
        std::fprintf(stderr, "Run %zu/%zu: %s\n", i + 1, planned.size(), planned[i].title.c_str());
        Outcome outcome = trainOne(planned[i].config, store, runName, sweepId, planned[i].title);
        anyFailed = anyFailed || !outcome.ok || outcome.incomplete;
        outcomes.push_back(std::move(outcome));
    }

    std::signal(SIGINT, SIG_DFL);
    // The summary, best first.
    std::sort(outcomes.begin(), outcomes.end(), [](const Outcome& a, const Outcome& b) {
        return a.record.bestTestAccuracy() > b.record.bestTestAccuracy();
    });
    std::fprintf(stderr, "\nSweep %s:\n", sweepId.c_str());
    for (size_t i = 0; i < outcomes.size(); ++i) {
        const RunRecord& r = outcomes[i].record;
        std::fprintf(stderr, "%s %-28s %-10s %6.2f%%  %s\n", i == 0 ? "best" : "    ",
                     outcomes[i].id.c_str(), toString(r.status).c_str(),
                     r.bestTestAccuracy() * 100.0, r.name.c_str());
    }
    if (g_interrupted.load())
        return 130;
    return anyFailed ? 1 : 0;
}

} // namespace trainbench::cli
