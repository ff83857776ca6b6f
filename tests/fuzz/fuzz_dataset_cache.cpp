// The decoded-dataset cache file: any bytes are a dataset whose sizes agree, or no cache.
#include "data/datasetcache.h"
#include "fuzzinput.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = fuzz::scratchFile(data, size, ".tbds");
    // The key is the seed corpus's: the fuzzer reaches past the key check by mutating the rest.
    if (auto d = trainbench::DatasetCache::read(path, "0123456789abcdef")) {
        for (const auto* set : {&d->train, &d->test})
            if (int64_t(set->pixels.size()) != set->count * set->imageSize() ||
                int64_t(set->labels.size()) != set->count)
                std::abort();
    }
    return 0;
}
