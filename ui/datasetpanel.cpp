#include "datasetpanel.h"

#include "datasetinstaller.h"
#include "sampleimage.h"
#include "trainbench/common/error.h"
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
#include <QSpinBox>
#include <QStandardPaths>
#include <QThread>
#include <QVBoxLayout>
#include <QValueAxis>

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
    m_source->addItems({tr("MNIST"), tr("Fashion-MNIST"), tr("Folder of IDX files")});
    m_source->setToolTip(tr("Which images to train on"));
    form->addRow(tr("Source"), m_source);

    auto* folderRow = new QHBoxLayout;
    m_folder = new QLineEdit(this);
    m_folder->setObjectName("datasetFolder");
    m_folder->setToolTip(tr("Folder with train-images, train-labels, t10k-images and t10k-labels "
                            "IDX files (raw or .gz)"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    browse->setToolTip(tr("Choose a folder of IDX files"));
    folderRow->addWidget(m_folder);
    folderRow->addWidget(browse);
    form->addRow(tr("Folder"), folderRow);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_status);

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
    layout->addLayout(form);

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
    m_histogram->setRenderHint(QPainter::Antialiasing);
    m_histogram->setMinimumHeight(160);
    layout->addWidget(m_histogram, 1);

    connect(m_source, &QComboBox::currentIndexChanged, this, &DatasetPanel::sourceChanged);
    connect(m_folder, &QLineEdit::editingFinished, this, &DatasetPanel::load);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Folder of IDX files"), folder());
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
        setFolder(hasIdx("/usr/share/dataset-fashion-mnist")
                      ? QStringLiteral("/usr/share/dataset-fashion-mnist")
                      : appDataDir("fashion-mnist"));
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
    };
    auto loaded = std::make_shared<Loaded>();
    auto* thread = QThread::create([loaded, dir] {
        try {
            loaded->data = std::make_shared<Dataset>(Dataset::loadFolder(dir.toStdString()));
        } catch (const Error& e) {
            loaded->problem = QString::fromUtf8(e.what());
        } catch (const std::exception& e) {
            loaded->problem = tr("cannot load %1: %2").arg(dir, QString::fromUtf8(e.what()));
        }
    });
    connect(thread, &QThread::finished, this, [this, loaded, generation] {
        if (generation != m_generation)
            return;
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
    if (!m_dataset) {
        m_status->setText(tr("<b>No dataset.</b> %1<br>Import or download MNIST below, "
                             "or choose a folder holding train-images-idx3-ubyte, "
                             "train-labels-idx1-ubyte, t10k-images-idx3-ubyte and "
                             "t10k-labels-idx1-ubyte (raw or .gz).")
                              .arg(m_problem.toHtmlEscaped()));
        m_status->setStyleSheet(QStringLiteral("color: #b3261e"));
        return;
    }
    const Dataset& d = *m_dataset;
    m_status->setText(tr("%1: %L2 training and %L3 test images, %4×%5, %6 classes")
                          .arg(QString::fromStdString(d.name))
                          .arg(d.train.count)
                          .arg(d.test.count)
                          .arg(d.train.cols)
                          .arg(d.train.rows)
                          .arg(d.classes));
    for (int64_t i = 0; i < std::min<int64_t>(48, d.train.count); ++i) {
        const QImage image = SampleImage::fromPixels(d.train.image(i), d.train.rows, d.train.cols);
        auto* item =
            new QListWidgetItem(QIcon(QPixmap::fromImage(image.scaled(42, 42))),
                                QString::fromStdString(d.classNames[d.train.labels[size_t(i)]]));
        m_preview->addItem(item);
    }
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
}

} // namespace trainbench::ui
