#pragma once

#include "trainbench/infer/predictor.h"
#include "trainbench/train/batchevent.h"
#include "trainbench/train/epochdetails.h"
#include "trainbench/train/epochmetrics.h"
#include "trainbench/train/runinfo.h"

#include <QMetaType>

#include <memory>

// Core's plain value types travel in queued signals between the training thread and the UI.
Q_DECLARE_METATYPE(trainbench::RunInfo)
Q_DECLARE_METATYPE(trainbench::BatchEvent)
Q_DECLARE_METATYPE(trainbench::EpochMetrics)
Q_DECLARE_METATYPE(trainbench::EpochDetails)
// A finished run's model, copied on the training thread after the run returned.
Q_DECLARE_METATYPE(std::shared_ptr<trainbench::Predictor>)
