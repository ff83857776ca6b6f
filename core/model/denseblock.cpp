#include "model/denseblock.h"

#include "model/activationkernels.h"
#include "model/splitgemm.h"

#include <ATen/record_function.h>
#include <torch/autograd.h>

namespace trainbench {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

/// activation(input x weight^T + bias) as a new tensor.
torch::Tensor affineActivated(const torch::Tensor& input, const torch::Tensor& weight,
                              const torch::Tensor& bias, Activation activation)
{
    return SplitGemm::addmm(
        bias, input, weight.t(), [activation](torch::Tensor& out, int64_t begin, int64_t end) {
            float* v = out.data_ptr<float>();
            const int64_t columns = out.size(1);
            if (begin == 0 && end == columns) // the whole output: one contiguous run
                return ActivationKernels::applyInPlace(v, out.numel(), activation);
            for (int64_t row = 0; row < out.size(0); ++row)
                ActivationKernels::applyInPlace(v + row * columns + begin, end - begin, activation);
        });
}

class DenseFunction : public torch::autograd::Function<DenseFunction>
{
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input,
                                 const torch::Tensor& weight, const torch::Tensor& bias,
                                 int64_t activation)
    {
        RECORD_FUNCTION("trainbench::dense", std::vector<c10::IValue>());
        auto out = affineActivated(input, weight, bias, Activation(activation));
        // The output only for the activation's slope: saved, it would forbid in-place changes.
        ctx->save_for_backward(
            {input, weight, Activation(activation) == Activation::None ? torch::Tensor() : out});
        ctx->saved_data["activation"] = activation;
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        RECORD_FUNCTION("trainbench::dense_backward", std::vector<c10::IValue>());
        const auto saved = ctx->get_saved_variables();
        const auto& input = saved[0];
        const auto& weight = saved[1];
        const auto& out = saved[2];
        const auto activation = Activation(ctx->saved_data["activation"].toInt());
        auto delta = grads[0].contiguous();
        if (activation != Activation::None) {
            auto slope = torch::empty_like(out);
            ActivationKernels::slopeTimes(delta.data_ptr<float>(), out.data_ptr<float>(),
                                          slope.data_ptr<float>(), slope.numel(), activation);
            delta = slope;
        }
        torch::Tensor gradInput, gradWeight, gradBias;
        if (ctx->needs_input_grad(0))
            gradInput = SplitGemm::mm(delta, weight);
        if (ctx->needs_input_grad(1))
            gradWeight =
                SplitGemm::mm(delta.t(), input); // (units, inputs), contiguous like the weight
        if (ctx->needs_input_grad(2))
            gradBias = delta.sum(0);
        return {gradInput, gradWeight, gradBias, torch::Tensor()};
    }
};

} // namespace

DenseBlockImpl::DenseBlockImpl(int64_t inputs, int64_t units, Activation activation)
    : m_activation(activation)
{
    weight = register_parameter("weight", torch::zeros({units, inputs}));
    bias = register_parameter("bias", torch::zeros({units}));
}

torch::Tensor DenseBlockImpl::forward(const torch::Tensor& input)
{
    const bool cpu = input.is_cpu() && weight.is_cpu() && input.scalar_type() == torch::kFloat &&
                     weight.scalar_type() == torch::kFloat && input.dim() == 2;
    if (cpu) {
        const auto x = input.contiguous();
        const bool tracked = torch::GradMode::is_enabled() &&
                             (x.requires_grad() || weight.requires_grad() || bias.requires_grad());
        if (!tracked)
            return affineActivated(x, weight, bias, m_activation);
        return DenseFunction::apply(x, weight, bias, int64_t(m_activation));
    }
    auto y = torch::linear(input, weight, bias);
    return ActivationKernels::applyOp(y, m_activation);
}

} // namespace trainbench
