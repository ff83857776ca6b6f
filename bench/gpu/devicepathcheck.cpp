#include "devicepathcheck.h"

#include "model/batchnormblock.h"
#include "model/convblock.h"
#include "model/denseblock.h"
#include "model/dropoutblock.h"
#include "model/tiledmaxpool.h"
#include "model/windowgeometry.h"
#include "train/flatoptimizer.h"
#include "train/softmaxcrossentropy.h"

#include <ATen/record_function.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

namespace trainbench {

namespace {

std::mutex g_seenMutex;
std::set<std::string> g_seen;

std::unique_ptr<at::ObserverContext> onRecord(const at::RecordFunction& fn)
{
    const char* name = fn.name();
    if (name && std::strncmp(name, "trainbench::", 12) == 0) {
        std::lock_guard<std::mutex> lock(g_seenMutex);
        g_seen.insert(name);
    }
    return nullptr;
}

/// Records only while it lives, so the check leaves no callback behind.
class RecordWatch
{
public:
    RecordWatch() : m_handle(at::addGlobalCallback(at::RecordFunctionCallback(&onRecord)))
    {
        std::lock_guard<std::mutex> lock(g_seenMutex);
        g_seen.clear();
    }
    ~RecordWatch() { at::removeCallback(m_handle); }
    RecordWatch(const RecordWatch&) = delete;
    RecordWatch& operator=(const RecordWatch&) = delete;

    std::vector<std::string> seen() const
    {
        std::lock_guard<std::mutex> lock(g_seenMutex);
        return {g_seen.begin(), g_seen.end()};
    }

private:
    at::CallbackHandle m_handle;
};

class Comparer
{
public:
    Comparer(DevicePathCheck::Report& report, torch::Device device)
        : m_report(report), m_device(device)
    {
    }

    /// Same device, same libtorch ops underneath, so the tolerance is float rounding (and
    /// TF32 where cuDNN uses it for convolutions): `relative` of the reference's largest value,
    /// or of `floor` where that is larger.
    void compare(const std::string& what, const torch::Tensor& ours, const torch::Tensor& theirs,
                 double relative = 2e-3, double floor = 1.0)
    {
        std::ostringstream line;
        line << what << ": ";
        if (ours.device() != m_device) {
            line << "on " << ours.device() << ", not " << m_device;
            m_report.mismatches.push_back(line.str());
            m_report.lines.push_back(line.str());
            return;
        }
        if (ours.sizes() != theirs.sizes()) {
            line << "shape " << ours.sizes() << " vs " << theirs.sizes();
            m_report.mismatches.push_back(line.str());
            m_report.lines.push_back(line.str());
            return;
        }
        const auto a = ours.detach().to(torch::kCPU, torch::kDouble);
        const auto b = theirs.detach().to(torch::kCPU, torch::kDouble);
        const double difference = (a - b).abs().max().item<double>();
        const double scale = std::max(floor, b.abs().max().item<double>());
        line << "max difference " << difference;
        if (!(difference <= relative * scale)) {
            m_report.mismatches.push_back(line.str());
            line << "  MISMATCH";
        }
        m_report.lines.push_back(line.str());
    }

private:
    DevicePathCheck::Report& m_report;
    torch::Device m_device;
};

void checkConvolution(Comparer& comparer, torch::Device device)
{
    const auto rows = WindowGeometry::compute(28, 3, 1, Padding::Same);
    ConvBlock block(1, 32, 3, 1, rows, rows, 2, Activation::ReLU);
    block->to(device);
    const auto x = torch::rand({32, 1, 28, 28}, torch::TensorOptions(device));
    const auto out = block->forward(x);
    const auto expected =
        torch::relu(torch::max_pool2d(torch::conv2d(x, block->weight, block->bias, 1, 1), 2));
    comparer.compare("conv 1->32 3x3 + pool 2 + relu, output", out, expected);
    const auto upstream = torch::randn_like(expected);
    const auto ours = torch::autograd::grad({out}, {block->weight, block->bias}, {upstream});
    const auto theirs = torch::autograd::grad({expected}, {block->weight, block->bias}, {upstream});
    comparer.compare("conv, weight gradient", ours[0], theirs[0]);
    comparer.compare("conv, bias gradient", ours[1], theirs[1]);
}

void checkDense(Comparer& comparer, torch::Device device)
{
    DenseBlock block(6272, 256, Activation::ReLU);
    block->to(device);
    const auto x = torch::randn({32, 6272}, torch::TensorOptions(device)).requires_grad_(true);
    const auto out = block->forward(x);
    const auto expected = torch::relu(torch::linear(x, block->weight, block->bias));
    comparer.compare("dense 6272->256 + relu, output", out, expected);
    const auto upstream = torch::randn_like(expected);
    const std::vector<torch::Tensor> wrt{block->weight, block->bias, x};
    const auto ours = torch::autograd::grad({out}, wrt, {upstream});
    const auto theirs = torch::autograd::grad({expected}, wrt, {upstream});
    comparer.compare("dense, weight gradient", ours[0], theirs[0]);
    comparer.compare("dense, bias gradient", ours[1], theirs[1]);
    comparer.compare("dense, input gradient", ours[2], theirs[2]);
}

void checkDropout(Comparer& comparer, DevicePathCheck::Report& report, torch::Device device)
{
    DropoutBlock block(0.5);
    block->train();
    const auto x = torch::ones({64, 1024}, torch::TensorOptions(device)).requires_grad_(true);
    const auto out = block->forward(x);
    // Each value is 0 or 2, about half each; the gradient is the same mask.
    const double kept = out.detach().gt(0).to(torch::kDouble).mean().item<double>();
    const bool scaled = out.detach().eq(0).logical_or(out.detach().eq(2)).all().item<bool>();
    std::ostringstream line;
    line << "dropout 0.5: kept " << kept << (scaled ? ", scaled by 2" : ", NOT scaled by 2");
    if (out.device() != device || !scaled || kept < 0.45 || kept > 0.55)
        report.mismatches.push_back(line.str());
    report.lines.push_back(line.str());
    const auto gradient = torch::autograd::grad({out}, {x}, {torch::ones_like(out)})[0];
    comparer.compare("dropout, input gradient", gradient, out.detach());
}

void checkBatchNorm(Comparer& comparer, torch::Device device)
{
    BatchNormBlock block(32, 1e-3, 0.1);
    block->to(device);
    block->train();
    const auto x = torch::rand({32, 32, 14, 14}, torch::TensorOptions(device)).requires_grad_(true);
    auto mean = torch::zeros({32}, torch::TensorOptions(device));
    auto var = torch::ones({32}, torch::TensorOptions(device));
    const auto out = block->forward(x);
    const auto expected =
        torch::batch_norm(x, block->weight, block->bias, mean, var, true, 0.1, 1e-3, false);
    comparer.compare("batch norm 32 channels, output", out, expected);
    comparer.compare("batch norm, running mean", block->runningMean, mean);
    const auto upstream = torch::randn_like(expected);
    const std::vector<torch::Tensor> wrt{block->weight, block->bias, x};
    const auto ours = torch::autograd::grad({out}, wrt, {upstream});
    const auto theirs = torch::autograd::grad({expected}, wrt, {upstream});
    comparer.compare("batch norm, running variance", block->runningVar, var);
    comparer.compare("batch norm, gamma gradient", ours[0], theirs[0]);
    comparer.compare("batch norm, beta gradient", ours[1], theirs[1]);
    comparer.compare("batch norm, input gradient", ours[2], theirs[2]);
}

void checkPool(Comparer& comparer, torch::Device device)
{
    // Channels-last maps of 32 channels: what BatchNorm hands the pool in deep-cnn.
    const auto x = torch::randn({32, 32, 14, 14}, torch::TensorOptions(device))
                       .contiguous(at::MemoryFormat::ChannelsLast)
                       .requires_grad_(true);
    const auto out = tiledMaxPool(x, 2);
    const auto expected = torch::max_pool2d(x, 2, 2);
    comparer.compare("max pool 2, channels-last, output", out, expected);
    const auto upstream = torch::randn_like(expected);
    comparer.compare("max pool, input gradient", torch::autograd::grad({out}, {x}, {upstream})[0],
                     torch::autograd::grad({expected}, {x}, {upstream})[0]);
}

void checkLoss(Comparer& comparer, torch::Device device)
{
    const auto logits = torch::randn({32, 10}, torch::TensorOptions(device)).requires_grad_(true);
    const auto labels =
        torch::randint(0, 10, {32}, torch::TensorOptions(device).dtype(torch::kLong));
    const auto measured = SoftmaxCrossEntropy::compute(logits, labels);
    const auto expected = torch::cross_entropy_loss(logits, labels);
    comparer.compare("loss", measured.loss, expected);
    comparer.compare("loss, hits", measured.hits.to(torch::kLong),
                     logits.argmax(1).eq(labels).sum());
    const auto ours = torch::autograd::grad({measured.loss}, {logits})[0];
    const auto theirs = torch::autograd::grad({expected}, {logits})[0];
    comparer.compare("loss, logits gradient", ours, theirs);
}

void checkAdam(Comparer& comparer, DevicePathCheck::Report& report, torch::Device device)
{
    // The optimizer on `device` against its CPU loop, three steps from the same start: a 4-D
    // convolution weight, a bias and a Dense weight, as in the tutorial's CNN. Compared are the
    // updates (end - start), a few thousandths each, to a thousandth of the largest: a step
    // skipped, a wrong rate or bias correction would stand out.
    std::vector<torch::Tensor> start, gradients;
    for (const auto& shape : std::vector<std::vector<int64_t>>{{32, 1, 3, 3}, {32}, {256, 784}}) {
        start.push_back(torch::randn(shape));
        gradients.push_back(torch::randn(shape));
    }
    const auto train = [&](torch::Device where, int64_t* fused) {
        std::vector<torch::Tensor> parameters;
        for (const auto& value : start)
            parameters.push_back(value.clone().to(where).requires_grad_(true));
        FlatOptimizer optimizer(parameters, OptimizerConfig{});
        for (int step = 1; step <= 3; ++step) {
            for (size_t i = 0; i < parameters.size(); ++i)
                parameters[i].mutable_grad() = gradients[i].to(where) * double(step);
            optimizer.step(1e-3);
        }
        if (fused)
            *fused = optimizer.fusedUpdates();
        std::vector<torch::Tensor> updates;
        for (size_t i = 0; i < parameters.size(); ++i)
            updates.push_back(parameters[i].detach() - start[i].to(where));
        return updates;
    };
    int64_t fused = 0;
    const auto ours = train(device, &fused);
    const auto reference = train(torch::kCPU, nullptr);
    const std::string what =
        "adam, 3 steps (" + std::to_string(fused) + " by libtorch's fused kernel)";
    for (size_t i = 0; i < ours.size(); ++i)
        comparer.compare(what + ", update of parameter " + std::to_string(i + 1), ours[i],
                         reference[i].to(device), 1e-3, 0.0);
    // On CUDA the fused kernel is the path meant to run (libtorch has it from 1.13 on).
    if (device.is_cuda() && fused != 3)
        report.mismatches.push_back(what + ": expected 3");
}

} // namespace

DevicePathCheck::Report DevicePathCheck::run(torch::Device device)
{
    Report report;
    torch::manual_seed(0);
    Comparer comparer(report, device);
    RecordWatch watch;
    checkConvolution(comparer, device);
    checkDense(comparer, device);
    checkDropout(comparer, report, device);
    checkBatchNorm(comparer, device);
    checkPool(comparer, device);
    checkLoss(comparer, device);
    report.fastPaths = watch.seen();
    // After the watch: its CPU reference runs core's own loop on purpose.
    checkAdam(comparer, report, device);
    return report;
}

} // namespace trainbench
