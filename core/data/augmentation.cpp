#include "trainbench/data/augmentation.h"

#include "trainbench/common/error.h"

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace trainbench {

namespace {

constexpr double kPi = 3.14159265358979323846;

/// SplitMix64: a tiny, well-mixed generator; one per image keeps draws independent of threads.
class Draws
{
public:
    Draws(uint64_t seed, int epoch, int64_t index)
        : m_state(seed * 0x9E3779B97F4A7C15ULL ^ (uint64_t(epoch) << 40) ^ uint64_t(index))
    {
        next();
    }
    uint64_t next()
    {
        uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [-1, 1].
    double symmetric() { return double(next() >> 11) * (2.0 / 9007199254740992.0) - 1.0; }

private:
    uint64_t m_state;
};

std::string number(double value)
{
    std::ostringstream out;
    out << value;
    return out.str();
}

double parseNumber(const std::string& key, const std::string& value, double max)
{
    char* end = nullptr;
    const double x = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || !std::isfinite(x))
        throw Error("augment: " + key + " needs a number, got '" + value + "'");
    if (x < 0.0 || x > max)
        throw Error("augment: " + key + "=" + value + " is out of range (0 to " + number(max) +
                    ")");
    return x;
}

} // namespace

std::string Augmentation::toString() const
{
    if (!enabled())
        return "off";
    std::string text;
    auto add = [&text](const std::string& part) { text += (text.empty() ? "" : ",") + part; };
    if (shift > 0)
        add("shift=" + std::to_string(shift));
    if (rotate > 0.0)
        add("rotate=" + number(rotate));
    if (scale > 0.0)
        add("scale=" + number(scale));
    if (flip)
        add("flip");
    return text;
}

Augmentation Augmentation::parse(const std::string& text)
{
    Augmentation a;
    if (text.empty() || text == "off" || text == "none")
        return a;
    std::stringstream parts(text);
    std::string part;
    while (std::getline(parts, part, ',')) {
        const auto eq = part.find('=');
        const std::string key = part.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : part.substr(eq + 1);
        if (key == "flip") {
            if (eq != std::string::npos && value != "1" && value != "0")
                throw Error("augment: flip takes no value (or 0/1), got '" + value + "'");
            a.flip = value != "0";
        } else if (key == "shift") {
            const double x = parseNumber(key, value, 64);
            if (x != std::floor(x))
                throw Error("augment: shift needs a whole number of pixels, got '" + value + "'");
            a.shift = int(x);
        } else if (key == "rotate") {
            a.rotate = parseNumber(key, value, 180);
        } else if (key == "scale") {
            a.scale = parseNumber(key, value, 0.9);
        } else {
            throw Error("augment: unknown setting '" + part +
                        "' (known: shift=N, rotate=DEGREES, scale=FRACTION, flip)");
        }
    }
    return a;
}

void Augmentation::apply(const uint8_t* src, int channels, int rows, int cols, uint64_t seed,
                         int epoch, int64_t index, float* dst) const
{
    Draws draws(seed, epoch, index);
    const double angle = rotate * draws.symmetric() * kPi / 180.0;
    const double zoom = 1.0 + scale * draws.symmetric();
    const double dx = shift > 0 ? std::round(shift * draws.symmetric()) : 0.0;
    const double dy = shift > 0 ? std::round(shift * draws.symmetric()) : 0.0;
    const bool mirrored = flip && (draws.next() & 1);

    // Inverse map: output pixel -> source position, about the image centre.
    const double cx = (cols - 1) * 0.5, cy = (rows - 1) * 0.5;
    const double c = std::cos(angle) / zoom, s = std::sin(angle) / zoom;
    constexpr float kScale = 1.0f / 255.0f;
    const int64_t plane = int64_t(rows) * cols;
    for (int y = 0; y < rows; ++y) {
        for (int x = 0; x < cols; ++x) {
            const double ox = x - cx - dx, oy = y - cy - dy;
            double sx = c * ox + s * oy + cx;
            const double sy = -s * ox + c * oy + cy;
            if (mirrored)
                sx = (cols - 1) - sx;
            const int x0 = int(std::floor(sx)), y0 = int(std::floor(sy));
            const float fx = float(sx - x0), fy = float(sy - y0);
            const float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy,
                        w11 = fx * fy;
            const bool in00 = x0 >= 0 && x0 < cols && y0 >= 0 && y0 < rows;
            const bool in01 = x0 + 1 >= 0 && x0 + 1 < cols && y0 >= 0 && y0 < rows;
            const bool in10 = x0 >= 0 && x0 < cols && y0 + 1 >= 0 && y0 + 1 < rows;
            const bool in11 = x0 + 1 >= 0 && x0 + 1 < cols && y0 + 1 >= 0 && y0 + 1 < rows;
            const int64_t at = int64_t(y0) * cols + x0;
            for (int ch = 0; ch < channels; ++ch) {
                const uint8_t* p = src + ch * plane;
                float v = 0.0f;
                if (in00)
                    v += w00 * p[at];
                if (in01)
                    v += w01 * p[at + 1];
                if (in10)
                    v += w10 * p[at + cols];
                if (in11)
                    v += w11 * p[at + cols + 1];
                dst[ch * plane + int64_t(y) * cols + x] = v * kScale;
            }
        }
    }
}

} // namespace trainbench
