#pragma once

#include <cstddef>
#include <cstdint>

namespace trainbench {

/// CRC-32C (Castagnoli), as TFRecord framing uses it. Debian 12 packages no CRC-32C library,
/// so this is a small table implementation checked against RFC 3720 and TensorFlow vectors.
class Crc32c
{
public:
    /// CRC-32C of `size` bytes, continuing from `crc` (0 to start).
    static uint32_t compute(const void* data, size_t size, uint32_t crc = 0);
    /// TensorFlow's masked CRC: rotate right by 15 bits and add 0xa282ead8.
    static uint32_t mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }
    /// masked(compute(data)).
    static uint32_t masked(const void* data, size_t size) { return mask(compute(data, size)); }
};

} // namespace trainbench
