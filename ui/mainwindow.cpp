#include "mainwindow.h"

#include "confusionmatrixwidget.h"
#include "confusionpage.h"
#include "curvespage.h"
#include "datasetpanel.h"
#include "drawpage.h"
#include "helpdialog.h"
#include "language.h"
#include "modelpanel.h"
#include "predictionspage.h"
#include "runspanel.h"
#include "sweepdialog.h"
#include "trainbench/common/buildinfo.h"
#include "trainbench/common/error.h"
#include "trainbench/data/dataset.h"
#include "trainbench/infer/predictor.h"
#include "trainbench/track/runrecorder.h"
#include "trainbench/track/runstore.h"
#include "trainbench/track/tensorboardlogger.h"
#include "trainbench/track/tutorialreference.h"
#include "trainbench/train/trainer.h"
#include "trainingcontroller.h"
#include "trainingpanel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

namespace trainbench::ui {

namespace {

QString clock(double seconds)
{
    const auto total = qint64(seconds + 0.5);
    if (total >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(total / 3600)
            .arg((total / 60) % 60, 2, 10, QChar('0'))
            .arg(total % 60, 2, 10, QChar('0'));
    return QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QChar('0'));
}

QWidget* scrollable(QWidget* panel)
{
    auto* area = new QScrollArea;
    area->setWidget(panel);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Trainbench"));
    setObjectName("mainWindow");
    m_controller = new TrainingController(this);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    m_message = new QLabel(central);
    m_message->setObjectName("message");
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    layout->addWidget(m_message);
    m_tabs = new QTabWidget(central);
    m_curves = new CurvesPage(m_tabs);
    m_predictions = new PredictionsPage(m_tabs);
    m_confusion = new ConfusionPage(m_tabs);
    m_draw = new DrawPage(m_tabs);
    m_log = new QPlainTextEdit(m_tabs);
    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_tabs->addTab(m_curves, tr("Curves"));
    m_tabs->addTab(m_predictions, tr("Predictions"));
    m_tabs->addTab(m_confusion, tr("Confusion matrix"));
    m_tabs->addTab(m_draw, tr("Draw"));
    // A model of anything but digits classifies image files instead of drawings.
    connect(m_draw, &DrawPage::modeChanged, this, [this](bool classifying) {
        m_tabs->setTabText(m_tabs->indexOf(m_draw), classifying ? tr("Classify") : tr("Draw"));
    });
    m_tabs->addTab(m_log, tr("Log"));
    layout->addWidget(m_tabs);
    setCentralWidget(central);

    m_progressLabel = new QLabel(tr("Ready"), this);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(260);
    m_progress->setTextVisible(true);
    m_speedLabel = new QLabel(this);
    statusBar()->addWidget(m_progressLabel, 1);
    statusBar()->addPermanentWidget(m_speedLabel);
    statusBar()->addPermanentWidget(m_progress);

    createDocks();
    createActions();

    connect(m_controller, &TrainingController::started, this, &MainWindow::onStarted);
    connect(m_controller, &TrainingController::batchReported, this, &MainWindow::onBatch);
    connect(m_controller, &TrainingController::epochFinished, this, &MainWindow::onEpoch);
    connect(m_controller, &TrainingController::epochDetails, this, &MainWindow::onDetails);
    connect(m_controller, &TrainingController::finished, this, &MainWindow::onFinished);
    connect(m_controller, &TrainingController::modelReady, this,
            [this](std::shared_ptr<Predictor> model) {
                m_draw->setPredictor(model, DrawPage::describe(*model));
            });
    connect(m_controller, &TrainingController::failed, this, &MainWindow::onFailed);
    connect(m_controller, &TrainingController::warning, this, [this](const QString& text) {
        showMessage(text, false);
        log(text);
    });
    connect(m_controller, &TrainingController::runningChanged, this, [this](bool running) {
        updateActions();
        if (!running)
            m_runs->setActiveFolder(QString());
        if (!running && !m_sweepId.isEmpty())
            QTimer::singleShot(0, this, &MainWindow::continueSweep);
        if (!running && m_closeAfterRun)
            QTimer::singleShot(0, this, &QWidget::close);
    });
    connect(m_data, &DatasetPanel::datasetChanged, this, [this] {
        if (auto data = m_data->dataset()) {
            m_model->setInput(data->train.channels, data->train.rows, data->train.cols,
                              data->classes);
            m_predictions->setDataset(data);
        }
        updateActions();
    });
    connect(m_confusion->matrix(), &ConfusionMatrixWidget::cellClicked, this,
            [this](int label, int predicted) {
                m_predictions->showCell(label, predicted);
                m_tabs->setCurrentWidget(m_predictions);
            });
    connect(m_model, &ModelPanel::validityChanged, this, [this] { updateActions(); });

    m_defaultState = saveState(); // Reset layout's target, before the saved layout applies
    QSettings settings;
    // Every dock field comes back as it was left.
    m_data->restoreSettings(settings);
    m_model->restoreSettings(settings);
    m_training->restoreSettings(settings);
    m_runs->setRoot(m_training->runsFolder());
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    if (!settings.contains("window/geometry"))
        resize(1280, 820);
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::createDocks()
{
    m_data = new DatasetPanel;
    m_model = new ModelPanel;
    m_training = new TrainingPanel;
    QDockWidget* first = nullptr;
    for (auto [widget, title, name] :
         {std::tuple{static_cast<QWidget*>(m_data), tr("Data"), "dataDock"},
          std::tuple{static_cast<QWidget*>(m_model), tr("Model"), "modelDock"},
          std::tuple{static_cast<QWidget*>(m_training), tr("Training"), "trainingDock"}}) {
        auto* dock = new QDockWidget(title, this);
        dock->setObjectName(name);
        dock->setWidget(scrollable(widget));
        dock->setMinimumWidth(380);
        addDockWidget(Qt::LeftDockWidgetArea, dock);
        if (first)
            tabifyDockWidget(first, dock);
        else
            first = dock;
    }
    first->raise();

    // The runs library below the tabs: selected runs overlay the curves above it.
    m_runs = new RunsPanel;
    auto* runsDock = new QDockWidget(tr("Runs"), this);
    runsDock->setObjectName("runsDock");
    runsDock->setWidget(m_runs);
    addDockWidget(Qt::BottomDockWidgetArea, runsDock);
    m_runs->setRoot(m_training->runsFolder());
    connect(m_training, &TrainingPanel::runsFolderChanged, m_runs, &RunsPanel::setRoot);
    connect(m_runs, &RunsPanel::selectionChanged, this, [this] {
        auto runs = m_runs->selectedRuns();
        auto colors = m_runs->selectedColors();
        if (m_runs->showsTutorial()) {
            RunRecord tutorial = TutorialReference::record();
            tutorial.name = tr("TF tutorial (published; running means)").toStdString();
            runs.push_back(tutorial);
            colors << QColor(40, 40, 40);
        }
        m_curves->setOverlays(runs, colors);
    });
    connect(m_runs, &RunsPanel::cloneRequested, this, [this](const TrainingConfig& config) {
        m_data->loadFrom(config);
        m_model->loadFrom(config);
        m_training->loadFrom(config);
        log(tr("Settings loaded from a run: press Train (F5) to train them again."));
    });
    connect(m_runs, &RunsPanel::resumeRequested, this, &MainWindow::resumeRun);
    connect(m_runs, &RunsPanel::sweepRequested, this, &MainWindow::openSweep);
    connect(m_runs, &RunsPanel::tensorBoardRequested, this, &MainWindow::openTensorBoard);
    connect(m_runs, &RunsPanel::openModelRequested, this, &MainWindow::openModelFile);
}

void MainWindow::createActions()
{
    auto* toolbar = addToolBar(tr("Run"));
    toolbar->setObjectName("runToolbar");
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_train = new QAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Train"), this);
    m_train->setShortcut(Qt::Key_F5);
    m_train->setToolTip(tr("Train the model with these settings (F5)"));
    m_pause = new QAction(style()->standardIcon(QStyle::SP_MediaPause), tr("Pause"), this);
    m_pause->setShortcut(Qt::Key_F6);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Pause or resume between batches (F6)"));
    m_stop = new QAction(style()->standardIcon(QStyle::SP_MediaStop), tr("Stop"), this);
    m_stop->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_stop->setToolTip(tr("Stop after the current batch (Shift+F5)"));
    m_tensorBoard = new QAction(tr("Open in TensorBoard"), this);
    m_tensorBoard->setToolTip(
        tr("Start TensorBoard on the runs folder and open it in the browser"));
    m_saveModel = new QAction(tr("Save model…"), this);
    m_saveModel->setShortcut(QKeySequence::Save);
    m_openModel = new QAction(tr("Open model…"), this);
    m_openModel->setShortcut(QKeySequence::Open);
    m_openModel->setToolTip(tr("Open a checkpoint to try on the Draw tab"));
    for (auto* action : {m_train, m_pause, m_stop})
        toolbar->addAction(action);
    toolbar->addSeparator();
    toolbar->addAction(m_tensorBoard);

    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openModel);
    m_recentMenu = file->addMenu(tr("Recent models"));
    m_recentMenu->setObjectName("recentModels");
    m_recentMenu->setToolTipsVisible(true);
    file->addAction(m_saveModel);
    file->addSeparator();
    auto* quit = file->addAction(tr("Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    auto* run = menuBar()->addMenu(tr("&Run"));
    for (auto* action : {m_train, m_pause, m_stop})
        run->addAction(action);
    run->addAction(m_tensorBoard);
    // Every dock and tab by name, so a closed dock comes back without a hidden context menu.
    auto* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName("viewMenu");
    for (auto* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());
    view->addAction(toolbar->toggleViewAction());
    view->addSeparator();
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto* show =
            view->addAction(m_tabs->tabText(i), this, [this, i] { m_tabs->setCurrentIndex(i); });
        show->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    view->addSeparator();
    m_resetLayout = view->addAction(tr("Reset layout"), this, [this] {
        restoreState(m_defaultState);
        for (auto* dock : findChildren<QDockWidget*>())
            dock->show();
    });
    m_resetLayout->setObjectName("resetLayout");
    // Languages by their own names, so anyone can find theirs whatever the window speaks now.
    auto* languages = view->addMenu(tr("Language"));
    languages->setObjectName("languageMenu");
    auto* languageGroup = new QActionGroup(this);
    const QString current = Language::setting();
    for (const auto& [code, name] : {std::pair<QString, QString>{"system", tr("System")},
                                     {"en", QStringLiteral("English")},
                                     {"zh_CN", QStringLiteral("简体中文")}}) {
        auto* action = languages->addAction(name);
        action->setObjectName("language-" + code);
        action->setCheckable(true);
        action->setChecked(code == current);
        languageGroup->addAction(action);
        connect(action, &QAction::triggered, this, [this, code = code] { chooseLanguage(code); });
    }
    auto* help = menuBar()->addMenu(tr("&Help"));
    auto* guide = help->addAction(tr("User guide"), this, [this] {
        auto* dialog = new HelpDialog(HelpDialog::Topic::UserGuide, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    guide->setObjectName("userGuide");
    guide->setShortcut(QKeySequence::HelpContents);
    auto* keys = help->addAction(tr("Keyboard shortcuts"), this, [this] {
        auto* dialog = new HelpDialog(HelpDialog::Topic::KeyboardShortcuts, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    keys->setObjectName("keyboardShortcuts");
    help->addSeparator();
    help->addAction(tr("About Trainbench"), this, [this] {
        QMessageBox::about(
            this, tr("About Trainbench"),
            tr("<h3>Trainbench %1</h3><p>A workbench for building, training, tracking and "
               "trying image classifiers.</p><p>License: GPL-3.0-or-later</p>"
               "<p>Qt %2 · libtorch %3</p>")
                .arg(QString::fromStdString(BuildInfo::version()), qVersion(),
                     QString::fromStdString(BuildInfo::torchVersion())));
    });

    connect(m_train, &QAction::triggered, this, &MainWindow::startTraining);
    connect(m_pause, &QAction::toggled, this, [this](bool paused) {
        m_controller->setPaused(paused);
        if (paused) {
            // Where it stopped; no speed or ETA while nothing trains.
            m_progressLabel->setText(
                m_lastBatch.epoch > 0 ? tr("Paused at epoch %1, batch %2")
                                            .arg(m_lastBatch.epoch - std::max(m_firstEpoch, 1) + 1)
                                            .arg(m_lastBatch.batch)
                                      : tr("Paused"));
            m_speedLabel->clear();
        } else {
            m_progressLabel->setText(tr("Resuming…"));
        }
    });
    connect(m_stop, &QAction::triggered, this, [this] {
        m_sweepCancelled = !m_sweepId.isEmpty(); // a sweep's Stop cancels the runs still queued
        m_controller->stop();
        m_progressLabel->setText(tr("Stopping after this batch…"));
    });
    connect(m_tensorBoard, &QAction::triggered, this, [this] { openTensorBoard(); });
    connect(m_saveModel, &QAction::triggered, this, &MainWindow::saveModel);
    connect(m_openModel, &QAction::triggered, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open model"), QString(),
                                         tr("Trainbench checkpoints (*.ckpt);;All files (*)"));
        if (!path.isEmpty())
            openModelFile(path);
    });
    rebuildRecentModels();
}

bool MainWindow::openModelFile(const QString& path)
{
    if (!m_draw->openModel(path)) {
        m_tabs->setCurrentWidget(m_draw); // the Draw tab says what is wrong with the file
        return false;
    }
    m_tabs->setCurrentWidget(m_draw);
    QSettings settings;
    QStringList recent = settings.value("recentModels").toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    settings.setValue("recentModels", recent.mid(0, 8));
    rebuildRecentModels();
    return true;
}

QStringList MainWindow::recentModels() const
{
    return QSettings().value("recentModels").toStringList();
}

void MainWindow::rebuildRecentModels()
{
    m_recentMenu->clear();
    const QStringList recent = recentModels();
    for (const QString& path : recent) {
        auto* action = m_recentMenu->addAction(QFileInfo(path).fileName(), this,
                                               [this, path] { openModelFile(path); });
        action->setToolTip(QDir::toNativeSeparators(path));
        action->setStatusTip(QDir::toNativeSeparators(path));
    }
    if (recent.isEmpty()) {
        m_recentMenu->addAction(tr("No models opened yet"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear list"), this, [this] {
        QSettings().remove("recentModels");
        rebuildRecentModels();
    });
}

void MainWindow::updateActions()
{
    const bool running = m_controller->isRunning();
    const bool hasData = m_data->dataset() != nullptr;
    const bool validModel = m_model->isValid();
    m_train->setEnabled(!running && hasData && validModel);
    QString why;
    if (!validModel)
        why = tr("Cannot train: %1").arg(m_model->reason());
    else if (!hasData)
        why = tr("Cannot train: no dataset (%1)").arg(m_data->problem());
    m_train->setToolTip(why.isEmpty() ? tr("Train the model with these settings (F5)") : why);
    if (!running && !why.isEmpty())
        m_progressLabel->setText(why);
    else if (!running && m_progressLabel->text().startsWith(tr("Cannot train")))
        m_progressLabel->setText(tr("Ready"));
    m_pause->setEnabled(m_controller->canPause());
    m_stop->setEnabled(running);
    m_saveModel->setEnabled(!running && m_controller->trainer() &&
                            !m_controller->trainer()->history().empty());
    if (!running)
        m_pause->setChecked(false);
}

void MainWindow::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(
        error ? QStringLiteral(
                    "background: #f9dedc; color: #410e0b; padding: 6px; border-radius: 4px")
              : QStringLiteral(
                    "background: #fef7e0; color: #3c2f00; padding: 6px; border-radius: 4px"));
    m_message->setVisible(!text.isEmpty());
}

QString MainWindow::message() const
{
    return m_message->isVisible() ? m_message->text() : QString();
}

QString MainWindow::logText() const
{
    return m_log->toPlainText();
}

void MainWindow::log(const QString& line)
{
    m_log->appendPlainText(line);
}

TrainingConfig MainWindow::configFromDocks() const
{
    TrainingConfig config;
    m_data->applyTo(config);
    m_training->applyTo(config);
    config.modelName = m_model->modelName().toStdString();
    config.layers = m_model->layers();
    return config;
}

void MainWindow::openSweep()
{
    if (!m_train->isEnabled())
        return;
    SweepDialog dialog(configFromDocks(), this);
    if (dialog.exec() == QDialog::Accepted)
        queueSweep(dialog.points());
}

void MainWindow::queueSweep(const std::vector<SweepGrid::Point>& points)
{
    if (points.empty() || m_controller->isRunning() || !m_sweepId.isEmpty())
        return;
    m_sweepId =
        QStringLiteral("sweep-") + QString::fromStdString(TensorBoardLogger::timestampRunName());
    m_sweepPoints = points;
    m_sweepNext = 0;
    m_sweepCancelled = false;
    log(tr("Sweep %1: %n run(s) queued", nullptr, int(points.size())).arg(m_sweepId));
    continueSweep();
}

void MainWindow::continueSweep()
{
    if (m_sweepId.isEmpty() || m_controller->isRunning())
        return;
    if (m_sweepCancelled) {
        // The runs that never started are recorded as cancelled: the sweep shows what it skipped.
        const RunStore store(m_training->runsFolder().toStdString());
        for (size_t i = m_sweepNext; i < m_sweepPoints.size(); ++i) {
            try {
                RunRecorder cancelled(store, m_sweepPoints[i].config,
                                      TensorBoardLogger::timestampRunName(),
                                      m_sweepId.toStdString());
                cancelled.rename(m_sweepPoints[i].title);
                cancelled.cancel();
            } catch (const Error& e) {
                log(tr("Cannot record a cancelled run: %1").arg(QString::fromUtf8(e.what())));
                break;
            }
        }
        log(tr("Sweep %1 stopped: %2 run(s) cancelled")
                .arg(m_sweepId)
                .arg(m_sweepPoints.size() - m_sweepNext));
        m_sweepId.clear();
        return;
    }
    if (m_sweepNext >= m_sweepPoints.size()) {
        log(tr("Sweep %1 finished").arg(m_sweepId));
        m_sweepId.clear();
        return;
    }
    const SweepGrid::Point& point = m_sweepPoints[m_sweepNext++];
    log(tr("Sweep run %1 of %2: %3")
            .arg(m_sweepNext)
            .arg(m_sweepPoints.size())
            .arg(QString::fromStdString(point.title)));
    m_controller->setNextSweep(m_sweepId, QString::fromStdString(point.title));
    if (!startRun(point.config)) {
        m_sweepCancelled = true;
        QTimer::singleShot(0, this, &MainWindow::continueSweep);
    }
}

void MainWindow::startTraining()
{
    if (!m_train->isEnabled())
        return;
    startRun(configFromDocks());
}

bool MainWindow::startRun(const TrainingConfig& config)
{
    if (m_training->runsFolder().isEmpty()) {
        showMessage(tr("Choose a runs folder in the Training dock: every run is kept there."),
                    true);
        return false;
    }
    m_runs->setRoot(m_training->runsFolder()); // the list shows the folder the run goes to
    m_controller->setRunsDir(m_training->runsFolder());
    m_controller->setTensorBoardLogging(!m_training->logDir().isEmpty());
    m_controller->setWorkers(m_training->workers());
    QString error;
    showMessage(QString(), false);
    if (!m_controller->start(config, m_data->dataset(), &error)) {
        showMessage(error, true);
        log(tr("Cannot start: %1").arg(error));
        return false;
    }
    m_epochs = config.epochs;
    m_progress->setValue(0);
    m_progressLabel->setText(tr("Starting…"));
    m_speedLabel->clear();
    log(tr("Training %1 on %2: %3 epochs, batch %4, %5 lr %6")
            .arg(QString::fromStdString(config.modelName), m_data->folder())
            .arg(config.epochs)
            .arg(config.batchSize)
            .arg(QString::fromStdString(toString(config.optimizer.type)))
            .arg(config.optimizer.learningRate));
    if (!m_controller->runLogDir().isEmpty())
        log(tr("TensorBoard logs: %1").arg(m_controller->runLogDir()));
    m_runs->refresh(); // the new run's folder
    m_runs->setActiveFolder(m_controller->runLogDir());
    return true;
}

void MainWindow::resumeRun(const QString& runId)
{
    if (m_controller->isRunning())
        return;
    m_controller->setRunsDir(m_training->runsFolder());
    m_controller->setTensorBoardLogging(!m_training->logDir().isEmpty());
    QString error;
    showMessage(QString(), false);
    if (!m_controller->resume(runId, &error)) {
        showMessage(error, true);
        log(tr("Cannot resume: %1").arg(error));
        return;
    }
    m_epochs = m_controller->trainer()->config().epochs;
    m_runs->setActiveFolder(m_controller->runLogDir());
    m_progress->setValue(0);
    m_progressLabel->setText(tr("Resuming…"));
    m_speedLabel->clear();
    log(tr("Resuming run %1 for %2 more epoch(s)").arg(runId).arg(m_epochs));
}

void MainWindow::onStarted(const RunInfo& info)
{
    m_runInfo = info;
    m_firstEpoch = 0;
    m_runEpochs.clear();
    m_lastBatch = BatchEvent{};
    // The views below still hold the previous run's results until this run's first epoch.
    if (m_predictions->matchingCount() > 0 || m_confusion->matrix()->total() > 0) {
        m_predictions->setStale(true);
        m_confusion->setStale(true);
    }
    m_draw->markPrevious();
    m_runClock.start();
    m_curves->start(info);
    m_progress->setRange(0, int(info.batchesPerEpoch * m_epochs));
    log(tr("Device %1, %2 thread(s); %L3 training, %L4 test images; %L5 parameters")
            .arg(QString::fromStdString(info.device))
            .arg(info.threads)
            .arg(info.trainSamples)
            .arg(info.testSamples)
            .arg(info.parameters));
    if (info.worldSize > 1)
        log(tr("%1 worker processes (%2), batch %L3 each, global batch %L4; Predictions and the "
               "confusion matrix are not computed for runs in worker processes")
                .arg(info.worldSize)
                .arg(QString::fromStdString(info.backend))
                .arg(info.globalBatch / info.worldSize)
                .arg(info.globalBatch));
}

void MainWindow::onBatch(const BatchEvent& e)
{
    m_lastBatch = e;
    if (m_firstEpoch == 0)
        m_firstEpoch = e.epoch;
    m_curves->addBatches(e);
    const int64_t done = int64_t(e.epoch - m_firstEpoch) * e.batchesPerEpoch + e.batch;
    const int64_t total = int64_t(m_epochs) * e.batchesPerEpoch;
    m_progress->setValue(int(done));
    if (m_pause->isChecked())
        return; // a report queued before the pause: the status bar keeps saying "Paused at"
    m_progressLabel->setText(tr("Epoch %1/%2 · batch %3/%4 · loss %5 · accuracy %6%")
                                 .arg(e.epoch - m_firstEpoch + 1)
                                 .arg(m_epochs)
                                 .arg(e.batch)
                                 .arg(e.batchesPerEpoch)
                                 .arg(e.loss, 0, 'f', 4)
                                 .arg(e.accuracy * 100.0, 0, 'f', 2));
    const double perBatch = done > 0 ? e.elapsedSeconds / double(done) : 0.0;
    m_speedLabel->setText(tr("%L1 samples/s · ETA %2")
                              .arg(qRound(e.samplesPerSecond))
                              .arg(clock(perBatch * double(total - done))));
}

void MainWindow::onEpoch(const EpochMetrics& m)
{
    m_curves->addEpoch(m);
    m_runEpochs.push_back(m);
    log(QString::fromStdString(m.tutorialLine()));
}

void MainWindow::onDetails(const EpochDetails& d)
{
    m_predictions->setDetails(d);
    QStringList names;
    for (const auto& name : m_runInfo.classNames)
        names << QString::fromStdString(name);
    m_confusion->setDetails(d, names);
}

QString MainWindow::statusText() const
{
    return m_progressLabel->text();
}

QString MainWindow::endOfRunText(bool stopped) const
{
    const QString how = stopped ? tr("Stopped") : tr("Finished");
    if (m_runEpochs.empty())
        return how;
    const auto best = std::max_element(m_runEpochs.begin(), m_runEpochs.end(),
                                       [](const EpochMetrics& a, const EpochMetrics& b) {
                                           return a.testAccuracy < b.testAccuracy;
                                       });
    const qint64 seconds = m_runClock.isValid() ? m_runClock.elapsed() / 1000 : 0;
    const QString epochs =
        m_runEpochs.size() == 1 ? tr("1 epoch") : tr("%1 epochs").arg(m_runEpochs.size());
    return tr("%1 after %2: test accuracy %3% (best %4%, epoch %5) in %6")
        .arg(how, epochs)
        .arg(QLocale().toString(m_runEpochs.back().testAccuracy * 100.0, 'f', 2))
        .arg(QLocale().toString(best->testAccuracy * 100.0, 'f', 2))
        .arg(best->epoch)
        .arg(QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QChar('0')));
}

void MainWindow::onFinished(bool stopped)
{
    m_progressLabel->setText(endOfRunText(stopped));
    m_speedLabel->clear();
    if (!stopped)
        m_progress->setValue(m_progress->maximum());
    log(stopped ? tr("Stopped.") : tr("Finished."));
}

void MainWindow::onFailed(const QString& text)
{
    showMessage(tr("Training failed: %1").arg(text), true);
    m_progressLabel->setText(tr("Failed"));
    log(tr("Failed: %1").arg(text));
}

void MainWindow::openTensorBoard(const QString& folder)
{
    const QString runs = folder.isEmpty() ? m_training->runsFolder() : folder;
    QDir().mkpath(runs);
    const QString program = QStandardPaths::findExecutable(QStringLiteral("tensorboard"));
    if (program.isEmpty()) {
        QMessageBox::information(this, tr("TensorBoard"),
                                 tr("TensorBoard is not installed here. Install it (for example "
                                    "<code>pip install tensorboard</code>) and run:<br><br>"
                                    "<code>tensorboard --logdir \"%1\"</code><br><br>then open "
                                    "http://localhost:6006")
                                     .arg(runs.toHtmlEscaped()));
        return;
    }
    if (!QProcess::startDetached(program, {"--logdir", runs, "--port", "6006"})) {
        showMessage(tr("Could not start %1").arg(program), true);
        return;
    }
    log(tr("Started TensorBoard on %1").arg(runs));
    QTimer::singleShot(2500, this,
                       [] { QDesktopServices::openUrl(QUrl("http://localhost:6006")); });
}

void MainWindow::saveModel()
{
    auto trainer = m_controller->trainer();
    if (!trainer || m_controller->isRunning())
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save model"), "model.ckpt",
                                                      tr("Trainbench checkpoints (*.ckpt)"));
    if (path.isEmpty())
        return;
    try {
        trainer->saveCheckpoint(path.toStdString());
        log(tr("Saved %1").arg(path));
    } catch (const Error& e) {
        showMessage(QString::fromUtf8(e.what()), true);
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_controller->isRunning()) {
        const auto answer = QMessageBox::question(
            this, tr("Training in progress"),
            tr("A run is in progress (it goes on training while this question is open). Stop it "
               "after the current batch and quit? Its finished epochs are kept in its run "
               "folder."));
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_closeAfterRun = true;
        m_sweepCancelled = !m_sweepId.isEmpty(); // quitting ends a sweep: its rest is cancelled
        m_controller->stop();
        m_controller->setPaused(false);
        event->ignore(); // closes once the run has stopped cleanly
        return;
    }
    QSettings settings;
    m_data->saveSettings(settings);
    m_model->saveSettings(settings);
    m_training->saveSettings(settings);
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    event->accept();
}

void MainWindow::chooseLanguage(const QString& code)
{
    if (code == Language::setting())
        return;
    Language::setSetting(code);
    // Every widget builds its texts once, so a new language takes a fresh start: offered now,
    // or left for the next one (and never while a run is going).
    if (m_controller->isRunning()) {
        showMessage(tr("The language changes when Trainbench starts again (after this run)."),
                    false);
        return;
    }
    QMessageBox ask(QMessageBox::Question, tr("Language"),
                    tr("The language changes when Trainbench starts again. Restart now?"),
                    QMessageBox::NoButton, this);
    auto* restart = ask.addButton(tr("Restart now"), QMessageBox::AcceptRole);
    ask.addButton(tr("Later"), QMessageBox::RejectRole);
    ask.setObjectName("languageRestart");
    ask.exec();
    if (ask.clickedButton() != restart)
        return;
    if (close()) // asks about an unsaved model first, and may be cancelled
        QProcess::startDetached(QCoreApplication::applicationFilePath(),
                                QCoreApplication::arguments().mid(1));
}

} // namespace trainbench::ui
