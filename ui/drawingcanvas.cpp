#include "drawingcanvas.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTabletEvent>
#include <QTouchEvent>

namespace trainbench::ui {

DrawingCanvas::DrawingCanvas(QWidget* parent) : QWidget(parent)
{
    setObjectName("drawingCanvas");
    setMinimumSize(200, 200);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_AcceptTouchEvents);
    setCursor(Qt::CrossCursor);
    setToolTip(tr("Draw one digit. Esc or Delete clears, Ctrl+Z undoes the last stroke."));
}

void DrawingCanvas::setPenWidth(double fraction)
{
    m_penWidth = fraction;
    update();
    Q_EMIT changed();
}

void DrawingCanvas::clear()
{
    if (!isEmpty())
        m_cleared.push_back({m_strokes, m_picture}); // Clear can be undone
    m_strokes.clear();
    m_picture = QImage();
    update();
    Q_EMIT changed();
}

void DrawingCanvas::undo()
{
    if (!m_strokes.isEmpty()) {
        m_strokes.removeLast();
    } else if (!m_picture.isNull()) {
        m_picture = QImage();
    } else if (!m_cleared.isEmpty()) {
        // An empty canvas: undo the last Clear.
        m_strokes = m_cleared.back().first;
        m_picture = m_cleared.back().second;
        m_cleared.removeLast();
    }
    update();
    Q_EMIT changed();
}

void DrawingCanvas::setPicture(const QImage& image)
{
    m_strokes.clear();
    m_picture = image.convertToFormat(QImage::Format_Grayscale8);
    update();
    Q_EMIT changed();
}

QPointF DrawingCanvas::normalised(const QPointF& position) const
{
    const double side = std::min(width(), height());
    const QPointF origin((width() - side) / 2.0, (height() - side) / 2.0);
    return (position - origin) / side;
}

void DrawingCanvas::begin(const QPointF& position)
{
    m_drawing = true;
    m_picture = QImage();
    m_strokes.append(QPolygonF({normalised(position)}));
    update();
}

void DrawingCanvas::extend(const QPointF& position)
{
    if (!m_drawing || m_strokes.isEmpty())
        return;
    m_strokes.last().append(normalised(position));
    update();
    Q_EMIT changed();
}

void DrawingCanvas::end()
{
    if (!m_drawing)
        return;
    m_drawing = false;
    Q_EMIT changed();
}

void DrawingCanvas::render(QPainter& painter, const QRectF& target) const
{
    painter.fillRect(target, Qt::white);
    if (!m_picture.isNull()) {
        const QSizeF size = QSizeF(m_picture.size()).scaled(target.size(), Qt::KeepAspectRatio);
        const QRectF placed(target.center() - QPointF(size.width() / 2, size.height() / 2), size);
        painter.drawImage(placed, m_picture);
    }
    const double side = std::min(target.width(), target.height());
    QPen pen(Qt::black, m_penWidth * side, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    painter.setPen(pen);
    painter.setRenderHint(QPainter::Antialiasing);
    for (const auto& stroke : m_strokes) {
        QPolygonF scaled;
        for (const auto& point : stroke)
            scaled << target.topLeft() + point * side;
        if (scaled.size() == 1)
            painter.drawPoint(scaled.front());
        else
            painter.drawPolyline(scaled);
    }
}

void DrawingCanvas::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    const double side = std::min(width(), height());
    const QRectF square((width() - side) / 2.0, (height() - side) / 2.0, side, side);
    render(painter, square);
    painter.setPen(QPen(palette().mid().color(), 1));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(square.adjusted(0, 0, -1, -1));
    if (isEmpty()) {
        painter.setPen(palette().placeholderText().color());
        painter.drawText(square, Qt::AlignCenter, tr("Draw a digit here"));
    }
}

trainbench::GrayImage DrawingCanvas::picture(int size) const
{
    QImage image(size, size, QImage::Format_Grayscale8);
    QPainter painter(&image);
    render(painter, QRectF(0, 0, size, size));
    painter.end();
    trainbench::GrayImage out(size, size);
    for (int y = 0; y < size; ++y)
        std::copy_n(image.constScanLine(y), size, out.pixels.begin() + long(y) * size);
    return out;
}

void DrawingCanvas::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton)
        begin(event->position());
}

void DrawingCanvas::mouseMoveEvent(QMouseEvent* event)
{
    if (event->buttons() & Qt::LeftButton)
        extend(event->position());
}

void DrawingCanvas::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        extend(event->position());
        end();
    }
}

void DrawingCanvas::tabletEvent(QTabletEvent* event)
{
    switch (event->type()) {
    case QEvent::TabletPress:
        begin(event->position());
        break;
    case QEvent::TabletMove:
        extend(event->position());
        break;
    case QEvent::TabletRelease:
        end();
        break;
    default:
        break;
    }
    event->accept();
}

bool DrawingCanvas::event(QEvent* event)
{
    switch (event->type()) {
    case QEvent::TouchBegin:
    case QEvent::TouchUpdate:
    case QEvent::TouchEnd: {
        auto* touch = static_cast<QTouchEvent*>(event);
        if (touch->points().isEmpty())
            return true;
        const QPointF position = touch->points().first().position();
        if (event->type() == QEvent::TouchBegin)
            begin(position);
        else if (event->type() == QEvent::TouchUpdate)
            extend(position);
        else
            end();
        return true;
    }
    default:
        return QWidget::event(event);
    }
}

void DrawingCanvas::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Escape || event->key() == Qt::Key_Delete)
        clear();
    else if (event->matches(QKeySequence::Undo))
        undo();
    else
        QWidget::keyPressEvent(event);
}

} // namespace trainbench::ui
