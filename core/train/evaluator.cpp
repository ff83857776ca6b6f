#include "train/evaluator.h"

#include "data/batchloader.h"
#include "train/distributedgroup.h"
#include "trainbench/data/dataset.h"
#include "trainbench/track/histogram.h"

#include <c10/core/InferenceMode.h>
#include <torch/nn/functional/loss.h>

#include <algorithm>
#include <random>

namespace trainbench {

namespace {

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

} // namespace

Evaluator::Evaluator(Network network, torch::Device device, int classes, uint64_t seed)
    : m_network(std::move(network)), m_device(device), m_classes(classes), m_seed(seed)
{
}

torch::Tensor Evaluator::imagesToDevice(const ImageSet& set, int64_t begin, int64_t n) const
{
    auto bytes = torch::from_blob(const_cast<uint8_t*>(set.image(begin)),
                                  {n, set.channels, set.rows, set.cols}, torch::kUInt8);
    return bytes.to(m_device).to(torch::kFloat).div_(255.0);
}

Evaluator::Result Evaluator::evaluate(const ImageSet& set, bool keepPredictions)
{
    m_network->eval();
    c10::InferenceMode guard;
    const int64_t chunk = 1000;
    auto lossSum = torch::zeros({}, torch::TensorOptions(torch::kDouble).device(m_device));
    auto correct = torch::zeros({}, torch::TensorOptions(torch::kLong).device(m_device));
    Result result;
    // One rank of a distributed run takes an even, contiguous share of the set.
    const int world = m_group ? m_group->size() : 1;
    const int rank = m_group ? m_group->rank() : 0;
    const int64_t first = set.count * rank / world;
    const int64_t last = set.count * (rank + 1) / world;
    for (int64_t begin = first; begin < last; begin += chunk) {
        const int64_t n = std::min(chunk, last - begin);
        auto images = imagesToDevice(set, begin, n);
        auto labels =
            torch::from_blob(const_cast<uint8_t*>(set.labels.data() + begin), {n}, torch::kUInt8)
                .to(m_device)
                .to(torch::kLong);
        auto logits = m_network->forward(images);
        namespace F = torch::nn::functional;
        lossSum +=
            F::cross_entropy(logits, labels, F::CrossEntropyFuncOptions().reduction(torch::kSum))
                .to(torch::kDouble);
        correct += logits.argmax(1).eq(labels).sum();
        if (keepPredictions) {
            auto [confidence, predicted] = torch::softmax(logits, 1).max(1);
            predicted = predicted.to(torch::kUInt8).cpu();
            confidence = confidence.to(torch::kFloat).cpu();
            result.predictions.insert(result.predictions.end(), predicted.data_ptr<uint8_t>(),
                                      predicted.data_ptr<uint8_t>() + n);
            result.confidences.insert(result.confidences.end(), confidence.data_ptr<float>(),
                                      confidence.data_ptr<float>() + n);
        }
    }
    m_network->train();
    double lossTotal = lossSum.item<double>();
    double correctTotal = double(correct.item<int64_t>());
    if (m_group) {
        const auto totals = m_group->sum({lossTotal, correctTotal});
        lossTotal = totals[0];
        correctTotal = totals[1];
        if (keepPredictions) {
            // Every rank fills its share of a zeroed table; the sum is the whole table (adding
            // zeros is exact), the predicted classes as small whole floats.
            auto table = torch::zeros({2, set.count}, torch::kFloat);
            const int64_t n = last - first;
            if (n > 0) {
                table[0]
                    .narrow(0, first, n)
                    .copy_(torch::from_blob(result.predictions.data(), {n}, torch::kUInt8));
                table[1]
                    .narrow(0, first, n)
                    .copy_(torch::from_blob(result.confidences.data(), {n}, torch::kFloat));
            }
            m_group->sum(table);
            auto classes = table[0].to(torch::kUInt8).contiguous();
            auto confidences = table[1].contiguous();
            result.predictions.assign(classes.data_ptr<uint8_t>(),
                                      classes.data_ptr<uint8_t>() + set.count);
            result.confidences.assign(confidences.data_ptr<float>(),
                                      confidences.data_ptr<float>() + set.count);
        }
    }
    result.loss = lossTotal / double(set.count);
    result.accuracy = correctTotal / double(set.count);
    return result;
}

EpochDetails Evaluator::details(int epoch, const Dataset& data, const Result& test)
{
    EpochDetails d;
    d.epoch = epoch;
    d.classes = m_classes;
    d.classNames = data.classNames;
    d.confusion.assign(size_t(m_classes * m_classes), 0);
    for (size_t i = 0; i < test.predictions.size(); ++i)
        ++d.confusion[size_t(data.test.labels[i] * m_classes + test.predictions[i])];
    d.testPredictions = test.predictions;
    d.testConfidences = test.confidences;

    const auto indices = sampleIndices(data.test.count, 64, m_seed);
    if (!indices.empty()) {
        m_network->eval();
        c10::InferenceMode guard;
        const ImageSet& set = data.test;
        auto batch = torch::empty({int64_t(indices.size()), set.channels, set.rows, set.cols});
        auto labels = torch::empty({int64_t(indices.size())}, torch::kLong);
        BatchLoader::assemble(set, indices.data(), int64_t(indices.size()), batch.data_ptr<float>(),
                              labels.data_ptr<int64_t>());
        auto probabilities = torch::softmax(m_network->forward(batch.to(m_device)), 1)
                                 .to(torch::kFloat)
                                 .cpu()
                                 .contiguous();
        m_network->train();
        for (size_t k = 0; k < indices.size(); ++k) {
            SamplePrediction s;
            s.index = indices[k];
            s.label = set.labels[size_t(s.index)];
            const float* p = probabilities.data_ptr<float>() + k * size_t(m_classes);
            s.probabilities.assign(p, p + m_classes);
            s.predicted = int(std::max_element(p, p + m_classes) - p);
            s.confidence = p[s.predicted];
            s.pixels.assign(set.image(s.index), set.image(s.index) + set.imageSize());
            s.channels = set.channels;
            s.rows = set.rows;
            s.cols = set.cols;
            d.samples.push_back(std::move(s));
        }
    }

    const auto params = m_network->parameters();
    const auto& names = m_network->parameterNames();
    for (size_t i = 0; i < params.size(); ++i) {
        auto values = params[i].detach().to(torch::kFloat).cpu().contiguous();
        ParameterHistogram h;
        h.name = i < names.size() ? names[i] : "param_" + std::to_string(i);
        h.histogram = Histogram::of(values.data_ptr<float>(), size_t(values.numel()));
        d.parameters.push_back(std::move(h));
    }
    return d;
}

} // namespace trainbench
