#pragma once

#include <torch/types.h>

#include <cstdint>

namespace trainbench {

/// The training loss and the batch's hit count (internal to core).
///
/// On CPU, for float logits, the loss is one autograd node: forward computes the log-softmax, the
/// mean negative log-likelihood and the arg-max hits in one pass over the logits and keeps the
/// softmax; backward is (softmax - one-hot) / N. libtorch's cross_entropy makes two nodes and
/// the hit count three more ops, which for a batch of 32 x 10 logits cost more than the maths.
/// Elsewhere (CUDA) it is libtorch's cross_entropy, arg-max and sum, with no host synchronisation.
class SoftmaxCrossEntropy
{
public:
    struct Result
    {
        torch::Tensor loss; ///< Mean over the batch; differentiable.
        torch::Tensor hits; ///< Samples whose largest logit is their label (a long scalar).
    };

    /// `logits` (N, classes) and `labels` (N) of class indices. A label outside [0, classes) goes
    /// to libtorch's cross_entropy, which refuses it with c10::Error (or, for -100, ignores it).
    static Result compute(const torch::Tensor& logits, const torch::Tensor& labels);
};

} // namespace trainbench
