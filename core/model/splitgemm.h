#pragma once

#include <torch/types.h>

namespace trainbench {

/// Matrix products of the Dense layers split by output columns across libtorch's pool, each part
/// a single-threaded BLAS call (internal to core). With the BLAS at one thread and the pool at
/// all cores, one pool serves both the layers' loops and their GEMMs: OpenBLAS's own threads
/// synchronise by spinning and yielding, which cost more than the work at batch sizes like 32.
class SplitGemm
{
public:
    /// Turns the split on or off for the whole process (ThreadSetup decides: on only where the
    /// BLAS is held at one thread, so parts never start threads of their own).
    static void setEnabled(bool enabled);
    /// Whether products split now.
    static bool enabled();
    /// a x b for 2-D float CPU matrices (any strides), as a new contiguous tensor.
    static torch::Tensor mm(const torch::Tensor& a, const torch::Tensor& b);
    /// bias + a x b (bias broadcast over rows), then `perPart` on each finished column block
    /// [begin, end) of the result, in the thread that computed it, while it is still in cache.
    template <typename PerPart>
    static torch::Tensor addmm(const torch::Tensor& bias, const torch::Tensor& a,
                               const torch::Tensor& b, PerPart perPart);

private:
    using PartFunction = void (*)(void* state, torch::Tensor& out, int64_t begin, int64_t end);
    static torch::Tensor run(const torch::Tensor* bias, const torch::Tensor& a,
                             const torch::Tensor& b, PartFunction part, void* state);
};

template <typename PerPart>
torch::Tensor SplitGemm::addmm(const torch::Tensor& bias, const torch::Tensor& a,
                               const torch::Tensor& b, PerPart perPart)
{
    return run(
        &bias, a, b,
        [](void* state, torch::Tensor& out, int64_t begin, int64_t end) {
            (*static_cast<PerPart*>(state))(out, begin, end);
        },
        &perPart);
}

} // namespace trainbench
