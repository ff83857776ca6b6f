#include "trainbench/data/batchplanner.h"

#include "trainbench/common/error.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <utility>

namespace trainbench {

namespace {

/// Uniform integer in [0, n) without modulo bias, identical on every standard library
/// (std::uniform_int_distribution is not), so a seed means the same order everywhere.
uint64_t below(std::mt19937_64& rng, uint64_t n)
{
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t value;
    do {
        value = rng();
    } while (value >= limit);
    return value % n;
}

} // namespace

BatchPlanner::BatchPlanner(int64_t count, int64_t batchSize, int64_t shuffleBuffer,
                           bool dropRemainder, uint64_t seed)
    : m_count(count), m_batchSize(batchSize), m_shuffleBuffer(shuffleBuffer),
      m_dropRemainder(dropRemainder), m_seed(seed)
{
    if (count <= 0)
        throw Error("no samples to train on");
    if (batchSize <= 0)
        throw Error("batch size must be positive (is " + std::to_string(batchSize) + ")");
    if (dropRemainder && batchSize > count)
        throw Error("batch size " + std::to_string(batchSize) + " is larger than the " +
                    std::to_string(count) + " training samples and drop remainder is on");
}

int64_t BatchPlanner::samplesPerEpoch() const
{
    return m_dropRemainder ? (m_count / m_batchSize) * m_batchSize : m_count;
}

int64_t BatchPlanner::batchesPerEpoch() const
{
    return (samplesPerEpoch() + m_batchSize - 1) / m_batchSize;
}

std::vector<int64_t> BatchPlanner::epochOrder(int epoch) const
{
    std::vector<int64_t> order;
    order.reserve(size_t(m_count));
    std::mt19937_64 rng(m_seed * 0x9E3779B97F4A7C15ULL + uint64_t(epoch) * 0xBF58476D1CE4E5B9ULL +
                        1);
    if (m_shuffleBuffer >= 0 && m_shuffleBuffer <= 1) {
        order.resize(size_t(m_count));
        std::iota(order.begin(), order.end(), 0);
    } else if (m_shuffleBuffer < 0 || m_shuffleBuffer >= m_count) {
        order.resize(size_t(m_count));
        std::iota(order.begin(), order.end(), 0);
        for (int64_t i = m_count - 1; i > 0; --i)
            std::swap(order[size_t(i)], order[size_t(below(rng, uint64_t(i + 1)))]);
    } else {
        // tf.data's shuffle: fill a buffer, emit a random element, refill its slot from the input.
        std::vector<int64_t> buffer(static_cast<size_t>(m_shuffleBuffer));
        std::iota(buffer.begin(), buffer.end(), 0);
        int64_t next = m_shuffleBuffer;
        while (!buffer.empty()) {
            const size_t pick = size_t(below(rng, buffer.size()));
            order.push_back(buffer[pick]);
            if (next < m_count) {
                buffer[pick] = next++;
            } else {
                buffer[pick] = buffer.back();
                buffer.pop_back();
            }
        }
    }
    order.resize(size_t(samplesPerEpoch()));
    return order;
}

int64_t BatchPlanner::samplesInBatch(int64_t batch) const
{
    return std::max<int64_t>(0, std::min(m_batchSize, samplesPerEpoch() - batch * m_batchSize));
}

int64_t BatchPlanner::shareOf(int64_t batch, int rank, int worldSize) const
{
    const int64_t n = samplesInBatch(batch);
    return n * (rank + 1) / worldSize - n * rank / worldSize;
}

std::vector<int64_t> BatchPlanner::shard(const std::vector<int64_t>& order, int rank,
                                         int worldSize) const
{
    if (worldSize < 1 || rank < 0 || rank >= worldSize)
        throw Error("rank " + std::to_string(rank) + " is outside a world of " +
                    std::to_string(worldSize));
    std::vector<int64_t> mine;
    mine.reserve(order.size() / size_t(worldSize) + size_t(m_batchSize));
    const int64_t total = std::min<int64_t>(samplesPerEpoch(), int64_t(order.size()));
    for (int64_t start = 0; start < total; start += m_batchSize) {
        const int64_t n = std::min(m_batchSize, total - start);
        const int64_t begin = start + n * rank / worldSize;
        const int64_t end = start + n * (rank + 1) / worldSize;
        mine.insert(mine.end(), order.begin() + begin, order.begin() + end);
    }
    return mine;
}

} // namespace trainbench
