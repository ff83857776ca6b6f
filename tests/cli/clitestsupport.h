#pragma once

// What the tests of trainbench-cli share: the program, the MNIST files, and running it.

#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace clitest {

inline const QString kCli = QStringLiteral(TRAINBENCH_CLI_PATH);
inline const QString kData = QStringLiteral(TRAINBENCH_TEST_DATA_DIR);

/// How a run of trainbench-cli ended: its exit code (-2 for a signal) and what it printed.
struct Result
{
    int code = -1;
    QString out;
    QString err;
};

/// Waits for a started trainbench-cli and collects what it printed; a run that does not end
/// within `ms` fails the test program (a hang is a bug here).
inline Result finish(QProcess& process, int ms = 300000)
{
    if (!process.waitForFinished(ms))
        qFatal("trainbench-cli %s did not finish", qPrintable(process.arguments().join(' ')));
    Result result;
    result.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

/// Runs trainbench-cli with `args` (and `env`) to its end.
inline Result runCli(const QStringList& args,
                     const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                     int ms = 300000)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(kCli, args);
    return finish(process, ms);
}

/// A short training run on MNIST (600 training and 500 test images, one epoch), with `extra`.
inline QStringList smallRun(const QStringList& extra = {})
{
    return QStringList{"train",        "--data", kData,      "--limit", "600",
                       "--test-limit", "500",    "--epochs", "1"} +
           extra;
}

/// A file's bytes; empty when it cannot be read.
inline QByteArray bytesOf(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// A file's text; empty when it cannot be read.
inline QString readAll(const QString& path)
{
    return QString::fromUtf8(bytesOf(path));
}

} // namespace clitest
