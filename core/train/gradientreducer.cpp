#include "train/gradientreducer.h"

#include "train/distributedgroup.h"

#include <ATen/core/grad_mode.h>
#include <ATen/record_function.h>

namespace trainbench {

GradientReducer::GradientReducer(std::vector<torch::Tensor> parameters, DistributedGroup& group,
                                 int64_t bucketBytes)
    : m_group(group), m_parameters(std::move(parameters))
{
    const size_t count = m_parameters.size();
    m_bucketOf.assign(count, 0);
    m_slots.resize(count);
    m_filled.assign(count, 0);
    // Backward meets the last layers first: pack from the end.
    std::vector<std::vector<size_t>> groups;
    int64_t bytes = 0;
    for (size_t k = count; k-- > 0;) {
        const int64_t size = m_parameters[k].numel() * int64_t(m_parameters[k].element_size());
        if (groups.empty() || (bytes > 0 && bytes + size > bucketBytes)) {
            groups.emplace_back();
            bytes = 0;
        }
        groups.back().push_back(k);
        bytes += size;
    }
    for (auto& members : groups) {
        Bucket bucket;
        int64_t elements = 0;
        for (size_t k : members)
            elements += m_parameters[k].numel();
        bucket.buffer = torch::zeros({elements}, m_parameters[members.front()].options());
        int64_t offset = 0;
        for (size_t k : members) {
            const auto& p = m_parameters[k];
            // The slot has the parameter's own memory layout (channels-last kernels included),
            // so the optimizer reads it as it reads the parameter.
            m_slots[k] =
                bucket.buffer.narrow(0, offset, p.numel()).as_strided(p.sizes(), p.strides());
            m_bucketOf[k] = m_buckets.size();
            offset += p.numel();
        }
        bucket.parameters = std::move(members);
        m_buckets.push_back(std::move(bucket));
    }
    for (size_t k = 0; k < count; ++k)
        m_hooks.push_back(m_parameters[k].register_hook(
            [this, k](const torch::Tensor& grad) { onGradient(k, grad); }));
}

GradientReducer::~GradientReducer()
{
    for (size_t k = 0; k < m_hooks.size(); ++k)
        m_parameters[k].remove_hook(m_hooks[k]);
}

void GradientReducer::begin()
{
    for (auto& bucket : m_buckets) {
        bucket.waiting = bucket.parameters.size();
        bucket.started = false;
    }
    m_filled.assign(m_filled.size(), 0);
    m_nextToStart = 0;
    m_open = true;
}

void GradientReducer::onGradient(size_t index, const torch::Tensor& grad)
{
    if (!m_open)
        return;
    torch::NoGradGuard noGrad;
    auto& bucket = m_buckets[m_bucketOf[index]];
    if (bucket.started)
        return; // a parameter used twice after its bucket left: cannot happen in our networks
    if (m_filled[index]) {
        m_slots[index].add_(grad);
        return;
    }
    m_slots[index].copy_(grad);
    m_filled[index] = 1;
    if (--bucket.waiting == 0)
        startReady();
}

void GradientReducer::startReady()
{
    while (m_nextToStart < m_buckets.size() && m_buckets[m_nextToStart].waiting == 0) {
        auto& bucket = m_buckets[m_nextToStart++];
        bucket.ticket = m_group.startSum(bucket.buffer);
        bucket.started = true;
    }
}

void GradientReducer::finish(const std::function<void(size_t, const torch::Tensor&)>& update)
{
    if (!m_open)
        return;
    RECORD_FUNCTION("trainbench::gradient_allreduce", std::vector<c10::IValue>());
    torch::NoGradGuard noGrad;
    // Gradients that never came (no samples on this rank) count as zero.
    for (size_t k = 0; k < m_parameters.size(); ++k) {
        if (m_filled[k])
            continue;
        m_slots[k].zero_();
        m_filled[k] = 1;
        --m_buckets[m_bucketOf[k]].waiting;
    }
    startReady();
    const double share = 1.0 / double(m_group.size());
    for (auto& bucket : m_buckets) {
        m_group.wait(bucket.ticket);
        bucket.buffer.mul_(share);
        for (size_t k : bucket.parameters)
            update(k, m_slots[k]);
    }
    m_open = false;
}

} // namespace trainbench
