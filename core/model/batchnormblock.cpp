#include "model/batchnormblock.h"

#include "model/activationkernels.h"
#include "model/cputargets.h"

#include <ATen/Parallel.h>
#include <ATen/record_function.h>
#include <torch/autograd.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace trainbench {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

/// How a map's values are laid out: `outer` blocks of `channels` x `inner` (NCHW: outer = N,
/// inner = H x W), or rows of `channels` (channels-last maps and [N, C] rows: inner = 1).
struct Layout
{
    int64_t outer = 0;
    int64_t channels = 0;
    int64_t inner = 0;
    bool planes() const { return inner > 1; }
    int64_t count() const { return outer * inner; } ///< Values per channel.

    static Layout of(const torch::Tensor& x)
    {
        Layout l;
        l.channels = x.size(1);
        const int64_t spatial = x.dim() == 4 ? x.size(2) * x.size(3) : 1;
        if (x.dim() == 4 && x.is_contiguous() && !x.is_contiguous(at::MemoryFormat::ChannelsLast)) {
            l.outer = x.size(0);
            l.inner = spatial;
        } else { // channels-last, or 2-D rows, or a map that is both (1x1 or one channel)
            l.outer = x.size(0) * spatial;
            l.inner = 1;
        }
        return l;
    }
};

/// The ReLU before the normalisation as max(x, floor): 0 with it, -infinity (x itself) without.
/// Its slope is x > 0, so with it the backward pass masks with that comparison (without it, not
/// at all: NaN and infinite inputs keep their gradients, as in libtorch).
float floorOf(bool relu)
{
    return relu ? 0.0f : -std::numeric_limits<float>::infinity();
}

// The statistics are sums of x - k and of its squares, k one of the channel's own values: the
// variance is then their difference without the cancellation that ruins E[x^2] - E[x]^2 in
// float when the mean is large against the spread.

/// Sums of a plane's x - k and of their squares, in float lanes (vectorised), added in double.
TRAINBENCH_CPU_CLONES
void planeSums(const float* __restrict x, int64_t n, float floor, float k, double& sum,
               double& squares)
{
    float s = 0.0f, q = 0.0f;
    for (int64_t i = 0; i < n; ++i) {
        const float d = std::max(x[i], floor) - k;
        s += d;
        q += d * d;
    }
    sum += s;
    squares += q;
}

/// Per-channel sums of x - k and their squares over rows of `channels` values.
TRAINBENCH_CPU_CLONES
void rowSums(const float* __restrict x, int64_t rows, int64_t channels, float floor,
             const float* __restrict k, float* __restrict sum, float* __restrict squares)
{
    for (int64_t r = 0; r < rows; ++r) {
        const float* row = x + r * channels;
        for (int64_t c = 0; c < channels; ++c) {
            const float d = std::max(row[c], floor) - k[c];
            sum[c] += d;
            squares[c] += d * d;
        }
    }
}

/// Per-channel sums of g and of g x (x - mean), x - mean taken as (x - k) - offset, for rows of
/// `channels` values.
TRAINBENCH_CPU_CLONES
void rowGradientSums(const float* __restrict g, const float* __restrict x, int64_t rows,
                     int64_t channels, float floor, const float* __restrict k,
                     const float* __restrict offset, float* __restrict sumG,
                     float* __restrict sumGX)
{
    for (int64_t r = 0; r < rows; ++r) {
        const float* gr = g + r * channels;
        const float* xr = x + r * channels;
        for (int64_t c = 0; c < channels; ++c) {
            sumG[c] += gr[c];
            sumGX[c] += gr[c] * ((std::max(xr[c], floor) - k[c]) - offset[c]);
        }
    }
}

TRAINBENCH_CPU_CLONES
void planeGradientSums(const float* __restrict g, const float* __restrict x, int64_t n, float floor,
                       float k, float offset, double& sumG, double& sumGX)
{
    float s = 0.0f, q = 0.0f;
    for (int64_t i = 0; i < n; ++i) {
        s += g[i];
        q += g[i] * ((std::max(x[i], floor) - k) - offset);
    }
    sumG += s;
    sumGX += q;
}

/// out = (x - k) * scale + shift per channel, for rows of `channels` values.
TRAINBENCH_CPU_CLONES
void rowAffine(const float* __restrict x, float* __restrict out, int64_t rows, int64_t channels,
               float floor, const float* __restrict k, const float* __restrict scale,
               const float* __restrict shift)
{
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < channels; ++c)
            out[r * channels + c] =
                (std::max(x[r * channels + c], floor) - k[c]) * scale[c] + shift[c];
}

/// The same for one NCHW plane, written into channels-last rows (every `channels`-th float).
TRAINBENCH_CPU_CLONES
void planeAffineToRows(const float* __restrict plane, float* __restrict out, int64_t inner,
                       int64_t channels, float floor, float k, float scale, float shift)
{
    for (int64_t i = 0; i < inner; ++i)
        out[i * channels] = (std::max(plane[i], floor) - k) * scale + shift;
}

/// out = g * gScale + (x - k) * xScale + shift per channel (the input gradient), for rows.
TRAINBENCH_CPU_CLONES
void rowGradient(const float* __restrict g, const float* __restrict x, float* __restrict out,
                 int64_t rows, int64_t channels, bool mask, float floor, const float* __restrict k,
                 const float* __restrict xScale, const float* __restrict gScale,
                 const float* __restrict shift)
{
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < channels; ++c) {
            const float v = x[r * channels + c];
            const float d = g[r * channels + c] * gScale[c] +
                            (std::max(v, floor) - k[c]) * xScale[c] + shift[c];
            out[r * channels + c] = mask && !(v > floor) ? 0.0f : d;
        }
}

TRAINBENCH_CPU_CLONES
void planeGradient(const float* __restrict g, const float* __restrict x, float* __restrict out,
                   int64_t n, bool mask, float floor, float k, float xScale, float gScale,
                   float shift)
{
    for (int64_t i = 0; i < n; ++i) {
        const float d = g[i] * gScale + (std::max(x[i], floor) - k) * xScale + shift;
        out[i] = mask && !(x[i] > floor) ? 0.0f : d;
    }
}

/// Per-channel sums over a layout: for planes, parallel over channels; for rows, over blocks of
/// rows, each with its own partial sums, added up in block order (the same on any thread count).
template <typename PlaneSum, typename RowSum>
void channelSums(const Layout& l, std::vector<double>& first, std::vector<double>& second,
                 PlaneSum plane, RowSum rows)
{
    first.assign(size_t(l.channels), 0.0);
    second.assign(size_t(l.channels), 0.0);
    if (l.planes()) {
        at::parallel_for(0, l.channels, 1, [&](int64_t begin, int64_t end) {
            for (int64_t c = begin; c < end; ++c)
                for (int64_t o = 0; o < l.outer; ++o)
                    plane(o, c, first[size_t(c)], second[size_t(c)]);
        });
        return;
    }
    constexpr int64_t kBlock = 256; // rows per partial sum: float sums stay accurate
    const int64_t blocks = (l.outer + kBlock - 1) / kBlock;
    std::vector<float> partial(size_t(blocks * l.channels * 2), 0.0f);
    at::parallel_for(0, blocks, 1, [&](int64_t begin, int64_t end) {
        for (int64_t b = begin; b < end; ++b) {
            float* f = partial.data() + b * l.channels * 2;
            const int64_t first = b * kBlock;
            rows(first, std::min(l.outer, first + kBlock) - first, f, f + l.channels);
        }
    });
    for (int64_t b = 0; b < blocks; ++b)
        for (int64_t c = 0; c < l.channels; ++c) {
            first[size_t(c)] += partial[size_t((b * 2) * l.channels + c)];
            second[size_t(c)] += partial[size_t((b * 2 + 1) * l.channels + c)];
        }
}

class BatchNormFunction : public torch::autograd::Function<BatchNormFunction>
{
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input,
                                 const torch::Tensor& weight, const torch::Tensor& bias,
                                 torch::Tensor runningMean, torch::Tensor runningVar,
                                 double epsilon, double momentum, bool relu)
    {
        RECORD_FUNCTION("trainbench::batch_norm", std::vector<c10::IValue>());
        const auto l = Layout::of(input);
        const float floor = floorOf(relu);
        const float* x = input.data_ptr<float>();
        std::vector<float> k(size_t(l.channels)); // each channel's first value
        for (int64_t c = 0; c < l.channels; ++c)
            k[size_t(c)] = std::max(x[l.planes() ? c * l.inner : c], floor);
        std::vector<double> sum, squares;
        channelSums(
            l, sum, squares,
            [&](int64_t o, int64_t c, double& s, double& q) {
                planeSums(x + (o * l.channels + c) * l.inner, l.inner, floor, k[size_t(c)], s, q);
            },
            [&](int64_t first, int64_t rows, float* s, float* q) {
                rowSums(x + first * l.channels, rows, l.channels, floor, k.data(), s, q);
            });
        const double count = double(l.count());
        // The mean is kept as k + offset: x - mean is then (x - k) - offset, exact where the
        // mean is large against the spread.
        auto centre = torch::from_blob(k.data(), {l.channels}, input.options()).clone();
        auto offset = torch::empty({l.channels}, input.options());
        auto invStd = torch::empty({l.channels}, input.options());
        std::vector<float> scale(size_t(l.channels)), shift(size_t(l.channels));
        const float* gamma = weight.data_ptr<float>();
        const float* beta = bias.data_ptr<float>();
        {
            const torch::NoGradGuard untracked;
            float* off = offset.data_ptr<float>();
            float* s = invStd.data_ptr<float>();
            float* rm = runningMean.data_ptr<float>();
            float* rv = runningVar.data_ptr<float>();
            for (int64_t c = 0; c < l.channels; ++c) {
                const double shifted = sum[size_t(c)] / count;
                const double mu = k[size_t(c)] + shifted;
                const double var = std::max(0.0, squares[size_t(c)] / count - shifted * shifted);
                off[c] = float(shifted);
                s[c] = float(1.0 / std::sqrt(var + epsilon));
                scale[size_t(c)] = gamma[c] * s[c];
                shift[size_t(c)] = float(beta[c] - shifted * scale[size_t(c)]);
                rm[c] = float((1.0 - momentum) * rm[c] + momentum * mu);
                const double unbiased = count > 1 ? var * count / (count - 1.0) : var;
                rv[c] = float((1.0 - momentum) * rv[c] + momentum * unbiased);
            }
        }
        // Maps leave channels-last; [N, C] rows stay rows.
        auto out = input.dim() == 4 ? torch::empty_like(input, at::MemoryFormat::ChannelsLast)
                                    : torch::empty_like(input);
        float* y = out.data_ptr<float>();
        if (l.planes()) {
            // By image, all its channels in one task: tasks split by channel would write
            // interleaved floats of the same channels-last rows.
            at::parallel_for(0, l.outer, 1, [&](int64_t begin, int64_t end) {
                for (int64_t o = begin; o < end; ++o)
                    for (int64_t c = 0; c < l.channels; ++c)
                        planeAffineToRows(x + (o * l.channels + c) * l.inner,
                                          y + o * l.inner * l.channels + c, l.inner, l.channels,
                                          floor, k[size_t(c)], scale[size_t(c)], shift[size_t(c)]);
            });
        } else {
            at::parallel_for(0, l.outer, 64, [&](int64_t begin, int64_t end) {
                rowAffine(x + begin * l.channels, y + begin * l.channels, end - begin, l.channels,
                          floor, k.data(), scale.data(), shift.data());
            });
        }
        ctx->save_for_backward({input, weight, centre, offset, invStd});
        ctx->saved_data["relu"] = relu;
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        RECORD_FUNCTION("trainbench::batch_norm_backward", std::vector<c10::IValue>());
        const auto saved = ctx->get_saved_variables();
        const auto& input = saved[0];
        const auto& weight = saved[1];
        const float* k = saved[2].data_ptr<float>();
        const float* offset = saved[3].data_ptr<float>();
        const float* invStd = saved[4].data_ptr<float>();
        const auto l = Layout::of(input);
        const bool relu = ctx->saved_data["relu"].toBool();
        const float floor = floorOf(relu);
        // The gradient in the input's memory order (as Layout read it), so both are read in
        // one sweep; the output was channels-last, so a gradient usually arrives that way.
        const auto g =
            grads[0].contiguous(l.planes() || input.dim() == 2 ? at::MemoryFormat::Contiguous
                                                               : at::MemoryFormat::ChannelsLast);
        const float* gp = g.data_ptr<float>();
        const float* x = input.data_ptr<float>();
        std::vector<double> sumG, sumGX;
        channelSums(
            l, sumG, sumGX,
            [&](int64_t o, int64_t c, double& s, double& q) {
                const int64_t at = (o * l.channels + c) * l.inner;
                planeGradientSums(gp + at, x + at, l.inner, floor, k[c], offset[c], s, q);
            },
            [&](int64_t first, int64_t rows, float* s, float* q) {
                rowGradientSums(gp + first * l.channels, x + first * l.channels, rows, l.channels,
                                floor, k, offset, s, q);
            });
        const double count = double(l.count());
        const float* gamma = weight.data_ptr<float>();
        auto gradWeight = torch::empty_like(weight);
        auto gradBias = torch::empty_like(weight);
        // dx = gamma * invstd * (g - sumG / n - (x - mean) * invstd^2 * sumGX / n)
        //    = g * gScale + (x - k) * xScale + shift, with x - mean = (x - k) - offset.
        std::vector<float> gScale(size_t(l.channels)), xScale(size_t(l.channels)),
            shift(size_t(l.channels));
        for (int64_t c = 0; c < l.channels; ++c) {
            const double scaleC = double(gamma[c]) * invStd[c];
            const double slope = double(invStd[c]) * invStd[c] * sumGX[size_t(c)] / count;
            gScale[size_t(c)] = float(scaleC);
            xScale[size_t(c)] = float(-scaleC * slope);
            shift[size_t(c)] = float(scaleC * (slope * offset[c] - sumG[size_t(c)] / count));
            gradWeight.data_ptr<float>()[c] = float(sumGX[size_t(c)] * invStd[c]);
            gradBias.data_ptr<float>()[c] = float(sumG[size_t(c)]);
        }
        auto gradInput = torch::empty_like(input);
        float* gi = gradInput.data_ptr<float>();
        if (l.planes()) {
            at::parallel_for(0, l.outer * l.channels, 1, [&](int64_t begin, int64_t end) {
                for (int64_t p = begin; p < end; ++p) {
                    const int64_t c = p % l.channels;
                    planeGradient(gp + p * l.inner, x + p * l.inner, gi + p * l.inner, l.inner,
                                  relu, floor, k[c], xScale[size_t(c)], gScale[size_t(c)],
                                  shift[size_t(c)]);
                }
            });
        } else {
            at::parallel_for(0, l.outer, 64, [&](int64_t begin, int64_t end) {
                rowGradient(gp + begin * l.channels, x + begin * l.channels,
                            gi + begin * l.channels, end - begin, l.channels, relu, floor, k,
                            xScale.data(), gScale.data(), shift.data());
            });
        }
        return {gradInput,       gradWeight,      gradBias,        torch::Tensor(),
                torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

BatchNormBlockImpl::BatchNormBlockImpl(int64_t channels, double epsilon, double momentum,
                                       Activation before)
    : m_epsilon(epsilon), m_momentum(momentum), m_before(before)
{
    TORCH_CHECK(before == Activation::None || before == Activation::ReLU,
                "BatchNormBlock applies a ReLU before it or nothing");
    weight = register_parameter("weight", torch::ones({channels}));
    bias = register_parameter("bias", torch::zeros({channels}));
    runningMean = register_buffer("running_mean", torch::zeros({channels}));
    runningVar = register_buffer("running_var", torch::ones({channels}));
    batchesSeen = register_buffer("num_batches_tracked", torch::zeros({}, torch::kLong));
}

torch::Tensor BatchNormBlockImpl::forward(const torch::Tensor& input)
{
    if (is_training()) {
        // As libtorch's BatchNorm module: one value per channel has no variance to normalise by.
        TORCH_CHECK(input.dim() < 2 || input.size(1) == 0 || input.numel() / input.size(1) != 1,
                    "Expected more than 1 value per channel when training, got input size ",
                    input.sizes());
        const torch::NoGradGuard untracked;
        batchesSeen += 1;
    }
    const bool fused = is_training() && input.is_cpu() && input.scalar_type() == torch::kFloat &&
                       weight.scalar_type() == torch::kFloat &&
                       (input.dim() == 4 || input.dim() == 2) && input.numel() > 0;
    if (!fused)
        return torch::batch_norm(ActivationKernels::applyOp(input, m_before), weight, bias,
                                 runningMean, runningVar, is_training(), m_momentum, m_epsilon,
                                 at::globalContext().userEnabledCuDNN());
    // The kernels read the input in one of two memory orders: NCHW planes or channels-last rows.
    auto x = input;
    if (!(x.is_contiguous() || (x.dim() == 4 && x.is_contiguous(at::MemoryFormat::ChannelsLast))))
        x = x.contiguous();
    return BatchNormFunction::apply(x, weight, bias, runningMean, runningVar, m_epsilon, m_momentum,
                                    m_before == Activation::ReLU);
}

} // namespace trainbench
