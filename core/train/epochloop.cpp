#include "train/epochloop.h"

#include "data/batchloader.h"
#include "train/distributedgroup.h"
#include "train/flatoptimizer.h"
#include "train/runcontrol.h"
#include "train/softmaxcrossentropy.h"
#include "trainbench/common/error.h"
#include "trainbench/data/batchplanner.h"

#include <ATen/core/grad_mode.h>

#include <cmath>

namespace trainbench {

namespace {

double secondsSince(EpochLoop::Clock::time_point start)
{
    return std::chrono::duration<double>(EpochLoop::Clock::now() - start).count();
}

} // namespace

EpochLoop::EpochLoop(Network network, FlatOptimizer& optimizer, const TrainingConfig& config,
                     torch::Device device, RunControl& control,
                     std::function<void(const BatchEvent&)> report)
    : m_network(std::move(network)), m_optimizer(optimizer), m_config(config), m_device(device),
      m_control(control), m_report(std::move(report)),
      m_batchStats(
          torch::zeros({config.reportEvery, 2}, torch::TensorOptions(torch::kFloat).device(device)))
{
}

void EpochLoop::trainBatch(const BatchLoader::Batch& batch, int64_t b, double learningRate,
                           Result& result)
{
    torch::Tensor images = batch.images;
    torch::Tensor labels = batch.labels;
    if (m_device.is_cuda()) {
        // A copy from pageable memory waits for the GPU to finish the previous step; from
        // pinned memory it queues behind it (libtorch's pinned-memory cache keeps each block
        // until its copy has run, and the loader's buffer is free again at once).
        images = images.pin_memory().to(m_device, /*non_blocking=*/true);
        labels = labels.pin_memory().to(m_device, /*non_blocking=*/true);
    } else {
        images = images.to(m_device);
        labels = labels.to(m_device);
    }
    const int64_t n = images.size(0);

    auto logits = m_network->forward(images);
    const auto measured = SoftmaxCrossEntropy::compute(logits, labels);
    const auto& loss = measured.loss;
    m_optimizer.zeroGrad();
    m_optimizer.beginStep(learningRate); // large layers update while backward goes on
    if (m_group) {
        // Averaging the ranks' mean losses weighs every sample of the global batch alike only
        // when the shares are equal; the last batch's may not be.
        const double scale = double(n) * m_group->size() / double(m_planner->samplesInBatch(b));
        (scale == 1.0 ? loss : loss * scale).backward();
    } else {
        loss.backward();
    }
    m_optimizer.finishStep();
    result.samples += n;
    torch::NoGradGuard noGrad;
    if (m_device.is_cpu()) {
        // Plain arithmetic: a handful of tensor ops here would cost more than the sums.
        const float lossValue = loss.item<float>();
        const auto hits = measured.hits.item<int64_t>();
        *m_lossSum.data_ptr<double>() += double(lossValue) * double(n);
        *m_correct.data_ptr<double>() += double(hits);
        float* slot = m_batchStats.data_ptr<float>() + 2 * (b % m_config.reportEvery);
        slot[0] = lossValue;
        slot[1] = float(double(hits) / double(n));
        return;
    }
    m_lossSum.add_(loss.detach(), double(n));
    m_correct.add_(measured.hits);
    auto slot = m_batchStats[b % m_config.reportEvery];
    slot[0].copy_(loss.detach());
    slot[1].copy_(measured.hits.to(torch::kFloat).div_(double(n)));
}

void EpochLoop::setDistributed(DistributedGroup* group, const BatchPlanner* planner)
{
    m_group = group;
    m_planner = planner;
}

EpochLoop::Result EpochLoop::run(BatchLoader& loader, int epoch, int firstEpoch, int64_t batches,
                                 int64_t& globalStep, Clock::time_point runStart)
{
    const auto epochStart = Clock::now();
    const auto accumulatorOptions = torch::TensorOptions(torch::kDouble).device(m_device);
    m_lossSum = torch::zeros({}, accumulatorOptions);
    m_correct = torch::zeros({}, accumulatorOptions);
    auto& lossSum = m_lossSum;
    auto& correct = m_correct;
    double pausedSeconds = 0.0;
    double reportedLoss = 0.0;
    double reportedCorrect = 0.0;
    int64_t reportedSamples = 0;
    int64_t lastReportedBatch = -1;
    Result result;

    BatchLoader::Batch batch;
    const int world = m_group ? m_group->size() : 1;
    for (int64_t b = 0; b < batches; ++b) {
        pausedSeconds += m_control.waitWhilePaused();
        // A rank of a distributed run stops only where all agree to (see below).
        if (!m_group && m_control.stopRequested()) {
            result.stopped = true;
            break;
        }
        // The schedule runs over this call's epochs, or over a resumed run's whole plan.
        const bool spansPlan = m_config.scheduleEpochs > 0;
        const double learningRate = m_config.schedule.at(
            m_config.optimizer.learningRate,
            double(spansPlan ? epoch : epoch - firstEpoch) + double(b) / double(batches),
            spansPlan ? m_config.scheduleEpochs : m_config.epochs);
        result.learningRate = learningRate;
        const bool last = b + 1 == batches;
        if (loader.next(batch)) {
            trainBatch(batch, b, learningRate, result);
        } else {
            if (!m_group || !last || m_planner->shareOf(b, m_group->rank(), world) != 0)
                throw Error("the batch loader ended early");
            // No samples of the last, small global batch fell to this rank: it contributes zero
            // gradients to the others' step, and takes the step with them.
            m_optimizer.zeroGrad();
            m_optimizer.beginStep(learningRate);
            m_optimizer.finishStep();
        }
        ++globalStep;

        if ((b + 1) % m_config.reportEvery != 0 && !last)
            continue;
        if (m_group) {
            // Stop requests and a loss gone bad on any rank are summed across ranks here, so
            // all stop after the same batch, with the same message.
            const double local = lossSum.item<double>();
            const auto flags = m_group->sum(
                {m_control.stopRequested() ? 1.0 : 0.0, std::isfinite(local) ? 0.0 : 1.0});
            if (flags[1] > 0.0)
                throw Error("the loss became NaN or infinite on " +
                            std::string(std::isfinite(local) ? "another rank" : "this rank") +
                            " in epoch " + std::to_string(epoch + 1) + " near batch " +
                            std::to_string(b + 1) +
                            "; training stopped. Try a lower learning rate.");
            if (flags[0] > 0.0 && !last) {
                result.stopped = true;
                break;
            }
            if (result.samples == 0)
                continue; // this rank had no batch to report on
        }
        // The only host synchronisation of the loop: every reportEvery batches.
        const double lossTotal = lossSum.item<double>();
        const double correctTotal = correct.item<double>();
        if (!std::isfinite(lossTotal))
            throw Error("the loss became " +
                        std::string(std::isnan(lossTotal) ? "NaN" : "infinite") + " in epoch " +
                        std::to_string(epoch + 1) + " near batch " + std::to_string(b + 1) +
                        "; training stopped. Try a lower learning rate.");
        if (m_report) {
            BatchEvent event;
            event.epoch = epoch + 1;
            event.epochs = firstEpoch + m_config.epochs;
            event.batch = b + 1;
            event.batchesPerEpoch = batches;
            event.globalStep = globalStep;
            event.loss = lossTotal / double(result.samples);
            event.accuracy = correctTotal / double(result.samples);
            const double recent = double(result.samples - reportedSamples);
            event.recentLoss = (lossTotal - reportedLoss) / recent;
            event.recentAccuracy = (correctTotal - reportedCorrect) / recent;
            event.learningRate = learningRate;
            const double elapsed = secondsSince(epochStart) - pausedSeconds;
            // All ranks together (they keep pace with each other through the all-reduces).
            event.samplesPerSecond = elapsed > 0 ? double(result.samples) * world / elapsed : 0.0;
            event.elapsedSeconds = secondsSince(runStart);
            const auto values = m_batchStats.cpu();
            const auto table = values.accessor<float, 2>();
            for (int64_t k = lastReportedBatch + 1; k <= b; ++k) {
                event.batchLosses.push_back(table[k % m_config.reportEvery][0]);
                event.batchAccuracies.push_back(table[k % m_config.reportEvery][1]);
            }
            m_report(event);
        }
        lastReportedBatch = b;
        reportedLoss = lossTotal;
        reportedCorrect = correctTotal;
        reportedSamples = result.samples;
    }
    result.lossTotal = reportedLoss;
    result.correctTotal = reportedCorrect;
    if (m_group && !result.stopped) {
        // A rank whose last step had no samples skipped that step's report: read the totals.
        result.lossTotal = lossSum.item<double>();
        result.correctTotal = correct.item<double>();
        const auto totals =
            m_group->sum({result.lossTotal, result.correctTotal, double(result.samples)});
        result.lossTotal = totals[0];
        result.correctTotal = totals[1];
        result.samples = int64_t(totals[2]);
    }
    result.seconds = secondsSince(epochStart) - pausedSeconds;
    return result;
}

} // namespace trainbench
