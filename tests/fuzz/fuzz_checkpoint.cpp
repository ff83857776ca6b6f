// A whole checkpoint file as a user gives it to `predict`, `--resume` or the Draw tab: the zip
// container, the pickled records, the header, the weights (shapes, checksum, finiteness), then
// one prediction with what loaded; only Error may come out.
#include "fuzzinput.h"
#include "trainbench/common/error.h"
#include "trainbench/infer/predictor.h"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = fuzz::scratchFile(data, size, "model.ckpt");
    try {
        const auto predictor = trainbench::Predictor::fromCheckpoint(path);
        const auto shape = predictor->inputShape();
        std::vector<uint8_t> planes(size_t(shape.at(0) * shape.at(1) * shape.at(2)), 128);
        const auto answer = predictor->predictPlanes(planes);
        if (answer.probabilities.size() != size_t(predictor->classes()))
            __builtin_trap(); // a model that loaded must answer for each of its classes
    } catch (const trainbench::Error&) {
    }
    return 0;
}
