#pragma once

#include "trainbench/train/trainingconfig.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QChartView;
class QProgressBar;
class QPushButton;
class QTimer;
class QToolButton;

namespace trainbench {
struct Dataset;
}

class QSettings;

namespace trainbench::ui {

class DatasetInstaller;

/// Chooses the data (MNIST, Fashion-MNIST, or a folder of IDX files, CIFAR-10 batches or class
/// subfolders of images, with how images are decoded) and the input pipeline (shuffle buffer,
/// batch size, drop remainder, validation split, training-sample limit, augmentation), loads
/// the folder off the UI thread with a progress bar, lists skipped files, and previews samples
/// (augmented too) and the class histogram.
class DatasetPanel : public QWidget
{
    Q_OBJECT

public:
    explicit DatasetPanel(QWidget* parent = nullptr);
    ~DatasetPanel() override;

    /// Where MNIST is looked for: TRAINBENCH_DATA_DIR, the app's data folder, the repo's
    /// data/mnist.
    static QString defaultMnistDir();
    /// Where Fashion-MNIST is looked for: Debian's dataset-fashion-mnist package
    /// (/usr/share/datasets/fashion-mnist), else the app's data folder.
    static QString fashionMnistDir();

    /// The loaded dataset, or null while loading or when the folder is bad.
    std::shared_ptr<const Dataset> dataset() const { return m_dataset; }
    /// The folder in use.
    QString folder() const;
    /// Sets the folder and loads it.
    void setFolder(const QString& folder);
    /// Writes data and pipeline settings into `config`.
    void applyTo(TrainingConfig& config) const;
    /// Shows `config`'s data settings (the folder is loaded when it differs).
    void loadFrom(const TrainingConfig& config);
    /// Keeps the source, folder and every field in `settings`.
    void saveSettings(QSettings& settings) const;
    /// Shows what saveSettings() kept (and loads that folder).
    void restoreSettings(QSettings& settings);
    /// Sets the training-sample limit (0: all).
    void setLimit(int samples);
    /// Why there is no dataset, empty when there is one.
    QString problem() const { return m_problem; }
    /// Fetches MNIST into the app's data folder and loads it (first run).
    DatasetInstaller* installer() const { return m_installer; }

    /// The augmentation the fields describe.
    Augmentation augmentation() const;
    /// How image folders are decoded, as the fields say.
    DatasetOptions datasetOptions() const;

Q_SIGNALS:
    /// A dataset finished loading (null when the folder is bad).
    void datasetChanged();

private:
    void load();
    void showDataset();
    void showAugmented();
    void sourceChanged(int index);

    QComboBox* m_source = nullptr;
    QLineEdit* m_folder = nullptr;
    QLabel* m_status = nullptr;
    QSpinBox* m_limit = nullptr;
    QSpinBox* m_shuffle = nullptr;
    QCheckBox* m_fullShuffle = nullptr;
    QSpinBox* m_batch = nullptr;
    QCheckBox* m_dropRemainder = nullptr;
    QDoubleSpinBox* m_validation = nullptr;
    QWidget* m_imageOptions = nullptr;
    QSpinBox* m_imageSize = nullptr;
    QComboBox* m_color = nullptr;
    QComboBox* m_resize = nullptr;
    QDoubleSpinBox* m_testFraction = nullptr;
    QProgressBar* m_loadProgress = nullptr;
    QTimer* m_progressTimer = nullptr;
    QToolButton* m_skippedButton = nullptr;
    QListWidget* m_skipped = nullptr;
    QSpinBox* m_shift = nullptr;
    QSpinBox* m_rotate = nullptr;
    QDoubleSpinBox* m_scale = nullptr;
    QCheckBox* m_flip = nullptr;
    QListWidget* m_augmentPreview = nullptr;
    QListWidget* m_preview = nullptr;
    QChartView* m_histogram = nullptr;
    QWidget* m_fetchRow = nullptr;
    QPushButton* m_download = nullptr;
    QProgressBar* m_fetchProgress = nullptr;
    DatasetInstaller* m_installer = nullptr;
    std::shared_ptr<const Dataset> m_dataset;
    QString m_problem;
    int m_generation = 0;
};

} // namespace trainbench::ui
