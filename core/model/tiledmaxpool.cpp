#include "model/tiledmaxpool.h"

#include <ATen/Parallel.h>
#include <torch/autograd.h>
#include <torch/nn/functional/pooling.h>

#include <cmath>
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

} // namespace

torch::Tensor tiledMaxPool(const torch::Tensor& input, int64_t size)
{
    // Channels-last maps (the general convolution's output) go to libtorch's channels-last
    // pool, which reads them in place; the tiled pool would first copy them back to NCHW.
    if (input.is_cpu() && input.scalar_type() == torch::kFloat && input.dim() == 4 &&
        !(input.size(1) > 1 && input.is_contiguous(at::MemoryFormat::ChannelsLast)))
        return TiledMaxPoolFunction::apply(input, size);
    return torch::max_pool2d(input, size, size);
}

torch::Tensor TiledMaxPoolImpl::forward(const torch::Tensor& input)
{
    return tiledMaxPool(input, m_size);
}

} // namespace trainbench
