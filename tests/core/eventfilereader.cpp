#include "eventfilereader.h"

#include "track/crc32c.h"

#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <stdexcept>

namespace eventfile {

namespace {

struct Cursor
{
    const uint8_t* p;
    const uint8_t* end;

    bool done() const { return p >= end; }
    uint64_t varint()
    {
        uint64_t value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= end)
                throw std::runtime_error("truncated varint");
            const uint8_t byte = *p++;
            value |= uint64_t(byte & 0x7F) << shift;
            if (!(byte & 0x80))
                return value;
        }
        throw std::runtime_error("varint too long");
    }
    template <typename T> T fixed()
    {
        if (end - p < int(sizeof(T)))
            throw std::runtime_error("truncated fixed field");
        T value;
        std::memcpy(&value, p, sizeof(T)); // little-endian host
        p += sizeof(T);
        return value;
    }
    std::string bytes()
    {
        const uint64_t n = varint();
        if (uint64_t(end - p) < n)
            throw std::runtime_error("truncated length-delimited field");
        std::string out(reinterpret_cast<const char*>(p), size_t(n));
        p += n;
        return out;
    }
    void skip(int wireType)
    {
        switch (wireType) {
        case 0:
            varint();
            break;
        case 1:
            fixed<uint64_t>();
            break;
        case 2:
            bytes();
            break;
        case 5:
            fixed<uint32_t>();
            break;
        default:
            throw std::runtime_error("bad wire type");
        }
    }
};

/// Calls `field(number, wireType, cursor)` for each field; the callback consumes or returns false.
void forEachField(const std::string& message, const std::function<bool(int, int, Cursor&)>& field)
{
    Cursor c{reinterpret_cast<const uint8_t*>(message.data()),
             reinterpret_cast<const uint8_t*>(message.data()) + message.size()};
    while (!c.done()) {
        const uint64_t key = c.varint();
        const int number = int(key >> 3);
        const int wire = int(key & 7);
        if (!field(number, wire, c))
            c.skip(wire);
    }
}

void readDoubles(int wire, Cursor& c, std::vector<double>& out)
{
    if (wire == 1) { // unpacked
        out.push_back(c.fixed<double>());
        return;
    }
    const std::string packed = c.bytes();
    for (size_t i = 0; i + 8 <= packed.size(); i += 8) {
        double v;
        std::memcpy(&v, packed.data() + i, 8);
        out.push_back(v);
    }
}

Value parseValue(const std::string& message)
{
    Value v;
    forEachField(message, [&](int n, int wire, Cursor& c) {
        if (n == 1 && wire == 2) {
            v.tag = c.bytes();
        } else if (n == 2 && wire == 5) {
            v.hasSimpleValue = true;
            v.simpleValue = c.fixed<float>();
        } else if (n == 4 && wire == 2) {
            v.hasImage = true;
            forEachField(c.bytes(), [&](int m, int w, Cursor& d) {
                if (m == 1 && w == 0)
                    v.imageHeight = int(d.varint());
                else if (m == 2 && w == 0)
                    v.imageWidth = int(d.varint());
                else if (m == 3 && w == 0)
                    v.imageColorspace = int(d.varint());
                else if (m == 4 && w == 2)
                    v.imagePng = d.bytes();
                else
                    return false;
                return true;
            });
        } else if (n == 5 && wire == 2) {
            v.hasHistogram = true;
            forEachField(c.bytes(), [&](int m, int w, Cursor& d) {
                if (m >= 1 && m <= 5 && w == 1) {
                    const double x = d.fixed<double>();
                    double* slots[] = {&v.histMin, &v.histMax, &v.histNum, &v.histSum,
                                       &v.histSumSquares};
                    *slots[m - 1] = x;
                } else if (m == 6)
                    readDoubles(w, d, v.bucketLimits);
                else if (m == 7)
                    readDoubles(w, d, v.buckets);
                else
                    return false;
                return true;
            });
        } else if (n == 8 && wire == 2) {
            v.hasTensor = true;
            forEachField(c.bytes(), [&](int m, int w, Cursor& d) {
                if (m == 1 && w == 0)
                    v.tensorDtype = int(d.varint());
                else if (m == 8 && w == 2)
                    v.tensorStrings.push_back(d.bytes());
                else
                    return false;
                return true;
            });
        } else if (n == 9 && wire == 2) {
            forEachField(c.bytes(), [&](int m, int w, Cursor& d) {
                if (m != 1 || w != 2)
                    return false;
                forEachField(d.bytes(), [&](int k, int kw, Cursor& e) {
                    if (k == 1 && kw == 2)
                        v.pluginName = e.bytes();
                    else if (k == 2 && kw == 2)
                        v.pluginContent = e.bytes();
                    else
                        return false;
                    return true;
                });
                return true;
            });
        } else {
            return false;
        }
        return true;
    });
    return v;
}

Event parseEvent(const std::string& message)
{
    Event event;
    forEachField(message, [&](int n, int wire, Cursor& c) {
        if (n == 1 && wire == 1)
            event.wallTime = c.fixed<double>();
        else if (n == 2 && wire == 0)
            event.step = int64_t(c.varint());
        else if (n == 3 && wire == 2)
            event.fileVersion = c.bytes();
        else if (n == 5 && wire == 2)
            forEachField(c.bytes(), [&](int m, int w, Cursor& d) {
                if (m != 1 || w != 2)
                    return false;
                event.values.push_back(parseValue(d.bytes()));
                return true;
            });
        else
            return false;
        return true;
    });
    return event;
}

uint32_t le32(const uint8_t* p)
{
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

} // namespace

File read(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
    File file;
    size_t pos = 0;
    while (pos < data.size()) {
        if (data.size() - pos < 12) {
            file.truncated = true;
            break;
        }
        uint64_t length = 0;
        for (int i = 7; i >= 0; --i)
            length = (length << 8) | bytes[pos + size_t(i)];
        if (trainbench::Crc32c::masked(bytes + pos, 8) != le32(bytes + pos + 8)) {
            file.error = "length CRC mismatch at byte " + std::to_string(pos);
            break;
        }
        if (data.size() - pos - 12 < length + 4) {
            file.truncated = true;
            break;
        }
        const std::string payload = data.substr(pos + 12, size_t(length));
        if (trainbench::Crc32c::masked(payload.data(), payload.size()) !=
            le32(bytes + pos + 12 + length)) {
            file.error = "data CRC mismatch at byte " + std::to_string(pos);
            break;
        }
        try {
            file.events.push_back(parseEvent(payload));
        } catch (const std::exception& e) {
            file.error = e.what();
            break;
        }
        pos += 12 + size_t(length) + 4;
    }
    return file;
}

std::vector<std::string> stringsIn(const std::string& message)
{
    // Walk every length-delimited field recursively and collect the printable ones.
    std::vector<std::string> out;
    std::function<void(const std::string&)> walk = [&](const std::string& m) {
        try {
            forEachField(m, [&](int, int wire, Cursor& c) {
                if (wire != 2)
                    return false;
                const std::string s = c.bytes();
                out.push_back(s);
                walk(s);
                return true;
            });
        } catch (const std::exception&) {
            // Not a message: it was a plain string.
        }
    };
    walk(message);
    return out;
}

} // namespace eventfile
