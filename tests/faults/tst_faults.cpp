#include "clitestsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <random>

#if defined(Q_OS_UNIX)
#include <csignal>
#include <sys/types.h>
#endif

// Faults a user's machine throws at a run: a full disk while saving and while logging, kill -9
// during saves, pipes where files belong. Whatever happens, the process ends with a message and
// an exit status (never a signal or a hang), and what was finished before is whole.

using namespace clitest;

namespace {

/// Runs trainbench-cli under a file-size limit of `bytes` (RLIMIT_FSIZE, set by the shell's
/// ulimit in 512-byte blocks): a full disk for every file it writes, without root or a tmpfs.
Result runWithFileSizeLimit(const QStringList& args, int bytes)
{
    QStringList quoted;
    for (const QString& a : QStringList{kCli} + args)
        quoted << "'" + a + "'";
    QProcess limited;
    limited.start(
        "/bin/sh",
        {"-c", QString("ulimit -f %1 && exec %2").arg(bytes / 512).arg(quoted.join(' '))});
    return finish(limited, 120000);
}

/// The number of whole TFRecord frames in an event file, or -1 when it ends inside one (the
/// frames' checksums are the TensorBoard test's business; here only their lengths are walked).
int wholeRecords(const QByteArray& file)
{
    qsizetype at = 0;
    int records = 0;
    while (at < file.size()) {
        if (file.size() - at < 16) // a frame is at least its length, two CRCs and no data
            return -1;
        quint64 length = 0;
        std::memcpy(&length, file.constData() + at, 8);
        if (length > quint64(file.size() - at - 16))
            return -1;
        at += 12 + qsizetype(length) + 4;
        ++records;
    }
    return records;
}

/// A small model (a 25 KB checkpoint) whose TensorBoard test log grows by tens of KB per epoch
/// (its prediction grid and confusion matrix images): the log fills a limit before anything else.
QString writeTinyConfig(const QString& path, int epochs)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    file.write(QString(R"({"model": "custom", "epochs": %1, "limit": 600, "test_limit": 500,
        "layers": [{"type": "Conv2D", "filters": 2, "kernel": 3, "padding": "same",
                    "activation": "relu"}, {"type": "MaxPooling2D", "pool": 4},
                   {"type": "Flatten"}, {"type": "Dense", "units": 10}]})")
                   .arg(epochs)
                   .toUtf8());
    return path;
}

} // namespace

class TestFaults final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aFullDiskWhileSavingLosesNothing()
    {
#if defined(Q_OS_UNIX)
        // A file-size limit stands in for a full disk (no root needed): the save fails, the
        // previous checkpoint stays byte for byte, and no temporary file is left.
        QTemporaryDir dir;
        const QString model = dir.filePath("model.ckpt");
        const QStringList args =
            smallRun({"--model", "mlp", "--save", model, "--runs", dir.filePath("runs")});
        QCOMPARE(runCli(args).code, 0);
        const QByteArray before = bytesOf(model);
        QVERIFY(before.size() > 1000000);
        const Result limited = runWithFileSizeLimit(args + QStringList{"--seed", "5"}, 256 * 1024);
        QCOMPARE(limited.code, 1); // an error, never a signal
        QVERIFY2(limited.err.contains(model) && limited.err.contains("cannot write"),
                 qPrintable(limited.err));
        QVERIFY(bytesOf(model) == before);
        QCOMPARE(QDir(dir.path()).entryList({"model.ckpt.*"}, QDir::Files).size(), 0);
#else
        QSKIP("file-size limits are POSIX");
#endif
    }

    void killedDuringSavesLeavesAWholeCheckpoint()
    {
#if defined(Q_OS_UNIX)
        // kill -9 at ten moments of a run that saves after every (short) epoch: the checkpoint
        // is always one whole save, old or new, and the next save removes what a kill left.
        QTemporaryDir dir;
        const QString model = dir.filePath("model.ckpt");
        const QString digit = dir.filePath("digit.pgm");
        {
            QFile images(kData + "/t10k-images-idx3-ubyte");
            QVERIFY(images.open(QIODevice::ReadOnly));
            const QByteArray all = images.readAll();
            QFile out(digit);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write("P5\n28 28\n255\n" + all.mid(16, 784));
        }
        const QStringList args = {
            "train",        "--data", kData,          "--model", "mlp",
            "--limit",      "200",    "--test-limit", "50",      "--epochs",
            "1000",         "--save", model,          "--runs",  dir.filePath("runs"),
            "--no-progress"};
        QStringList once = args;
        once[10] = "1";
        QCOMPARE(runCli(once).code, 0); // a first checkpoint
        const QByteArray first = bytesOf(model);
        int replaced = 0; // rounds whose kill came after at least one save of their own
        std::mt19937 random(7);
        for (int round = 0; round < 10; ++round) {
            const QByteArray before = bytesOf(model);
            QProcess run;
            run.start(kCli, args);
            QVERIFY(run.waitForStarted());
            QTest::qWait(1500 + int(random() % 2500));
            ::kill(pid_t(run.processId()), SIGKILL);
            QVERIFY(run.waitForFinished(10000));
            const Result check = runCli({"predict", "--model", model, digit});
            QVERIFY2(check.code == 0,
                     qPrintable(QString("round %1: %2").arg(round).arg(check.err)));
            replaced += bytesOf(model) != before;
        }
        // The kills came while saves were going on, not before the first one.
        QVERIFY2(replaced > 0 && bytesOf(model) != first, qPrintable(QString::number(replaced)));
        QCOMPARE(runCli(once).code, 0);
        QCOMPARE(QDir(dir.path()).entryList({"model.ckpt.tmp-*"}, QDir::Files).size(), 0);
#else
        QSKIP("kill -9 is POSIX");
#endif
    }

    void aFullDiskWhileLoggingKeepsWholeRecords()
    {
#if defined(Q_OS_UNIX)
        // The TensorBoard log outgrows the limit in epoch 2: logging stops with a warning naming
        // the file, training goes on to the end (the weights are what matters), the log ends at
        // its last whole record, and the exit status says the run is incomplete.
        QTemporaryDir dir;
        const QString config = writeTinyConfig(dir.filePath("tiny.json"), 4);
        const QString logs = dir.filePath("logs");
        const Result r = runWithFileSizeLimit({"train", "--config", config, "--data", kData,
                                               "--logdir", logs, "--run", "r", "--no-progress"},
                                              64 * 1024);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.out.contains("Epoch 4,"), qPrintable(r.out)); // every epoch trained
        QVERIFY2(r.err.contains("cannot write TensorBoard events") &&
                     r.err.contains(logs + "/r/test/events.out.tfevents."),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains("not everything was written"), qPrintable(r.err));
        const QStringList events =
            QDir(logs + "/r/test").entryList({"events.out.tfevents.*"}, QDir::Files);
        QCOMPARE(events.size(), 1);
        const QByteArray log = bytesOf(logs + "/r/test/" + events.first());
        QVERIFY(log.size() <= 64 * 1024);
        QVERIFY2(wholeRecords(log) > 1, qPrintable(QString::number(wholeRecords(log))));
        QVERIFY(log.contains("accuracy")); // epoch 1's scalars are there
        // The run itself is whole: four epochs recorded, its last checkpoint loads.
        const auto record = QJsonDocument::fromJson(bytesOf(logs + "/r/run.json")).object();
        QCOMPARE(record.value("status").toString(), QString("finished"));
        const QString digit = dir.filePath("digit.pgm");
        {
            QFile out(digit);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write("P5\n28 28\n255\n" + bytesOf(kData + "/t10k-images-idx3-ubyte").mid(16, 784));
        }
        const Result check = runCli({"predict", "--model", logs + "/r/last.ckpt", digit});
        QVERIFY2(check.code == 0, qPrintable(check.err));
#else
        QSKIP("file-size limits are POSIX");
#endif
    }

    void aPipeWhereAFileBelongsIsRefused()
    {
#if defined(Q_OS_UNIX)
        // Opening a FIFO for reading waits for a writer that never comes: each reader looks at
        // what it was given first. Every kind of file a user names, once as a pipe.
        QTemporaryDir dir;
        auto fifo = [&](const QString& name) {
            const QString path = dir.filePath(name);
            QDir().mkpath(QFileInfo(path).path());
            if (QProcess::execute("mkfifo", {path}) != 0)
                qFatal("mkfifo %s failed", qPrintable(path));
            return path;
        };
        // An MNIST folder with its training images as a pipe.
        const QString mnist = dir.filePath("mnist");
        QDir().mkpath(mnist);
        for (const char* name :
             {"train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
            QVERIFY(QFile::link(kData + "/" + name, mnist + "/" + name));
        const QString idx = fifo("mnist/train-images-idx3-ubyte");
        // A folder of images, one class's image a pipe.
        const QString images = dir.filePath("images");
        QDir().mkpath(images + "/cat");
        QVERIFY(
            QFile::copy(QStringLiteral(TRAINBENCH_SOURCE_DIR) + "/tests/fuzz/corpus/image/gray.png",
                        images + "/cat/a.png"));
        const QString image = fifo("images/dog/b.png");
        // A real checkpoint, for predict's image argument.
        const QString model = dir.filePath("model.ckpt");
        QCOMPARE(
            runCli(smallRun({"--model", "mlp", "--save", model, "--runs", dir.filePath("runs")}))
                .code,
            0);
        const QString pipe = fifo("pipe");
        const QString runs = dir.filePath("runs");
        const struct
        {
            QStringList args;
            QString named;
        } cases[] = {
            {{"train", "--data", mnist, "--epochs", "1", "--runs", runs}, idx},
            {{"train", "--data", images, "--epochs", "1", "--runs", runs}, image},
            {smallRun({"--resume", pipe, "--runs", runs}), pipe},
            {{"train", "--config", pipe, "--runs", runs}, pipe},
            {{"predict", "--model", pipe, model}, pipe},
            {{"predict", "--model", model, pipe}, pipe},
        };
        for (const auto& c : cases) {
            const Result r = runCli(c.args, QProcessEnvironment::systemEnvironment(), 60000);
            const QString what = c.args.join(' ') + ": " + r.err;
            QVERIFY2(r.code == 1 || r.code == 2, qPrintable(what));
            QVERIFY2(r.err.contains(c.named), qPrintable(what));
            QVERIFY2(r.err.contains("not a regular file") || r.err.contains("pipe"),
                     qPrintable(what));
        }
#else
        QSKIP("FIFOs are POSIX");
#endif
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
