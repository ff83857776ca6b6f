#include "trainbench/infer/predictor.h"

#include "infer/predictorimpl.h"
#include "model/networkweights.h"
#include "trainbench/common/error.h"
#include "trainbench/data/dataset.h"
#include "trainbench/infer/digitpreprocessor.h"
#include "trainbench/train/checkpointinfo.h"

#include <c10/core/InferenceMode.h>
#include <torch/serialize/input-archive.h>

#include <algorithm>
#include <cstdio>

namespace trainbench {

Predictor::Predictor(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

Predictor::~Predictor() = default;

std::shared_ptr<Predictor> Predictor::fromCheckpoint(const std::string& path)
{
    const CheckpointInfo info = CheckpointInfo::read(path);
    auto impl = std::make_unique<Impl>();
    impl->network = Network(info.layers, info.inputShape, info.classes, info.config.seed);
    torch::serialize::InputArchive archive;
    try {
        archive.load_from(path);
    } catch (const std::exception&) {
        throw Error(path + ": not a Trainbench checkpoint (unreadable or damaged file)");
    }
    NetworkWeights::read(impl->network, archive, path);
    NetworkWeights::verify(impl->network, info.weightsDigest, path);
    impl->network->eval();
    impl->classNames = info.namesOrIndices();
    impl->resize = info.config.dataOptions.resize;
    char accuracy[64] = "";
    if (!info.history.empty())
        std::snprintf(accuracy, sizeof accuracy, ", test accuracy %.2f%%",
                      info.history.back().testAccuracy * 100.0);
    impl->description = info.config.modelName + ", " + std::to_string(info.history.size()) +
                        " epoch" + (info.history.size() == 1 ? "" : "s") + accuracy;
    return std::shared_ptr<Predictor>(new Predictor(std::move(impl)));
}

int Predictor::classes() const
{
    return m_impl->network->classes();
}

std::vector<int64_t> Predictor::inputShape() const
{
    return m_impl->network->inputShape();
}

std::vector<std::string> Predictor::classNames() const
{
    if (!m_impl->classNames.empty())
        return m_impl->classNames;
    std::vector<std::string> names;
    for (int c = 0; c < classes(); ++c)
        names.push_back(std::to_string(c));
    return names;
}

bool Predictor::digits() const
{
    // MNIST's shape too: a folder of 32x32 digit pictures is classified as pictures.
    return Dataset::isDigits(classNames(), int(inputShape()[0])) &&
           inputShape() == std::vector<int64_t>{1, 28, 28};
}

std::string Predictor::description() const
{
    return m_impl->description;
}

Prediction Predictor::predict(const GrayImage& input) const
{
    const auto shape = inputShape();
    if (input.width != shape[2] || input.height != shape[1] || shape[0] != 1)
        throw Error("the model expects " + std::to_string(shape[2]) + "x" +
                    std::to_string(shape[1]) + (shape[0] == 1 ? " gray" : " colour") +
                    " images, got " + std::to_string(input.width) + "x" +
                    std::to_string(input.height) + " gray");
    return predictPlanes(input.pixels);
}

Prediction Predictor::predictPlanes(const std::vector<uint8_t>& planes) const
{
    const auto shape = inputShape();
    if (int64_t(planes.size()) != shape[0] * shape[1] * shape[2])
        throw Error("the model expects " + std::to_string(shape[0] * shape[1] * shape[2]) +
                    " input values, got " + std::to_string(planes.size()));
    c10::InferenceMode guard;
    auto x = torch::from_blob(const_cast<uint8_t*>(planes.data()),
                              {1, shape[0], shape[1], shape[2]}, torch::kUInt8)
                 .to(torch::kFloat)
                 .div_(255.0);
    auto probabilities = torch::softmax(m_impl->network->forward(x), 1).contiguous();
    Prediction p;
    const float* values = probabilities.data_ptr<float>();
    p.probabilities.assign(values, values + probabilities.size(1));
    p.digit = int(std::max_element(p.probabilities.begin(), p.probabilities.end()) -
                  p.probabilities.begin());
    p.confidence = p.probabilities[size_t(p.digit)];
    return p;
}

std::optional<Prediction> Predictor::predictPicture(const GrayImage& picture) const
{
    const auto input = DigitPreprocessor::toMnist(picture);
    if (!input)
        return std::nullopt;
    return predict(*input);
}

std::optional<Prediction> Predictor::predictImage(const Image& image) const
{
    if (digits()) {
        GrayImage gray(image.width, image.height);
        if (image.channels == 1) {
            gray.pixels = image.pixels;
        } else {
            for (size_t i = 0; i < gray.pixels.size(); ++i) {
                const uint8_t* p = image.pixels.data() + i * size_t(image.channels);
                gray.pixels[i] = uint8_t((299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000);
            }
        }
        return predictPicture(gray);
    }
    return predictPlanes(inputPlanes(image));
}

std::vector<uint8_t> Predictor::inputPlanes(const Image& image) const
{
    const auto shape = inputShape();
    Image input = image;
    if (image.channels != shape[0]) {
        // 1 <-> 3 channels (both are checked: a checkpoint has 1 or 3, an Image too).
        if ((image.channels != 1 && image.channels != 3) || (shape[0] != 1 && shape[0] != 3))
            throw Error("cannot convert a " + std::to_string(image.channels) +
                        "-channel image for a " + std::to_string(shape[0]) + "-channel model");
        input.channels = int(shape[0]);
        const size_t pixels = size_t(image.width) * size_t(image.height);
        input.pixels.assign(pixels * size_t(input.channels), 0);
        for (size_t i = 0; i < pixels; ++i) {
            const uint8_t* p = image.pixels.data() + i * size_t(image.channels);
            uint8_t* q = input.pixels.data() + i * size_t(input.channels);
            if (input.channels == 1)
                q[0] = uint8_t((299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000);
            else
                q[0] = q[1] = q[2] = p[0];
        }
    }
    // Models train on square inputs; a non-square one would need its own resize.
    if (shape[1] != shape[2])
        throw Error("the model's input is not square (" + std::to_string(shape[2]) + "x" +
                    std::to_string(shape[1]) + ")");
    return input.toSquarePlanes(int(shape[1]), m_impl->resize);
}

std::vector<float> Predictor::saliency(const GrayImage& input) const
{
    auto x = torch::from_blob(const_cast<uint8_t*>(input.pixels.data()),
                              {1, 1, input.height, input.width}, torch::kUInt8)
                 .to(torch::kFloat)
                 .div_(255.0)
                 .requires_grad_(true);
    auto logits = m_impl->network->forward(x);
    logits[0][logits.argmax(1).item<int64_t>()].backward();
    auto magnitude = x.grad().abs().flatten().contiguous();
    const float top = std::max(magnitude.max().item<float>(), 1e-12f);
    magnitude.div_(top);
    const float* values = magnitude.data_ptr<float>();
    std::vector<float> out(values, values + magnitude.numel());
    for (auto& p : m_impl->network->parameters())
        p.mutable_grad() = torch::Tensor();
    return out;
}

} // namespace trainbench
