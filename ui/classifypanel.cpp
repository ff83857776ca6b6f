#include "classifypanel.h"

#include "sampleimage.h"
#include "trainbench/common/error.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace trainbench::ui {

namespace {

Image toImage(const QImage& picture)
{
    const QImage rgb = picture.convertToFormat(QImage::Format_RGB888);
    Image image;
    image.width = rgb.width();
    image.height = rgb.height();
    image.channels = 3;
    image.pixels.resize(size_t(image.width) * size_t(image.height) * 3);
    for (int y = 0; y < rgb.height(); ++y)
        std::copy_n(rgb.constScanLine(y), size_t(image.width) * 3,
                    image.pixels.begin() + long(y) * image.width * 3);
    return image;
}

QImage toQImage(const Image& image)
{
    if (image.channels == 1)
        return QImage(image.pixels.data(), image.width, image.height, image.width,
                      QImage::Format_Grayscale8)
            .copy();
    return QImage(image.pixels.data(), image.width, image.height, image.width * 3,
                  QImage::Format_RGB888)
        .copy();
}

} // namespace

ClassifyPanel::ClassifyPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* buttons = new QHBoxLayout;
    auto* open = new QPushButton(tr("Open images…"), this);
    open->setObjectName("openImages");
    open->setToolTip(tr("Classify PNG, JPEG or BMP files (you can also drop them here)"));
    auto* paste = new QPushButton(tr("Paste"), this);
    paste->setToolTip(tr("Classify the picture on the clipboard (Ctrl+V)"));
    auto* clear = new QPushButton(tr("Clear list"), this);
    clear->setToolTip(tr("Remove every image from the list"));
    buttons->addWidget(open);
    buttons->addWidget(paste);
    buttons->addWidget(clear);
    buttons->addStretch();
    layout->addLayout(buttons);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet("color: #b3261e");
    m_problem->setVisible(false);
    layout->addWidget(m_problem);
    m_list = new QListWidget(this);
    m_list->setObjectName("classifyList");
    m_list->setIconSize(QSize(48, 48));
    m_list->setToolTip(tr("Open, drop or paste images to see what the model says about each"));
    layout->addWidget(m_list, 1);

    connect(open, &QPushButton::clicked, this, [this] {
        const QStringList files =
            QFileDialog::getOpenFileNames(this, tr("Images to classify"), QString(),
                                          tr("Images (*.png *.jpg *.jpeg *.bmp);;All files (*)"));
        for (const QString& file : files)
            addFile(file);
    });
    auto pasteNow = [this] {
        const QMimeData* data = QApplication::clipboard()->mimeData();
        if (data && data->hasImage())
            addPicture(qvariant_cast<QImage>(data->imageData()), tr("pasted picture"));
        else if (data && data->hasUrls() && !data->urls().isEmpty() &&
                 data->urls().first().isLocalFile())
            addFile(data->urls().first().toLocalFile());
        else {
            m_problem->setText(tr("The clipboard holds no picture."));
            m_problem->setVisible(true);
        }
    };
    connect(paste, &QPushButton::clicked, this, pasteNow);
    auto* pasteShortcut =
        new QShortcut(QKeySequence::Paste, this, pasteNow, Qt::WidgetWithChildrenShortcut);
    pasteShortcut->setWhatsThis(tr("Classify tab: classify the image on the clipboard"));
    connect(clear, &QPushButton::clicked, this, [this] {
        m_entries.clear();
        m_list->clear();
        showChosen();
    });
    connect(m_list, &QListWidget::currentRowChanged, this, &ClassifyPanel::showChosen);
}

void ClassifyPanel::setPredictor(std::shared_ptr<const Predictor> predictor)
{
    m_predictor = std::move(predictor);
    for (size_t i = 0; i < m_entries.size(); ++i) {
        classify(m_entries[i]);
        refreshRow(int(i));
    }
    showChosen();
}

bool ClassifyPanel::addFile(const QString& path)
{
    try {
        // Decoded in colour; the predictor makes it gray when its model is.
        Image image = Image::load(QDir::fromNativeSeparators(path).toStdString(), 3);
        m_problem->setVisible(false);
        m_entries.push_back({QFileInfo(path).fileName(), std::move(image), std::nullopt, {}});
    } catch (const Error& e) {
        m_problem->setText(QString::fromUtf8(e.what()));
        m_problem->setVisible(true);
        return false;
    }
    classify(m_entries.back());
    m_list->addItem(QString());
    refreshRow(int(m_entries.size()) - 1);
    m_list->setCurrentRow(int(m_entries.size()) - 1);
    return true;
}

void ClassifyPanel::addPicture(const QImage& picture, const QString& name)
{
    if (picture.isNull())
        return;
    m_problem->setVisible(false);
    m_entries.push_back({name, toImage(picture), std::nullopt, {}});
    classify(m_entries.back());
    m_list->addItem(QString());
    refreshRow(int(m_entries.size()) - 1);
    m_list->setCurrentRow(int(m_entries.size()) - 1);
}

int ClassifyPanel::count() const
{
    return m_list->count();
}

QString ClassifyPanel::rowText(int row) const
{
    return row >= 0 && row < m_list->count() ? m_list->item(row)->text() : QString();
}

QString ClassifyPanel::problem() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

void ClassifyPanel::classify(Entry& entry) const
{
    entry.prediction.reset();
    entry.error.clear();
    if (!m_predictor)
        return;
    try {
        entry.prediction = m_predictor->predictImage(entry.image);
        if (!entry.prediction)
            entry.error = tr("nothing to classify (an empty picture)");
    } catch (const Error& e) {
        entry.error = QString::fromUtf8(e.what());
    }
}

void ClassifyPanel::refreshRow(int row)
{
    const Entry& entry = m_entries[size_t(row)];
    QListWidgetItem* item = m_list->item(row);
    item->setIcon(QIcon(QPixmap::fromImage(
        toQImage(entry.image).scaled(48, 48, Qt::KeepAspectRatio, Qt::SmoothTransformation))));
    QString text = entry.name;
    if (entry.prediction) {
        const auto names = m_predictor->classNames();
        text += tr(": %1 · %2%")
                    .arg(QString::fromStdString(names[size_t(entry.prediction->digit)]))
                    .arg(entry.prediction->confidence * 100.0, 0, 'f', 1);
    } else if (!entry.error.isEmpty()) {
        text += ": " + entry.error;
    } else {
        text += tr(": no model yet");
    }
    item->setText(text);
    item->setToolTip(text);
}

void ClassifyPanel::showChosen()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= int(m_entries.size()) || !m_predictor) {
        Q_EMIT chosen(QImage(), nullptr);
        return;
    }
    const Entry& entry = m_entries[size_t(row)];
    QImage seen = toQImage(entry.image);
    try {
        const auto shape = m_predictor->inputShape();
        const auto planes = m_predictor->inputPlanes(entry.image);
        seen = SampleImage::fromPixels(planes.data(), int(shape[1]), int(shape[2]), int(shape[0]));
    } catch (const Error&) {
        // The entry's own error is in its row; show the picture as it is.
    }
    Q_EMIT chosen(seen, entry.prediction ? &*entry.prediction : nullptr);
}

} // namespace trainbench::ui
