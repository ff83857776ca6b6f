#include "drawpage.h"

#include "plottheme.h"
#include <QRegularExpression>
#include <QShortcut>

#include "classifypanel.h"
#include "drawingcanvas.h"
#include "sampleimage.h"
#include "trainbench/common/error.h"
#include "trainbench/infer/digitpreprocessor.h"
#include "trainbench/infer/predictor.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDragEnterEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMimeData>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QValueAxis>

namespace trainbench::ui {

DrawPage::DrawPage(QWidget* parent) : QWidget(parent)
{
    setAcceptDrops(true);
    auto* layout = new QHBoxLayout(this);
    m_modes = new QStackedWidget(this);
    auto* drawing = new QWidget(m_modes);
    auto* left = new QVBoxLayout(drawing);
    left->setContentsMargins(0, 0, 0, 0);
    m_canvas = new DrawingCanvas(this);
    left->addWidget(m_canvas, 1);
    auto* tools = new QHBoxLayout;
    tools->addWidget(new QLabel(tr("Pen"), this));
    m_pen = new QSlider(Qt::Horizontal, this);
    m_pen->setRange(2, 20);
    m_pen->setValue(7);
    m_pen->setToolTip(tr("Pen width"));
    tools->addWidget(m_pen);
    auto* undo = new QPushButton(tr("Undo"), this);
    undo->setToolTip(tr("Undo the last stroke (Ctrl+Z)"));
    auto* clear = new QPushButton(tr("Clear"), this);
    clear->setToolTip(tr("Clear the canvas (Esc or Delete)"));
    tools->addWidget(undo);
    tools->addWidget(clear);
    left->addLayout(tools);
    m_modes->addWidget(drawing);
    m_classify = new ClassifyPanel(m_modes);
    m_modes->addWidget(m_classify);
    layout->addWidget(m_modes, 3);
    connect(m_classify, &ClassifyPanel::chosen, this, &DrawPage::showChosen);

    auto* right = new QVBoxLayout;
    m_status = new QLabel(tr("No model yet: train one, or open a checkpoint."), this);
    m_status->setWordWrap(true);
    auto* open = new QPushButton(tr("Open model…"), this);
    open->setToolTip(tr("Use a Trainbench checkpoint (you can also drop one here)"));
    right->addWidget(m_status);
    right->addWidget(open);
    m_answerLabel = new QLabel(this);
    m_answerLabel->setObjectName("answer");
    QFont big = font();
    big.setPointSize(28);
    big.setBold(true);
    m_answerLabel->setFont(big);
    m_answerLabel->setAlignment(Qt::AlignCenter);
    right->addWidget(m_answerLabel);
    auto* inputRow = new QHBoxLayout;
    m_input = new QLabel(this);
    m_input->setFixedSize(28 * 4, 28 * 4);
    m_input->setStyleSheet("background: black");
    m_input->setToolTip(tr("The image as the model sees it"));
    inputRow->addWidget(m_input);
    m_saliency = new QCheckBox(tr("Saliency"), this);
    m_saliency->setToolTip(tr("Colour the pixels that sway the top class most (input gradient)"));
    inputRow->addWidget(m_saliency);
    inputRow->addStretch();
    right->addLayout(inputRow);
    auto* chart = new QChart;
    chart->legend()->hide();
    chart->setTitle(tr("Probabilities"));
    m_chart = new QChartView(chart, this);
    PlotTheme::follow(m_chart);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumSize(240, 140);
    right->addWidget(m_chart, 1);
    layout->addLayout(right, 2);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(30); // answer while drawing, without predicting on every mouse move
    connect(&m_debounce, &QTimer::timeout, this, &DrawPage::predictNow);
    connect(m_canvas, &DrawingCanvas::changed, this, [this] { m_debounce.start(); });
    connect(m_pen, &QSlider::valueChanged, this,
            [this](int v) { m_canvas->setPenWidth(v / 100.0); });
    connect(undo, &QPushButton::clicked, m_canvas, &DrawingCanvas::undo);
    connect(clear, &QPushButton::clicked, m_canvas, &DrawingCanvas::clear);
    // Window-wide while this tab is shown (a hidden page's shortcuts do not fire), so they keep
    // working after focus moves to the pen slider or the Saliency box.
    for (const QKeySequence& key : {QKeySequence(Qt::Key_Escape), QKeySequence(Qt::Key_Delete)}) {
        auto* shortcut =
            new QShortcut(key, this, m_canvas, &DrawingCanvas::clear, Qt::WindowShortcut);
        shortcut->setObjectName("clearShortcut");
        shortcut->setWhatsThis(tr("Draw tab: clear the drawing"));
    }
    auto* undoShortcut =
        new QShortcut(QKeySequence::Undo, this, m_canvas, &DrawingCanvas::undo, Qt::WindowShortcut);
    undoShortcut->setWhatsThis(tr("Draw tab: undo the last stroke or clear"));
    connect(m_saliency, &QCheckBox::toggled, this, &DrawPage::predictNow);
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open model"), QString(),
                                         tr("Trainbench checkpoints (*.ckpt);;All files (*)"));
        if (!path.isEmpty())
            openModel(path);
    });
    showProbabilities({}, -1);
}

DrawPage::~DrawPage() = default;

QString DrawPage::describe(const Predictor& predictor)
{
    // Core describes a model in English ("NAME just trained, N epochs, test accuracy X%" or
    // "NAME, N epochs, test accuracy X%"); the window says it in its own language.
    const QString text = QString::fromStdString(predictor.description());
    static const QRegularExpression pattern(
        QStringLiteral("^(.+?)( just trained)?, (\\d+) epochs?(, test accuracy ([0-9.]+)%)?$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return text;
    const int epochs = match.captured(3).toInt();
    const QString count = epochs == 1 ? tr("1 epoch") : tr("%1 epochs").arg(epochs);
    const QString accuracy = match.captured(5);
    const QString name = match.captured(1);
    if (!match.captured(2).isEmpty())
        return accuracy.isEmpty()
                   ? tr("%1 just trained, %2").arg(name, count)
                   : tr("%1 just trained, %2, test accuracy %3%").arg(name, count, accuracy);
    return accuracy.isEmpty() ? tr("%1, %2").arg(name, count)
                              : tr("%1, %2, test accuracy %3%").arg(name, count, accuracy);
}

QString DrawPage::status() const
{
    return m_status->text();
}

void DrawPage::setPredictor(std::shared_ptr<const Predictor> predictor, const QString& source)
{
    const bool wasClassifying = classifying();
    m_predictor = std::move(predictor);
    m_source = source;
    m_status->setText(tr("Model: %1").arg(source));
    m_status->setStyleSheet(QString());
    const bool classify = classifying();
    m_modes->setCurrentIndex(classify ? 1 : 0);
    m_saliency->setVisible(!classify);
    m_classify->setPredictor(m_predictor);
    if (!classify)
        predictNow();
    if (classify != wasClassifying)
        Q_EMIT modeChanged(classify);
}

bool DrawPage::classifying() const
{
    return m_predictor && !m_predictor->digits();
}

void DrawPage::showChosen(const QImage& seen, const Prediction* prediction)
{
    if (!classifying())
        return;
    m_input->setPixmap(seen.isNull()
                           ? QPixmap()
                           : QPixmap::fromImage(seen.scaled(m_input->size(), Qt::KeepAspectRatio,
                                                            Qt::FastTransformation)));
    if (!prediction) {
        m_answer.reset();
        m_answerLabel->setText(m_predictor ? tr("open an image") : QString());
        showProbabilities({}, -1);
        return;
    }
    m_answer = prediction->digit;
    const auto names = m_predictor->classNames();
    m_answerLabel->setText(tr("%1 · %2%")
                               .arg(QString::fromStdString(names[size_t(prediction->digit)]))
                               .arg(prediction->confidence * 100.0, 0, 'f', 1));
    showProbabilities(prediction->probabilities, prediction->digit);
}

void DrawPage::markPrevious()
{
    if (!m_predictor)
        return;
    m_status->setText(
        tr("Model: %1 (the previous run's: the new run's model comes when it ends)").arg(m_source));
}

bool DrawPage::openModel(const QString& path)
{
    try {
        auto predictor = Predictor::fromCheckpoint(path.toStdString());
        setPredictor(predictor, describe(*predictor));
        return true;
    } catch (const Error& e) {
        m_status->setText(QString::fromUtf8(e.what()));
        m_status->setStyleSheet("color: #b3261e");
        return false;
    }
}

bool DrawPage::openImage(const QString& path)
{
    if (classifying())
        return m_classify->addFile(path);
    try {
        const GrayImage image = GrayImage::load(path.toStdString());
        m_canvas->setPicture(QImage(image.pixels.data(), image.width, image.height, image.width,
                                    QImage::Format_Grayscale8)
                                 .copy());
        predictNow();
        return true;
    } catch (const Error& e) {
        m_status->setText(QString::fromUtf8(e.what()));
        m_status->setStyleSheet("color: #b3261e");
        return false;
    }
}

void DrawPage::predictNow()
{
    if (classifying())
        return;
    m_answer.reset();
    QElapsedTimer timer;
    timer.start();
    const auto input = DigitPreprocessor::toMnist(m_canvas->picture());
    if (!input) {
        m_input->setPixmap(QPixmap());
        m_answerLabel->setText(m_predictor ? tr("draw a digit") : QString());
        showProbabilities({}, -1);
        return;
    }
    QImage seen = SampleImage::fromPixels(input->pixels.data(), input->height, input->width)
                      .convertToFormat(QImage::Format_RGB32);
    if (!m_predictor) {
        m_input->setPixmap(QPixmap::fromImage(seen.scaled(m_input->size())));
        return;
    }
    const Prediction prediction = m_predictor->predict(*input);
    m_latencyMs = double(timer.nsecsElapsed()) / 1e6;
    m_answer = prediction.digit;
    if (m_saliency->isChecked()) {
        const auto heat = m_predictor->saliency(*input);
        for (int y = 0; y < seen.height(); ++y)
            for (int x = 0; x < seen.width(); ++x) {
                const double h = heat[size_t(y * seen.width() + x)];
                const QColor base = seen.pixelColor(x, y);
                seen.setPixelColor(x, y,
                                   QColor::fromRgbF(std::min(1.0, base.redF() * 0.6 + h),
                                                    base.greenF() * 0.6,
                                                    base.blueF() * 0.6 * (1 - h)));
            }
    }
    m_input->setPixmap(QPixmap::fromImage(
        seen.scaled(m_input->size(), Qt::IgnoreAspectRatio, Qt::FastTransformation)));
    m_answerLabel->setText(
        tr("%1 · %2%").arg(prediction.digit).arg(prediction.confidence * 100.0, 0, 'f', 1));
    m_answerLabel->setToolTip(tr("Predicted in %1 ms").arg(m_latencyMs, 0, 'f', 2));
    showProbabilities(prediction.probabilities, prediction.digit);
}

void DrawPage::showProbabilities(const std::vector<float>& probabilities, int top)
{
    auto* chart = m_chart->chart();
    chart->removeAllSeries();
    for (auto* axis : chart->axes())
        chart->removeAxis(axis);
    auto* rest = new QBarSet(tr("probability"));
    auto* best = new QBarSet(tr("answer"));
    rest->setColor(QColor(154, 160, 166));
    best->setColor(QColor(26, 115, 232));
    QStringList categories;
    const auto names = m_predictor ? m_predictor->classNames() : std::vector<std::string>{};
    const int n =
        probabilities.empty() ? int(names.empty() ? 10 : names.size()) : int(probabilities.size());
    for (int c = 0; c < n; ++c) {
        const double p = probabilities.empty() ? 0.0 : probabilities[size_t(c)] * 100.0;
        *rest << (c == top ? 0.0 : p);
        *best << (c == top ? p : 0.0);
        categories << (size_t(c) < names.size() ? QString::fromStdString(names[size_t(c)])
                                                : QString::number(c));
    }
    auto* series = new QBarSeries;
    series->setBarWidth(0.8);
    series->append(rest);
    series->append(best);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    auto* y = new QValueAxis;
    y->setRange(0, 100);
    y->setLabelFormat("%d%%");
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    PlotTheme::apply(m_chart); // the new axes in the palette's colours
}

void DrawPage::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void DrawPage::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    if (classifying()) {
        // Images to classify, or one checkpoint to use instead.
        for (const QUrl& url : urls) {
            if (!url.isLocalFile())
                continue;
            const QString file = url.toLocalFile();
            if (file.endsWith(".ckpt", Qt::CaseInsensitive))
                openModel(file);
            else
                m_classify->addFile(file);
        }
        event->acceptProposedAction();
        return;
    }
    const QString path = urls.first().toLocalFile();
    // A checkpoint if it reads as one, else an image.
    try {
        auto predictor = Predictor::fromCheckpoint(path.toStdString());
        setPredictor(predictor, describe(*predictor));
    } catch (const Error&) {
        openImage(path);
    }
    event->acceptProposedAction();
}

} // namespace trainbench::ui
