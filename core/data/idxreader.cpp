#include "trainbench/data/idxreader.h"

#include "trainbench/common/error.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

namespace trainbench {

namespace {

struct GzCloser
{
    void operator()(gzFile_s* file) const { gzclose(file); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

[[noreturn]] void fail(const std::string& path, const std::string& problem)
{
    throw Error(path + ": " + problem);
}

std::string hexByte(unsigned value)
{
    static const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[(value >> 4) & 0xF] + digits[value & 0xF];
}

/// Reads up to `size` bytes; returns how many were read, failing on a gzip error.
int64_t readSome(gzFile file, const std::string& path, uint8_t* out, int64_t size)
{
    int64_t done = 0;
    while (done < size) {
        const unsigned chunk = unsigned(std::min<int64_t>(size - done, 1 << 24));
        const int n = gzread(file, out + done, chunk);
        if (n < 0) {
            int code = 0;
            const char* message = gzerror(file, &code);
            fail(path, std::string("corrupt compressed data (") +
                           (message ? message : "zlib error") + ")");
        }
        if (n == 0)
            break;
        done += n;
    }
    return done;
}

} // namespace

IdxArray IdxReader::read(const std::string& path)
{
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status))
        fail(path, "cannot open: " + (error ? error.message() : std::string("no such file")));
    if (std::filesystem::is_directory(status))
        fail(path, "is a folder, not an IDX file");
    if (!std::filesystem::is_regular_file(status))
        fail(path, "is not a regular file (a pipe or device?), not an IDX file");
    GzFile file(gzopen(path.c_str(), "rb"));
    if (!file)
        fail(path, std::string("cannot open: ") + std::strerror(errno ? errno : EIO));
    gzbuffer(file.get(), 1 << 20);

    uint8_t magic[4];
    if (readSome(file.get(), path, magic, 4) < 4)
        fail(path, "too short to be an IDX file (no 4-byte header)");
    if (magic[0] != 0 || magic[1] != 0)
        fail(path, "not an IDX file (wrong magic " + hexByte(magic[0]) +
                       hexByte(magic[1]).substr(2) + hexByte(magic[2]).substr(2) +
                       hexByte(magic[3]).substr(2) + ")");
    if (magic[2] != 0x08)
        fail(path, "unsupported IDX data type " + hexByte(magic[2]) +
                       " (only unsigned bytes, 0x08, are supported)");
    const int rank = magic[3];
    if (rank < 1 || rank > 4)
        fail(path, "unsupported number of dimensions " + std::to_string(rank) + " (1 to 4)");

    IdxArray array;
    int64_t elements = 1;
    for (int i = 0; i < rank; ++i) {
        uint8_t raw[4];
        if (readSome(file.get(), path, raw, 4) < 4)
            fail(path, "truncated header (dimension " + std::to_string(i + 1) + " missing)");
        const int64_t dim = (int64_t(raw[0]) << 24) | (int64_t(raw[1]) << 16) |
                            (int64_t(raw[2]) << 8) | int64_t(raw[3]);
        array.dims.push_back(dim);
        if (dim > 0 && elements > kMaxElements / dim)
            elements = kMaxElements + 1;
        else
            elements *= dim;
    }
    if (elements > kMaxElements) {
        std::string shape;
        for (auto d : array.dims)
            shape += (shape.empty() ? "" : "x") + std::to_string(d);
        fail(path, "declares absurd dimensions " + shape + " (more than 2^31 values)");
    }

    const int64_t header = 4 + 4 * int64_t(rank);
    if (gzdirect(file.get())) {
        // Uncompressed: the file size tells the truth before we allocate anything.
        const int64_t available = int64_t(std::filesystem::file_size(path, error)) - header;
        if (available < elements)
            fail(path, "truncated: the header declares " + std::to_string(elements) +
                           " bytes of data but the file holds " + std::to_string(available));
        if (available > elements)
            fail(path, "has " + std::to_string(available - elements) +
                           " unexpected bytes after the declared data");
        array.data.resize(size_t(elements));
        if (readSome(file.get(), path, array.data.data(), elements) < elements)
            fail(path, "truncated while reading");
        return array;
    }

    // Compressed: real image data shrinks a few-fold; a header declaring hundreds of times the
    // file's size is a decompression bomb (or damaged), refused before any of it is inflated.
    const auto compressed = int64_t(std::filesystem::file_size(path, error));
    if (!error && elements > kMaxExpansion * std::max<int64_t>(compressed, 1))
        fail(path, "declares " + std::to_string(elements) + " bytes of data in a " +
                       std::to_string(compressed) + "-byte gzip file (more than " +
                       std::to_string(kMaxExpansion) +
                       " times its size: a decompression bomb or a damaged header)");
    // Grow as data arrives so a lying header cannot make us allocate more than exists.
    const int64_t chunk = int64_t(1) << 22;
    array.data.reserve(size_t(std::min(elements, chunk * 16)));
    int64_t have = 0;
    while (have < elements) {
        const int64_t want = std::min(chunk, elements - have);
        array.data.resize(size_t(have + want));
        const int64_t got = readSome(file.get(), path, array.data.data() + have, want);
        have += got;
        if (got < want)
            fail(path, "truncated: the header declares " + std::to_string(elements) +
                           " bytes of data but the file holds " + std::to_string(have));
    }
    uint8_t extra;
    if (readSome(file.get(), path, &extra, 1) > 0)
        fail(path, "has unexpected bytes after the declared data");
    return array;
}

ImageSet IdxReader::readImages(const std::string& path)
{
    IdxArray array = read(path);
    if (array.dims.size() != 3)
        fail(path, "expected an images file with 3 dimensions (count, rows, cols), found " +
                       std::to_string(array.dims.size()));
    if (array.dims[1] == 0 || array.dims[2] == 0)
        fail(path, "images have zero rows or columns");
    ImageSet set;
    if (array.dims[1] > 16384 || array.dims[2] > 16384)
        fail(path, "images of " + std::to_string(array.dims[1]) + "x" +
                       std::to_string(array.dims[2]) +
                       " pixels are not supported (at most 16384 a side)");
    set.count = array.dims[0];
    set.rows = int(array.dims[1]);
    set.cols = int(array.dims[2]);
    set.channels = 1;
    set.pixels = std::move(array.data);
    return set;
}

std::vector<uint8_t> IdxReader::readLabels(const std::string& path, int classes)
{
    IdxArray array = read(path);
    if (array.dims.size() != 1)
        fail(path,
             "expected a labels file with 1 dimension, found " + std::to_string(array.dims.size()));
    for (size_t i = 0; i < array.data.size(); ++i)
        if (array.data[i] >= classes)
            fail(path, "label " + std::to_string(array.data[i]) + " at index " + std::to_string(i) +
                           " is out of range 0-" + std::to_string(classes - 1));
    return std::move(array.data);
}

} // namespace trainbench
