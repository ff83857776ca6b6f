#pragma once

#include "train/backgroundworker.h"
#include "trainbench/train/optimizerconfig.h"

#include <torch/serialize/archive.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace trainbench {

class GradientReducer;

/// Adam, SGD and RMSprop with Keras's update rules (internal to core).
/// On CPU each update is one fused, vectorised pass per parameter tensor (read gradient and
/// state, write state and parameter) split over the intra-op threads, instead of six separate
/// tensor ops; gradients are dropped rather than zeroed, so autograd hands over its freshly
/// computed tensors without an accumulate copy. The state lives in flat buffers.
/// With beginStep()/finishStep() around the backward pass, large CPU parameters are updated on a
/// helper thread as soon as their gradient exists, while backward goes on with the layers below
/// (for the seed CNN: the 1.6M-weight Dense layer's update overlaps the convolution's backward).
class FlatOptimizer
{
public:
    /// Optimizes `parameters` (all on one device and of one dtype). Float CPU parameters with a
    /// dense layout take the fused CPU loop; Adam on dense float CUDA parameters libtorch's fused
    /// Adam kernel; the rest (double, strided, SGD and RMSprop off the CPU) libtorch's tensor
    /// ops. Throws Error for Adam betas outside [0, 1).
    FlatOptimizer(std::vector<torch::Tensor> parameters, OptimizerConfig config);
    ~FlatOptimizer();
    FlatOptimizer(const FlatOptimizer&) = delete;
    FlatOptimizer& operator=(const FlatOptimizer&) = delete;

    /// Drops every gradient (the next backward pass creates them afresh).
    void zeroGrad();
    /// Whether large parameters may be updated on the helper thread (default: yes). The trainer
    /// turns it on only where libtorch's pool leaves a core free for it.
    void setBackgroundUpdates(bool on) { m_background = on; }
    /// Starts an update with learning rate `learningRate`; call before the backward pass.
    void beginStep(double learningRate);
    /// Completes the update begun by beginStep(): the parameters not yet updated, then waits for
    /// the helper thread. Does nothing when no step was begun.
    void finishStep();
    /// Applies one update with learning rate `learningRate` (all of it on this thread).
    void step(double learningRate);
    /// Averages every gradient across the ranks of a data-parallel run before it is applied
    /// (null: a single process). The reducer's hooks replace the helper-thread updates.
    void setReducer(GradientReducer* reducer) { m_reducer = reducer; }
    /// The state buffers (moments, velocities), e.g. to copy rank 0's to the other ranks.
    std::vector<torch::Tensor> stateTensors() const;
    /// Updates done so far.
    int64_t steps() const { return m_steps; }
    /// Parameter updates done on the helper thread so far.
    int64_t backgroundUpdates() const { return m_backgroundUpdates; }
    /// Calls of libtorch's fused Adam kernel so far: one per step, or with a reducer one per
    /// parameter and step (see setReducer()).
    int64_t fusedUpdates() const { return m_fusedUpdates; }

    /// Writes the optimizer state under "optimizer/".
    void save(torch::serialize::OutputArchive& archive) const;
    /// Reads the state written by save(); throws Error if it does not match.
    void load(torch::serialize::InputArchive& archive);

private:
    void onGradient(size_t index, const torch::Tensor& grad);
    void update(size_t index, const torch::Tensor& grad);
    /// Adam off the CPU loop (CUDA, double...) for the parameters `indices`: fusedAdam() where
    /// it applies, else multi-tensor ops.
    void updateAdam(const std::vector<size_t>& indices,
                    const std::vector<torch::Tensor>& gradients);
    /// Adam in libtorch's fused kernel for dense float CUDA tensors where libtorch has that op
    /// (1.13 and later); false: not applied, nothing changed.
    bool fusedAdam(const std::vector<torch::Tensor>& values,
                   const std::vector<torch::Tensor>& grads,
                   const std::vector<torch::Tensor>& firsts,
                   const std::vector<torch::Tensor>& seconds);
    /// Whether update() takes the CPU loop for this parameter.
    bool cpuLoop(size_t index) const;
    /// `gradient` with exactly the parameter's strides (a copy only where they differ), so that
    /// the state is read in the parameter's memory order on every path.
    torch::Tensor matchingGradient(size_t index, const torch::Tensor& gradient) const;
    /// The slice of a flat state buffer for a parameter, in its shape and memory order.
    torch::Tensor stateOf(const torch::Tensor& flat, size_t index) const;
    /// One parameter's update; `parallel`: split over libtorch's pool (the training thread only).
    void updateCpu(size_t index, const float* grad, bool parallel);
    /// SGD's and RMSprop's update off the CPU loop.
    void stepTensors(torch::Tensor& value, const torch::Tensor& grad, torch::Tensor first,
                     torch::Tensor second, double learningRate);
    void stepCpu(float* value, const float* grad, float* first, float* second, int64_t n,
                 double learningRate, double adamRate) const;

    OptimizerConfig m_config;
    std::vector<torch::Tensor> m_parameters;
    std::vector<int64_t> m_offsets; ///< Where each parameter's state starts in the flat buffers.
    torch::Tensor m_first;          ///< Adam: m; SGD: velocity; RMSprop: mean square.
    torch::Tensor m_second;         ///< Adam: v; RMSprop: momentum buffer.
    std::vector<torch::Tensor> m_firstViews;  ///< stateOf(m_first, i) for each parameter.
    std::vector<torch::Tensor> m_secondViews; ///< stateOf(m_second, i); undefined without it.
    torch::Tensor m_fusedStep;                ///< The fused kernel's step count (see fusedAdam()).
    int64_t m_fusedUpdates = 0;               ///< See fusedUpdates().
    int64_t m_steps = 0;
    double m_learningRate = 0.0; ///< Of the step begun.
    double m_adamRate = 0.0;     ///< Of the step begun, bias correction included.
    bool m_open = false;         ///< Between beginStep() and finishStep().
    bool m_background = true;    ///< See setBackgroundUpdates().
    int64_t m_backgroundUpdates = 0;
    GradientReducer* m_reducer = nullptr;             ///< See setReducer().
    std::vector<char> m_updated;                      ///< Parameters updated in the step begun.
    std::vector<std::pair<size_t, unsigned>> m_hooks; ///< (parameter, hook) to remove.
    BackgroundWorker m_worker; ///< Last: it finishes its jobs before the rest goes.
};

} // namespace trainbench
