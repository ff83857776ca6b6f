#include "curveplot.h"

#include "plottheme.h"

#include <QFile>
#include <QTextStream>

#include <cmath>

namespace trainbench::ui {

namespace {

QCPGraph* addSeries(QCustomPlot* plot, const QString& name, const QColor& color, double width,
                    QCPScatterStyle::ScatterShape shape = QCPScatterStyle::ssNone)
{
    QCPGraph* graph = plot->addGraph();
    graph->setName(name);
    QPen pen(color);
    pen.setWidthF(width);
    graph->setPen(pen);
    if (shape != QCPScatterStyle::ssNone)
        graph->setScatterStyle(QCPScatterStyle(shape, color, Qt::white, 7));
    return graph;
}

} // namespace

CurvePlot::CurvePlot(const QString& title, const QString& unit, QWidget* parent)
    : QCustomPlot(parent)
{
    setObjectName(title);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(
        0, 0, new QCPTextElement(this, title, QFont(font().family(), 10, QFont::Bold)));
    xAxis->setLabel(tr("epoch"));
    yAxis->setLabel(unit);
    m_raw = addSeries(this, tr("train (batches)"), QColor(66, 133, 244, 50), 1.0);
    m_smooth = addSeries(this, tr("train (batches, smoothed)"), QColor(66, 133, 244), 1.5);
    m_train =
        addSeries(this, tr("train (epoch)"), QColor(25, 103, 210), 2.0, QCPScatterStyle::ssCircle);
    m_test =
        addSeries(this, tr("test (epoch)"), QColor(234, 67, 53), 2.0, QCPScatterStyle::ssDiamond);
    m_validation = addSeries(this, tr("validation (epoch)"), QColor(52, 168, 83), 2.0,
                             QCPScatterStyle::ssSquare);
    m_best = new QCPItemStraightLine(this);
    m_best->setPen(QPen(QColor(251, 188, 4), 1.5, Qt::DashLine));
    m_best->setVisible(false);
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    m_validation->removeFromLegend(); // shown once validation points exist
    m_raw->removeFromLegend();
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setPlottingHints(plottingHints() | QCP::phFastPolylines);
    connect(this, &QCustomPlot::mousePress, this, [this] { m_userView = true; });
    connect(this, &QCustomPlot::mouseWheel, this, [this] { m_userView = true; });
    setMinimumHeight(140); // two of them and the rate strip fit a 700-pixel-high screen
    m_emptyRange = unit == QStringLiteral("%") ? QCPRange(0.0, 100.0) : QCPRange(0.0, 2.5);
    PlotTheme::follow(this);
    m_dirty = true;
    replotIfDirty();
}

void CurvePlot::clearAll()
{
    for (auto* g : {m_raw, m_smooth, m_train, m_test, m_validation})
        g->data()->clear();
    m_rawX.clear();
    m_rawY.clear();
    m_ema = 0.0;
    m_best->setVisible(false);
    m_dirty = true;
}

void CurvePlot::addBatches(const QVector<double>& x, const QVector<double>& values)
{
    for (int i = 0; i < x.size(); ++i) {
        const double v = values[i];
        m_ema = m_rawX.isEmpty() ? v : m_weight * m_ema + (1.0 - m_weight) * v;
        m_rawX << x[i];
        m_rawY << v;
        m_raw->addData(x[i], v);
        m_smooth->addData(x[i], m_ema);
    }
    m_dirty = true;
}

void CurvePlot::addEpoch(int epoch, double train, double test, double validation)
{
    m_train->addData(epoch, train);
    m_test->addData(epoch, test);
    if (!std::isnan(validation)) {
        if (m_validation->data()->isEmpty())
            m_validation->addToLegend();
        m_validation->addData(epoch, validation);
    }
    m_dirty = true;
}

void CurvePlot::setSmoothing(double weight)
{
    m_weight = weight;
    m_smooth->data()->clear();
    m_ema = 0.0;
    for (int i = 0; i < m_rawX.size(); ++i) {
        m_ema = i == 0 ? m_rawY[i] : m_weight * m_ema + (1.0 - m_weight) * m_rawY[i];
        m_smooth->addData(m_rawX[i], m_ema);
    }
    m_dirty = true;
}

void CurvePlot::markBest(int epoch)
{
    m_best->setVisible(epoch > 0);
    m_best->point1->setCoords(epoch, 0);
    m_best->point2->setCoords(epoch, 1);
    m_dirty = true;
}

void CurvePlot::resetView()
{
    m_userView = false;
    rescale();
    replot();
}

void CurvePlot::setLegendCorner(Qt::Alignment corner)
{
    axisRect()->insetLayout()->setInsetAlignment(0, corner);
}

void CurvePlot::rescale()
{
    bool any = false;
    for (int i = 0; i < graphCount() && !any; ++i)
        any = graph(i)->dataCount() > 0;
    if (!any) {
        // Nothing to show yet: the ranges the values will live in, not QCustomPlot's 0-5.
        xAxis->setRange(0.0, 1.0);
        yAxis->setRange(m_emptyRange);
        return;
    }
    rescaleAxes(true);
    const QCPRange y = yAxis->range();
    const double pad = std::max(1e-6, y.size() * 0.05);
    yAxis->setRange(y.lower - pad, y.upper + pad);
    // x from the data itself: QCustomPlot widens a single point's range to both sides, and
    // epochs start at 0.
    double right = 1.0;
    for (int i = 0; i < graphCount(); ++i) {
        bool found = false;
        const QCPRange keys = graph(i)->getKeyRange(found);
        if (found)
            right = std::max(right, keys.upper);
    }
    xAxis->setRange(0.0, right + std::max(0.1, right * 0.03)); // epoch points stay off the edge
}

void CurvePlot::replotIfDirty()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    // The live run's entries only while it has points: before a run, overlaid runs have the
    // legend to themselves.
    for (auto* graph : {m_smooth, m_train, m_test}) {
        if (graph->dataCount() > 0)
            graph->addToLegend();
        else
            graph->removeFromLegend();
    }
    legend->setVisible(legend->itemCount() > 0); // no empty box on an empty plot
    if (!m_userView)
        rescale();
    replot(QCustomPlot::rpQueuedReplot);
}

void CurvePlot::setOverlays(const QVector<Overlay>& overlays)
{
    for (auto* graph : m_overlays)
        removeGraph(graph);
    m_overlays.clear();
    for (const auto& overlay : overlays) {
        QCPGraph* test =
            addSeries(this, overlay.name, overlay.color, 2.0, QCPScatterStyle::ssCircle);
        test->setData(overlay.epochs, overlay.test);
        QCPGraph* train = addSeries(this, overlay.name, overlay.color, 1.2);
        train->setPen(QPen(overlay.color, 1.2, Qt::DashLine));
        train->setData(overlay.epochs, overlay.train);
        train->removeFromLegend(); // the run's name once in the legend, on its test line
        m_overlays << test << train;
    }
    m_dirty = true;
}

QColor CurvePlot::overlayColor(int index) const
{
    return m_overlays.value(2 * index) ? m_overlays[2 * index]->pen().color() : QColor();
}

QString CurvePlot::overlayName(int index) const
{
    return m_overlays.value(2 * index) ? m_overlays[2 * index]->name() : QString();
}

int CurvePlot::epochPointCount() const
{
    return m_train->dataCount();
}

QString CurvePlot::csvRows(const QString& plot) const
{
    QString rows;
    QTextStream out(&rows);
    for (auto* g : {m_raw, m_smooth, m_train, m_test, m_validation})
        for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
            out << plot << ",\"" << g->name() << "\"," << it->key << ',' << it->value << '\n';
    return rows;
}

} // namespace trainbench::ui
