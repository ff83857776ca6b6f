#include "trainingcontroller.h"

#include "trainbench/common/error.h"
#include "trainbench/infer/predictor.h"
#include "trainbench/track/runrecorder.h"
#include "trainbench/track/runstore.h"
#include "trainbench/track/tensorboardlogger.h"
#include "trainbench/train/trainer.h"
#include "trainingworker.h"
#include "workerrun.h"

#include <QDir>

#include <utility>

namespace trainbench::ui {

TrainingController::TrainingController(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<trainbench::RunInfo>();
    qRegisterMetaType<trainbench::BatchEvent>();
    qRegisterMetaType<trainbench::EpochMetrics>();
    qRegisterMetaType<trainbench::EpochDetails>();
    qRegisterMetaType<std::shared_ptr<trainbench::Predictor>>();
    m_thread.setObjectName(QStringLiteral("training"));
    m_worker = new TrainingWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &TrainingWorker::started, this, &TrainingController::started);
    connect(m_worker, &TrainingWorker::batchReported, this, &TrainingController::batchReported);
    connect(m_worker, &TrainingWorker::epochDetails, this, &TrainingController::epochDetails);
    connect(m_worker, &TrainingWorker::epochFinished, this, &TrainingController::epochFinished);
    connect(m_worker, &TrainingWorker::finished, this, &TrainingController::finished);
    connect(m_worker, &TrainingWorker::failed, this, &TrainingController::failed);
    connect(m_worker, &TrainingWorker::done, this, [this](std::shared_ptr<Predictor> model) {
        m_running = false;
        m_logger.reset();
        m_recorder.reset();
        if (model)
            Q_EMIT modelReady(model);
        Q_EMIT runningChanged(false);
    });
    m_thread.start();

    m_workerRun = new WorkerRun(this);
    connect(m_workerRun, &WorkerRun::started, this, &TrainingController::started);
    connect(m_workerRun, &WorkerRun::batchReported, this, &TrainingController::batchReported);
    connect(m_workerRun, &WorkerRun::epochFinished, this, &TrainingController::epochFinished);
    connect(m_workerRun, &WorkerRun::finished, this, &TrainingController::finished);
    connect(m_workerRun, &WorkerRun::failed, this, &TrainingController::failed);
    connect(m_workerRun, &WorkerRun::done, this, [this](const QString& checkpoint) {
        m_running = false;
        m_inWorkers = false;
        if (!checkpoint.isEmpty()) {
            try {
                Q_EMIT modelReady(Predictor::fromCheckpoint(checkpoint.toStdString()));
            } catch (const std::exception& e) {
                Q_EMIT warning(tr("The workers' model could not be loaded from %1: %2")
                                   .arg(checkpoint, QString::fromUtf8(e.what())));
            }
        }
        Q_EMIT runningChanged(false);
    });
}

TrainingController::~TrainingController()
{
    stop();
    m_thread.quit();
    m_thread.wait();
}

bool TrainingController::start(const TrainingConfig& config, std::shared_ptr<const Dataset> dataset,
                               QString* error)
{
    if (m_running) {
        if (error)
            *error = tr("A run is already in progress.");
        return false;
    }
    if (m_workers > 1 && m_nextSweep.isEmpty())
        return startWorkers(config, error);
    std::shared_ptr<RunRecorder> recorder;
    try {
        auto trainer = std::make_shared<Trainer>(config);
        if (dataset)
            trainer->setDataset(std::move(dataset));
        const QString sweep = std::exchange(m_nextSweep, QString());
        const QString title = std::exchange(m_nextTitle, QString());
        if (!m_runsDir
                 .isEmpty()) { // refuses the run up front when the runs folder cannot be written
            recorder = std::make_shared<RunRecorder>(RunStore(m_runsDir.toStdString()), config,
                                                     TensorBoardLogger::timestampRunName(),
                                                     sweep.toStdString());
            if (!title.isEmpty())
                recorder->rename(title.toStdString());
        }
        launch(trainer, recorder, config);
    } catch (const std::exception& e) { // Error, or a file system or allocation failure
        if (recorder)
            recorder->onFailed(e.what()); // its folder says why the run never began
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
    return true;
}

bool TrainingController::startWorkers(const TrainingConfig& config, QString* error)
{
    if (m_runsDir.isEmpty()) {
        if (error)
            *error = tr("Training with several workers keeps the run in the runs folder: choose "
                        "one in the Training dock.");
        return false;
    }
    try {
        config.validate();
        // The model must fit the data: the same checks an in-process run makes first.
        Trainer check(config);
        (void)check;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
    const QString runName = QString::fromStdString(TensorBoardLogger::timestampRunName());
    if (!m_workerRun->start(config, m_workers, m_runsDir, runName, m_tensorBoard, error))
        return false;
    m_trainer.reset();
    m_logger.reset();
    m_recorder.reset();
    m_runLogDir = QDir(m_runsDir).filePath(runName);
    m_running = true;
    m_inWorkers = true;
    Q_EMIT runningChanged(true);
    return true;
}

bool TrainingController::resume(const QString& runId, QString* error)
{
    if (m_running) {
        if (error)
            *error = tr("A run is already in progress.");
        return false;
    }
    std::shared_ptr<RunRecorder> recorder;
    try {
        const RunStore store(m_runsDir.toStdString());
        const RunListing kept = store.read(runId.toStdString());
        if (!kept.damaged && kept.record.status == RunStatus::Finished)
            throw Error("run '" + kept.id + "' has finished its epochs; clone it to train more");
        recorder = std::make_shared<RunRecorder>(RunRecorder::resume(store, kept.id));
        TrainingConfig config = recorder->record().config;
        config.scheduleEpochs = config.epochs; // the schedule goes on where it stopped
        config.epochs = recorder->remainingEpochs();
        auto trainer = std::make_shared<Trainer>(config);
        trainer->loadCheckpoint(recorder->lastCheckpoint());
        launch(trainer, recorder, config);
    } catch (const std::exception& e) {
        if (recorder)
            recorder->onFailed(e.what());
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
    return true;
}

void TrainingController::launch(std::shared_ptr<Trainer> trainer,
                                std::shared_ptr<RunRecorder> recorder, const TrainingConfig& config)
{
    const auto warn = [this](const std::string& message) {
        QMetaObject::invokeMethod(
            this, [this, m = QString::fromStdString(message)] { Q_EMIT warning(m); });
    };
    std::shared_ptr<TensorBoardLogger> logger;
    trainer->addObserver(m_worker);
    if (recorder) {
        recorder->onWarning = warn;
        // Called from inside run(), on the training thread: the trainer is not shared.
        Trainer* raw = trainer.get();
        recorder->saveCheckpoint = [raw](const std::string& path) { raw->saveCheckpoint(path); };
        if (m_tensorBoard) {
            logger = std::make_shared<TensorBoardLogger>(RunStore(m_runsDir.toStdString()).root(),
                                                         config, recorder->id(), true);
            logger->onWarning = warn;
            trainer->addObserver(logger.get());
        }
        trainer->addObserver(recorder.get());
    }
    // Nothing above threw: the run is on.
    m_trainer = trainer;
    m_logger = logger;
    m_recorder = recorder;
    m_runLogDir = recorder ? QString::fromStdString(recorder->folder()) : QString();
    m_running = true;
    Q_EMIT runningChanged(true);
    // The logger and the recorder stay alive until the run is over.
    TrainingWorker* worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, trainer, logger, recorder] { worker->run(trainer); },
        Qt::QueuedConnection);
}

void TrainingController::stop()
{
    if (m_inWorkers)
        m_workerRun->stop();
    else if (m_trainer && m_running)
        m_trainer->requestStop();
}

void TrainingController::setPaused(bool paused)
{
    if (!m_trainer || !m_running || m_inWorkers)
        return;
    m_trainer->setPaused(paused);
}

} // namespace trainbench::ui
