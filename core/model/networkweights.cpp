#include "model/networkweights.h"

#include "track/crc32c.h"
#include "trainbench/common/error.h"

#include <cstdio>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <utility>

namespace trainbench {

namespace {

/// A named weight: its layer, its name within the layer, the tensor and whether it is a buffer.
struct NamedWeight
{
    std::string layer;
    std::string leaf;
    torch::Tensor tensor;
    bool buffer = false;
};

std::vector<NamedWeight> namedWeights(const Network& network)
{
    std::vector<NamedWeight> weights;
    const auto add = [&](const std::vector<torch::Tensor>& tensors,
                         const std::vector<std::string>& names, bool buffer) {
        if (tensors.size() != names.size())
            throw Error("internal error: " + std::to_string(tensors.size()) + " weights but " +
                        std::to_string(names.size()) + " names");
        for (size_t i = 0; i < tensors.size(); ++i) {
            const auto slash = names[i].find('/');
            weights.push_back(
                {names[i].substr(0, slash), names[i].substr(slash + 1), tensors[i], buffer});
        }
    };
    add(network->parameters(), network->parameterNames(), false);
    add(network->buffers(), network->bufferNames(), true);
    return weights;
}

std::string shapeOf(const torch::Tensor& tensor)
{
    std::string text;
    for (const auto size : tensor.sizes())
        text += (text.empty() ? "" : "x") + std::to_string(size);
    return text.empty() ? "a scalar" : text;
}

/// True when `tensor`'s elements all lie inside its storage (a crafted file can declare a
/// storage offset or strides that point past the bytes it holds).
bool withinStorage(const torch::Tensor& tensor)
{
    if (!tensor.has_storage())
        return false;
    if (tensor.numel() == 0)
        return true;
    int64_t last = tensor.storage_offset();
    if (last < 0)
        return false;
    for (int64_t d = 0; d < tensor.dim(); ++d) {
        if (tensor.stride(d) < 0 || tensor.size(d) <= 0)
            return false;
        // Overflow-safe: the step is checked against the room left before it is multiplied.
        const int64_t limit = int64_t(tensor.storage().nbytes()) / tensor.element_size();
        if (last >= limit)
            return false;
        if (tensor.stride(d) > 0 && tensor.size(d) - 1 > (limit - 1 - last) / tensor.stride(d))
            return false;
        last += (tensor.size(d) - 1) * tensor.stride(d);
    }
    return (last + 1) * tensor.element_size() <= int64_t(tensor.storage().nbytes());
}

void restore(torch::Tensor& target, const torch::Tensor& stored, const std::string& path,
             const std::string& name)
{
    if (stored.sizes() != target.sizes())
        throw Error(path + ": checkpoint weights do not match the model: " + name + " is " +
                    shapeOf(stored) + " in the checkpoint but " + shapeOf(target) +
                    " in the model");
    if (stored.scalar_type() != target.scalar_type())
        throw Error(path + ": damaged checkpoint: " + name + " is stored as " +
                    std::string(c10::toString(stored.scalar_type())) + ", not " +
                    std::string(c10::toString(target.scalar_type())));
    if (!withinStorage(stored))
        throw Error(path + ": damaged checkpoint: " + name +
                    " points outside the data stored for it");
    if (stored.is_floating_point() && !torch::isfinite(stored).all().item<bool>())
        throw Error(path + ": damaged checkpoint: " + name + " holds NaN or infinite values");
    target.copy_(stored);
}

/// Format 1: parameters and buffers by position under "model"; errors name the layer the
/// position belongs to in this model.
void readByPosition(Network& network, torch::serialize::InputArchive& model,
                    const std::string& path)
{
    const auto restoreAll = [&](std::vector<torch::Tensor> targets,
                                const std::vector<std::string>& names, const std::string& prefix,
                                bool buffer) {
        for (size_t i = 0; i < targets.size(); ++i) {
            torch::Tensor stored;
            const std::string key = prefix + std::to_string(i);
            const std::string name = i < names.size() ? names[i] : key;
            if (!model.try_read(key, stored, buffer))
                throw Error(path + ": checkpoint weights do not match the model: it has no " +
                            name + " (" + key + ")");
            restore(targets[i], stored, path, name);
        }
    };
    restoreAll(network->parameters(), network->parameterNames(), "param_", false);
    restoreAll(network->buffers(), network->bufferNames(), "buffer_", true);
}

/// True when `archive` holds a tensor (parameter or buffer) under `key`.
bool holdsTensor(torch::serialize::InputArchive& archive, const std::string& key)
{
    c10::IValue value;
    return archive.try_read(key, value) && value.isTensor();
}

} // namespace

void NetworkWeights::write(const Network& network, torch::serialize::OutputArchive& archive)
{
    // One archive per layer, in the model's order (a layer's buffers come after all parameters).
    std::vector<std::pair<std::string, std::unique_ptr<torch::serialize::OutputArchive>>> layers;
    for (const auto& weight : namedWeights(network)) {
        auto layer = std::find_if(layers.begin(), layers.end(),
                                  [&](const auto& l) { return l.first == weight.layer; });
        if (layer == layers.end())
            layer = layers.emplace(layers.end(), weight.layer,
                                   std::make_unique<torch::serialize::OutputArchive>());
        layer->second->write(weight.leaf, weight.tensor.detach().cpu(), weight.buffer);
    }
    torch::serialize::OutputArchive weights;
    for (auto& [name, layer] : layers)
        weights.write(name, *layer);
    archive.write("weights", weights);
}

void NetworkWeights::read(Network& network, torch::serialize::InputArchive& archive,
                          const std::string& path)
{
    torch::NoGradGuard noGrad;
    torch::serialize::InputArchive weights;
    if (!archive.try_read("weights", weights)) {
        torch::serialize::InputArchive model;
        if (!archive.try_read("model", model))
            throw Error(path + ": checkpoint has no model weights");
        readByPosition(network, model, path);
        return;
    }
    std::map<std::string, std::set<std::string>> known; // layer -> its weights' names
    // Held by pointer: InputArchive's copy constructor takes a non-const reference, which
    // clang's std::pair refuses.
    std::map<std::string, std::unique_ptr<torch::serialize::InputArchive>> layers;
    for (auto& weight : namedWeights(network)) {
        known[weight.layer].insert(weight.leaf);
        auto found = layers.find(weight.layer);
        if (found == layers.end()) {
            auto layer = std::make_unique<torch::serialize::InputArchive>();
            if (!weights.try_read(weight.layer, *layer))
                throw Error(path +
                            ": checkpoint weights do not match the model: it has no layer '" +
                            weight.layer + "'");
            found = layers.emplace(weight.layer, std::move(layer)).first;
        }
        torch::Tensor stored;
        const std::string name = weight.layer + "/" + weight.leaf;
        if (!found->second->try_read(weight.leaf, stored, weight.buffer))
            throw Error(path + ": checkpoint weights do not match the model: it has no " + name);
        restore(weight.tensor, stored, path, name);
    }
    // Nothing may be left over: a layer or a weight the model lacks means another model.
    for (const auto& key : weights.keys()) {
        torch::serialize::InputArchive surplus;
        if (!known.count(key) && weights.try_read(key, surplus))
            throw Error(path + ": checkpoint weights do not match the model: it has a layer '" +
                        key + "' that the model lacks");
    }
    for (auto& [name, layer] : layers)
        for (const auto& key : layer->keys())
            if (!known[name].count(key) && holdsTensor(*layer, key))
                throw Error(path + ": checkpoint weights do not match the model: it has " + name +
                            "/" + key + ", which the model lacks");
}

std::string NetworkWeights::digest(const Network& network)
{
    uint32_t crc = 0;
    for (const auto& weight : namedWeights(network)) {
        const auto bytes = weight.tensor.detach().cpu().contiguous();
        crc = Crc32c::compute(bytes.data_ptr(), size_t(bytes.nbytes()), crc);
    }
    char text[9];
    std::snprintf(text, sizeof text, "%08x", crc);
    return text;
}

void NetworkWeights::verify(const Network& network, const std::string& expected,
                            const std::string& path)
{
    if (expected.empty())
        return; // written before checkpoints carried a digest
    const std::string actual = digest(network);
    if (actual != expected)
        throw Error(path +
                    ": damaged checkpoint: its weights do not match their checksum "
                    "(stored " +
                    expected + ", read " + actual + "); the file was changed or corrupted");
}

void NetworkWeights::copy(const Network& from, Network& to)
{
    torch::NoGradGuard noGrad;
    const auto source = from->parameters();
    auto target = to->parameters();
    for (size_t i = 0; i < source.size(); ++i)
        target[i].copy_(source[i]);
    const auto sourceBuffers = from->buffers();
    auto targetBuffers = to->buffers();
    for (size_t i = 0; i < sourceBuffers.size(); ++i)
        targetBuffers[i].copy_(sourceBuffers[i]);
}

} // namespace trainbench
