#pragma once

#include "trainbench/train/batchevent.h"
#include "trainbench/train/epochdetails.h"
#include "trainbench/train/epochmetrics.h"
#include "trainbench/train/runinfo.h"

#include <string>

namespace trainbench {

/// Receives a Trainer's reports, on the trainer's thread; implementations must return quickly.
class TrainingObserver
{
public:
    virtual ~TrainingObserver() = default;
    /// The dataset is loaded and the model built; training begins.
    virtual void onStarted(const RunInfo& info) { (void)info; }
    /// Every `reportEvery` batches and at the last batch of an epoch.
    virtual void onBatchEnd(const BatchEvent& event) { (void)event; }
    /// After an epoch's evaluation, just before onEpochEnd(): confusion matrix, sample
    /// predictions and weight histograms; only when some observer wantsEpochDetails().
    virtual void onEpochDetails(const EpochDetails& details) { (void)details; }
    /// Whether this observer uses onEpochDetails(); they cost a pass over the test answers
    /// and the weights every epoch, so they are made only when someone asks.
    virtual bool wantsEpochDetails() const { return false; }
    /// After an epoch's evaluation.
    virtual void onEpochEnd(const EpochMetrics& metrics) { (void)metrics; }
    /// The run ended normally; `stopped` is true when it ended on a stop request.
    virtual void onFinished(bool stopped) { (void)stopped; }
    /// The run failed; `message` says why. No other call follows.
    virtual void onFailed(const std::string& message) { (void)message; }
};

} // namespace trainbench
