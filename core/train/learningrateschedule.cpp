#include "trainbench/train/learningrateschedule.h"
#include "trainbench/common/text.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace trainbench {

double LearningRateSchedule::at(double baseRate, double progress, int epochs) const
{
    switch (type) {
    case ScheduleType::Constant:
        return baseRate;
    case ScheduleType::Step:
        return baseRate * std::pow(stepGamma, std::floor(progress / std::max(1, stepEpochs)));
    case ScheduleType::Cosine: {
        const double t = std::clamp(progress / std::max(1, epochs), 0.0, 1.0);
        const double pi = std::acos(-1.0); // M_PI is not standard C++
        return baseRate * 0.5 * (1.0 + std::cos(pi * t));
    }
    }
    return baseRate;
}

std::string toString(ScheduleType type)
{
    switch (type) {
    case ScheduleType::Constant:
        return "constant";
    case ScheduleType::Step:
        return "step";
    case ScheduleType::Cosine:
        return "cosine";
    }
    return "?";
}

std::optional<ScheduleType> scheduleTypeFromString(const std::string& name)
{
    const std::string key = Text::lower(name);
    for (auto type : {ScheduleType::Constant, ScheduleType::Step, ScheduleType::Cosine})
        if (toString(type) == key)
            return type;
    return std::nullopt;
}

} // namespace trainbench
