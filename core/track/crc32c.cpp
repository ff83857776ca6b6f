#include "track/crc32c.h"

#include <array>

namespace trainbench {

namespace {

std::array<uint32_t, 256> makeTable()
{
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t crc = i;
        for (int bit = 0; bit < 8; ++bit)
            crc =
                (crc & 1u) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1; // reflected Castagnoli polynomial
        table[i] = crc;
    }
    return table;
}

} // namespace

uint32_t Crc32c::compute(const void* data, size_t size, uint32_t crc)
{
    static const std::array<uint32_t, 256> table = makeTable();
    const auto* bytes = static_cast<const uint8_t*>(data);
    crc = ~crc;
    for (size_t i = 0; i < size; ++i)
        crc = table[(crc ^ bytes[i]) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

} // namespace trainbench
