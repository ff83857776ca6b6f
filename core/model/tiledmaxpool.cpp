#include "model/tiledmaxpool.h"

#include "model/cputargets.h"

#include <ATen/Parallel.h>
#include <ATen/record_function.h>
#include <torch/autograd.h>
#include <torch/nn/functional/pooling.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace trainbench {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

class TiledMaxPoolFunction : public torch::autograd::Function<TiledMaxPoolFunction>
{
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input, int64_t k)
    {
        const auto x = input.contiguous();
        const int64_t planes = x.size(0) * x.size(1);
        const int64_t h = x.size(2), w = x.size(3);
        const int64_t oh = h / k, ow = w / k;
        auto out = torch::empty({x.size(0), x.size(1), oh, ow}, x.options());
        auto where = torch::empty({x.size(0), x.size(1), oh, ow}, x.options().dtype(torch::kInt));
        const float* in = x.data_ptr<float>();
        float* o = out.data_ptr<float>();
        int32_t* idx = where.data_ptr<int32_t>();
        at::parallel_for(0, planes, 16, [&](int64_t begin, int64_t end) {
            for (int64_t p = begin; p < end; ++p) {
                const float* plane = in + p * h * w;
                for (int64_t y = 0; y < oh; ++y)
                    for (int64_t xo = 0; xo < ow; ++xo) {
                        int32_t best = int32_t(y * k * w + xo * k);
                        float value = plane[best];
                        for (int64_t dy = 0; dy < k; ++dy)
                            for (int64_t dx = 0; dx < k; ++dx) {
                                const int32_t at = int32_t((y * k + dy) * w + xo * k + dx);
                                const float v = plane[at];
                                if (v > value || std::isnan(v)) {
                                    value = v;
                                    best = at;
                                }
                            }
                        o[(p * oh + y) * ow + xo] = value;
                        idx[(p * oh + y) * ow + xo] = best;
                    }
            }
        });
        ctx->save_for_backward({where});
        ctx->saved_data["h"] = h;
        ctx->saved_data["w"] = w;
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        const auto where = ctx->get_saved_variables()[0];
        const int64_t h = ctx->saved_data["h"].toInt();
        const int64_t w = ctx->saved_data["w"].toInt();
        const auto g = grads[0].contiguous();
        auto gradInput = torch::zeros({g.size(0), g.size(1), h, w}, g.options());
        const int64_t planes = g.size(0) * g.size(1);
        const int64_t outPlane = g.size(2) * g.size(3);
        const float* gp = g.data_ptr<float>();
        const int32_t* idx = where.data_ptr<int32_t>();
        float* gi = gradInput.data_ptr<float>();
        at::parallel_for(0, planes, 16, [&](int64_t begin, int64_t end) {
            for (int64_t p = begin; p < end; ++p)
                for (int64_t j = 0; j < outPlane; ++j)
                    gi[p * h * w + idx[p * outPlane + j]] =
                        gp[p * outPlane + j]; // windows never overlap
        });
        return {gradInput, torch::Tensor()};
    }
};

/// One output row of a channels-last pool: for each window and channel the maximum (NaN wins,
/// as in libtorch) and the window position it came from. `in` is the window row's first input
/// row; rows are `rowStride` floats apart, pixels `channels`.
TRAINBENCH_CPU_CLONES
void poolRowChannelsLast(const float* __restrict in, float* __restrict out,
                         uint8_t* __restrict winner, int64_t outWidth, int64_t k, int64_t rowStride,
                         int64_t channels)
{
    for (int64_t ox = 0; ox < outWidth; ++ox) {
        float* o = out + ox * channels;
        uint8_t* w = winner + ox * channels;
        const float* first = in + ox * k * channels;
        for (int64_t c = 0; c < channels; ++c) {
            o[c] = first[c];
            w[c] = 0;
        }
        for (int64_t dy = 0; dy < k; ++dy)
            for (int64_t dx = 0; dx < k; ++dx) {
                if (dy == 0 && dx == 0)
                    continue;
                const float* v = first + dy * rowStride + dx * channels;
                const auto position = uint8_t(dy * k + dx);
                for (int64_t c = 0; c < channels; ++c) {
                    const bool wins = v[c] > o[c] || v[c] != v[c];
                    o[c] = wins ? v[c] : o[c];
                    w[c] = wins ? position : w[c];
                }
            }
    }
}

/// The gradient of one output row's windows, written to every input value they cover (the
/// winner gets the output's gradient, the rest 0), so no separate zeroing pass is needed.
TRAINBENCH_CPU_CLONES
void unpoolRowChannelsLast(const float* __restrict grad, const uint8_t* __restrict winner,
                           float* __restrict gradIn, int64_t outWidth, int64_t k, int64_t rowStride,
                           int64_t channels)
{
    for (int64_t ox = 0; ox < outWidth; ++ox) {
        const float* g = grad + ox * channels;
        const uint8_t* w = winner + ox * channels;
        for (int64_t dy = 0; dy < k; ++dy)
            for (int64_t dx = 0; dx < k; ++dx) {
                float* gi = gradIn + dy * rowStride + (ox * k + dx) * channels;
                const auto position = uint8_t(dy * k + dx);
                for (int64_t c = 0; c < channels; ++c)
                    gi[c] = w[c] == position ? g[c] : 0.0f;
            }
    }
}

/// The tiled pool on channels-last maps, read in place: libtorch's channels-last max_pool2d
/// keeps 64-bit indices and its backward zeroes the whole input gradient before scattering.
class ChannelsLastPoolFunction : public torch::autograd::Function<ChannelsLastPoolFunction>
{
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input, int64_t k)
    {
        RECORD_FUNCTION("trainbench::max_pool", std::vector<c10::IValue>());
        const int64_t n = input.size(0), c = input.size(1), h = input.size(2), w = input.size(3);
        const int64_t oh = h / k, ow = w / k;
        const auto cl = at::MemoryFormat::ChannelsLast;
        auto out = torch::empty({n, c, oh, ow}, input.options().memory_format(cl));
        auto winner =
            torch::empty({n, c, oh, ow}, input.options().dtype(torch::kUInt8).memory_format(cl));
        const float* in = input.data_ptr<float>();
        float* o = out.data_ptr<float>();
        uint8_t* win = winner.data_ptr<uint8_t>();
        at::parallel_for(0, n * oh, 4, [&](int64_t begin, int64_t end) {
            for (int64_t r = begin; r < end; ++r) {
                const int64_t image = r / oh, oy = r % oh;
                poolRowChannelsLast(in + ((image * h + oy * k) * w) * c, o + r * ow * c,
                                    win + r * ow * c, ow, k, w * c, c);
            }
        });
        ctx->save_for_backward({winner});
        ctx->saved_data["h"] = h;
        ctx->saved_data["w"] = w;
        ctx->saved_data["k"] = k;
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        RECORD_FUNCTION("trainbench::max_pool_backward", std::vector<c10::IValue>());
        const auto winner = ctx->get_saved_variables()[0];
        const int64_t h = ctx->saved_data["h"].toInt(), w = ctx->saved_data["w"].toInt();
        const int64_t k = ctx->saved_data["k"].toInt();
        const auto cl = at::MemoryFormat::ChannelsLast;
        const auto g = grads[0].contiguous(cl);
        const int64_t n = g.size(0), c = g.size(1), oh = g.size(2), ow = g.size(3);
        // Rows and columns past the last whole window (7 rows pooled by 2) get no gradient.
        // (torch::zeros drops a memory format: empty, then zeroed.)
        auto gradInput = torch::empty({n, c, h, w}, g.options().memory_format(cl));
        if (oh * k != h || ow * k != w)
            gradInput.zero_();
        const float* gp = g.data_ptr<float>();
        const uint8_t* win = winner.data_ptr<uint8_t>();
        float* gi = gradInput.data_ptr<float>();
        at::parallel_for(0, n * oh, 4, [&](int64_t begin, int64_t end) {
            for (int64_t r = begin; r < end; ++r) {
                const int64_t image = r / oh, oy = r % oh;
                unpoolRowChannelsLast(gp + r * ow * c, win + r * ow * c,
                                      gi + ((image * h + oy * k) * w) * c, ow, k, w * c, c);
            }
        });
        return {gradInput, torch::Tensor()};
    }
};

} // namespace

torch::Tensor tiledMaxPool(const torch::Tensor& input, int64_t size)
{
    if (input.is_cpu() && input.scalar_type() == torch::kFloat && input.dim() == 4) {
        // Channels-last maps (convolutions' and BatchNorm's output) are pooled in place: a copy
        // back to NCHW would cost more than the pool.
        if (input.size(1) > 1 && input.is_contiguous(at::MemoryFormat::ChannelsLast)) {
            // Per window the channels are one vector loop: from 32 channels on it beats
            // libtorch's pool (with fewer the loop's set-up shows; those go to libtorch's).
            if (input.size(1) >= 32 && size <= 16)
                return ChannelsLastPoolFunction::apply(input, size);
            return torch::max_pool2d(input, size, size);
        }
        return TiledMaxPoolFunction::apply(input, size);
    }
    return torch::max_pool2d(input, size, size);
}

torch::Tensor TiledMaxPoolImpl::forward(const torch::Tensor& input)
{
    return tiledMaxPool(input, m_size);
}

} // namespace trainbench
