#include "train/checkpointwriter.h"

#include "model/networkweights.h"
#include "train/flatoptimizer.h"
#include "trainbench/common/error.h"
#include "trainbench/platform/platform.h"

#include <torch/serialize/output-archive.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace trainbench {

void CheckpointWriter::write(const std::string& path, const CheckpointInfo& info,
                             const Network& network, const FlatOptimizer& optimizer)
{
    torch::serialize::OutputArchive archive;
    try {
        archive.write("trainbench/header", c10::IValue(info.toJson()));
        NetworkWeights::write(network, archive);
        optimizer.save(archive);
    } catch (const c10::Error& e) {
        throw Error(path + ": cannot prepare the checkpoint: " + e.what_without_backtrace());
    }

    const std::string temp = path + ".tmp-" + std::to_string(Platform::processId());
    if (FILE* probe = std::fopen(temp.c_str(), "wb")) {
        std::fclose(probe);
    } else {
        throw Error(path + ": cannot write checkpoint: " + std::strerror(errno));
    }
    try {
        archive.save_to(temp);
    } catch (const std::exception&) {
        std::remove(temp.c_str());
        throw Error(path + ": cannot write checkpoint (disk full?)");
    }
    std::string reason;
    if (!Platform::replaceFile(temp, path, &reason)) {
        std::remove(temp.c_str());
        throw Error(path + ": cannot write checkpoint: " + reason);
    }
}

} // namespace trainbench
