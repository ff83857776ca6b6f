#pragma once

#include "trainbench/infer/grayimage.h"

#include <QImage>
#include <QPolygonF>
#include <QVector>
#include <QWidget>

namespace trainbench::ui {

/// A canvas to draw a digit on with the mouse, a pen/tablet or touch: round pen of adjustable
/// width, Esc/Delete clears, Ctrl+Z undoes the last stroke. Strokes are kept as geometry, so the
/// canvas stays sharp at any size and on high-DPI screens. A dropped image can serve as background.
class DrawingCanvas : public QWidget
{
    Q_OBJECT

public:
    explicit DrawingCanvas(QWidget* parent = nullptr);

    /// Pen width as a fraction of the canvas's shorter side.
    void setPenWidth(double fraction);
    double penWidth() const { return m_penWidth; }
    /// Removes every stroke and the background image.
    void clear();
    /// Removes the last stroke.
    void undo();
    /// Shows `image` as the picture (replacing strokes).
    void setPicture(const QImage& image);
    /// True when nothing is drawn.
    bool isEmpty() const { return m_strokes.isEmpty() && m_picture.isNull(); }
    /// The drawing as a grayscale picture, dark ink on white, `size` pixels square.
    trainbench::GrayImage picture(int size = 280) const;

Q_SIGNALS:
    /// The drawing changed.
    void changed();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void tabletEvent(QTabletEvent* event) override;
    bool event(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void begin(const QPointF& position);
    void extend(const QPointF& position);
    void end();
    QPointF normalised(const QPointF& position) const;
    void render(QPainter& painter, const QRectF& target) const;

    QVector<QPolygonF> m_strokes; ///< In [0, 1] x [0, 1] coordinates.
    QImage m_picture;
    QVector<QPair<QVector<QPolygonF>, QImage>> m_cleared; ///< What each Clear removed, for undo.
    double m_penWidth = 0.07;
    bool m_drawing = false;
};

} // namespace trainbench::ui
