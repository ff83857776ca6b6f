#include "data/batchloader.h"

namespace trainbench {

BatchLoader::BatchLoader(const ImageSet& set, int64_t batchSize, int slots)
    : m_set(set), m_batchSize(batchSize)
{
    for (int i = 0; i < slots; ++i) {
        m_images.push_back(
            torch::empty({batchSize, set.channels, set.rows, set.cols}, torch::kFloat));
        m_labels.push_back(torch::empty({batchSize}, torch::kLong));
        m_sizes.push_back(0);
    }
}

BatchLoader::~BatchLoader()
{
    stop();
}

void BatchLoader::assemble(const ImageSet& set, const int64_t* indices, int64_t count,
                           float* images, int64_t* labels)
{
    const int64_t size = set.imageSize();
    constexpr float scale = 1.0f / 255.0f;
    for (int64_t i = 0; i < count; ++i) {
        const uint8_t* src = set.image(indices[i]);
        float* dst = images + i * size;
        for (int64_t k = 0; k < size; ++k)
            dst[k] = float(src[k]) * scale;
        labels[i] = set.labels[size_t(indices[i])];
    }
}

void BatchLoader::setAugmentation(const Augmentation& augmentation, uint64_t seed)
{
    stop();
    m_augmentation = augmentation;
    m_seed = seed;
}

void BatchLoader::start(std::vector<int64_t> order, int epoch)
{
    stop();
    std::lock_guard<std::mutex> lock(m_mutex);
    m_order = std::move(order);
    m_epoch = epoch;
    m_batches = (int64_t(m_order.size()) + m_batchSize - 1) / m_batchSize;
    m_produced = 0;
    m_consumed = 0;
    m_held = -1;
    m_stopping = false;
    m_error = nullptr;
    std::fill(m_sizes.begin(), m_sizes.end(), 0);
    m_thread = std::thread(&BatchLoader::produce, this);
}

void BatchLoader::stop()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void BatchLoader::produce()
{
    try {
        const int slots = int(m_sizes.size());
        for (int64_t b = 0; b < m_batches; ++b) {
            const int slot = int(b % slots);
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_changed.wait(lock, [&] {
                    return m_stopping || (m_sizes[size_t(slot)] == 0 && m_held != slot);
                });
                if (m_stopping)
                    return;
            }
            const int64_t begin = b * m_batchSize;
            const int64_t n = std::min<int64_t>(m_batchSize, int64_t(m_order.size()) - begin);
            const int64_t* indices = m_order.data() + begin;
            float* images = m_images[size_t(slot)].data_ptr<float>();
            int64_t* labels = m_labels[size_t(slot)].data_ptr<int64_t>();
            if (m_augmentation.enabled()) {
                for (int64_t i = 0; i < n; ++i) {
                    m_augmentation.apply(m_set.image(indices[i]), m_set.channels, m_set.rows,
                                         m_set.cols, m_seed, m_epoch, indices[i],
                                         images + i * m_set.imageSize());
                    labels[i] = m_set.labels[size_t(indices[i])];
                }
            } else {
                assemble(m_set, indices, n, images, labels);
            }
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_sizes[size_t(slot)] = n;
                ++m_produced;
            }
            m_changed.notify_all();
        }
    } catch (...) {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_error = std::current_exception();
        m_changed.notify_all();
    }
}

bool BatchLoader::next(Batch& batch)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    if (m_held >= 0) {
        m_sizes[size_t(m_held)] = 0;
        m_held = -1;
        m_changed.notify_all();
    }
    if (m_consumed >= m_batches || m_stopping)
        return false;
    const int slot = int(m_consumed % int64_t(m_sizes.size()));
    m_changed.wait(lock, [&] { return m_stopping || m_error || m_sizes[size_t(slot)] > 0; });
    if (m_error)
        std::rethrow_exception(m_error);
    if (m_stopping)
        return false;
    const int64_t n = m_sizes[size_t(slot)];
    m_held = slot;
    ++m_consumed;
    batch.images = m_images[size_t(slot)].narrow(0, 0, n);
    batch.labels = m_labels[size_t(slot)].narrow(0, 0, n);
    return true;
}

} // namespace trainbench
