#pragma once

#include "trainbench/train/trainingconfig.h"

#include <string>
#include <utility>
#include <vector>

namespace trainbench {

/// A grid of settings to train one run each: values for some of lr, batch-size, optimizer,
/// model, epochs, seed and momentum; the runs are their product.
class SweepGrid
{
public:
    /// One run of the grid: the config and a title naming the values that vary
    /// ("lr=0.001 batch-size=32").
    struct Point
    {
        TrainingConfig config;
        std::string title;
    };

    /// The keys a grid may vary.
    static const std::vector<std::string>& keys();
    /// Adds `key` with `values`; throws Error naming the key when it is unknown, repeated or
    /// has no values.
    void add(const std::string& key, const std::vector<std::string>& values);
    /// Parses "KEY=V1,V2,..." and adds it; throws Error naming the text.
    void add(const std::string& spec);
    /// Number of runs (the product of the value counts; 0 for an empty grid).
    size_t size() const;
    /// Every point, `base` with the grid's values applied, in order (the last key varies
    /// fastest); throws Error naming the key and value that cannot be used, before any run.
    std::vector<Point> expand(const TrainingConfig& base) const;

private:
    std::vector<std::pair<std::string, std::vector<std::string>>> m_axes;
};

} // namespace trainbench
