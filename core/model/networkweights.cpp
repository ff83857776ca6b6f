#include "networkweights.h"

#include "trainbench/error.h"

namespace trainbench {

void NetworkWeights::write(const Network& network, torch::serialize::OutputArchive& archive)
{
    torch::serialize::OutputArchive model;
    const auto params = network->parameters();
    for (size_t i = 0; i < params.size(); ++i)
        model.write("param_" + std::to_string(i), params[i].detach().cpu());
    const auto buffers = network->buffers();
    for (size_t i = 0; i < buffers.size(); ++i)
        model.write("buffer_" + std::to_string(i), buffers[i].detach().cpu(), true);
    archive.write("model", model);
}

void NetworkWeights::read(Network& network, torch::serialize::InputArchive& archive, const std::string& path)
{
    torch::serialize::InputArchive model;
    if (!archive.try_read("model", model))
        throw Error(path + ": checkpoint has no model weights");
    torch::NoGradGuard noGrad;
    const auto restore = [&](std::vector<torch::Tensor> targets, const std::string& prefix, bool buffer) {
        for (size_t i = 0; i < targets.size(); ++i) {
            torch::Tensor stored;
            if (!model.try_read(prefix + std::to_string(i), stored, buffer) || stored.sizes() != targets[i].sizes())
                throw Error(path + ": checkpoint weights do not match the model (" + prefix + std::to_string(i) + ")");
            targets[i].copy_(stored);
        }
    };
    restore(network->parameters(), "param_", false);
    restore(network->buffers(), "buffer_", true);
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
