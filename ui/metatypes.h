#pragma once

#include "trainbench/batchevent.h"
#include "trainbench/epochdetails.h"
#include "trainbench/epochmetrics.h"
#include "trainbench/runinfo.h"

#include <QMetaType>

// Core's plain value types travel in queued signals between the training thread and the UI.
Q_DECLARE_METATYPE(trainbench::RunInfo)
Q_DECLARE_METATYPE(trainbench::BatchEvent)
Q_DECLARE_METATYPE(trainbench::EpochMetrics)
Q_DECLARE_METATYPE(trainbench::EpochDetails)
