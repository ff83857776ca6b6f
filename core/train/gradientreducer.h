#pragma once

#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace trainbench {

class DistributedGroup;

/// Averages gradients across the ranks of a data-parallel run (internal to core), the way
/// PyTorch's DistributedDataParallel does: parameters are packed, in the order backward produces
/// their gradients, into buckets of about `bucketBytes`; a bucket's all-reduce starts as soon as
/// backward has filled it, so communication overlaps the rest of backward. Buckets start in the
/// same order on every rank, as the collectives require.
class GradientReducer
{
public:
    /// Hooks `parameters` (all on one device, float); `group` must outlive the reducer.
    GradientReducer(std::vector<torch::Tensor> parameters, DistributedGroup& group,
                    int64_t bucketBytes = int64_t(4) << 20);
    ~GradientReducer();
    GradientReducer(const GradientReducer&) = delete;
    GradientReducer& operator=(const GradientReducer&) = delete;

    /// Call before the backward pass of a step.
    void begin();
    /// Call after it (or instead of it, on a rank with no samples in the last batch: its
    /// gradients count as zero). Starts what has not started, and calls `update` with each
    /// parameter's averaged gradient (laid out as the parameter) as its bucket arrives.
    void finish(const std::function<void(size_t, const torch::Tensor&)>& update);
    /// Buckets in use.
    size_t bucketCount() const { return m_buckets.size(); }

private:
    struct Bucket
    {
        torch::Tensor buffer;
        std::vector<size_t> parameters;
        size_t waiting = 0; ///< Gradients not yet copied in this step.
        bool started = false;
        size_t ticket = 0;
    };

    void onGradient(size_t index, const torch::Tensor& grad);
    void startReady();

    DistributedGroup& m_group;
    std::vector<torch::Tensor> m_parameters;
    std::vector<Bucket> m_buckets;
    std::vector<size_t> m_bucketOf;     ///< Bucket of each parameter.
    std::vector<torch::Tensor> m_slots; ///< Each parameter's gradient inside its bucket.
    std::vector<char> m_filled;         ///< Gradient copied in this step.
    size_t m_nextToStart = 0;
    bool m_open = false;
    std::vector<unsigned> m_hooks;
};

} // namespace trainbench
