#include "trainingcontroller.h"

#include "trainbench/common/error.h"
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
        m_runLogDir.clear();
        if (!m_logDir.isEmpty()) {
            m_logger = std::make_shared<TensorBoardLogger>(m_logDir.toStdString(), config);
            m_logger->onWarning = [this](const std::string& message) {
                QMetaObject::invokeMethod(
                    this, [this, m = QString::fromStdString(message)] { Q_EMIT warning(m); });
            };
            trainer->addObserver(m_logger.get());
            m_runLogDir = QString::fromStdString(m_logger->runDir());
        }
        m_trainer = trainer;
    } catch (const Error& e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
    m_running = true;
    Q_EMIT runningChanged(true);
    auto trainer = m_trainer;
    auto logger = m_logger; // keeps the logger alive until the run is over
    TrainingWorker* worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, trainer, logger] { worker->run(trainer); }, Qt::QueuedConnection);
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
