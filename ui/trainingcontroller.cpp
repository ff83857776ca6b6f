#include "trainingcontroller.h"

#include "trainbench/common/error.h"
#include "trainbench/track/runrecorder.h"
#include "trainbench/track/runstore.h"
#include "trainbench/track/tensorboardlogger.h"
#include "trainbench/train/trainer.h"
#include "trainingworker.h"

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
    try {
        auto trainer = std::make_shared<Trainer>(config);
        if (dataset)
            trainer->setDataset(std::move(dataset));
        trainer->addObserver(m_worker);
        m_logger.reset();
        m_recorder.reset();
        m_runLogDir.clear();
        const auto warn = [this](const std::string& message) {
            QMetaObject::invokeMethod(
                this, [this, m = QString::fromStdString(message)] { Q_EMIT warning(m); });
        };
        if (!m_runsDir.isEmpty()) {
            // Refuses the run up front when the runs folder cannot be written.
            const RunStore store(m_runsDir.toStdString());
            m_recorder =
                std::make_shared<RunRecorder>(store, config, TensorBoardLogger::timestampRunName());
            m_recorder->onWarning = warn;
            // Called from inside run(), on the training thread: the trainer is not shared.
            Trainer* raw = trainer.get();
            m_recorder->saveCheckpoint = [raw](const std::string& path) {
                raw->saveCheckpoint(path);
            };
            m_runLogDir = QString::fromStdString(m_recorder->folder());
            if (m_tensorBoard) {
                m_logger = std::make_shared<TensorBoardLogger>(store.root(), config,
                                                               m_recorder->id(), true);
                m_logger->onWarning = warn;
                trainer->addObserver(m_logger.get());
            }
            trainer->addObserver(m_recorder.get());
        }
        m_trainer = trainer;
    } catch (const Error& e) {
        if (m_recorder)
            m_recorder->onFailed(e.what()); // its folder says why the run never began
        m_recorder.reset();
        m_logger.reset();
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
    m_running = true;
    Q_EMIT runningChanged(true);
    auto trainer = m_trainer;
    // The logger and the recorder stay alive until the run is over.
    auto logger = m_logger;
    auto recorder = m_recorder;
    TrainingWorker* worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, trainer, logger, recorder] { worker->run(trainer); },
        Qt::QueuedConnection);
    return true;
}

void TrainingController::stop()
{
    if (m_trainer && m_running)
        m_trainer->requestStop();
}

void TrainingController::setPaused(bool paused)
{
    if (!m_trainer || !m_running)
        return;
    m_trainer->setPaused(paused);
}

} // namespace trainbench::ui
