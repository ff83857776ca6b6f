#include "confusionmatrixwidget.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace trainbench::ui {

namespace {
constexpr int kMargin = 56;
}

ConfusionMatrixWidget::ConfusionMatrixWidget(QWidget* parent) : QWidget(parent)
{
    setObjectName("confusionMatrix");
    setMinimumSize(260, 260);
    setCursor(Qt::PointingHandCursor);
}

void ConfusionMatrixWidget::setMatrix(const std::vector<int64_t>& counts, int classes,
                                      const QStringList& names)
{
    m_counts = counts;
    m_classes = classes;
    m_names = names;
    update();
}

int64_t ConfusionMatrixWidget::total() const
{
    return std::accumulate(m_counts.begin(), m_counts.end(), int64_t(0));
}

int ConfusionMatrixWidget::labelWidth() const
{
    // Room for the longest class name, within reason; longer ones are elided (see toolTipAt()).
    int widest = 0;
    for (const QString& name : m_names)
        widest = std::max(widest, fontMetrics().horizontalAdvance(name));
    return std::clamp(widest + 8, kMargin - 20, 110);
}

QRectF ConfusionMatrixWidget::gridRect() const
{
    const int left = std::max(kMargin, labelWidth() + 20);
    const double side = std::max(10, std::min(width() - left, height() - kMargin) - 8);
    return QRectF(left, kMargin, side, side);
}

QString ConfusionMatrixWidget::toolTipAt(const QPoint& position) const
{
    const QPoint cell = cellAt(position);
    if (cell.x() < 0)
        return {};
    const auto name = [this](int k) {
        return k < m_names.size() ? m_names[k] : QString::number(k);
    };
    const int label = cell.x(), predicted = cell.y();
    const int64_t count = m_counts[size_t(label * m_classes + predicted)];
    const int64_t row = std::accumulate(m_counts.begin() + label * m_classes,
                                        m_counts.begin() + (label + 1) * m_classes, int64_t(0));
    return tr("true %1, predicted %2: %L3 images (%4% of the true %1); click to see them")
        .arg(name(label), name(predicted))
        .arg(count)
        .arg(row > 0 ? 100.0 * double(count) / double(row) : 0.0, 0, 'f', 1);
}

bool ConfusionMatrixWidget::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString tip = toolTipAt(help->pos());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(event);
}

QPoint ConfusionMatrixWidget::cellAt(const QPoint& position) const
{
    const QRectF grid = gridRect();
    if (m_classes == 0 || !grid.contains(position))
        return {-1, -1};
    const double cell = grid.width() / m_classes;
    return {int((position.y() - grid.top()) / cell), int((position.x() - grid.left()) / cell)};
}

QPoint ConfusionMatrixWidget::cellCentre(int label, int predicted) const
{
    const QRectF grid = gridRect();
    const double cell = grid.width() / std::max(1, m_classes);
    return QPointF(grid.left() + (predicted + 0.5) * cell, grid.top() + (label + 0.5) * cell)
        .toPoint();
}

void ConfusionMatrixWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    if (m_classes == 0) {
        p.drawText(rect(), Qt::AlignCenter,
                   tr("The confusion matrix appears after the first epoch."));
        return;
    }
    const QRectF grid = gridRect();
    const double cell = grid.width() / m_classes;
    QFont small = font();
    small.setPointSizeF(std::max(6.0, std::min(10.0, cell / 4)));
    p.setFont(small);
    for (int t = 0; t < m_classes; ++t) {
        const int64_t row = std::accumulate(m_counts.begin() + t * m_classes,
                                            m_counts.begin() + (t + 1) * m_classes, int64_t(0));
        for (int c = 0; c < m_classes; ++c) {
            const int64_t count = m_counts[size_t(t * m_classes + c)];
            const double share = row > 0 ? std::sqrt(double(count) / double(row)) : 0.0;
            const QRectF r(grid.left() + c * cell, grid.top() + t * cell, cell, cell);
            const QColor colour =
                t == c ? QColor::fromRgbF(1 - 0.9 * share, 1 - 0.6 * share, 1 - 0.3 * share)
                       : QColor::fromRgbF(1, 1 - 0.7 * share, 1 - 0.75 * share);
            p.fillRect(r, colour);
            p.setPen(QColor(218, 220, 224));
            p.drawRect(r);
            if (count > 0) {
                p.setPen(share > 0.6 ? Qt::white : Qt::black);
                p.drawText(r, Qt::AlignCenter, QString::number(count));
            }
        }
    }
    p.setPen(palette().windowText().color());
    const QFontMetricsF metrics(small);
    const double rowLabels = grid.left() - 22;
    for (int k = 0; k < m_classes; ++k) {
        const QString name = k < m_names.size() ? m_names[k] : QString::number(k);
        // Long names are elided, never cut; each cell's tooltip has them whole.
        p.drawText(QRectF(grid.left() + k * cell, grid.top() - 18, cell, 16), Qt::AlignCenter,
                   metrics.elidedText(name, Qt::ElideRight, cell - 2));
        p.drawText(QRectF(22, grid.top() + k * cell, rowLabels - 4, cell),
                   Qt::AlignRight | Qt::AlignVCenter,
                   metrics.elidedText(name, Qt::ElideRight, rowLabels - 4));
    }
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRectF(grid.left(), 2, grid.width(), 18), Qt::AlignCenter, tr("predicted"));
    p.save();
    p.translate(12, grid.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-grid.height() / 2, -8, grid.height(), 18), Qt::AlignCenter, tr("true"));
    p.restore();
}

void ConfusionMatrixWidget::mousePressEvent(QMouseEvent* event)
{
    const QPoint cell = cellAt(event->position().toPoint());
    if (cell.x() >= 0)
        Q_EMIT cellClicked(cell.x(), cell.y());
}

} // namespace trainbench::ui
