#include "datasetpanel.h"

#include "plottheme.h"

#include "datasetinstaller.h"
#include "sampleimage.h"
#include "trainbench/common/error.h"
#include "trainbench/data/augmentation.h"
#include "trainbench/data/dataset.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QValueAxis>

#include <atomic>

namespace trainbench::ui {

namespace {

QString appDataDir(const QString& name)
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/" + name;
}

bool hasIdx(const QString& dir)
{
    const QDir d(dir);
    return d.exists() && !d.entryList({"train-images*", "t10k-images*"}, QDir::Files).isEmpty();
}

} // namespace

QString DatasetPanel::defaultMnistDir()
{
    const QString env = qEnvironmentVariable("TRAINBENCH_DATA_DIR");
    if (!env.isEmpty())
        return env;
    const QStringList candidates = {appDataDir("mnist"),
                                    QCoreApplication::applicationDirPath() +
                                        "/../../data/mnist", // build/bin in a checkout
                                    QDir::currentPath() + "/data/mnist"};
    for (const QString& dir : candidates)
        if (hasIdx(dir))
            return QDir::cleanPath(dir);
    return appDataDir("mnist");
}

DatasetPanel::DatasetPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_source = new QComboBox(this);
    m_source->addItems({tr("MNIST"), tr("Fashion-MNIST"), tr("Folder…")});
    m_source->setToolTip(tr("Which images to train on: MNIST, Fashion-MNIST, or a folder of "
                            "your own (IDX files, CIFAR-10 batches or one subfolder of images "
                            "per class)"));
    form->addRow(tr("Source"), m_source);

    auto* folderRow = new QHBoxLayout;
    m_folder = new QLineEdit(this);
    m_folder->setObjectName("datasetFolder");
    m_folder->setToolTip(
        tr("The dataset folder: MNIST-style IDX files (train-images, train-labels, t10k-images, "
           "t10k-labels, raw or .gz); CIFAR-10 binary batches (data_batch_1.bin … "
           "test_batch.bin); or one subfolder of images (.png, .jpg, .bmp) per class, either "
           "under train/ and test/ or split by the test fraction"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    browse->setToolTip(tr("Choose a dataset folder"));
    folderRow->addWidget(m_folder);
    folderRow->addWidget(browse);
    form->addRow(tr("Folder"), folderRow);

    m_status = new QLabel(this);
    m_status->setObjectName("datasetStatus");
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_status);

    // Decoding an image folder the first time takes a while: show how far it is.
    m_loadProgress = new QProgressBar(this);
    m_loadProgress->setObjectName("datasetLoadProgress");
    m_loadProgress->setVisible(false);
    form->addRow(m_loadProgress);
    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(100);

    // Files of an image folder that could not be decoded: counted, listed on demand.
    m_skippedButton = new QToolButton(this);
    m_skippedButton->setObjectName("skippedFiles");
    m_skippedButton->setCheckable(true);
    m_skippedButton->setArrowType(Qt::RightArrow);
    m_skippedButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_skippedButton->setAutoRaise(true);
    m_skippedButton->setToolTip(tr("Show the files that were skipped and why"));
    m_skippedButton->setVisible(false);
    m_skipped = new QListWidget(this);
    m_skipped->setObjectName("skippedList");
    m_skipped->setVisible(false);
    form->addRow(m_skippedButton);
    form->addRow(m_skipped);
    connect(m_skippedButton, &QToolButton::toggled, this, [this](bool open) {
        m_skipped->setVisible(open);
        m_skippedButton->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });

    // How an image folder is decoded; IDX files and CIFAR batches have one fixed form.
    m_imageOptions = new QWidget(this);
    m_imageOptions->setObjectName("imageOptions");
    auto* imageForm = new QFormLayout(m_imageOptions);
    imageForm->setContentsMargins(0, 0, 0, 0);
    m_imageSize = new QSpinBox(m_imageOptions);
    m_imageSize->setObjectName("imageSize");
    m_imageSize->setRange(0, 512);
    m_imageSize->setSpecialValueText(tr("auto"));
    m_imageSize->setSuffix(tr(" px"));
    m_imageSize->setToolTip(tr("Side of the square images the model sees; auto: the most common "
                               "size in the folder, at most 64"));
    imageForm->addRow(tr("Image size"), m_imageSize);
    m_color = new QComboBox(m_imageOptions);
    m_color->setObjectName("imageColor");
    m_color->addItem(tr("auto"), int(ColorMode::Auto));
    m_color->addItem(tr("gray"), int(ColorMode::Gray));
    m_color->addItem(tr("colour (RGB)"), int(ColorMode::Rgb));
    m_color->setToolTip(tr("auto: colour when any image has colour, else gray"));
    imageForm->addRow(tr("Colour"), m_color);
    m_resize = new QComboBox(m_imageOptions);
    m_resize->setObjectName("imageResize");
    m_resize->addItem(tr("fit and pad"), int(ResizePolicy::Fit));
    m_resize->addItem(tr("stretch"), int(ResizePolicy::Stretch));
    m_resize->setToolTip(tr("fit: keep the shape, scale the longer side to the size and pad "
                            "with black; stretch: scale each side to the size"));
    imageForm->addRow(tr("Resize"), m_resize);
    m_testFraction = new QDoubleSpinBox(m_imageOptions);
    m_testFraction->setObjectName("testFraction");
    m_testFraction->setRange(0.05, 0.9);
    m_testFraction->setSingleStep(0.05);
    m_testFraction->setValue(0.2);
    m_testFraction->setToolTip(tr("For a folder without train/ and test/: the fraction of each "
                                  "class held out for testing (the same images for every run)"));
    imageForm->addRow(tr("Test fraction"), m_testFraction);
    m_imageOptions->setVisible(false);
    form->addRow(m_imageOptions);
    connect(m_imageSize, &QSpinBox::editingFinished, this, &DatasetPanel::load);
    connect(m_color, &QComboBox::currentIndexChanged, this, &DatasetPanel::load);
    connect(m_resize, &QComboBox::currentIndexChanged, this, &DatasetPanel::load);
    connect(m_testFraction, &QDoubleSpinBox::editingFinished, this, &DatasetPanel::load);

    // First run: MNIST is not there yet. Offer to import it or download it.
    m_installer = new DatasetInstaller(this);
    m_fetchRow = new QWidget(this);
    auto* fetchLayout = new QHBoxLayout(m_fetchRow);
    fetchLayout->setContentsMargins(0, 0, 0, 0);
    auto* import = new QPushButton(tr("Import MNIST…"), m_fetchRow);
    import->setToolTip(tr("Copy MNIST from a folder with its four IDX files (raw or .gz)"));
    m_download = new QPushButton(tr("Download MNIST"), m_fetchRow);
    m_download->setObjectName("downloadMnist");
    m_download->setToolTip(tr("Download the four files (11 MB) from %1")
                               .arg(DatasetInstaller::defaultMirror().toString()));
    m_fetchProgress = new QProgressBar(m_fetchRow);
    m_fetchProgress->setVisible(false);
    fetchLayout->addWidget(import);
    fetchLayout->addWidget(m_download);
    fetchLayout->addWidget(m_fetchProgress, 1);
    m_fetchRow->setVisible(false);
    form->addRow(m_fetchRow);
    connect(import, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Folder with the MNIST files"));
        if (dir.isEmpty())
            return;
        QString error;
        if (m_installer->importFrom(dir, &error)) {
            m_source->setCurrentIndex(0);
            setFolder(DatasetInstaller::mnistDir());
        } else {
            m_status->setText(error);
        }
    });
    connect(m_download, &QPushButton::clicked, this, [this] {
        m_download->setEnabled(false);
        m_fetchProgress->setVisible(true);
        m_fetchProgress->setValue(0);
        m_installer->download();
    });
    connect(m_installer, &DatasetInstaller::progress, this,
            [this](qint64 received, qint64 total, int file, int files) {
                const double part = total > 0 ? double(received) / double(total) : 0.0;
                m_fetchProgress->setValue(int(100.0 * (file + part) / files));
                m_fetchProgress->setFormat(tr("file %1 of %2: %p%").arg(file + 1).arg(files));
            });
    connect(m_installer, &DatasetInstaller::finished, this, [this](bool ok, const QString& error) {
        m_download->setEnabled(true);
        m_fetchProgress->setVisible(false);
        if (ok) {
            m_source->setCurrentIndex(0);
            setFolder(DatasetInstaller::mnistDir());
        } else {
            m_status->setText(tr("<b>Download failed.</b> %1").arg(error.toHtmlEscaped()));
            m_status->setStyleSheet(QStringLiteral("color: #b3261e"));
        }
    });

    m_limit = new QSpinBox(this);
    m_limit->setRange(0, 10000000);
    m_limit->setSpecialValueText(tr("all"));
    m_limit->setToolTip(tr("Train on the first N training images only (0: all)"));
    form->addRow(tr("Training images"), m_limit);

    auto* shuffleRow = new QHBoxLayout;
    m_shuffle = new QSpinBox(this);
    m_shuffle->setRange(0, 10000000);
    m_shuffle->setValue(10000);
    m_shuffle->setSpecialValueText(tr("no shuffle"));
    m_shuffle->setToolTip(tr("Shuffle through a buffer of this many images, as tf.data does"));
    m_fullShuffle = new QCheckBox(tr("full"), this);
    m_fullShuffle->setToolTip(tr("Shuffle the whole training set every epoch"));
    shuffleRow->addWidget(m_shuffle);
    shuffleRow->addWidget(m_fullShuffle);
    form->addRow(tr("Shuffle buffer"), shuffleRow);

    m_batch = new QSpinBox(this);
    m_batch->setToolTip(tr("Images per training step"));
    m_batch->setRange(1, 65536);
    m_batch->setValue(32);
    form->addRow(tr("Batch size"), m_batch);
    m_dropRemainder = new QCheckBox(tr("Drop the last, smaller batch"), this);
    m_dropRemainder->setToolTip(
        tr("Skip the last batch of each epoch when it is smaller than the others"));
    form->addRow(QString(), m_dropRemainder);
    m_validation = new QDoubleSpinBox(this);
    m_validation->setRange(0.0, 0.9);
    m_validation->setSingleStep(0.05);
    m_validation->setDecimals(2);
    m_validation->setToolTip(tr("Fraction of the training images held out for validation"));
    form->addRow(tr("Validation split"), m_validation);

    // Augmentation: random changes to each training image, drawn from the run's seed.
    auto* augmentRow = new QHBoxLayout;
    m_shift = new QSpinBox(this);
    m_shift->setObjectName("augmentShift");
    m_shift->setRange(0, 8);
    m_shift->setSpecialValueText(tr("no shift"));
    m_shift->setSuffix(tr(" px"));
    m_shift->setToolTip(tr("Shift each training image by up to this many pixels"));
    m_rotate = new QSpinBox(this);
    m_rotate->setObjectName("augmentRotate");
    m_rotate->setRange(0, 45);
    m_rotate->setSpecialValueText(tr("no rotation"));
    m_rotate->setSuffix(tr("°"));
    m_rotate->setToolTip(tr("Rotate each training image by up to this many degrees"));
    m_scale = new QDoubleSpinBox(this);
    m_scale->setObjectName("augmentScale");
    m_scale->setRange(0.0, 0.5);
    m_scale->setSingleStep(0.05);
    m_scale->setSpecialValueText(tr("no zoom"));
    m_scale->setToolTip(tr("Zoom each training image in or out by up to this fraction"));
    m_flip = new QCheckBox(tr("flip"), this);
    m_flip->setObjectName("augmentFlip");
    m_flip->setToolTip(tr("Mirror half the training images left-right (not for digits or text)"));
    augmentRow->addWidget(m_shift);
    augmentRow->addWidget(m_rotate);
    augmentRow->addWidget(m_scale);
    augmentRow->addWidget(m_flip);
    form->addRow(tr("Augmentation"), augmentRow);
    layout->addLayout(form);

    m_augmentPreview = new QListWidget(this);
    m_augmentPreview->setObjectName("augmentPreview");
    m_augmentPreview->setViewMode(QListView::IconMode);
    m_augmentPreview->setIconSize(QSize(42, 42));
    m_augmentPreview->setGridSize(QSize(48, 48));
    m_augmentPreview->setMovement(QListView::Static);
    m_augmentPreview->setFixedHeight(60);
    m_augmentPreview->setFlow(QListView::LeftToRight);
    m_augmentPreview->setWrapping(false);
    m_augmentPreview->setToolTip(tr("The first training images as augmentation changes them"));
    m_augmentPreview->setVisible(false);
    layout->addWidget(m_augmentPreview);
    connect(m_shift, &QSpinBox::valueChanged, this, &DatasetPanel::showAugmented);
    connect(m_rotate, &QSpinBox::valueChanged, this, &DatasetPanel::showAugmented);
    connect(m_scale, &QDoubleSpinBox::valueChanged, this, &DatasetPanel::showAugmented);
    connect(m_flip, &QCheckBox::toggled, this, &DatasetPanel::showAugmented);

    m_preview = new QListWidget(this);
    m_preview->setObjectName("datasetPreview");
    m_preview->setViewMode(QListView::IconMode);
    m_preview->setIconSize(QSize(42, 42));
    m_preview->setGridSize(QSize(52, 62));
    m_preview->setMovement(QListView::Static);
    m_preview->setMinimumHeight(140);
    layout->addWidget(m_preview, 2);

    auto* chart = new QChart;
    chart->legend()->hide();
    chart->setTitle(tr("Training images per class"));
    chart->setMargins(QMargins(2, 2, 2, 2));
    m_histogram = new QChartView(chart, this);
    PlotTheme::follow(m_histogram);
    m_histogram->setRenderHint(QPainter::Antialiasing);
    m_histogram->setMinimumHeight(160);
    layout->addWidget(m_histogram, 1);

    connect(m_source, &QComboBox::currentIndexChanged, this, &DatasetPanel::sourceChanged);
    connect(m_folder, &QLineEdit::editingFinished, this, &DatasetPanel::load);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Dataset folder"), folder());
        if (!dir.isEmpty()) {
            m_source->setCurrentIndex(2);
            setFolder(dir);
        }
    });
    connect(m_fullShuffle, &QCheckBox::toggled, m_shuffle, &QWidget::setDisabled);
    m_folder->setText(defaultMnistDir());
    load();
}

DatasetPanel::~DatasetPanel() = default;

QString DatasetPanel::folder() const
{
    return m_folder->text().trimmed();
}

void DatasetPanel::setFolder(const QString& dir)
{
    // Any folder but the chosen source's own is "Folder…".
    if (m_source->currentIndex() == 0 && QDir(dir) != QDir(defaultMnistDir())) {
        const QSignalBlocker block(m_source);
        m_source->setCurrentIndex(2);
    }
    m_folder->setText(dir);
    load();
}

void DatasetPanel::setLimit(int samples)
{
    m_limit->setValue(samples);
}

void DatasetPanel::sourceChanged(int index)
{
    if (index == 0)
        setFolder(defaultMnistDir());
    else if (index == 1)
        setFolder(fashionMnistDir());
}

QString DatasetPanel::fashionMnistDir()
{
    // Debian's dataset-fashion-mnist package, else the app's own data folder.
    const QString debian = QStringLiteral("/usr/share/datasets/fashion-mnist");
    return hasIdx(debian) ? debian : appDataDir("fashion-mnist");
}

void DatasetPanel::load()
{
    const QString dir = folder();
    const int generation = ++m_generation;
    m_dataset.reset();
    m_problem = tr("Loading…");
    m_status->setText(tr("Loading %1…").arg(dir));
    m_status->setStyleSheet(QString());
    // Reading 55 MB takes a moment: do it off the UI thread, keep only the latest request. The
    // loading thread touches nothing of this panel: its result comes back through the thread's
    // finished signal, delivered on the UI thread, and is dropped when the panel is gone.
    struct Loaded
    {
        std::shared_ptr<const Dataset> data;
        QString problem;
        std::atomic<int64_t> done{0};
        std::atomic<int64_t> total{0};
    };
    auto loaded = std::make_shared<Loaded>();
    const DatasetOptions options = datasetOptions();
    // The thread only writes counters; a timer here reads them (no call into this panel).
    m_progressTimer->disconnect();
    connect(m_progressTimer, &QTimer::timeout, this, [this, loaded] {
        const int64_t total = loaded->total.load();
        if (total <= 0)
            return;
        m_loadProgress->setVisible(true);
        m_loadProgress->setRange(0, 1000);
        m_loadProgress->setValue(int(loaded->done.load() * 1000 / total));
        m_loadProgress->setFormat(tr("decoding images: %p% of %L1").arg(total));
    });
    m_progressTimer->start();
    auto* thread = QThread::create([loaded, dir, options] {
        try {
            const LoadProgress progress = [loaded](int64_t done, int64_t total,
                                                   const std::string& stage) {
                if (stage != "decoding images")
                    return;
                loaded->total = total;
                loaded->done = done;
            };
            loaded->data = std::make_shared<Dataset>(
                Dataset::load(QDir::fromNativeSeparators(dir).toStdString(), options, progress));
        } catch (const Error& e) {
            loaded->problem = QString::fromUtf8(e.what());
        } catch (const std::exception& e) {
            loaded->problem = tr("cannot load %1: %2").arg(dir, QString::fromUtf8(e.what()));
        }
    });
    connect(thread, &QThread::finished, this, [this, loaded, generation] {
        if (generation != m_generation)
            return;
        m_progressTimer->stop();
        m_loadProgress->setVisible(false);
        m_dataset = loaded->data;
        m_problem = loaded->problem;
        showDataset();
        Q_EMIT datasetChanged();
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

void DatasetPanel::showDataset()
{
    m_preview->clear();
    auto* chart = m_histogram->chart();
    chart->removeAllSeries();
    for (auto* axis : chart->axes())
        chart->removeAxis(axis);
    m_fetchRow->setVisible(!m_dataset && m_source->currentIndex() == 0);
    m_skipped->clear();
    m_skippedButton->setVisible(m_dataset && !m_dataset->skipped.empty());
    m_skippedButton->setChecked(false);
    // Decoding options stay at hand while a folder of images is the source (also when it
    // failed to load: a bad choice there may be the reason).
    m_imageOptions->setVisible(m_dataset ? m_dataset->kind == DatasetKind::ImageFolder
                                         : m_source->currentIndex() == 2);
    if (!m_dataset) {
        m_status->setText(
            m_source->currentIndex() == 1
                ? tr("<b>No dataset.</b> %1<br>On Debian and Ubuntu, Fashion-MNIST comes with "
                     "the package dataset-fashion-mnist (sudo apt install "
                     "dataset-fashion-mnist); or put its four IDX files in %2.")
                      .arg(m_problem.toHtmlEscaped(),
                           QDir::toNativeSeparators(appDataDir("fashion-mnist")).toHtmlEscaped())
                : tr("<b>No dataset.</b> %1<br>Import or download MNIST below, or choose a "
                     "folder of MNIST-style IDX files, CIFAR-10 batches, or one subfolder of "
                     "images per class.")
                      .arg(m_problem.toHtmlEscaped()));
        m_status->setStyleSheet(QStringLiteral("color: #b3261e"));
        showAugmented();
        return;
    }
    const Dataset& d = *m_dataset;
    const QString kind = d.kind == DatasetKind::ImageFolder ? tr("image folder")
                         : d.kind == DatasetKind::Cifar10   ? tr("CIFAR-10")
                                                            : tr("IDX files");
    m_status->setText(tr("%1 (%2): %L3 training and %L4 test images, %5×%6 %7, %8 classes%9")
                          .arg(QString::fromStdString(d.name), kind)
                          .arg(d.train.count)
                          .arg(d.test.count)
                          .arg(d.train.cols)
                          .arg(d.train.rows)
                          .arg(d.train.channels == 3 ? tr("colour") : tr("gray"))
                          .arg(d.classes)
                          .arg(d.fromCache ? tr(" (decoded images from the cache)") : QString()));
    m_status->setToolTip(d.cachePath.empty() ? QString()
                                             : tr("Decoded images cached in %1")
                                                   .arg(QDir::toNativeSeparators(
                                                       QString::fromStdString(d.cachePath))));
    if (!d.skipped.empty()) {
        m_skippedButton->setText(d.skipped.size() == 1
                                     ? tr("1 file skipped: not readable as an image")
                                     : tr("%L1 files skipped: not readable as images")
                                           .arg(qulonglong(d.skipped.size())));
        for (const auto& line : d.skipped)
            m_skipped->addItem(QString::fromStdString(line));
        // As tall as its lines, up to about six.
        const int rows = std::min<int>(int(d.skipped.size()), 6);
        m_skipped->setFixedHeight(rows * m_skipped->sizeHintForRow(0) +
                                  2 * m_skipped->frameWidth() + 2);
    }
    for (int64_t i = 0; i < std::min<int64_t>(48, d.train.count); ++i) {
        const QImage image =
            SampleImage::fromPixels(d.train.image(i), d.train.rows, d.train.cols, d.train.channels);
        auto* item =
            new QListWidgetItem(QIcon(QPixmap::fromImage(image.scaled(42, 42))),
                                QString::fromStdString(d.classNames[d.train.labels[size_t(i)]]));
        if (i < int64_t(d.train.sources.size()))
            item->setToolTip(QString::fromStdString(d.train.sources[size_t(i)]));
        m_preview->addItem(item);
    }
    showAugmented();
    std::vector<int> counts(size_t(d.classes), 0);
    for (uint8_t label : d.train.labels)
        ++counts[label];
    auto* set = new QBarSet(tr("images"));
    QStringList categories;
    int highest = 0;
    for (int c = 0; c < d.classes; ++c) {
        *set << counts[size_t(c)];
        highest = std::max(highest, counts[size_t(c)]);
        categories << QString::fromStdString(d.classNames[size_t(c)]);
    }
    auto* series = new QBarSeries;
    series->append(set);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    auto* y = new QValueAxis;
    y->setRange(0, highest * 1.1);
    y->setLabelFormat("%d");
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    PlotTheme::apply(m_histogram); // the new axes in the palette's colours
}

Augmentation DatasetPanel::augmentation() const
{
    Augmentation a;
    a.shift = m_shift->value();
    a.rotate = m_rotate->value();
    a.scale = m_scale->value();
    a.flip = m_flip->isChecked();
    return a;
}

DatasetOptions DatasetPanel::datasetOptions() const
{
    DatasetOptions o;
    o.imageSize = m_imageSize->value();
    o.color = ColorMode(m_color->currentData().toInt());
    o.resize = ResizePolicy(m_resize->currentData().toInt());
    o.testFraction = m_testFraction->value();
    return o;
}

void DatasetPanel::showAugmented()
{
    m_augmentPreview->clear();
    const Augmentation a = augmentation();
    m_augmentPreview->setVisible(a.enabled() && m_dataset);
    if (!a.enabled() || !m_dataset)
        return;
    // The first images as the first epoch of a seed-0 run sees them.
    const ImageSet& set = m_dataset->train;
    std::vector<float> values(size_t(set.imageSize()));
    std::vector<uint8_t> bytes(values.size());
    for (int64_t i = 0; i < std::min<int64_t>(16, set.count); ++i) {
        a.apply(set.image(i), set.channels, set.rows, set.cols, 0, 0, i, values.data());
        for (size_t k = 0; k < values.size(); ++k)
            bytes[k] = uint8_t(std::clamp(values[k] * 255.0f + 0.5f, 0.0f, 255.0f));
        const QImage image =
            SampleImage::fromPixels(bytes.data(), set.rows, set.cols, set.channels);
        auto* item =
            new QListWidgetItem(QIcon(QPixmap::fromImage(image.scaled(42, 42))), QString());
        item->setToolTip(QString::fromStdString(m_dataset->classNames[set.labels[size_t(i)]]));
        m_augmentPreview->addItem(item);
    }
}

void DatasetPanel::loadFrom(const TrainingConfig& config)
{
    const QString dir = QString::fromStdString(config.dataDir);
    if (!dir.isEmpty() && dir != folder()) {
        m_source->blockSignals(true);
        m_source->setCurrentIndex(2); // a folder of IDX files: exactly the run's
        m_source->blockSignals(false);
        setFolder(dir);
    }
    m_limit->setValue(int(std::min<int64_t>(config.limit, m_limit->maximum())));
    m_fullShuffle->setChecked(config.shuffleBuffer == TrainingConfig::kFullShuffle);
    if (config.shuffleBuffer != TrainingConfig::kFullShuffle)
        m_shuffle->setValue(int(std::min<int64_t>(config.shuffleBuffer, m_shuffle->maximum())));
    m_batch->setValue(config.batchSize);
    m_dropRemainder->setChecked(config.dropRemainder);
    m_validation->setValue(config.validationSplit);
    m_shift->setValue(config.augmentation.shift);
    m_rotate->setValue(int(std::lround(config.augmentation.rotate)));
    m_scale->setValue(config.augmentation.scale);
    m_flip->setChecked(config.augmentation.flip);
    const auto& o = config.dataOptions;
    if (o != datasetOptions()) {
        const QSignalBlocker b1(m_color), b2(m_resize);
        m_imageSize->setValue(o.imageSize);
        m_color->setCurrentIndex(m_color->findData(int(o.color)));
        m_resize->setCurrentIndex(m_resize->findData(int(o.resize)));
        m_testFraction->setValue(o.testFraction);
        load();
    }
}

void DatasetPanel::saveSettings(QSettings& settings) const
{
    settings.beginGroup("data");
    settings.setValue("source", m_source->currentIndex());
    settings.setValue("folder", folder());
    settings.setValue("limit", m_limit->value());
    settings.setValue("shuffle", m_shuffle->value());
    settings.setValue("fullShuffle", m_fullShuffle->isChecked());
    settings.setValue("batchSize", m_batch->value());
    settings.setValue("dropRemainder", m_dropRemainder->isChecked());
    settings.setValue("validationSplit", m_validation->value());
    settings.setValue("augment", QString::fromStdString(augmentation().toString()));
    settings.setValue("imageSize", m_imageSize->value());
    settings.setValue("color",
                      QString::fromStdString(toString(ColorMode(m_color->currentData().toInt()))));
    settings.setValue(
        "resize", QString::fromStdString(toString(ResizePolicy(m_resize->currentData().toInt()))));
    settings.setValue("testFraction", m_testFraction->value());
    settings.endGroup();
}

void DatasetPanel::restoreSettings(QSettings& settings)
{
    settings.beginGroup("data");
    if (settings.contains("limit"))
        m_limit->setValue(settings.value("limit").toInt());
    if (settings.contains("shuffle"))
        m_shuffle->setValue(settings.value("shuffle").toInt());
    if (settings.contains("fullShuffle"))
        m_fullShuffle->setChecked(settings.value("fullShuffle").toBool());
    if (settings.contains("batchSize"))
        m_batch->setValue(settings.value("batchSize").toInt());
    if (settings.contains("dropRemainder"))
        m_dropRemainder->setChecked(settings.value("dropRemainder").toBool());
    if (settings.contains("validationSplit"))
        m_validation->setValue(settings.value("validationSplit").toDouble());
    try {
        const Augmentation a =
            Augmentation::parse(settings.value("augment", "off").toString().toStdString());
        m_shift->setValue(a.shift);
        m_rotate->setValue(int(std::lround(a.rotate)));
        m_scale->setValue(a.scale);
        m_flip->setChecked(a.flip);
    } catch (const Error&) {
        // A hand-edited setting: keep the defaults.
    }
    {
        const QSignalBlocker b1(m_color), b2(m_resize);
        m_imageSize->setValue(settings.value("imageSize", 0).toInt());
        if (const auto c =
                colorModeFromString(settings.value("color", "auto").toString().toStdString()))
            m_color->setCurrentIndex(m_color->findData(int(*c)));
        if (const auto r =
                resizePolicyFromString(settings.value("resize", "fit").toString().toStdString()))
            m_resize->setCurrentIndex(m_resize->findData(int(*r)));
        m_testFraction->setValue(settings.value("testFraction", 0.2).toDouble());
    }
    const int source = settings.value("source", -1).toInt();
    const QString dir = settings.value("folder").toString();
    settings.endGroup();
    if (source >= 0 && source < m_source->count() && !dir.isEmpty()) {
        m_source->blockSignals(true);
        m_source->setCurrentIndex(source);
        m_source->blockSignals(false);
        if (dir != folder())
            setFolder(dir); // a folder that is gone says so, as any other would
    }
}

void DatasetPanel::applyTo(TrainingConfig& config) const
{
    config.dataDir = folder().toStdString();
    config.limit = m_limit->value();
    config.shuffleBuffer =
        m_fullShuffle->isChecked() ? TrainingConfig::kFullShuffle : m_shuffle->value();
    config.batchSize = m_batch->value();
    config.dropRemainder = m_dropRemainder->isChecked();
    config.validationSplit = m_validation->value();
    config.augmentation = augmentation();
    config.dataOptions = datasetOptions();
}

} // namespace trainbench::ui
