// IDX files, raw and gzip-compressed: any bytes give an IdxArray or an Error, nothing else.
#include "fuzzinput.h"
#include "trainbench/common/error.h"
#include "trainbench/data/idxreader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = fuzz::scratchFile(data, size, ".idx");
    try {
        trainbench::IdxReader::readImages(path);
    } catch (const trainbench::Error&) {
    }
    try {
        trainbench::IdxReader::readLabels(path, 10);
    } catch (const trainbench::Error&) {
    }
    return 0;
}
