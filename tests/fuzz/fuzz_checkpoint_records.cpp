// The pickled metadata of a checkpoint (data.pkl), read by CheckpointRecords' small pickle
// reader to learn each tensor's declared size: any bytes in, storages or "not parsed" out.
#include "train/checkpointrecords.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bool parsed = false;
    const auto storages = trainbench::CheckpointRecords::storages(
        std::string(reinterpret_cast<const char*>(data), size), &parsed);
    (void)storages;
    return 0;
}
