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

private:
    int64_t m_count;
    int64_t m_batchSize;
    int64_t m_shuffleBuffer;
    bool m_dropRemainder;
    uint64_t m_seed;
};

} // namespace trainbench
