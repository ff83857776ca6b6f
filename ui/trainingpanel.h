#pragma once

#include "trainbench/train/trainingconfig.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

class QSettings;

namespace trainbench::ui {

/// Optimizer, learning rate and its schedule (with a preview), epochs, seed, device, threads,
/// early stopping and where TensorBoard runs go.
class TrainingPanel : public QWidget
{
    Q_OBJECT

public:
    explicit TrainingPanel(QWidget* parent = nullptr);

    /// Writes the training settings into `config`.
    void applyTo(TrainingConfig& config) const;
    /// The customary learning rate of `optimizer` (Keras's defaults: SGD 0.01, Adam and RMSprop
    /// 0.001), offered when the optimizer changes and the user has not typed a rate.
    static double defaultLearningRate(const QString& optimizer);
    /// Shows `config`'s training settings.
    void loadFrom(const TrainingConfig& config);
    /// Keeps every field (and the runs folder and logging switch) in `settings`.
    void saveSettings(QSettings& settings) const;
    /// Shows what saveSettings() kept; values out of range are clamped by the fields.
    void restoreSettings(QSettings& settings);
    /// The TensorBoard runs folder; empty when logging is off.
    QString logDir() const;
    /// The runs folder setting, whether or not logging is on.
    QString runsFolder() const;
    /// Sets the number of epochs.
    void setEpochs(int epochs);
    /// Turns TensorBoard logging on or off.
    void setLogging(bool on);
    /// Processes to train with: 1 trains in the window's own process; more start that many
    /// local trainbench-cli workers (data parallel).
    int workers() const;
    /// Sets the number of worker processes.
    void setWorkers(int workers);

Q_SIGNALS:
    /// The runs folder was edited or chosen.
    void runsFolderChanged(const QString& folder);

private:
    QString m_lastOptimizer = QStringLiteral("adam");
    void updatePreview();

    QComboBox* m_optimizer = nullptr;
    QDoubleSpinBox* m_lr = nullptr;
    QDoubleSpinBox* m_momentum = nullptr;
    QComboBox* m_schedule = nullptr;
    QSpinBox* m_stepEpochs = nullptr;
    QDoubleSpinBox* m_gamma = nullptr;
    QCustomPlot* m_preview = nullptr;
    QSpinBox* m_epochs = nullptr;
    QSpinBox* m_seed = nullptr;
    QComboBox* m_device = nullptr;
    QSpinBox* m_threads = nullptr;
    QSpinBox* m_workers = nullptr;
    QSpinBox* m_patience = nullptr;
    QCheckBox* m_log = nullptr;
    QLineEdit* m_runs = nullptr;
};

} // namespace trainbench::ui
