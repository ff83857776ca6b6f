#pragma once

#include <cstdint>
#include <vector>

namespace trainbench {

/// Decides which samples go into which batch each epoch, with tf.data's semantics:
/// shuffle through a buffer of N elements (reshuffled every epoch), then batch.
class BatchPlanner
{
public:
    /// `shuffleBuffer`: elements in the buffer; 0 or 1 keeps the order; negative or >= count
    /// shuffles fully.
    BatchPlanner(int64_t count, int64_t batchSize, int64_t shuffleBuffer, bool dropRemainder,
                 uint64_t seed);

    /// Sample indices in the order epoch `epoch` (0-based) visits them, after dropping a remainder.
    std::vector<int64_t> epochOrder(int epoch) const;
    /// Batches per epoch.
    int64_t batchesPerEpoch() const;
    /// Samples per epoch (count, less the dropped remainder).
    int64_t samplesPerEpoch() const;
    /// Batch size.
    int64_t batchSize() const { return m_batchSize; }

    /// Data-parallel training, with this planner's batch size as the global batch: the part of
    /// `order` (an epochOrder()) that rank `rank` of `worldSize` trains on, batch by batch — from
    /// each global batch a contiguous share, even (the last, smaller batch split as evenly as
    /// possible). The ranks together see every sample of the epoch once, and each step averages
    /// over exactly the samples one process would with the global batch.
    std::vector<int64_t> shard(const std::vector<int64_t>& order, int rank, int worldSize) const;
    /// Samples of global batch `batch` (0-based) that rank `rank` of `worldSize` trains on.
    int64_t shareOf(int64_t batch, int rank, int worldSize) const;
    /// Samples in global batch `batch` (0-based), all ranks together.
    int64_t samplesInBatch(int64_t batch) const;

private:
    int64_t m_count;
    int64_t m_batchSize;
    int64_t m_shuffleBuffer;
    bool m_dropRemainder;
    uint64_t m_seed;
};

} // namespace trainbench
