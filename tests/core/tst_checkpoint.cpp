#include "trainbench/checkpointinfo.h"
#include "trainbench/dataset.h"
#include "trainbench/error.h"
#include "trainbench/trainer.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace trainbench;

namespace {

TrainingConfig smallConfig(const std::string& model = "seed-cnn")
{
    TrainingConfig config;
    config.dataDir = TRAINBENCH_TEST_DATA_DIR;
    config.modelName = model;
    config.limit = 1000;
    config.testLimit = 500;
    config.epochs = 1;
    config.seed = 11;
    return config;
}

template <typename F>
QString errorOf(F action)
{
    try {
        action();
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestCheckpoint final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_data = std::make_shared<Dataset>(Dataset::loadFolder(TRAINBENCH_TEST_DATA_DIR));
        QVERIFY(m_dir.isValid());
    }

    void roundTripRestoresWeightsAndOptimizer()
    {
        const std::string path = m_dir.filePath("seed.ckpt").toStdString();
        // A trains one epoch, is saved, then trains a second epoch.
        Trainer a(smallConfig());
        a.setDataset(m_data);
        QVERIFY(a.run());
        a.saveCheckpoint(path);
        QVERIFY(a.run());
        const EpochMetrics continued = a.history().back();
        QCOMPARE(continued.epoch, 2);

        // B starts from the checkpoint and must take exactly the same second epoch:
        // that needs identical weights, Adam moments and step count.
        Trainer b(smallConfig());
        b.setDataset(m_data);
        b.loadCheckpoint(path);
        QCOMPARE(b.history().size(), size_t(1));
        QVERIFY(b.run());
        const EpochMetrics resumed = b.history().back();
        QCOMPARE(resumed.epoch, 2);
        QCOMPARE(resumed.trainLoss, continued.trainLoss);
        QCOMPARE(resumed.testLoss, continued.testLoss);
        QCOMPARE(resumed.testAccuracy, continued.testAccuracy);

        // No leftover temporary files: the write was a rename.
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), QStringList{"seed.ckpt"});
    }

    void headerDescribesTheRun()
    {
        const std::string path = m_dir.filePath("info.ckpt").toStdString();
        TrainingConfig config = smallConfig("lenet5");
        config.optimizer.type = OptimizerType::RmsProp;
        Trainer trainer(config);
        trainer.setDataset(m_data);
        QVERIFY(trainer.run());
        trainer.saveCheckpoint(path);
        const CheckpointInfo info = CheckpointInfo::read(path);
        QCOMPARE(info.formatVersion, CheckpointInfo::kFormatVersion);
        QCOMPARE(info.config.modelName, std::string("lenet5"));
        QVERIFY(info.config.optimizer.type == OptimizerType::RmsProp);
        QCOMPARE(info.config.seed, uint64_t(11));
        QCOMPARE(info.inputShape, (std::vector<int64_t>{1, 28, 28}));
        QCOMPARE(info.classes, 10);
        QCOMPARE(info.layers.size(), size_t(8));
        QCOMPARE(info.history.size(), size_t(1));
        QCOMPARE(info.history[0].testAccuracy, trainer.history()[0].testAccuracy);
    }

    void refusesADifferentArchitecture()
    {
        const std::string path = m_dir.filePath("arch.ckpt").toStdString();
        Trainer seed(smallConfig("seed-cnn"));
        seed.saveCheckpoint(path);
        Trainer lenet(smallConfig("lenet5"));
        const QString message = errorOf([&] { lenet.loadCheckpoint(path); });
        QVERIFY2(message.contains("different architecture"), qPrintable(message));
        QVERIFY(message.contains(QString::fromStdString(path)));
        QVERIFY(message.contains("Dense 256")); // says what the checkpoint holds
    }

    void rejectsDamagedFiles()
    {
        const QString good = m_dir.filePath("good.ckpt");
        Trainer trainer(smallConfig("mlp"));
        trainer.saveCheckpoint(good.toStdString());
        QFile file(good);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();

        const QString truncated = m_dir.filePath("truncated.ckpt");
        QFile out(truncated);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes.left(bytes.size() / 2));
        out.close();
        const QString garbage = m_dir.filePath("garbage.ckpt");
        QFile g(garbage);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write(QByteArray(4096, 'x'));
        g.close();

        for (const QString& path : {truncated, garbage}) {
            Trainer target(smallConfig("mlp"));
            const QString message = errorOf([&] { target.loadCheckpoint(path.toStdString()); });
            QVERIFY2(message.contains(path) && message.contains("not a Trainbench checkpoint"),
                     qPrintable(message));
            QVERIFY(!errorOf([&] { CheckpointInfo::read(path.toStdString()); }).isEmpty());
        }
        Trainer target(smallConfig("mlp"));
        QVERIFY(errorOf([&] { target.loadCheckpoint(m_dir.filePath("none.ckpt").toStdString()); })
                    .contains("does not exist"));
        QVERIFY(errorOf([&] { target.loadCheckpoint(m_dir.path().toStdString()); })
                    .contains("is a folder"));
    }

    void reportsAnUnwritablePath()
    {
        Trainer trainer(smallConfig("mlp"));
        const std::string path = m_dir.filePath("no/such/folder/x.ckpt").toStdString();
        const QString message = errorOf([&] { trainer.saveCheckpoint(path); });
        QVERIFY2(message.contains(QString::fromStdString(path)) && message.contains("cannot write"),
                 qPrintable(message));
    }

private:
    QTemporaryDir m_dir;
    std::shared_ptr<const Dataset> m_data;
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
