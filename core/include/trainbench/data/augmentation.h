#pragma once

#include <cstdint>
#include <string>

namespace trainbench {

/// Random geometric changes applied to training images as batches are assembled: shift, rotate,
/// scale and horizontal flip. Each image's draw depends only on the seed, the epoch and the
/// sample's index, so a run is reproducible whatever thread assembles its batches.
struct Augmentation
{
    int shift = 0;       ///< Largest translation in pixels, in x and in y.
    double rotate = 0.0; ///< Largest rotation in degrees, either way.
    double scale = 0.0;  ///< Largest relative zoom, e.g. 0.1 for 90% to 110%.
    bool flip = false;   ///< Mirror left-right with probability 1/2 (not for digits).

    /// True when any change is switched on.
    bool enabled() const { return shift > 0 || rotate > 0.0 || scale > 0.0 || flip; }
    /// "shift=2,rotate=10,scale=0.1,flip", or "off".
    std::string toString() const;
    /// Parses the toString() form ("off" or "none": nothing); throws Error naming the bad part.
    static Augmentation parse(const std::string& text);

    /// Writes a transformed copy of `src` (channels x rows x cols bytes) as floats in [0, 1] to
    /// `dst`; pixels that come from outside the image are 0, as in torchvision's RandomAffine.
    void apply(const uint8_t* src, int channels, int rows, int cols, uint64_t seed, int epoch,
               int64_t index, float* dst) const;
};

} // namespace trainbench
