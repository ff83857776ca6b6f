#include "trainbench/data/imageset.h"

#include <algorithm>

namespace trainbench {

ImageSet ImageSet::slice(int64_t begin, int64_t n) const
{
    ImageSet part;
    part.channels = channels;
    part.rows = rows;
    part.cols = cols;
    begin = std::clamp<int64_t>(begin, 0, count);
    n = std::clamp<int64_t>(n, 0, count - begin);
    part.count = n;
    part.pixels.assign(image(begin), image(begin) + n * imageSize());
    part.labels.assign(labels.begin() + begin, labels.begin() + begin + n);
    if (!sources.empty())
        part.sources.assign(sources.begin() + begin, sources.begin() + begin + n);
    return part;
}

} // namespace trainbench
