#pragma once

#include <qcustomplot.h>

#include <QVector>

namespace trainbench::ui {

/// One metric over training: per-batch points (raw, faint, behind an EMA-smoothed line) and
/// per-epoch train/test/validation points, with the best epoch marked. Zoom and pan are the
/// user's: new points never undo them until "reset view". Replots only when asked (coalesced).
class CurvePlot : public QCustomPlot
{
    Q_OBJECT

public:
    /// Another run's per-epoch values, drawn beside the live run in its own colour.
    struct Overlay
    {
        QString name;
        QColor color;
        QVector<double> epochs;
        QVector<double> test;  ///< Solid line, in the legend under the run's name.
        QVector<double> train; ///< Dashed line of the same colour.
    };

    CurvePlot(const QString& title, const QString& unit, QWidget* parent = nullptr);

    /// Removes every point.
    void clearAll();
    /// Adds per-batch values at x positions measured in epochs.
    void addBatches(const QVector<double>& x, const QVector<double>& values);
    /// Adds one epoch's values; `validation` is NaN when there is none.
    void addEpoch(int epoch, double train, double test, double validation);
    /// EMA weight of the past in [0, 1): 0 shows raw values, 0.99 is very smooth.
    void setSmoothing(double weight);
    /// Draws the best-epoch marker at `epoch` (0 hides it).
    void markBest(int epoch);
    /// Gives the view back to automatic ranges.
    void resetView();
    /// Puts the legend in `corner` of the plot area (default: top right), where the curves are not.
    void setLegendCorner(Qt::Alignment corner);
    /// Replots if anything changed since the last replot.
    void replotIfDirty();
    /// Number of per-batch points.
    int batchPointCount() const { return m_rawX.size(); }
    /// Number of per-epoch points of the training series.
    int epochPointCount() const;
    /// Replaces the overlaid runs (none: only the live run is drawn).
    void setOverlays(const QVector<Overlay>& overlays);
    /// Number of overlaid runs.
    int overlayCount() const { return m_overlays.size() / 2; }
    /// Colour of overlaid run `index`'s test line.
    QColor overlayColor(int index) const;
    /// Legend name of overlaid run `index`.
    QString overlayName(int index) const;
    /// The live run's series as CSV rows "plot,series,epoch,value" (no header).
    QString csvRows(const QString& plot) const;

private:
    void rescale();

    QCPGraph* m_raw = nullptr;
    QCPGraph* m_smooth = nullptr;
    QCPGraph* m_train = nullptr;
    QCPGraph* m_test = nullptr;
    QCPGraph* m_validation = nullptr;
    QCPItemStraightLine* m_best = nullptr;
    QVector<QCPGraph*> m_overlays; ///< Two graphs per run: test, then train.
    QVector<double> m_rawX;
    QVector<double> m_rawY;
    double m_weight = 0.6;
    double m_ema = 0.0;
    bool m_dirty = false;
    bool m_userView = false;
    QCPRange m_emptyRange; ///< The y range shown before there are values (0-100 for percents).
};

} // namespace trainbench::ui
