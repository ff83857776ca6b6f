#include "train/softmaxcrossentropy.h"

#include <ATen/record_function.h>
#include <torch/autograd.h>
#include <torch/nn/functional/loss.h>

#include <cmath>

namespace trainbench {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

class LossFunction : public torch::autograd::Function<LossFunction>
{
public:
    /// Returns the mean loss; `hits` receives the arg-max hit count (not differentiable).
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& logits,
                                 const torch::Tensor& labels, torch::Tensor hits)
    {
        RECORD_FUNCTION("trainbench::softmax_cross_entropy", std::vector<c10::IValue>());
        const int64_t n = logits.size(0), classes = logits.size(1);
        auto softmax = torch::empty_like(logits);
        const float* z = logits.data_ptr<float>();
        const int64_t* y = labels.data_ptr<int64_t>();
        float* p = softmax.data_ptr<float>();
        double total = 0.0;
        int64_t correct = 0;
        for (int64_t i = 0; i < n; ++i) {
            const float* row = z + i * classes;
            int64_t best = 0;
            for (int64_t c = 1; c < classes; ++c)
                if (row[c] > row[best] || std::isnan(row[c]))
                    best = std::isnan(row[best]) ? best : c;
            const float top = row[best];
            double sum = 0.0;
            for (int64_t c = 0; c < classes; ++c) {
                p[i * classes + c] = std::exp(row[c] - top);
                sum += p[i * classes + c];
            }
            const float scale = float(1.0 / sum);
            for (int64_t c = 0; c < classes; ++c)
                p[i * classes + c] *= scale;
            // -log softmax[label] = log(sum) - (z[label] - top)
            total += std::log(sum) - double(row[y[i]] - top);
            correct += best == y[i];
        }
        hits.fill_(correct);
        ctx->save_for_backward({softmax, labels});
        return torch::full({}, float(total / double(n)), logits.options());
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        auto grad = saved[0].clone();
        const auto& labels = saved[1];
        const int64_t n = grad.size(0), classes = grad.size(1);
        const float g = grads[0].item<float>() / float(n);
        float* d = grad.data_ptr<float>();
        const int64_t* y = labels.data_ptr<int64_t>();
        for (int64_t i = 0; i < n; ++i) {
            d[i * classes + y[i]] -= 1.0f;
            for (int64_t c = 0; c < classes; ++c)
                d[i * classes + c] *= g;
        }
        return {grad, torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

SoftmaxCrossEntropy::Result SoftmaxCrossEntropy::compute(const torch::Tensor& logits,
                                                         const torch::Tensor& labels)
{
    const bool cpu = logits.is_cpu() && labels.is_cpu() && logits.scalar_type() == torch::kFloat &&
                     labels.scalar_type() == torch::kLong && logits.dim() == 2 &&
                     labels.dim() == 1 && labels.size(0) == logits.size(0) && logits.size(0) > 0 &&
                     logits.size(1) > 0;
    if (cpu) {
        const auto y = labels.contiguous();
        const int64_t* v = y.data_ptr<int64_t>();
        bool inRange = true;
        for (int64_t i = 0; i < y.numel() && inRange; ++i)
            inRange = v[i] >= 0 && v[i] < logits.size(1);
        if (inRange) {
            auto hits = torch::zeros({}, labels.options());
            auto loss = LossFunction::apply(logits.contiguous(), y, hits);
            return {loss, hits};
        }
    }
    // libtorch's path, which also names a label out of range.
    auto loss = torch::nn::functional::cross_entropy(logits, labels);
    torch::NoGradGuard noGrad;
    return {loss, logits.argmax(1).eq(labels).sum()};
}

} // namespace trainbench
