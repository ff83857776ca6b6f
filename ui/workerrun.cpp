#include "workerrun.h"

#include "trainbench/common/error.h"
#include "trainbench/train/configjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace trainbench::ui {

WorkerRun::WorkerRun(QObject* parent) : QObject(parent)
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &WorkerRun::readOutput);
    connect(&m_process, &QProcess::readyReadStandardError, this, &WorkerRun::readErrors);
    connect(&m_process, &QProcess::finished, this, &WorkerRun::onExit);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && !m_starting) { // start() reports its own
            Q_EMIT failed(tr("Could not start %1: %2").arg(cliPath(), m_process.errorString()));
            Q_EMIT done(QString());
        }
    });
}

WorkerRun::~WorkerRun()
{
    if (!isRunning())
        return;
    // The window is closing: the workers stop after their current batch, and are ended if
    // they do not within a few seconds.
    stop();
    if (!m_process.waitForFinished(10000))
        m_process.kill();
    m_process.waitForFinished(2000);
}

QString WorkerRun::cliPath()
{
    const QString chosen = qEnvironmentVariable("TRAINBENCH_CLI");
    if (!chosen.isEmpty())
        return chosen;
    const QString name = QStringLiteral("trainbench-cli");
    const QString beside = QDir(QCoreApplication::applicationDirPath()).filePath(name);
    if (QFileInfo(beside).isExecutable())
        return beside;
    const QString exe = beside + QStringLiteral(".exe");
    if (QFileInfo(exe).isExecutable())
        return exe;
    return QStandardPaths::findExecutable(name);
}

bool WorkerRun::start(const TrainingConfig& config, int workers, const QString& runsDir,
                      const QString& runName, bool tensorBoard, QString* error)
{
    const auto refuse = [error](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    if (isRunning())
        return refuse(tr("A run is already in progress."));
    const QString cli = cliPath();
    if (cli.isEmpty())
        return refuse(tr("Training with several workers needs trainbench-cli, which was not "
                         "found next to this program or on PATH."));
    if (!m_configDir.isValid())
        return refuse(tr("Cannot create a temporary folder for the workers' settings: %1")
                          .arg(m_configDir.errorString()));
    const QString configPath = m_configDir.filePath(QStringLiteral("config.json"));
    QFile file(configPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(QByteArray::fromStdString(ConfigJson::toJson(config))) < 0 || !file.flush())
        return refuse(tr("Cannot write %1: %2").arg(configPath, file.errorString()));
    file.close();

    QStringList args{QStringLiteral("train"),
                     QStringLiteral("--config"),
                     configPath,
                     QStringLiteral("--nproc"),
                     QString::number(workers),
                     tensorBoard ? QStringLiteral("--logdir") : QStringLiteral("--runs"),
                     runsDir,
                     QStringLiteral("--run"),
                     runName,
                     QStringLiteral("--json"),
                     QStringLiteral("--json-events"),
                     QStringLiteral("--no-progress")};
    m_pendingOut.clear();
    m_pendingErr.clear();
    m_lastError.clear();
    m_epochs = 0;
    m_stopRequested = false;
    m_runFolder = QDir(runsDir).filePath(runName);
    m_starting = true;
    m_process.start(cli, args);
    const bool running = m_process.waitForStarted(10000);
    m_starting = false;
    if (!running) {
        m_process.kill();
        m_process.waitForFinished(2000);
        return refuse(tr("Could not start %1: %2").arg(cli, m_process.errorString()));
    }
    return true;
}

void WorkerRun::stop()
{
    if (!isRunning() || m_stopRequested)
        return; // asked once: the launcher is passing it on
    m_stopRequested = true;
    m_process.terminate(); // the launcher asks every worker to stop after the same batch
}

void WorkerRun::readOutput()
{
    m_pendingOut += m_process.readAllStandardOutput();
    int end = 0;
    while ((end = m_pendingOut.indexOf('\n')) >= 0) {
        const QByteArray line = m_pendingOut.left(end).trimmed();
        m_pendingOut.remove(0, end + 1);
        if (!line.isEmpty())
            handleLine(line);
    }
}

void WorkerRun::readErrors()
{
    // The workers' messages: the last error line is the reason a failed run gives.
    m_pendingErr += m_process.readAllStandardError();
    int end = 0;
    while ((end = m_pendingErr.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_pendingErr.left(end)).trimmed();
        m_pendingErr.remove(0, end + 1);
        const int at = line.indexOf(QStringLiteral("error: "));
        if (at >= 0 && m_lastError.isEmpty()) // the first error is the cause, the rest follow it
            m_lastError = line.mid(at + 7);
    }
}

void WorkerRun::handleLine(const QByteArray& line)
{
    // The stream's objects: "event": "started" or "batch", else an epoch's metrics.
    const QString event = QJsonDocument::fromJson(line).object().value("event").toString();
    try {
        const std::string text = line.toStdString();
        if (event == QLatin1String("started")) {
            Q_EMIT started(ConfigJson::runInfoFromJson(text));
        } else if (event == QLatin1String("batch")) {
            Q_EMIT batchReported(ConfigJson::batchEventFromJson(text));
        } else if (event.isEmpty()) {
            const EpochMetrics metrics = ConfigJson::metricsFromJson(text);
            ++m_epochs;
            Q_EMIT epochFinished(metrics);
        }
    } catch (const Error&) {
        // not one of the stream's objects (a stray line): ignored
    }
}

void WorkerRun::onExit(int code, QProcess::ExitStatus status)
{
    if (m_starting)
        return; // start() is failing and says why
    readOutput();
    readErrors();
    if (!m_pendingErr.isEmpty()) // a last line without its newline
        m_pendingErr += '\n';
    readErrors();
    if (status == QProcess::NormalExit && code == 0) {
        Q_EMIT finished(false);
    } else if ((status == QProcess::NormalExit && code == 130) ||
               (m_stopRequested && status == QProcess::CrashExit)) {
        // (Stopped so early that the launcher had not started the workers yet.)
        Q_EMIT finished(true);
    } else {
        Q_EMIT failed(m_lastError.isEmpty() ? tr("The workers ended with exit code %1.").arg(code)
                                            : m_lastError);
    }
    const QString checkpoint = QDir(m_runFolder).filePath(QStringLiteral("last.ckpt"));
    Q_EMIT done(m_epochs > 0 && QFile::exists(checkpoint) ? checkpoint : QString());
}

} // namespace trainbench::ui
