#pragma once

#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <vector>

namespace trainbench::ui {

/// A confusion matrix heatmap with counts; rows are true classes, columns predicted ones.
/// Clicking a cell emits cellClicked().
class ConfusionMatrixWidget : public QWidget
{
    Q_OBJECT

public:
    explicit ConfusionMatrixWidget(QWidget* parent = nullptr);

    /// Shows `counts` (classes x classes, row-major).
    void setMatrix(const std::vector<int64_t>& counts, int classes, const QStringList& names);
    /// Sum of all cells.
    int64_t total() const;
    /// The cell under a widget position, or (-1, -1).
    QPoint cellAt(const QPoint& position) const;
    /// Centre of a cell in widget coordinates.
    QPoint cellCentre(int label, int predicted) const;
    /// The tooltip at `position`: the cell's class names in full, its count and share.
    QString toolTipAt(const QPoint& position) const;
    QSize sizeHint() const override { return {420, 420}; }

Q_SIGNALS:
    void cellClicked(int label, int predicted);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRectF gridRect() const;
    int labelWidth() const;

    std::vector<int64_t> m_counts;
    int m_classes = 0;
    QStringList m_names;
};

} // namespace trainbench::ui
