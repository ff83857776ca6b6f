#include "plottheme.h"

#include <QAbstractAxis>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QLegend>
#include <qcustomplot.h>

namespace trainbench::ui {

bool PlotTheme::isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < palette.color(QPalette::Text).lightness();
}

void PlotTheme::follow(QCustomPlot* plot)
{
    plot->installEventFilter(new PlotTheme(plot));
    apply(plot);
}

void PlotTheme::follow(QChartView* view)
{
    view->installEventFilter(new PlotTheme(view));
    apply(view);
}

bool PlotTheme::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::Show) {
        if (auto* plot = qobject_cast<QCustomPlot*>(watched))
            apply(plot);
        else if (auto* view = qobject_cast<QChartView*>(watched))
            apply(view);
    }
    return QObject::eventFilter(watched, event);
}

void PlotTheme::apply(QCustomPlot* plot)
{
    const QPalette palette = plot->palette();
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    QColor grid = palette.color(QPalette::Mid);
    if (isDark(palette))
        grid = base.lighter(190);
    plot->setBackground(base);
    for (QCPAxisRect* rect : plot->axisRects()) {
        rect->setBackground(base);
        for (QCPAxis* axis : rect->axes()) {
            axis->setBasePen(QPen(text, 1));
            axis->setTickPen(QPen(text, 1));
            axis->setSubTickPen(QPen(text, 1));
            axis->setTickLabelColor(text);
            axis->setLabelColor(text);
            axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
            axis->grid()->setZeroLinePen(QPen(grid, 1, Qt::SolidLine));
        }
    }
    if (plot->legend) {
        plot->legend->setBrush(base);
        plot->legend->setTextColor(text);
        plot->legend->setBorderPen(QPen(grid));
    }
    for (QCPLayoutElement* element : plot->plotLayout()->elements(true))
        if (auto* title = qobject_cast<QCPTextElement*>(element))
            title->setTextColor(text);
    plot->replot(QCustomPlot::rpQueuedReplot);
}

void PlotTheme::apply(QChartView* view)
{
    QChart* chart = view->chart();
    if (!chart)
        return;
    const QPalette palette = view->palette();
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    const QColor grid = isDark(palette) ? base.lighter(190) : palette.color(QPalette::Midlight);
    view->setBackgroundBrush(base);
    chart->setBackgroundBrush(base);
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(text);
        axis->setGridLineColor(grid);
    }
}

} // namespace trainbench::ui
