#include "train/checkpointwriter.h"

#include "common/atomicfile.h"
#include "model/networkweights.h"
#include "train/flatoptimizer.h"
#include "trainbench/common/error.h"

#include <torch/serialize/output-archive.h>

namespace trainbench {

void CheckpointWriter::write(const std::string& path, const CheckpointInfo& info,
                             const Network& network, const FlatOptimizer& optimizer,
                             const torch::Tensor& generatorState)
{
    torch::serialize::OutputArchive archive;
    try {
        CheckpointInfo stamped = info;
        stamped.weightsDigest = NetworkWeights::digest(network);
        archive.write("trainbench/header", c10::IValue(stamped.toJson()));
        NetworkWeights::write(network, archive);
        optimizer.save(archive);
        if (generatorState.defined())
            archive.write("trainbench/generator", generatorState);
    } catch (const c10::Error& e) {
        throw Error(path + ": cannot prepare the checkpoint: " + e.what_without_backtrace());
    }

    // Serialised into memory first: libtorch's zip writer aborts the process when a disk
    // fills under it (it throws again from its destructor), so only plain writes touch disk.
    std::string bytes;
    try {
        archive.save_to([&bytes](const void* data, size_t size) {
            bytes.append(static_cast<const char*>(data), size);
            return size;
        });
    } catch (const std::exception& e) {
        throw Error(path + ": cannot prepare the checkpoint: " + e.what());
    }
    AtomicFile::write(path, bytes);
}

} // namespace trainbench
