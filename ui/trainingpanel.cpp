#include "trainingpanel.h"

#include "plottheme.h"

#include "trainbench/common/buildinfo.h"
#include "trainbench/common/error.h"
#include "trainbench/track/runstore.h"
#include "trainbench/train/configjson.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QThread>
#include <qcustomplot.h>

#include <cmath>

namespace trainbench::ui {

double TrainingPanel::defaultLearningRate(const QString& optimizer)
{
    return optimizer == QStringLiteral("sgd") ? 0.01 : 0.001; // Keras's defaults
}

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent)
{
    auto* form = new QFormLayout(this);
    m_optimizer = new QComboBox(this);
    m_optimizer->addItems({"adam", "sgd", "rmsprop"});
    m_optimizer->setObjectName("optimizer");
    m_optimizer->setToolTip(tr("How the weights are updated from their gradients"));
    form->addRow(tr("Optimizer"), m_optimizer);
    m_lr = new QDoubleSpinBox(this);
    m_lr->setObjectName("learningRate");
    m_lr->setToolTip(tr("Step size of the updates; the schedule below changes it over the epochs"));
    m_lr->setDecimals(6);
    m_lr->setRange(0.000001, 10.0);
    m_lr->setSingleStep(0.0001);
    m_lr->setValue(0.001);
    form->addRow(tr("Learning rate"), m_lr);
    m_momentum = new QDoubleSpinBox(this);
    m_momentum->setToolTip(
        tr("SGD and RMSprop: how much of the previous update carries over (Adam has its own)"));
    m_momentum->setRange(0.0, 0.999);
    m_momentum->setSingleStep(0.05);
    m_momentum->setDecimals(3);
    m_momentum->setEnabled(false);
    form->addRow(tr("Momentum"), m_momentum);

    m_schedule = new QComboBox(this);
    m_schedule->setToolTip(tr("How the learning rate changes over the epochs"));
    m_schedule->addItems({tr("constant"), tr("step"), tr("cosine")});
    form->addRow(tr("Schedule"), m_schedule);
    auto* stepRow = new QHBoxLayout;
    m_stepEpochs = new QSpinBox(this);
    m_stepEpochs->setToolTip(
        tr("Step schedule: epochs between two reductions of the learning rate"));
    m_stepEpochs->setRange(1, 1000);
    m_stepEpochs->setValue(2);
    m_stepEpochs->setPrefix(tr("every "));
    m_stepEpochs->setSuffix(tr(" epochs"));
    m_gamma = new QDoubleSpinBox(this);
    m_gamma->setToolTip(
        tr("Step schedule: the factor each reduction multiplies the learning rate by"));
    m_gamma->setRange(0.01, 1.0);
    m_gamma->setValue(0.5);
    m_gamma->setPrefix(tr("× "));
    stepRow->addWidget(m_stepEpochs);
    stepRow->addWidget(m_gamma);
    form->addRow(tr("Step decay"), stepRow);
    m_preview = new QCustomPlot(this);
    PlotTheme::follow(m_preview);
    m_preview->setObjectName("schedulePreview");
    m_preview->setMinimumHeight(90);
    m_preview->setMaximumHeight(110);
    m_preview->addGraph();
    m_preview->xAxis->setLabel(tr("epoch"));
    // The rate's values on the axis, compact enough for the dock (1e-3 rather than 0.001000).
    m_preview->yAxis->setNumberFormat("g");
    m_preview->yAxis->setNumberPrecision(2);
    m_preview->yAxis->ticker()->setTickCount(2);
    m_preview->yAxis->ticker()->setTickStepStrategy(QCPAxisTicker::tssMeetTickCount);
    m_preview->yAxis->setTickLabelFont(QFont(font().family(), 7));
    m_preview->xAxis->setTickLabelFont(QFont(font().family(), 7));
    form->addRow(m_preview);

    m_epochs = new QSpinBox(this);
    m_epochs->setToolTip(tr("Passes over the training images"));
    m_epochs->setRange(1, 100000);
    m_epochs->setValue(5);
    form->addRow(tr("Epochs"), m_epochs);
    m_seed = new QSpinBox(this);
    m_seed->setToolTip(tr("Drives initialisation, shuffling and dropout: the same seed and "
                          "settings give the same run"));
    m_seed->setRange(0, 1 << 30);
    form->addRow(tr("Seed"), m_seed);
    m_device = new QComboBox(this);
    m_device->setToolTip(
        tr("Where the model trains: the CPU, or an NVIDIA GPU when this libtorch has CUDA"));
    m_device->addItem(tr("CPU"), "cpu");
    if (BuildInfo::cudaAvailable())
        m_device->addItem(tr("CUDA"), "cuda");
    form->addRow(tr("Device"), m_device);
    m_threads = new QSpinBox(this);
    m_threads->setToolTip(tr("CPU threads for training (0: all cores)"));
    m_threads->setRange(0, 256);
    m_threads->setSpecialValueText(tr("automatic (%1)").arg(QThread::idealThreadCount()));
    form->addRow(tr("Threads"), m_threads);
    m_workers = new QSpinBox(this);
    m_workers->setObjectName("workers");
    m_workers->setRange(1, 64);
    m_workers->setSpecialValueText(tr("1 (in this window)"));
    m_workers->setToolTip(
        tr("Processes that train together, data parallel: 1 trains inside the window; more "
           "start that many trainbench-cli workers on this machine, each on its share of every "
           "batch (the batch size is per process), sharing the cores. Stop stops them all; "
           "pausing is not available then."));
    form->addRow(tr("Workers"), m_workers);
    m_patience = new QSpinBox(this);
    m_patience->setRange(0, 1000);
    m_patience->setSpecialValueText(tr("off"));
    m_patience->setToolTip(tr("Stop after this many epochs without a better validation loss "
                              "(test loss when there is no validation split)"));
    form->addRow(tr("Early stopping"), m_patience);

    m_log = new QCheckBox(tr("Log runs for TensorBoard"), this);
    m_log->setChecked(true);
    m_log->setToolTip(tr("Also write TensorBoard event files into each run's folder"));
    form->addRow(m_log);
    auto* runsRow = new QHBoxLayout;
    // The same default as trainbench-cli's --runs, so both list the same runs.
    m_runs = new QLineEdit(
        QDir::fromNativeSeparators(QString::fromStdString(RunStore::defaultRoot())), this);
    m_runs->setObjectName("runsFolder");
    m_runs->setToolTip(
        tr("Every run is kept here in a folder of its own (settings, metrics, checkpoints, "
           "logs); trainbench-cli uses the same folder by default"));
    auto* browse = new QPushButton(tr("…"), this);
    browse->setToolTip(tr("Choose the runs folder"));
    runsRow->addWidget(m_runs);
    runsRow->addWidget(browse);
    form->addRow(tr("Runs folder"), runsRow);

    connect(m_optimizer, &QComboBox::currentTextChanged, this, [this](const QString& name) {
        m_momentum->setEnabled(name != "adam");
        // Each optimizer's customary learning rate, unless the user typed one of their own.
        if (std::abs(m_lr->value() - defaultLearningRate(m_lastOptimizer)) < 1e-12)
            m_lr->setValue(defaultLearningRate(name));
        m_lastOptimizer = name;
    });
    connect(m_schedule, &QComboBox::currentIndexChanged, this, &TrainingPanel::updatePreview);
    connect(m_stepEpochs, &QSpinBox::valueChanged, this, &TrainingPanel::updatePreview);
    connect(m_gamma, &QDoubleSpinBox::valueChanged, this, &TrainingPanel::updatePreview);
    connect(m_epochs, &QSpinBox::valueChanged, this, &TrainingPanel::updatePreview);
    connect(m_lr, &QDoubleSpinBox::valueChanged, this, &TrainingPanel::updatePreview);
    connect(m_runs, &QLineEdit::editingFinished, this,
            [this] { Q_EMIT runsFolderChanged(runsFolder()); });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Runs folder"), m_runs->text());
        if (!dir.isEmpty()) {
            m_runs->setText(dir);
            Q_EMIT runsFolderChanged(runsFolder());
        }
    });
    updatePreview();
}

void TrainingPanel::updatePreview()
{
    TrainingConfig config;
    applyTo(config);
    const int epochs = config.epochs;
    QVector<double> x;
    QVector<double> y;
    for (int i = 0; i <= 200; ++i) {
        const double progress = epochs * i / 200.0;
        x << progress;
        y << config.schedule.at(config.optimizer.learningRate, progress, epochs);
    }
    m_stepEpochs->setEnabled(config.schedule.type == ScheduleType::Step);
    m_gamma->setEnabled(config.schedule.type == ScheduleType::Step);
    m_preview->graph(0)->setData(x, y, true);
    m_preview->xAxis->setRange(0, epochs);
    m_preview->yAxis->setRange(0, config.optimizer.learningRate * 1.1);
    m_preview->replot(QCustomPlot::rpQueuedReplot);
}

void TrainingPanel::loadFrom(const TrainingConfig& config)
{
    m_optimizer->setCurrentText(QString::fromStdString(toString(config.optimizer.type)));
    m_lr->setValue(config.optimizer.learningRate);
    m_momentum->setValue(config.optimizer.momentum);
    m_schedule->setCurrentIndex(int(config.schedule.type));
    m_stepEpochs->setValue(config.schedule.stepEpochs);
    m_gamma->setValue(config.schedule.stepGamma);
    m_epochs->setValue(config.epochs);
    m_seed->setValue(int(std::min<uint64_t>(config.seed, uint64_t(m_seed->maximum()))));
    const int device = m_device->findData(QString::fromStdString(config.device));
    if (device >= 0)
        m_device->setCurrentIndex(device);
    m_threads->setValue(config.threads);
    m_patience->setValue(config.earlyStoppingPatience);
}

void TrainingPanel::saveSettings(QSettings& settings) const
{
    TrainingConfig config;
    applyTo(config);
    settings.beginGroup("training");
    settings.setValue("config", QString::fromStdString(ConfigJson::toJson(config)));
    settings.setValue("momentum", m_momentum->value()); // kept even while Adam hides it
    settings.setValue("tensorBoard", m_log->isChecked());
    settings.setValue("runsFolder", runsFolder());
    settings.setValue("workers", m_workers->value());
    settings.endGroup();
}

void TrainingPanel::restoreSettings(QSettings& settings)
{
    settings.beginGroup("training");
    if (settings.contains("config")) {
        try {
            TrainingConfig config =
                ConfigJson::configFromJson(settings.value("config").toString().toStdString());
            loadFrom(config);
        } catch (const Error&) {
            // A damaged entry: the defaults stay.
        }
    }
    if (settings.contains("momentum"))
        m_momentum->setValue(settings.value("momentum").toDouble());
    if (settings.contains("tensorBoard"))
        m_log->setChecked(settings.value("tensorBoard").toBool());
    const QString runs = settings.value("runsFolder").toString().trimmed();
    if (!runs.isEmpty())
        m_runs->setText(runs);
    if (settings.contains("workers"))
        m_workers->setValue(settings.value("workers").toInt());
    settings.endGroup();
}

void TrainingPanel::applyTo(TrainingConfig& config) const
{
    config.optimizer.type = *optimizerTypeFromString(m_optimizer->currentText().toStdString());
    config.optimizer.learningRate = m_lr->value();
    config.optimizer.momentum = m_momentum->isEnabled() ? m_momentum->value() : 0.0;
    config.schedule.type = ScheduleType(m_schedule->currentIndex());
    config.schedule.stepEpochs = m_stepEpochs->value();
    config.schedule.stepGamma = m_gamma->value();
    config.epochs = m_epochs->value();
    config.seed = uint64_t(m_seed->value());
    config.device = m_device->currentData().toString().toStdString();
    config.threads = m_threads->value();
    config.earlyStoppingPatience = m_patience->value();
}

QString TrainingPanel::logDir() const
{
    return m_log->isChecked() ? m_runs->text().trimmed() : QString();
}

QString TrainingPanel::runsFolder() const
{
    return m_runs->text().trimmed();
}

void TrainingPanel::setEpochs(int epochs)
{
    m_epochs->setValue(epochs);
}

int TrainingPanel::workers() const
{
    return m_workers->value();
}

void TrainingPanel::setWorkers(int workers)
{
    m_workers->setValue(workers);
}

void TrainingPanel::setLogging(bool on)
{
    m_log->setChecked(on);
}

} // namespace trainbench::ui
