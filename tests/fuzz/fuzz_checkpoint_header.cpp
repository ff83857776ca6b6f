// A checkpoint's JSON header (config, layers, shapes, history): parsed, range-checked and its
// model analysed, on any text; only Error may come out.
#include "trainbench/common/error.h"
#include "trainbench/train/checkpointinfo.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    try {
        const auto info = trainbench::CheckpointInfo::fromJson(
            std::string(reinterpret_cast<const char*>(data), size), "fuzz.ckpt");
        info.toJson();
        info.namesOrIndices();
    } catch (const trainbench::Error&) {
    }
    return 0;
}
