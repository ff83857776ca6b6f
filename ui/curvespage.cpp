#include "curvespage.h"

#include "plottheme.h"
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>

#include "curveplot.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace trainbench::ui {

CurvesPage::CurvesPage(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Smoothing"), this));
    m_smoothing = new QSlider(Qt::Horizontal, this);
    m_smoothing->setRange(0, 99);
    m_smoothing->setValue(60);
    m_smoothing->setMaximumWidth(220);
    m_smoothing->setMinimumWidth(80);
    m_smoothing->setToolTip(
        tr("Exponential moving average of the per-batch values; the raw values stay faint behind"));
    bar->addWidget(m_smoothing);
    auto* reset = new QPushButton(tr("Reset view"), this);
    reset->setToolTip(tr("Undo zoom and pan (drag to pan, wheel to zoom)"));
    bar->addWidget(reset);
    bar->addStretch();
    // One Export button with a menu: three buttons left the smoothing slider no room at 1024
    // pixels.
    auto* exportButton = new QToolButton(this);
    exportButton->setObjectName("exportCurves");
    exportButton->setText(tr("Export"));
    exportButton->setToolTip(tr("Save both plots as a PNG image, a PDF, or their values as CSV"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    exportButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto* exportMenu = new QMenu(exportButton);
    for (const QString& format :
         {QStringLiteral("PNG"), QStringLiteral("PDF"), QStringLiteral("CSV")})
        exportMenu->addAction(tr("%1…").arg(format), this,
                              [this, format] { askAndExport(format); });
    exportButton->setMenu(exportMenu);
    bar->addWidget(exportButton);
    layout->addLayout(bar);
    m_loss = new CurvePlot(tr("Loss"), tr("cross-entropy"), this);
    m_accuracy = new CurvePlot(tr("Accuracy"), tr("%"), this);
    m_accuracy->setLegendCorner(Qt::AlignBottom |
                                Qt::AlignRight); // accuracy rises: the lower right stays empty
    layout->addWidget(m_loss, 1);
    layout->addWidget(m_accuracy, 1);
    // The learning rate actually used, step by step (schedules change it): a small strip.
    m_rate = new QCustomPlot(this);
    m_rate->setObjectName("learningRatePlot");
    m_rate->setFixedHeight(90);
    m_rate->addGraph();
    m_rate->graph(0)->setLineStyle(QCPGraph::lsStepLeft);
    m_rate->graph(0)->setPen(QPen(QColor(142, 36, 170), 1.5));
    m_rate->xAxis->setLabel(tr("epoch"));
    PlotTheme::follow(m_rate);
    m_rate->yAxis->setLabel(tr("lr"));
    m_rate->yAxis->setNumberFormat("g");
    m_rate->yAxis->setNumberPrecision(2);
    m_rate->yAxis->ticker()->setTickCount(3);
    m_rate->xAxis->setRange(0, 1);
    m_rate->yAxis->setRange(0, 0.0011);
    layout->addWidget(m_rate);
    auto* showRate = new QCheckBox(tr("Learning rate"), this);
    showRate->setChecked(true);
    showRate->setToolTip(tr("Show the learning rate each step used"));
    connect(showRate, &QCheckBox::toggled, m_rate, &QWidget::setVisible);
    bar->insertWidget(bar->count() - 2, showRate); // before the stretch and the Export button

    connect(m_smoothing, &QSlider::valueChanged, this, [this](int value) {
        m_loss->setSmoothing(value / 100.0);
        m_accuracy->setSmoothing(value / 100.0);
    });
    connect(reset, &QPushButton::clicked, this, [this] {
        m_loss->resetView();
        m_accuracy->resetView();
    });
    // At most 4 repaints a second, however fast batches come: on 2 cores every replot is taken
    // from training. UI-thread CPU time in one seed-CNN epoch: 0.58 s at 10 Hz, 0.34 s at 4 Hz,
    // 0.24 s with no curves at all (30 Hz made the GUI's epoch 10-20% slower than the CLI's).
    m_replot.setInterval(250);
    connect(&m_replot, &QTimer::timeout, this, [this] {
        m_loss->replotIfDirty();
        m_accuracy->replotIfDirty();
        if (m_rateDirty && m_rate->isVisible()) {
            m_rateDirty = false;
            bool found = false;
            const QCPRange keys = m_rate->graph(0)->getKeyRange(found);
            const QCPRange values = m_rate->graph(0)->getValueRange(found);
            if (found) {
                m_rate->xAxis->setRange(0, std::max(1.0, keys.upper) * 1.03);
                m_rate->yAxis->setRange(0, values.upper * 1.1);
            }
            m_rate->replot(QCustomPlot::rpQueuedReplot);
        }
    });
    m_replot.start();
    m_loss->setSmoothing(0.6);
    m_accuracy->setSmoothing(0.6);
}

void CurvesPage::start(const RunInfo& info)
{
    m_batchesPerEpoch = std::max<int64_t>(1, info.batchesPerEpoch);
    m_bestEpoch = 0;
    m_bestLoss = std::numeric_limits<double>::infinity();
    m_loss->clearAll();
    m_accuracy->clearAll();
    m_rate->graph(0)->data()->clear();
    m_rateDirty = true;
}

void CurvesPage::addBatches(const BatchEvent& e)
{
    QVector<double> x;
    QVector<double> loss;
    QVector<double> accuracy;
    const int64_t first = e.globalStep - int64_t(e.batchLosses.size()) + 1;
    for (size_t i = 0; i < e.batchLosses.size(); ++i) {
        x << double(first + int64_t(i)) / double(m_batchesPerEpoch);
        loss << e.batchLosses[i];
        accuracy << e.batchAccuracies[i] * 100.0;
    }
    m_loss->addBatches(x, loss);
    m_accuracy->addBatches(x, accuracy);
    // The rate of the report's last step, drawn over the steps it covers.
    if (!x.isEmpty())
        m_rate->graph(0)->addData(x.front() - 1.0 / double(m_batchesPerEpoch), e.learningRate);
    m_rate->graph(0)->addData(double(e.globalStep) / double(m_batchesPerEpoch), e.learningRate);
    m_rateDirty = true;
}

void CurvesPage::addEpoch(const EpochMetrics& m)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    m_loss->addEpoch(m.epoch, m.trainLoss, m.testLoss, m.hasValidation ? m.validationLoss : nan);
    m_accuracy->addEpoch(m.epoch, m.trainAccuracy * 100.0, m.testAccuracy * 100.0,
                         m.hasValidation ? m.validationAccuracy * 100.0 : nan);
    const double monitored = m.hasValidation ? m.validationLoss : m.testLoss;
    if (monitored < m_bestLoss) {
        m_bestLoss = monitored;
        m_bestEpoch = m.epoch;
        m_loss->markBest(m_bestEpoch);
        m_accuracy->markBest(m_bestEpoch);
    }
    // An epoch's points are news: shown now, not at the next repaint tick.
    m_loss->replotIfDirty();
    m_accuracy->replotIfDirty();
}

void CurvesPage::setOverlays(const std::vector<RunRecord>& runs, const QVector<QColor>& colors)
{
    QVector<CurvePlot::Overlay> losses;
    QVector<CurvePlot::Overlay> accuracies;
    for (size_t i = 0; i < runs.size(); ++i) {
        CurvePlot::Overlay loss;
        loss.name = QString::fromStdString(runs[i].name);
        loss.color = colors.value(int(i), Qt::gray);
        CurvePlot::Overlay accuracy = loss;
        for (const auto& m : runs[i].history) {
            loss.epochs << m.epoch;
            loss.test << m.testLoss;
            loss.train << m.trainLoss;
            accuracy.epochs << m.epoch;
            accuracy.test << m.testAccuracy * 100.0;
            accuracy.train << m.trainAccuracy * 100.0;
        }
        losses << loss;
        accuracies << accuracy;
    }
    m_loss->setOverlays(losses);
    m_accuracy->setOverlays(accuracies);
    m_loss->replotIfDirty();
    m_accuracy->replotIfDirty();
}

bool CurvesPage::exportTo(const QString& format, const QString& path) const
{
    // Exactly the file the user chose: both plots in one image or document, both series in
    // one table.
    if (format == "CSV") {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
            return false;
        const QByteArray csv = ("plot,series,epoch,value\n" + m_loss->csvRows("loss") +
                                m_accuracy->csvRows("accuracy"))
                                   .toUtf8();
        return file.write(csv) == csv.size() && file.flush();
    }
    const int width = std::max(m_loss->width(), 800);
    const int height = std::max(m_loss->height(), 300);
    if (format == "PNG") {
        const QPixmap loss = m_loss->toPixmap(width, height, 2.0);
        const QPixmap accuracy = m_accuracy->toPixmap(width, height, 2.0);
        QImage both(loss.width(), loss.height() + accuracy.height(), QImage::Format_ARGB32);
        both.fill(Qt::white);
        QPainter painter(&both);
        painter.drawPixmap(0, 0, loss);
        painter.drawPixmap(0, loss.height(), accuracy);
        painter.end();
        return both.save(path, "PNG");
    }
    QPdfWriter pdf(path);
    pdf.setPageSize(QPageSize(QSizeF(width, 2 * height), QPageSize::Point));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setResolution(72);
    QCPPainter painter(&pdf);
    if (!painter.isActive())
        return false;
    painter.setMode(QCPPainter::pmVectorized);
    m_loss->toPainter(&painter, width, height);
    painter.translate(0, height);
    m_accuracy->toPainter(&painter, width, height);
    return true;
}

void CurvesPage::askAndExport(const QString& format)
{
    const QString suffix = format.toLower();
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export curves"), "curves." + suffix,
                                     QStringLiteral("%1 (*.%2)").arg(format, suffix));
    if (path.isEmpty())
        return;
    if (!exportTo(format, path))
        QMessageBox::warning(this, tr("Export failed"),
                             tr("Could not write %1").arg(QDir::toNativeSeparators(path)));
}

} // namespace trainbench::ui
