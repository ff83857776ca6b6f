#include "model/splitgemm.h"

#include <ATen/Parallel.h>
#include <ATen/ThreadLocalState.h>

#include <algorithm>
#include <atomic>

namespace trainbench {

namespace {

std::atomic<bool> g_enabled{false};

/// Below this many multiply-adds a product is not worth a second thread's start.
constexpr int64_t kMinimumWork = 1 << 18;
/// Column blocks are whole multiples of an AVX-512 vector (the kernels' width).
constexpr int64_t kAlign = 16;

} // namespace

void SplitGemm::setEnabled(bool enabled)
{
    g_enabled = enabled;
}

bool SplitGemm::enabled()
{
    return g_enabled;
}

torch::Tensor SplitGemm::mm(const torch::Tensor& a, const torch::Tensor& b)
{
    return run(nullptr, a, b, nullptr, nullptr);
}

torch::Tensor SplitGemm::run(const torch::Tensor* bias, const torch::Tensor& a,
                             const torch::Tensor& b, PartFunction part, void* state)
{
    const int64_t rows = a.size(0), inner = a.size(1), columns = b.size(1);
    auto out = torch::empty({rows, columns}, a.options());
    const int64_t threads = at::get_num_threads();
    const bool split = g_enabled && threads > 1 && !at::in_parallel_region() &&
                       rows * inner * columns >= kMinimumWork && columns >= 2 * kAlign;
    const int64_t parts = split ? threads : 1;
    const int64_t width = (columns + parts - 1) / parts;
    const int64_t block = split ? (width + kAlign - 1) / kAlign * kAlign : columns;
    if (parts == 1) {
        // Whole: no views, no thread hand-over (the dispatcher's cost per op shows at batch 32).
        const torch::NoGradGuard untracked;
        if (bias)
            at::addmm_out(out, *bias, a, b);
        else
            at::mm_out(out, a, b);
        if (part)
            part(state, out, 0, columns);
        return out;
    }
    const at::ThreadLocalState callerModes;
    at::parallel_for(0, parts, 1, [&](int64_t first, int64_t last) {
        // The pool's threads take the caller's modes (inference mode, say) for their parts; the
        // callers are autograd functions of their own, so the out= products are not recorded.
        const at::ThreadLocalStateGuard modes(callerModes);
        const torch::NoGradGuard untracked;
        for (int64_t p = first; p < last; ++p) {
            const int64_t begin = p * block, end = std::min(columns, begin + block);
            if (begin >= end)
                continue;
            auto slice = out.narrow(1, begin, end - begin);
            const auto bSlice = b.narrow(1, begin, end - begin);
            if (bias)
                at::addmm_out(slice, bias->narrow(0, begin, end - begin), a, bSlice);
            else
                at::mm_out(slice, a, bSlice);
            if (part)
                part(state, out, begin, end);
        }
    });
    return out;
}

} // namespace trainbench
