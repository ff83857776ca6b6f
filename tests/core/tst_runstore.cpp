#include "trainbench/common/error.h"
#include "trainbench/data/dataset.h"
#include "trainbench/platform/platform.h"
#include "trainbench/track/runrecorder.h"
#include "trainbench/track/runstore.h"
#include "trainbench/train/trainer.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace trainbench;

namespace {

TrainingConfig smallConfig(int epochs)
{
    TrainingConfig config;
    config.dataDir = TRAINBENCH_TEST_DATA_DIR;
    config.modelName = "mlp";
    config.limit = 600;
    config.testLimit = 300;
    config.epochs = epochs;
    return config;
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

QString statusOf(const RunRecord& record)
{
    return QString::fromStdString(toString(record.status));
}

QString readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

class TestRunStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_data = std::make_shared<Dataset>(Dataset::loadFolder(TRAINBENCH_TEST_DATA_DIR));
    }

    void runFoldersAreUniqueAndSafe()
    {
        QTemporaryDir dir;
        const RunStore store(dir.filePath("runs").toStdString());
        QCOMPARE(store.createRun("lr-0.001"), std::string("lr-0.001"));
        QCOMPARE(store.createRun("lr-0.001"), std::string("lr-0.001-2")); // never shared
        QCOMPARE(store.createRun("a/b:c"), std::string("a_b_c"));
        QCOMPARE(store.createRun("../up"), std::string("_up"));
        QVERIFY(QDir(dir.filePath("runs/lr-0.001-2")).exists());
        QVERIFY(store.list().empty()); // folders without run.json are not runs
    }

    void recordsARunAsItTrains()
    {
        QTemporaryDir dir;
        const RunStore store(dir.path().toStdString());
        Trainer trainer(smallConfig(2));
        trainer.setDataset(m_data);
        RunRecorder recorder(store, trainer.config(), "two-epochs");
        recorder.saveCheckpoint = [&](const std::string& path) { trainer.saveCheckpoint(path); };
        // Written before training starts: a run that dies at once still lists.
        QCOMPARE(statusOf(store.read("two-epochs").record), QString("running"));
        int epochsOnDisk = -1;
        struct Probe : TrainingObserver
        {
            std::function<void()> after;
            void onEpochEnd(const EpochMetrics&) override { after(); }
        } probe;
        trainer.addObserver(&recorder);
        trainer.addObserver(&probe);
        probe.after = [&] { epochsOnDisk = int(store.read("two-epochs").record.history.size()); };
        QVERIFY(trainer.run());
        QCOMPARE(epochsOnDisk, 2); // rewritten after every epoch

        const RunListing run = store.read("two-epochs");
        QVERIFY(!run.damaged);
        const RunRecord& r = run.record;
        QCOMPARE(statusOf(r), QString("finished"));
        QCOMPARE(int(r.history.size()), 2);
        QCOMPARE(r.dataset, std::string("mnist"));
        QCOMPARE(r.config.modelName, std::string("mlp"));
        QVERIFY2(r.modelSummary.find("Dense 10") != std::string::npos, r.modelSummary.c_str());
        QCOMPARE(r.parameters, trainer.parameterCount());
        QVERIFY(!r.ended.empty() && r.created <= r.ended);
        QCOMPARE(r.history[1].testAccuracy, trainer.history()[1].testAccuracy);
        QCOMPARE(r.history[0].learningRate, 0.001);
        QVERIFY(r.bestEpoch() >= 1);
        QCOMPARE(r.bestTestAccuracy(), trainer.history()[size_t(r.bestEpoch() - 1)].testAccuracy);
        const QString folder = QString::fromStdString(run.folder);
        QVERIFY(QFile::exists(folder + "/last.ckpt"));
        QVERIFY(QFile::exists(folder + "/best.ckpt"));
        const QStringList csv = readFile(folder + "/metrics.csv").split('\n', Qt::SkipEmptyParts);
        QCOMPARE(csv.size(), 3);
        QVERIFY(csv[0].startsWith("epoch,train_loss,train_accuracy,"));
        QVERIFY(csv[2].startsWith("2,"));
        QCOMPARE(QDir(folder).entryList(QDir::Files).filter(".tmp-").size(), 0);
    }

    void bestCheckpointKeepsTheBestEpoch()
    {
        // best.ckpt shares last.ckpt's file when written; replacing last.ckpt after a worse
        // epoch must leave it with the best epoch's contents.
        QTemporaryDir dir;
        const RunStore store(dir.path().toStdString());
        RunRecorder recorder(store, smallConfig(3), "best");
        QByteArray contents;
        recorder.saveCheckpoint = [&](const std::string& path) {
            QSaveFile file(QString::fromStdString(path)); // replaced whole, as the trainer does
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(contents);
            QVERIFY(file.commit());
        };
        const QString folder = QString::fromStdString(store.read("best").folder);
        const auto epoch = [&](int number, double accuracy, const char* bytes) {
            contents = bytes;
            EpochMetrics metrics;
            metrics.epoch = number;
            metrics.testAccuracy = accuracy;
            recorder.onEpochEnd(metrics);
        };
        epoch(1, 0.90, "epoch one");
        QCOMPARE(readFile(folder + "/best.ckpt"), QString("epoch one"));
        epoch(2, 0.50, "epoch two");
        QCOMPARE(readFile(folder + "/last.ckpt"), QString("epoch two"));
        QCOMPARE(readFile(folder + "/best.ckpt"), QString("epoch one"));
        epoch(3, 0.95, "epoch three");
        QCOMPARE(readFile(folder + "/best.ckpt"), QString("epoch three"));
        QCOMPARE(QDir(folder).entryList(QDir::Files).filter(".tmp-").size(), 0);
    }

    void bestCheckpointSurvivesTheTrainersNextSave()
    {
        // The real writer replacing last.ckpt after best.ckpt was made from it (a second name of
        // the same file where the system links): best.ckpt keeps its bytes.
        TrainingConfig config = smallConfig(1), other = smallConfig(1);
        other.seed = 7;
        Trainer first(config), second(other);
        first.setDataset(m_data);
        second.setDataset(m_data);
        QVERIFY(first.run());
        QVERIFY(second.run());
        QTemporaryDir dir;
        const RunStore store(dir.path().toStdString());
        RunRecorder recorder(store, config, "linked");
        Trainer* writer = &first;
        recorder.saveCheckpoint = [&](const std::string& path) { writer->saveCheckpoint(path); };
        const QString folder = QString::fromStdString(store.read("linked").folder);
        const auto bytes = [&](const char* name) {
            QFile file(folder + "/" + name);
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        };
        EpochMetrics metrics;
        metrics.epoch = 1;
        metrics.testAccuracy = 0.9;
        recorder.onEpochEnd(metrics);
        const QByteArray best = bytes("best.ckpt");
        QVERIFY(!best.isEmpty());
#if defined(Q_OS_LINUX)
        QCOMPARE(std::filesystem::hard_link_count((folder + "/best.ckpt").toStdString()),
                 std::uintmax_t(2)); // not a copy
#endif
        writer = &second;
        metrics.epoch = 2;
        metrics.testAccuracy = 0.5;
        recorder.onEpochEnd(metrics);
        QCOMPARE(bytes("best.ckpt"), best);
        QVERIFY(bytes("last.ckpt") != best);
        QCOMPARE(QDir(folder).entryList(QDir::Files).filter(".tmp-").size(), 0);
    }

    void stoppedAndFailedRunsSaySo()
    {
        QTemporaryDir dir;
        const RunStore store(dir.path().toStdString());
        Trainer stopped(smallConfig(3));
        stopped.setDataset(m_data);
        RunRecorder stopRecorder(store, stopped.config(), "stopped");
        stopped.addObserver(&stopRecorder);
        stopped.requestStop();
        QVERIFY(stopped.run());
        QCOMPARE(statusOf(store.read("stopped").record), QString("stopped"));

        TrainingConfig bad = smallConfig(1);
        bad.dataDir = dir.filePath("no-such-data").toStdString();
        Trainer failing(bad);
        RunRecorder failRecorder(store, failing.config(), "failed");
        failing.addObserver(&failRecorder);
        QVERIFY(!failing.run());
        const RunRecord failed = store.read("failed").record;
        QCOMPARE(statusOf(failed), QString("failed"));
        QVERIFY2(failed.error.find("no-such-data") != std::string::npos, failed.error.c_str());
    }

    void aRunWhoseProcessIsGoneIsInterrupted()
    {
        QTemporaryDir dir;
        const RunStore store(dir.path().toStdString());
        // A process id that existed and is gone: a child that has exited.
        QProcess child;
        child.start(QStringLiteral(TRAINBENCH_CLI_PATH), {"--version"});
        QVERIFY(child.waitForStarted());
        const int64_t gone = child.processId();
        QVERIFY(child.waitForFinished());
        QVERIFY(!Platform::processAlive(gone));
        QVERIFY(Platform::processAlive(Platform::processId()));

        for (const auto& [id, pid] :
             {std::pair<std::string, int64_t>{"alive", Platform::processId()},
              std::pair<std::string, int64_t>{"dead", gone}}) {
            RunRecord r;
            r.id = store.createRun(id);
            r.status = RunStatus::Running;
            r.processId = pid;
            r.host = Platform::hostName();
            EpochMetrics m;
            m.epoch = 1;
            r.history.push_back(m);
            store.write(r);
        }
        QCOMPARE(statusOf(store.read("alive").record), QString("running"));
        QCOMPARE(statusOf(store.read("dead").record), QString("interrupted"));
        QCOMPARE(int(store.read("dead").record.history.size()), 1); // finished epochs kept
    }

    void damagedRecordsListWithTheReason()
    {
        QTemporaryDir dir;
        const RunStore store(dir.path().toStdString());
        RunRecord good;
        good.id = store.createRun("good");
        good.status = RunStatus::Finished;
        store.write(good);
        const std::vector<std::pair<std::string, QByteArray>> damaged = {
            {"garbage", "\x01\x02 not json"},
            {"truncated", readFile(QString::fromStdString(store.folder("good")) + "/run.json")
                              .left(40)
                              .toUtf8()},
            {"array", "[1, 2, 3]"},
            {"wrong-type",
             R"({"id": "wrong-type", "status": "finished", "config": {"epochs": "five"}})"},
            {"bad-status", R"({"id": "bad-status", "status": "sleeping", "config": {}})"},
            {"bad-epochs",
             R"({"id": "bad-epochs", "status": "finished", "config": {}, "epochs": 7})"},
            {"empty", ""},
            {"deep", QByteArray(R"({"id": "deep", "status": "finished", "config": {}, "x": )") +
                         QByteArray(200, '[') + QByteArray(200, ']') + "}"}};
        for (const auto& [name, bytes] : damaged) {
            QVERIFY(QDir().mkpath(dir.filePath(QString::fromStdString(name))));
            writeFile(dir.filePath(QString::fromStdString(name) + "/run.json"), bytes);
        }
        const auto runs = store.list();
        QCOMPARE(int(runs.size()), int(damaged.size()) + 1);
        int damagedCount = 0;
        for (const auto& run : runs) {
            if (run.id == "good") {
                QVERIFY(!run.damaged);
                continue;
            }
            ++damagedCount;
            QVERIFY2(run.damaged, run.id.c_str());
            // The message names the file.
            QVERIFY2(run.problem.find(run.id + "/run.json") != std::string::npos,
                     run.problem.c_str());
        }
        QCOMPARE(damagedCount, int(damaged.size()));
        QVERIFY(store.read("wrong-type").problem.find("epochs") != std::string::npos);
        QVERIFY(store.read("bad-status").problem.find("sleeping") != std::string::npos);
        QVERIFY(store.read("deep").problem.find("nested") != std::string::npos);
        QVERIFY_THROWS_EXCEPTION(Error, store.read("no-such-run"));
        QVERIFY_THROWS_EXCEPTION(Error, store.read("../good"));
    }

    void anUnwritableRunsFolderRefusesTheRun()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("file"), "x");
        const std::string root = dir.filePath("file/runs").toStdString();
        try {
            RunRecorder recorder(RunStore(root), smallConfig(1), "run");
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find(root) != std::string::npos, e.what());
        }
    }

private:
    std::shared_ptr<const Dataset> m_data;
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_runstore.moc"
