#pragma once

#include "metatypes.h"
#include "trainbench/track/runrecord.h"

#include <QColor>
#include <QVector>

#include <vector>

#include <QTimer>
#include <QWidget>

class QCustomPlot;
class QSlider;

namespace trainbench::ui {

class CurvePlot;

/// Live loss and accuracy curves with a smoothing slider, reset view and export.
/// Points arrive at any rate; the plots repaint at most ~30 times a second.
class CurvesPage : public QWidget
{
    Q_OBJECT

public:
    explicit CurvesPage(QWidget* parent = nullptr);

    void start(const trainbench::RunInfo& info);
    void addBatches(const trainbench::BatchEvent& event);
    void addEpoch(const trainbench::EpochMetrics& metrics);

    /// Draws `runs` (finished or still running elsewhere) beside the live run, each in its
    /// colour: test solid, train dashed, named by run; an empty list removes them.
    void setOverlays(const std::vector<trainbench::RunRecord>& runs, const QVector<QColor>& colors);
    /// Writes both plots to `path` as `format` ("PNG" and "PDF": one after the other in one
    /// file; "CSV": one table of every series); false when it cannot be written.
    bool exportTo(const QString& format, const QString& path) const;
    CurvePlot* lossPlot() const { return m_loss; }
    /// The learning rate each reported step used.
    QCustomPlot* learningRatePlot() const { return m_rate; }
    CurvePlot* accuracyPlot() const { return m_accuracy; }
    /// Best epoch so far by test (or validation) loss; 0 before the first.
    int bestEpoch() const { return m_bestEpoch; }

private:
    void askAndExport(const QString& format);

    CurvePlot* m_loss = nullptr;
    CurvePlot* m_accuracy = nullptr;
    QCustomPlot* m_rate = nullptr;
    bool m_rateDirty = false;
    QSlider* m_smoothing = nullptr;
    QTimer m_replot;
    int64_t m_batchesPerEpoch = 1;
    int m_bestEpoch = 0;
    double m_bestLoss = 0.0;
};

} // namespace trainbench::ui
