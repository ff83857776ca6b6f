#pragma once

#include <optional>
#include <string>

namespace trainbench {

/// How the learning rate changes over a run.
enum class ScheduleType { Constant, Step, Cosine };

/// A learning-rate schedule: constant, step decay every N epochs, or cosine decay to zero.
struct LearningRateSchedule
{
    ScheduleType type = ScheduleType::Constant;
    int stepEpochs = 2;     ///< Step: epochs between decays.
    double stepGamma = 0.5; ///< Step: factor applied at each decay.

    /// Learning rate after `progress` epochs (fractional: 1.5 = half-way through the second) of
    /// `epochs`.
    double at(double baseRate, double progress, int epochs) const;
};

/// Lower-case name ("constant", "step", "cosine").
std::string toString(ScheduleType type);
/// Parses a schedule name (case-insensitive); empty when unknown.
std::optional<ScheduleType> scheduleTypeFromString(const std::string& name);

} // namespace trainbench
