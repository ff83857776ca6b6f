#include "trainbench/train/trainingconfig.h"

#include "trainbench/common/error.h"
#include "trainbench/model/modelpresets.h"

#include <cmath>

namespace trainbench {

namespace {

void require(bool ok, const std::string& field, const std::string& expected, double value)
{
    if (!ok) {
        std::string shown = std::to_string(value);
        if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
            shown = std::to_string(int64_t(value));
        throw Error(field + " must be " + expected + " (is " + shown + ")");
    }
}

} // namespace

void TrainingConfig::validate() const
{
    if (layers.empty() && !ModelPresets::contains(modelName))
        ModelPresets::layers(modelName); // throws with the list of known models
    require(epochs >= 1 && epochs <= 100000, "epochs", "between 1 and 100000", epochs);
    require(batchSize >= 1 && batchSize <= 65536, "batch size", "between 1 and 65536", batchSize);
    require(shuffleBuffer >= -1, "shuffle buffer", "0 or more (-1: full shuffle)",
            double(shuffleBuffer));
    require(validationSplit >= 0.0 && validationSplit < 1.0, "validation split", "in [0, 1)",
            validationSplit);
    require(limit >= 0, "limit", "0 or more", double(limit));
    require(testLimit >= 0, "test limit", "0 or more", double(testLimit));
    require(threads >= 0 && threads <= 1024, "threads", "between 0 (automatic) and 1024", threads);
    require(earlyStoppingPatience >= 0, "early-stopping patience", "0 or more",
            earlyStoppingPatience);
    require(scheduleEpochs >= 0 && scheduleEpochs <= 100000, "schedule epochs", "0 to 100000",
            scheduleEpochs);
    require(schedule.stepEpochs >= 1, "schedule step", "1 epoch or more", schedule.stepEpochs);
    require(schedule.stepGamma > 0.0 && schedule.stepGamma <= 1.0, "schedule factor", "in (0, 1]",
            schedule.stepGamma);
    dataOptions.validate();
    require(reportEvery >= 1, "report interval", "1 or more", reportEvery);
    const auto& o = optimizer;
    require(std::isfinite(o.learningRate) && o.learningRate > 0.0 && o.learningRate <= 10.0,
            "learning rate", "in (0, 10]", o.learningRate);
    require(o.beta1 >= 0.0 && o.beta1 < 1.0, "beta1", "in [0, 1)", o.beta1);
    require(o.beta2 >= 0.0 && o.beta2 < 1.0, "beta2", "in [0, 1)", o.beta2);
    require(o.epsilon > 0.0 && o.epsilon < 1.0, "epsilon", "in (0, 1)", o.epsilon);
    require(o.momentum >= 0.0 && o.momentum < 1.0, "momentum", "in [0, 1)", o.momentum);
    require(o.rho > 0.0 && o.rho < 1.0, "rho", "in (0, 1)", o.rho);
    if (device != "auto" && device != "cpu" && device != "cuda")
        throw Error("device must be auto, cpu or cuda (is '" + device + "')");
}

} // namespace trainbench
