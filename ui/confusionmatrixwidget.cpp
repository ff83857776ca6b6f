#include "confusionmatrixwidget.h"

#include <QMouseEvent>
#include <QPainter>

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

QRectF ConfusionMatrixWidget::gridRect() const
{
    const double side = std::max(10, std::min(width(), height()) - kMargin - 8);
    return QRectF(kMargin, kMargin, side, side);
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
    for (int k = 0; k < m_classes; ++k) {
        const QString name = k < m_names.size() ? m_names[k] : QString::number(k);
        p.drawText(QRectF(grid.left() + k * cell, grid.top() - 18, cell, 16), Qt::AlignCenter,
                   name);
        p.drawText(QRectF(grid.left() - 40, grid.top() + k * cell, 36, cell),
                   Qt::AlignRight | Qt::AlignVCenter, name);
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
