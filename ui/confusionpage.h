#pragma once

#include "metatypes.h"

#include <QWidget>

class QChartView;

namespace trainbench::ui {

class ConfusionMatrixWidget;

/// The confusion matrix heatmap beside a Qt Charts bar chart of per-class accuracy.
class ConfusionPage : public QWidget
{
    Q_OBJECT

public:
    explicit ConfusionPage(QWidget* parent = nullptr);

    /// Shows an epoch's matrix; `names` label the classes.
    void setDetails(const trainbench::EpochDetails& details, const QStringList& names);
    /// Marks what is shown as the previous run's (until the next setDetails()).
    void setStale(bool stale);
    bool isStale() const;
    ConfusionMatrixWidget* matrix() const { return m_matrix; }
    /// Per-class accuracy (fraction) as last shown.
    const QVector<double>& classAccuracy() const { return m_accuracy; }

private:
    class StaleBanner* m_stale = nullptr;
    ConfusionMatrixWidget* m_matrix = nullptr;
    QChartView* m_chart = nullptr;
    QVector<double> m_accuracy;
};

} // namespace trainbench::ui
