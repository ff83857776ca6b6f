#pragma once

#include "trainbench/data/augmentation.h"
#include "trainbench/data/imageset.h"

#include <torch/types.h>

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace trainbench {

/// Assembles batches of an ImageSet on a background thread, a few batches ahead of training:
/// uint8 pixels are scaled to [0, 1] straight into preallocated float tensors (internal to core).
class BatchLoader
{
public:
    /// One batch; the tensors stay valid until the next call to next() or stop().
    struct Batch
    {
        torch::Tensor images; ///< (n, C, H, W) float in [0, 1].
        torch::Tensor labels; ///< (n) int64.
    };

    /// `set` must outlive the loader.
    BatchLoader(const ImageSet& set, int64_t batchSize, int slots = 3);
    ~BatchLoader();
    BatchLoader(const BatchLoader&) = delete;
    BatchLoader& operator=(const BatchLoader&) = delete;

    /// Transforms every training image with `augmentation`, drawn from `seed`, the epoch and
    /// the sample; call before start().
    void setAugmentation(const Augmentation& augmentation, uint64_t seed);
    /// Starts producing the batches of epoch `epoch` in `order`; stops any epoch in progress.
    void start(std::vector<int64_t> order, int epoch = 0);
    /// Waits for the next batch; false when the epoch has no more batches.
    bool next(Batch& batch);
    /// Stops the background work; next() then returns false.
    void stop();

    /// Fills `images`/`labels` (already sized for `count` samples) from `indices`.
    static void assemble(const ImageSet& set, const int64_t* indices, int64_t count, float* images,
                         int64_t* labels);

private:
    void produce();

    const ImageSet& m_set;
    int64_t m_batchSize;
    Augmentation m_augmentation;
    uint64_t m_seed = 0;
    int m_epoch = 0;
    std::vector<torch::Tensor> m_images;
    std::vector<torch::Tensor> m_labels;
    std::vector<int64_t> m_sizes; ///< Samples in each slot; 0 while the slot is free.
    std::vector<int64_t> m_order;
    int64_t m_batches = 0;
    int64_t m_produced = 0;
    int64_t m_consumed = 0;
    int m_held = -1; ///< Slot the consumer holds, released on its next call.
    bool m_stopping = false;
    std::exception_ptr m_error;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::thread m_thread;
};

} // namespace trainbench
