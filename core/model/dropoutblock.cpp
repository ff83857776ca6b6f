#include "model/dropoutblock.h"

#include "model/cputargets.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/record_function.h>
#include <torch/autograd.h>

#include <cmath>
#include <cstdint>
#include <mutex>

namespace trainbench {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

/// out[i] = x[i] * scale[i] with scale[i] = 0 where hash(seed, first + i) < threshold, else
/// `keep`. The hash is MurmurHash3's 32-bit finaliser of the element's index mixed with the seed:
/// 32-bit multiplies and shifts, which vectorise.
TRAINBENCH_CPU_CLONES
void dropRange(const float* __restrict x, float* __restrict out, float* __restrict scale, int64_t n,
               uint32_t seedLow, uint32_t seedHigh, uint32_t first, uint32_t threshold, float keep)
{
    for (int64_t i = 0; i < n; ++i) {
        uint32_t h = (first + uint32_t(i)) * 0x9E3779B1u ^ seedLow;
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h ^= seedHigh;
        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        const float s = h < threshold ? 0.0f : keep;
        scale[i] = s;
        out[i] = x[i] * s;
    }
}

TRAINBENCH_CPU_CLONES
void multiply(const float* __restrict a, const float* __restrict b, float* __restrict out,
              int64_t n)
{
    for (int64_t i = 0; i < n; ++i)
        out[i] = a[i] * b[i];
}

class DropoutFunction : public torch::autograd::Function<DropoutFunction>
{
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input, double rate)
    {
        RECORD_FUNCTION("trainbench::dropout", std::vector<c10::IValue>());
        uint64_t seed;
        {
            auto generator = at::detail::getDefaultCPUGenerator();
            std::lock_guard<std::mutex> lock(generator.mutex());
            seed = generator.get<at::CPUGeneratorImpl>()->random64();
        }
        // In memory order, whatever the layout (channels-last maps stay channels-last): a dense
        // tensor's elements fill numel() floats from its data pointer.
        const auto x = input.is_non_overlapping_and_dense() ? input : input.contiguous();
        auto out = torch::empty_like(x);
        auto scale = torch::empty_like(x);
        // rate < 1 (the layer's range): the threshold fits 32 bits.
        const auto threshold = uint32_t(std::ldexp(rate, 32));
        const float keep = float(1.0 / (1.0 - rate));
        const float* in = x.data_ptr<float>();
        float* o = out.data_ptr<float>();
        float* s = scale.data_ptr<float>();
        at::parallel_for(0, x.numel(), 1 << 16, [&](int64_t begin, int64_t end) {
            dropRange(in + begin, o + begin, s + begin, end - begin, uint32_t(seed),
                      uint32_t(seed >> 32), uint32_t(begin), threshold, keep);
        });
        ctx->save_for_backward({scale});
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        const auto scale = ctx->get_saved_variables()[0];
        auto grad = grads[0];
        if (grad.strides() != scale.strides())
            grad = grad.contiguous(scale.suggest_memory_format());
        if (grad.strides() != scale.strides())
            return {grads[0] * scale, torch::Tensor()}; // a layout neither way round
        auto result = torch::empty_like(scale);
        multiply(grad.data_ptr<float>(), scale.data_ptr<float>(), result.data_ptr<float>(),
                 result.numel());
        return {result, torch::Tensor()};
    }
};

} // namespace

DropoutBlockImpl::DropoutBlockImpl(double rate) : m_rate(rate) {}

torch::Tensor DropoutBlockImpl::forward(const torch::Tensor& input)
{
    if (!is_training() || m_rate <= 0.0)
        return input;
    if (input.is_cpu() && input.scalar_type() == torch::kFloat && m_rate < 1.0 &&
        input.numel() < (int64_t(1) << 32))
        return DropoutFunction::apply(input, m_rate);
    return torch::dropout(input, m_rate, true);
}

} // namespace trainbench
