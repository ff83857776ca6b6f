#pragma once

#include "trainbench/track/runrecord.h"

namespace trainbench {

/// The tutorial Trainbench reproduces, as a run to compare with: its published per-epoch
/// numbers (the TensorFlow 2 MNIST CNN with GradientTape and TensorBoard, 5 epochs, as printed
/// in the article's output). Its metrics are never reset, so every figure is a running mean
/// over the epochs so far, train and test alike.
class TutorialReference
{
public:
    /// The published run: name "TF tutorial (published)", 5 epochs, accuracies as fractions.
    static RunRecord record();
};

} // namespace trainbench
