#pragma once

#include <QObject>
#include <QPalette>

class QCustomPlot;
class QChartView;

namespace trainbench::ui {

/// Colours QCustomPlot plots and Qt Charts from their widget's palette — light or dark, as the
/// desktop's theme says — and again whenever the palette changes or the plot is shown: axes,
/// labels, grid, legend and background follow the palette; data colours stay, chosen to read
/// on both.
class PlotTheme : public QObject
{
    Q_OBJECT

public:
    /// Themes `plot` now and from now on.
    static void follow(QCustomPlot* plot);
    /// Themes `view`'s chart now and from now on.
    static void follow(QChartView* view);
    /// True for a palette with light text on a dark background.
    static bool isDark(const QPalette& palette);
    /// Colours `plot` from its palette now (after axes were added, say).
    static void apply(QCustomPlot* plot);
    /// Colours `view`'s chart from its palette now (after axes were added, say).
    static void apply(QChartView* view);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    explicit PlotTheme(QObject* parent) : QObject(parent) {}
};

} // namespace trainbench::ui
