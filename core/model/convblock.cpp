#include "model/convblock.h"

#include "model/activationkernels.h"
#include "model/cputargets.h"
#include "model/tiledmaxpool.h"

#include <ATen/Parallel.h>
#include <ATen/record_function.h>
#include <torch/autograd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace trainbench {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

/// Outputs convolvePlane() computes together, in registers.
constexpr int64_t kBlock = 64;

/// Sizes of one direct convolution (stride 1). The input is copied into zero-padded planes of
/// paddedRows x rowStride. Backward works on "extended" rows of rowStride values (the last
/// kernel - 1 of each row are scratch), so that every tap is a fixed offset into the padded image
/// and one pass covers the whole plane; forward does the same on the pool's phases (phases()).
struct Geometry
{
    int64_t batch, in, height, width, filters, kernel, padTop, padLeft;
    int64_t outRows, outColumns, pool, pooledRows, pooledColumns;

    int64_t rowStride() const { return outColumns + kernel - 1; }
    int64_t paddedRows() const { return outRows + kernel - 1; }
    int64_t paddedPlane() const { return paddedRows() * rowStride(); }
    int64_t extendedPlane() const { return outRows * rowStride(); }
    int64_t pooledPlane() const { return pooledRows * pooledColumns; }
    int64_t taps() const { return in * kernel * kernel; }
    /// Padded-image floats, with slack for reads past the last plane's end.
    int64_t paddedSize() const { return batch * in * paddedPlane() + kernel + kBlock; }
    /// Offset of each tap (channel, row, column) from an output position in the padded image.
    std::vector<int64_t> tapOffsets() const
    {
        std::vector<int64_t> offsets(taps());
        const int64_t kk = kernel * kernel;
        for (int64_t t = 0; t < taps(); ++t)
            offsets[t] = (t / kk) * paddedPlane() + (t % kk / kernel) * rowStride() + t % kernel;
        return offsets;
    }
    /// The pool's phases: the forward pass convolves each of the pool x pool positions within a
    /// window as its own plane, from the padded image split the same way (rows and columns
    /// taken `pool` apart), so that pooling is an element-wise maximum of contiguous planes.
    int64_t phases() const { return pool * pool; }
    /// How far a tap reaches into the next window, in windows.
    int64_t phaseReach() const { return (pool + kernel - 2) / pool; }
    int64_t phaseWidth() const { return pooledColumns + phaseReach(); }
    int64_t phaseRows() const { return pooledRows + phaseReach(); }
    int64_t phasePlane() const { return phaseRows() * phaseWidth(); }
    /// Floats of one sample's split image: channel, row phase, column phase, row, column.
    int64_t phaseSample() const { return in * phases() * phasePlane(); }
    /// Extended outputs of one phase plane (pooledRows rows of phaseWidth).
    int64_t phaseExtended() const { return pooledRows * phaseWidth(); }
    /// Offset of each tap from an output of phase (dy, dx) in the split image.
    std::vector<int64_t> phaseTapOffsets(int64_t dy, int64_t dx) const
    {
        std::vector<int64_t> offsets(taps());
        const int64_t kk = kernel * kernel;
        for (int64_t t = 0; t < taps(); ++t) {
            const int64_t c = t / kk, ty = t % kk / kernel, tx = t % kernel;
            const int64_t a = (dy + ty) % pool, b = (dx + tx) % pool;
            offsets[t] = ((c * pool + a) * pool + b) * phasePlane() +
                         (dy + ty) / pool * phaseWidth() + (dx + tx) / pool;
        }
        return offsets;
    }
    /// Extended-plane position of pooled element (py, px) whose window winner is `winner`.
    int64_t source(int64_t py, int64_t px, int64_t winner) const
    {
        return (py * pool + winner / pool) * rowStride() + px * pool + winner % pool;
    }

    std::vector<int64_t> values() const
    {
        return {batch,   in,      height,     width, filters,    kernel,       padTop,
                padLeft, outRows, outColumns, pool,  pooledRows, pooledColumns};
    }
    static Geometry fromValues(const std::vector<int64_t>& v)
    {
        return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]};
    }
};

#if defined(__GNUC__)
/// 16 floats as one value: GCC/Clang compile arithmetic on it to the widest vectors the clone has.
typedef float Lanes __attribute__((vector_size(64)));
#endif

/// out[0, n) = bias + sum over taps t of weights[t] * image[offsets[t] + i], kBlock outputs at a
/// time kept in registers (reads up to kBlock - 1 floats past the plane: the caller's slack).
/// Even and odd taps go to separate sums, so that twice as many multiply-adds are independent of
/// each other as the block has vectors: a multiply-add waits for the one before it on its sum.
TRAINBENCH_CPU_CLONES
void convolvePlane(float* __restrict out, const float* __restrict image,
                   const int64_t* __restrict offsets, const float* __restrict weights, int64_t taps,
                   float bias, int64_t n)
{
    for (int64_t i0 = 0; i0 < n; i0 += kBlock) {
        const int64_t count = std::min(kBlock, n - i0);
#if defined(__GNUC__)
        constexpr int kVectors = kBlock / 16;
        Lanes even[kVectors], odd[kVectors];
        for (int v = 0; v < kVectors; ++v) {
            even[v] = Lanes{} + bias;
            odd[v] = Lanes{};
        }
        int64_t t = 0;
        for (; t + 1 < taps; t += 2) {
            const float* first = image + offsets[t] + i0;
            const float* second = image + offsets[t + 1] + i0;
            for (int v = 0; v < kVectors; ++v) {
                Lanes x, y;
                std::memcpy(&x, first + 16 * v, sizeof x); // unaligned loads
                std::memcpy(&y, second + 16 * v, sizeof y);
                even[v] += weights[t] * x;
                odd[v] += weights[t + 1] * y;
            }
        }
        if (t < taps) {
            const float* last = image + offsets[t] + i0;
            for (int v = 0; v < kVectors; ++v) {
                Lanes x;
                std::memcpy(&x, last + 16 * v, sizeof x);
                even[v] += weights[t] * x;
            }
        }
        for (int v = 0; v < kVectors; ++v)
            even[v] += odd[v];
        if (count == kBlock) {
            for (int v = 0; v < kVectors; ++v)
                std::memcpy(out + i0 + 16 * v, &even[v], sizeof even[v]);
        } else {
            float acc[kBlock];
            std::memcpy(acc, even, sizeof acc);
            for (int64_t l = 0; l < count; ++l)
                out[i0 + l] = acc[l];
        }
#else
        float acc[kBlock];
        for (int64_t l = 0; l < kBlock; ++l)
            acc[l] = bias;
        for (int64_t t = 0; t < taps; ++t)
            for (int64_t l = 0; l < kBlock; ++l)
                acc[l] += weights[t] * image[offsets[t] + i0 + l];
        for (int64_t l = 0; l < count; ++l)
            out[i0 + l] = acc[l];
#endif
    }
}

#if defined(__GNUC__)
/// sums[k] += dot(spread, image + offsets[k]) for the kTaps taps in `offsets`: each load of
/// `spread` feeds kTaps multiply-adds.
template <int kTaps>
__attribute__((always_inline)) inline void
dotGroup(const float* __restrict spread, const float* __restrict image,
         const int64_t* __restrict offsets, int64_t span, float* __restrict sums)
{
    Lanes acc[kTaps] = {};
    const float* rows[kTaps];
    for (int k = 0; k < kTaps; ++k)
        rows[k] = image + offsets[k];
    for (int64_t i = 0; i < span; i += 16) {
        Lanes d;
        std::memcpy(&d, spread + i, sizeof d);
        for (int k = 0; k < kTaps; ++k) {
            Lanes x;
            std::memcpy(&x, rows[k] + i, sizeof x); // unaligned load
            acc[k] += d * x;
        }
    }
    for (int k = 0; k < kTaps; ++k) {
        float total = 0.0f;
        for (int l = 0; l < 16; ++l)
            total += acc[k][l];
        sums[k] += total;
    }
}
#endif

/// sums[t] += dot(spread[0, span), image[offsets[t], offsets[t] + span)) for t in [0, taps), in
/// groups of four, three or five taps, the first of those that divides the count (one 3x3
/// channel: threes), so that no group computes taps it does not have; what is left goes one at a
/// time (reads up to span - 1 floats past each offset: the caller's slack).
TRAINBENCH_CPU_CLONES
void dotShifted(const float* __restrict spread, const float* __restrict image,
                const int64_t* __restrict offsets, int64_t taps, int64_t span,
                float* __restrict sums)
{
#if defined(__GNUC__)
    const int64_t group = taps % 4 == 0 ? 4 : taps % 3 == 0 ? 3 : taps % 5 == 0 ? 5 : 4;
    int64_t t = 0;
    for (; t + group <= taps; t += group) {
        if (group == 3)
            dotGroup<3>(spread, image, offsets + t, span, sums + t);
        else if (group == 5)
            dotGroup<5>(spread, image, offsets + t, span, sums + t);
        else
            dotGroup<4>(spread, image, offsets + t, span, sums + t);
    }
    for (; t < taps; ++t)
        dotGroup<1>(spread, image, offsets + t, span, sums + t);
#else
    for (int64_t t = 0; t < taps; ++t) {
        float total = 0.0f;
        for (int64_t i = 0; i < span; ++i)
            total += spread[i] * image[offsets[t] + i];
        sums[t] += total;
    }
#endif
}

/// The maximum over `count` planes of n values each, and which plane it came from (the first on
/// ties, as max_pool2d). Branch-free: which plane wins is noise to a branch predictor. Returns
/// how many NaNs it saw (they lose here; the caller puts them back).
TRAINBENCH_CPU_CLONES
int64_t poolPhases(const float* __restrict planes, int64_t count, int64_t n,
                   float* __restrict value, int32_t* __restrict winner)
{
    int64_t nans = 0;
    for (int64_t i = 0; i < n; ++i) {
        value[i] = planes[i];
        winner[i] = 0;
        nans += planes[i] != planes[i];
    }
    for (int64_t k = 1; k < count; ++k) {
        const float* source = planes + k * n;
        for (int64_t i = 0; i < n; ++i) {
            const float v = source[i];
            const bool take = v > value[i];
            value[i] = take ? v : value[i];
            winner[i] = take ? int32_t(k) : winner[i];
            nans += v != v;
        }
    }
    return nans;
}

class DirectConvFunction : public torch::autograd::Function<DirectConvFunction>
{
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input,
                                 const torch::Tensor& weight, const torch::Tensor& bias,
                                 int64_t padTop, int64_t padLeft, int64_t outRows,
                                 int64_t outColumns, int64_t pool, int64_t activation)
    {
        RECORD_FUNCTION("trainbench::direct_conv", std::vector<c10::IValue>());
        const auto x = input.contiguous();
        const auto wt = weight.contiguous();
        const Geometry g{x.size(0),  x.size(1),      x.size(2),        x.size(3), wt.size(0),
                         wt.size(2), padTop,         padLeft,          outRows,   outColumns,
                         pool,       outRows / pool, outColumns / pool};
        const auto act = Activation(activation);

        auto padded = torch::zeros({g.paddedSize()}, x.options());
        {
            const float* src = x.data_ptr<float>();
            float* dst = padded.data_ptr<float>();
            for (int64_t p = 0; p < g.batch * g.in; ++p)
                for (int64_t y = 0; y < g.height; ++y)
                    std::copy_n(src + (p * g.height + y) * g.width, g.width,
                                dst + p * g.paddedPlane() + (y + g.padTop) * g.rowStride() +
                                    g.padLeft);
        }
        auto out = torch::empty({g.batch, g.filters, g.pooledRows, g.pooledColumns}, x.options());
        // Each window's winner, for backward (the direct path always pools: see direct()).
        auto where = torch::empty({g.batch, g.filters, g.pooledRows, g.pooledColumns},
                                  x.options().dtype(torch::kByte));

        // The padded image split into the pool's phases (see Geometry::phases()).
        const int64_t phases = g.phases(), extended = g.phaseExtended();
        auto split =
            torch::zeros({g.batch * g.phaseSample() + g.phaseWidth() + kBlock}, x.options());
        {
            const float* src = padded.data_ptr<float>();
            float* dst = split.data_ptr<float>();
            for (int64_t p = 0; p < g.batch * g.in; ++p)
                for (int64_t a = 0; a < pool; ++a)
                    for (int64_t r = 0; r < g.phaseRows() && r * pool + a < g.paddedRows(); ++r) {
                        const float* row =
                            src + p * g.paddedPlane() + (r * pool + a) * g.rowStride();
                        for (int64_t b = 0; b < pool; ++b) {
                            float* target = dst + ((p * pool + a) * pool + b) * g.phasePlane() +
                                            r * g.phaseWidth();
                            for (int64_t q = 0; q < g.phaseWidth() && q * pool + b < g.rowStride();
                                 ++q)
                                target[q] = row[q * pool + b];
                        }
                    }
        }
        std::vector<std::vector<int64_t>> offsets;
        for (int64_t k = 0; k < phases; ++k)
            offsets.push_back(g.phaseTapOffsets(k / pool, k % pool));

        const float* in = split.data_ptr<float>();
        const float* w = wt.data_ptr<float>();
        const float* b = bias.data_ptr<float>();
        float* o = out.data_ptr<float>();
        uint8_t* winners = where.data_ptr<uint8_t>();
        at::parallel_for(0, g.batch * g.filters, 8, [&](int64_t begin, int64_t end) {
            std::vector<float> planes(phases * extended);
            std::vector<float> value(extended);
            std::vector<int32_t> winner(extended);
            for (int64_t p = begin; p < end; ++p) {
                const int64_t s = p / g.filters, f = p % g.filters;
                for (int64_t k = 0; k < phases; ++k)
                    convolvePlane(planes.data() + k * extended, in + s * g.phaseSample(),
                                  offsets[k].data(), w + f * g.taps(), g.taps(), b[f], extended);
                const int64_t nans =
                    poolPhases(planes.data(), phases, extended, value.data(), winner.data());
                float* target = o + p * g.pooledPlane();
                uint8_t* won = winners + p * g.pooledPlane();
                // From locals: a byte store may alias anything, and would make the compiler
                // reload the geometry after each one.
                const int64_t width = g.phaseWidth(), rows = g.pooledRows,
                              columns = g.pooledColumns;
                for (int64_t py = 0; py < rows; ++py) {
                    std::copy_n(value.data() + py * width, columns, target + py * columns);
                    const int32_t* from = winner.data() + py * width;
                    uint8_t* to = won + py * columns;
                    for (int64_t px = 0; px < columns; ++px)
                        to[px] = uint8_t(from[px]);
                }
                if (nans > 0) // NaN wins its window, as in max_pool2d: the first one
                    for (int64_t py = 0; py < g.pooledRows; ++py)
                        for (int64_t px = 0; px < g.pooledColumns; ++px)
                            for (int64_t k = 0; k < phases; ++k) {
                                const float v = planes[k * extended + py * g.phaseWidth() + px];
                                if (std::isnan(v)) {
                                    target[py * g.pooledColumns + px] = v;
                                    won[py * g.pooledColumns + px] = uint8_t(k);
                                    break;
                                }
                            }
                ActivationKernels::applyInPlace(target, g.pooledPlane(), act);
            }
        });

        ctx->save_for_backward({padded, wt, out, where});
        ctx->saved_data["geometry"] = g.values();
        ctx->saved_data["activation"] = activation;
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const auto& padded = saved[0];
        const auto& wt = saved[1];
        const auto& out = saved[2];
        const auto& where = saved[3];
        const Geometry g = Geometry::fromValues(ctx->saved_data["geometry"].toIntVector());
        const auto act = Activation(ctx->saved_data["activation"].toInt());

        // The gradient reaches the convolution only at the pooled maxima, times the activation's
        // slope; ReLU zeroes about half of them.
        auto delta = torch::empty_like(out);
        ActivationKernels::slopeTimes(grads[0].contiguous().data_ptr<float>(),
                                      out.data_ptr<float>(), delta.data_ptr<float>(), delta.numel(),
                                      act);
        const float* d = delta.data_ptr<float>();
        const uint8_t* winners = where.data_ptr<uint8_t>(); // the direct path always pools
        const auto offsets = g.tapOffsets();
        const float* in = padded.data_ptr<float>();
        // Nonzero gradients of plane p, compacted without branches: positions and values.
        std::vector<int64_t> winnerOffset(g.pool * g.pool);
        for (int64_t k = 0; k < g.pool * g.pool; ++k)
            winnerOffset[k] = g.source(0, 0, k);
        // (The geometry as locals: the winners are bytes, and a byte may alias anything.)
        const int64_t pool = g.pool, rows = g.pooledRows, columns = g.pooledColumns,
                      rowStride = g.rowStride(), pooledPlane = g.pooledPlane();
        const auto gather = [&, pool, rows, columns, rowStride, pooledPlane](int64_t p, int64_t* at,
                                                                             float* scale) {
            int64_t count = 0;
            const float* dq = d + p * pooledPlane;
            const uint8_t* wq = winners + p * pooledPlane;
            const int64_t* offset = winnerOffset.data();
            for (int64_t py = 0; py < rows; ++py) {
                const int64_t row = py * pool * rowStride;
                for (int64_t px = 0; px < columns; ++px) {
                    const int64_t q = py * columns + px;
                    at[count] = row + px * pool + offset[wq[q]];
                    scale[count] = dq[q];
                    count += dq[q] != 0.0f;
                }
            }
            return count;
        };

        torch::Tensor gradWeight, gradBias, gradInput;
        if (ctx->needs_input_grad(1) || ctx->needs_input_grad(2)) {
            // Weights: the gradient of filter f at tap t is the dot product of f's gradient,
            // spread back over the extended plane (zero where no pooled maximum came from), and
            // the padded image shifted by the tap's offset: contiguous rows on both sides, so it
            // vectorises. Each thread takes whole filters over all images.
            gradWeight = torch::zeros_like(wt);
            gradBias = torch::zeros({g.filters}, wt.options());
            float* gw = gradWeight.data_ptr<float>();
            float* gb = gradBias.data_ptr<float>();
            const int64_t span = (g.extendedPlane() + 15) / 16 * 16;
            at::parallel_for(0, g.filters, 1, [&](int64_t begin, int64_t end) {
                std::vector<float> spread(span, 0.0f);
                std::vector<int64_t> at(g.pooledPlane());
                std::vector<float> scale(g.pooledPlane());
                for (int64_t s = 0; s < g.batch; ++s) {
                    const float* image = in + s * g.in * g.paddedPlane();
                    for (int64_t f = begin; f < end; ++f) {
                        const int64_t count = gather(s * g.filters + f, at.data(), scale.data());
                        float sum = 0.0f;
                        for (int64_t j = 0; j < count; ++j) {
                            spread[at[j]] = scale[j];
                            sum += scale[j];
                        }
                        gb[f] += sum;
                        dotShifted(spread.data(), image, offsets.data(), g.taps(), span,
                                   gw + f * g.taps());
                        for (int64_t j = 0; j < count; ++j)
                            spread[at[j]] = 0.0f;
                    }
                }
            });
        }
        if (ctx->needs_input_grad(0)) {
            // Input: each nonzero gradient spreads over its window, weighted by the kernel.
            auto gradPadded = torch::zeros({g.paddedSize()}, wt.options());
            float* gi = gradPadded.data_ptr<float>();
            const float* w = wt.data_ptr<float>();
            at::parallel_for(0, g.batch, 1, [&](int64_t begin, int64_t end) {
                std::vector<int64_t> at(g.pooledPlane());
                std::vector<float> scale(g.pooledPlane());
                for (int64_t s = begin; s < end; ++s)
                    for (int64_t f = 0; f < g.filters; ++f) {
                        const int64_t count = gather(s * g.filters + f, at.data(), scale.data());
                        float* image = gi + s * g.in * g.paddedPlane();
                        for (int64_t j = 0; j < count; ++j)
                            for (int64_t t = 0; t < g.taps(); ++t)
                                image[at[j] + offsets[t]] += scale[j] * w[f * g.taps() + t];
                    }
            });
            gradInput = gradPadded.narrow(0, 0, g.batch * g.in * g.paddedPlane())
                            .view({g.batch, g.in, g.paddedRows(), g.rowStride()})
                            .narrow(2, g.padTop, g.height)
                            .narrow(3, g.padLeft, g.width)
                            .contiguous();
        }
        return {gradInput,       gradWeight,      gradBias,        torch::Tensor(), torch::Tensor(),
                torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

ConvBlockImpl::ConvBlockImpl(int64_t inChannels, int64_t filters, int64_t kernel, int64_t stride,
                             WindowGeometry rows, WindowGeometry columns, int64_t pool,
                             Activation activation)
    : m_kernel(kernel), m_stride(stride), m_rows(rows), m_columns(columns), m_pool(pool),
      m_activation(activation)
{
    weight = register_parameter("weight", torch::zeros({filters, inChannels, kernel, kernel}));
    bias = register_parameter("bias", torch::zeros({filters}));
}

bool ConvBlockImpl::direct(const torch::Tensor& input) const
{
    return input.is_cpu() && weight.is_cpu() && input.scalar_type() == torch::kFloat &&
           weight.scalar_type() == torch::kFloat && input.dim() == 4 && m_stride == 1 &&
           weight.size(1) * m_kernel * m_kernel <= 75 && m_pool > 1;
}

torch::Tensor ConvBlockImpl::forward(const torch::Tensor& input)
{
    if (direct(input))
        return DirectConvFunction::apply(input, weight, bias, m_rows.padBefore, m_columns.padBefore,
                                         m_rows.output, m_columns.output, m_pool,
                                         int64_t(m_activation));
    auto x = input;
    int64_t padRows = m_rows.padBefore, padColumns = m_columns.padBefore;
    if (m_rows.padBefore != m_rows.padAfter || m_columns.padBefore != m_columns.padAfter) {
        x = torch::constant_pad_nd(
            x, {m_columns.padBefore, m_columns.padAfter, m_rows.padBefore, m_rows.padAfter});
        padRows = padColumns = 0;
    }
    // On the CPU, oneDNN convolves channels-last maps without reordering them, and BatchNorm,
    // ReLU, pooling and dropout keep that layout: the maps stay channels-last from here on.
    // The values are those of the NCHW computation; only their order in memory differs.
    if (x.is_cpu() && x.dim() == 4 && weight.size(1) > 1) {
        x = x.contiguous(at::MemoryFormat::ChannelsLast);
    } else if (x.is_cpu() && x.dim() == 4 && x.is_contiguous()) {
        // One channel: NCHW and channels-last are the same memory, but oneDNN takes its layout
        // from the strides, and its NCHW path for one input channel is a slow one. The same
        // memory with channels-last strides (a view, no copy; its backward is a view too), so
        // the output comes channels-last as well.
        x = x.view({x.size(0), x.size(2), x.size(3), 1}).permute({0, 3, 1, 2});
    }
    x = torch::conv2d(x, weight, bias, m_stride, torch::IntArrayRef{padRows, padColumns});
    if (m_pool > 1)
        x = tiledMaxPool(x, m_pool);
    return ActivationKernels::applyOp(x, m_activation);
}

} // namespace trainbench
