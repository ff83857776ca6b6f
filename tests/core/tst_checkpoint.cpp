#include "model/network.h"
#include "model/networkweights.h"
#include "trainbench/common/error.h"
#include "trainbench/data/dataset.h"
#include "trainbench/infer/predictor.h"
#include "trainbench/train/checkpointinfo.h"
#include "trainbench/train/trainer.h"
#include "trainbench/train/trainingobserver.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <functional>
#include <limits>

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

template <typename F> QString errorOf(F action)
{
    try {
        action();
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

/// Copies the checkpoint `from` to `to` record by record, each through `change` (which may
/// rewrite a record's bytes); returns how many records it changed.
int rewriteRecords(const std::string& from, const std::string& to,
                   const std::function<bool(const std::string&, std::string&)>& change)
{
    caffe2::serialize::PyTorchStreamReader reader(from);
    caffe2::serialize::PyTorchStreamWriter writer(to);
    int changed = 0;
    for (const std::string& name : reader.getAllRecords()) {
        if (name == "version" || name == ".data/version")
            continue; // the writer writes its own
        auto [data, size] = reader.getRecord(name);
        std::string bytes(static_cast<const char*>(data.get()), size);
        changed += change(name, bytes);
        writer.writeRecord(name, bytes.data(), bytes.size());
    }
    writer.writeEndOfFile();
    return changed;
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

        // Saving again replaces the file in one step (also where rename() refuses an existing
        // target); no temporary files are left.
        b.saveCheckpoint(path);
        QCOMPARE(CheckpointInfo::read(path).history.size(), size_t(2));
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), QStringList{"seed.ckpt"});
    }

    void dropoutResumesExactly()
    {
        // One run of two epochs, and one epoch + checkpoint + a new trainer for the second:
        // the same dropout masks, so the same numbers (the generator's state is saved).
        TrainingConfig twoEpochs = smallConfig("mlp");
        twoEpochs.epochs = 2;
        Trainer straight(twoEpochs);
        straight.setDataset(m_data);
        QVERIFY(straight.run());
        const std::string path = m_dir.filePath("dropout.ckpt").toStdString();
        Trainer first(smallConfig("mlp"));
        first.setDataset(m_data);
        QVERIFY(first.run());
        first.saveCheckpoint(path);
        Trainer second(smallConfig("mlp"));
        second.setDataset(m_data);
        second.loadCheckpoint(path);
        QVERIFY(second.run());
        QCOMPARE(second.history().back().epoch, 2);
        QCOMPARE(second.history().back().trainLoss, straight.history().back().trainLoss);
        QCOMPARE(second.history().back().testLoss, straight.history().back().testLoss);
    }

    void aResumedScheduleGoesOnWhereItStopped()
    {
        const std::string path = m_dir.filePath("cosine.ckpt").toStdString();
        TrainingConfig config = smallConfig("small");
        // No dropout: its random draws would differ between one run() and two.
        config.layers = {LayerSpec::flatten(), LayerSpec::dense(32, Activation::ReLU),
                         LayerSpec::dense(10)};
        config.epochs = 2;
        config.schedule.type = ScheduleType::Cosine;
        Trainer whole(config);
        whole.setDataset(m_data);
        struct SaveAfterFirst : TrainingObserver
        {
            Trainer* trainer = nullptr;
            std::string path;
            void onEpochEnd(const EpochMetrics& m) override
            {
                if (m.epoch == 1)
                    trainer->saveCheckpoint(path);
            }
        } saver;
        saver.trainer = &whole;
        saver.path = path;
        whole.addObserver(&saver);
        QVERIFY(whole.run());

        // Resumed for the one epoch left of a 2-epoch plan: the same learning rates and metrics.
        TrainingConfig rest = config;
        rest.epochs = 1;
        rest.scheduleEpochs = 2;
        Trainer resumed(rest);
        resumed.setDataset(m_data);
        resumed.loadCheckpoint(path);
        QVERIFY(resumed.run());
        QCOMPARE(resumed.history().back().epoch, 2);
        QCOMPARE(resumed.history().back().learningRate, whole.history().back().learningRate);
        QCOMPARE(resumed.history().back().trainLoss, whole.history().back().trainLoss);
        QVERIFY(whole.history().back().learningRate < 0.0001); // cosine near its end, not restarted
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
        QVERIFY(errorOf([&] {
                    target.loadCheckpoint(m_dir.filePath("none.ckpt").toStdString());
                }).contains("does not exist"));
        QVERIFY(errorOf([&] {
                    target.loadCheckpoint(m_dir.path().toStdString());
                }).contains("is a folder"));
    }

    void aTensorWhoseDataIsShortIsRefusedBeforeLoading()
    {
        // A crafted checkpoint: the biggest tensor's data record cut to 16 bytes, its shape
        // unchanged. libtorch's loader would size the tensor from the shape and let it point past
        // the 16 bytes; the records are checked against the declared sizes first.
        const std::string whole = m_dir.filePath("whole.ckpt").toStdString();
        Trainer trainer(smallConfig("seed-cnn"));
        trainer.saveCheckpoint(whole);
        const std::string cut = m_dir.filePath("cut.ckpt").toStdString();
        const int shortened = rewriteRecords(whole, cut, [](const std::string& name, auto& bytes) {
            const bool big = name.rfind("data/", 0) == 0 && bytes.size() == 6272 * 256 * 4;
            if (big)
                bytes.resize(16);
            return big;
        });
        QCOMPARE(shortened, 1); // the 6272x256 kernel
        QString message = errorOf([&] { CheckpointInfo::read(cut); });
        QVERIFY2(message.contains(QString::fromStdString(cut)) &&
                     message.contains("holds 16 bytes, but the file declares 1605632 values"),
                 qPrintable(message));
        Trainer target(smallConfig("seed-cnn"));
        message = errorOf([&] { target.loadCheckpoint(cut); });
        QVERIFY2(message.contains("holds 16 bytes"), qPrintable(message));
        // The untouched file passes the same check.
        QVERIFY(errorOf([&] { CheckpointInfo::read(whole); }).isEmpty());
    }

    void damagedModuleCodeIsRefusedBeforeLibtorchCompilesIt()
    {
        // Found by fuzzing the whole file: libtorch compiles the archive's module declarations
        // (code/__torch__/*.py) as TorchScript when it loads it, and crashed (SIGSEGV) on one
        // whose "__parameters__" line had a few bytes changed. Only declarations pass now.
        const std::string whole = m_dir.filePath("declared.ckpt").toStdString();
        Trainer trainer(smallConfig("mlp"));
        trainer.saveCheckpoint(whole);
        const std::string mangled = m_dir.filePath("mangled.ckpt").toStdString();
        QString record;
        QCOMPARE(rewriteRecords(whole, mangled,
                                [&](const std::string& name, std::string& bytes) {
                                    const auto at = bytes.find("__parameters__");
                                    if (!record.isEmpty() || name.rfind("code/", 0) != 0 ||
                                        at == std::string::npos)
                                        return false;
                                    bytes.replace(at, 7, "denseam");
                                    record = QString::fromStdString(name);
                                    return true;
                                }),
                 1);
        const QString message = errorOf([&] { Predictor::fromCheckpoint(mangled); });
        QVERIFY2(message.startsWith(QString::fromStdString(mangled)) && message.contains(record) &&
                     message.contains("is code, not a module declaration"),
                 qPrintable(message));
        QVERIFY(errorOf([&] { Predictor::fromCheckpoint(whole); }).isEmpty());
    }

    void aMetadataLengthCannotDriveAllocation()
    {
        // Found by fuzzing the whole file: a string length in data.pkl changed to 1.6 GB made
        // libtorch's unpickler allocate it before noticing the file ends 900 bytes later.
        const std::string whole = m_dir.filePath("lengths.ckpt").toStdString();
        Trainer trainer(smallConfig("mlp"));
        trainer.saveCheckpoint(whole);
        const std::string inflated = m_dir.filePath("inflated.ckpt").toStdString();
        QCOMPARE(rewriteRecords(whole, inflated,
                                [](const std::string& name, std::string& bytes) {
                                    const auto header = bytes.find("{\"app_version");
                                    if (name != "data.pkl" || header == std::string::npos ||
                                        header < 5 || bytes[header - 5] != 'X')
                                        return false;
                                    bytes.replace(header - 4, 4, "\x62\x69\x74\x63");
                                    return true;
                                }),
                 1);
        const QString message = errorOf([&] { CheckpointInfo::read(inflated); });
        QVERIFY2(message.startsWith(QString::fromStdString(inflated)) &&
                     message.contains("data.pkl) is cut short or garbled"),
                 qPrintable(message));
    }

    void loadsAFormatOneCheckpoint()
    {
        // Written by the last version that stored weights by position (tests/core/fixtures).
        const QString fixtures = QFINDTESTDATA("fixtures");
        const std::string path = (fixtures + "/checkpoint-format1.pt").toStdString();
        QCOMPARE(CheckpointInfo::read(path).formatVersion, 1);
        const auto predictor = Predictor::fromCheckpoint(path);
        QFile expected(fixtures + "/checkpoint-format1.expected");
        QVERIFY(expected.open(QIODevice::ReadOnly | QIODevice::Text));
        int checked = 0;
        while (!expected.atEnd()) {
            const QStringList fields =
                QString::fromUtf8(expected.readLine()).split(' ', Qt::SkipEmptyParts);
            if (fields.size() != 3)
                continue;
            const int64_t index = fields[0].toLongLong();
            GrayImage image(28, 28);
            std::copy_n(m_data->test.image(index), 784, image.pixels.begin());
            const Prediction answer = predictor->predict(image);
            QCOMPARE(answer.digit, fields[1].toInt());
            QVERIFY2(std::abs(answer.confidence - fields[2].toFloat()) < 1e-4,
                     qPrintable(QString("image %1: %2 vs %3")
                                    .arg(index)
                                    .arg(answer.confidence)
                                    .arg(fields[2])));
            ++checked;
        }
        QCOMPARE(checked, 20);

        // Resumed training from it writes the current format, which loads back the same.
        const CheckpointInfo info = CheckpointInfo::read(path);
        TrainingConfig config = info.config;
        config.epochs = 1;
        Trainer trainer(config);
        trainer.setDataset(m_data);
        trainer.loadCheckpoint(path);
        const std::string upgraded = m_dir.filePath("upgraded.ckpt").toStdString();
        trainer.saveCheckpoint(upgraded);
        QCOMPARE(CheckpointInfo::read(upgraded).formatVersion, CheckpointInfo::kFormatVersion);
        GrayImage first(28, 28);
        std::copy_n(m_data->test.image(0), 784, first.pixels.begin());
        QCOMPARE(Predictor::fromCheckpoint(upgraded)->predict(first).probabilities,
                 predictor->predict(first).probabilities);
    }

    void weightsAreStoredByLayerName()
    {
        using L = LayerSpec;
        const std::vector<LayerSpec> withNorm = {L::flatten(), L::dense(8, Activation::ReLU),
                                                 L::batchNorm(), L::dense(10)};
        const std::vector<LayerSpec> withoutNorm = {L::flatten(), L::dense(8, Activation::ReLU),
                                                    L::dense(10)};
        const std::string path = m_dir.filePath("named.pt").toStdString();
        const std::vector<int64_t> shape = {1, 28, 28};
        Network source(withNorm, shape, 10, 1);
        {
            torch::NoGradGuard noGrad;
            source->buffers()[0].fill_(0.25); // moving mean: not its initial value
        }
        torch::serialize::OutputArchive out;
        NetworkWeights::write(source, out);
        out.save_to(path);

        // Stored under the layers' names, readable by name.
        torch::serialize::InputArchive in;
        in.load_from(path);
        torch::serialize::InputArchive weights, dense1;
        QVERIFY(in.try_read("weights", weights));
        QVERIFY(weights.try_read("dense_1", dense1));
        torch::Tensor kernel, movingMean;
        QVERIFY(dense1.try_read("kernel", kernel));
        QCOMPARE(kernel.sizes().vec(), (std::vector<int64_t>{10, 8}));
        torch::serialize::InputArchive norm;
        QVERIFY(weights.try_read("batch_normalization", norm));
        QVERIFY(norm.try_read("moving_mean", movingMean, true));
        QCOMPARE(movingMean[3].item<float>(), 0.25f);

        // The same architecture with other initial weights gets every tensor back.
        Network same(withNorm, shape, 10, 2);
        NetworkWeights::read(same, in, path);
        for (size_t i = 0; i < same->parameters().size(); ++i)
            QVERIFY(same->parameters()[i].equal(source->parameters()[i]));
        QVERIFY(same->buffers()[0].equal(source->buffers()[0]));

        // A model without the BatchNorm layer is refused, naming it; so is one with it when the
        // file lacks it.
        Network smaller(withoutNorm, shape, 10, 1);
        QString message = errorOf([&] { NetworkWeights::read(smaller, in, path); });
        QVERIFY2(message.contains("'batch_normalization'") && message.contains("lacks"),
                 qPrintable(message));
        const std::string smallerPath = m_dir.filePath("smaller.pt").toStdString();
        torch::serialize::OutputArchive smallerOut;
        NetworkWeights::write(smaller, smallerOut);
        smallerOut.save_to(smallerPath);
        torch::serialize::InputArchive smallerIn;
        smallerIn.load_from(smallerPath);
        message = errorOf([&] { NetworkWeights::read(same, smallerIn, smallerPath); });
        QVERIFY2(message.contains("no layer 'batch_normalization'") &&
                     message.contains(QString::fromStdString(smallerPath)),
                 qPrintable(message));

        // So is a known layer holding a weight the model lacks.
        const auto params = smaller->parameters();
        torch::serialize::OutputArchive denseOut, dense1Out, crafted, craftedOut;
        denseOut.write("kernel", params[0].detach());
        denseOut.write("bias", params[1].detach());
        denseOut.write("gain", torch::ones({8}));
        dense1Out.write("kernel", params[2].detach());
        dense1Out.write("bias", params[3].detach());
        crafted.write("dense", denseOut);
        crafted.write("dense_1", dense1Out);
        craftedOut.write("weights", crafted);
        const std::string craftedPath = m_dir.filePath("crafted.pt").toStdString();
        craftedOut.save_to(craftedPath);
        torch::serialize::InputArchive craftedIn;
        craftedIn.load_from(craftedPath);
        message = errorOf([&] { NetworkWeights::read(smaller, craftedIn, craftedPath); });
        QVERIFY2(message.contains("dense/gain"), qPrintable(message));
    }

    void changedOrNonFiniteWeightsAreRefused()
    {
        const QString good = m_dir.filePath("integrity.ckpt");
        Trainer trainer(smallConfig("mlp"));
        trainer.setDataset(m_data);
        QVERIFY(trainer.run());
        trainer.saveCheckpoint(good.toStdString());
        QVERIFY(!CheckpointInfo::read(good.toStdString()).weightsDigest.empty());
        QVERIFY(Predictor::fromCheckpoint(good.toStdString()));

        // Where dense/kernel's bytes sit in the file (tensors are stored uncompressed).
        torch::serialize::InputArchive archive, weights, dense;
        archive.load_from(good.toStdString());
        archive.read("weights", weights);
        weights.read("dense", dense);
        torch::Tensor kernel;
        dense.read("kernel", kernel);
        kernel = kernel.contiguous();
        QFile file(good);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        const int at = bytes.indexOf(QByteArray(static_cast<const char*>(kernel.data_ptr()), 64));
        QVERIFY(at > 0);
        auto variant = [&](const QString& name, const std::function<void(QByteArray&)>& change) {
            QByteArray copy = bytes;
            change(copy);
            const QString path = m_dir.filePath(name);
            QFile out(path);
            out.open(QIODevice::WriteOnly);
            out.write(copy);
            return path.toStdString();
        };
        // One flipped bit: the stored checksum no longer matches.
        const auto flipped = variant("flipped.ckpt", [&](QByteArray& b) { b[at + 6] ^= 0x10; });
        QString message = errorOf([&] { Predictor::fromCheckpoint(flipped); });
        QVERIFY2(message.contains("flipped.ckpt") && message.contains("checksum"),
                 qPrintable(message));
        Trainer resumer(smallConfig("mlp"));
        QVERIFY(errorOf([&] { resumer.loadCheckpoint(flipped); }).contains("checksum"));
        // A NaN weight is named.
        const auto nan = variant("nan.ckpt", [&](QByteArray& b) {
            const float value = std::numeric_limits<float>::quiet_NaN();
            std::memcpy(b.data() + at + 8, &value, sizeof value);
        });
        message = errorOf([&] { Predictor::fromCheckpoint(nan); });
        QVERIFY2(message.contains("dense/kernel") && message.contains("NaN"), qPrintable(message));
    }

    void aHeaderCannotDriveAllocation()
    {
        const QString good = m_dir.filePath("header.ckpt");
        Trainer trainer(smallConfig("mlp"));
        trainer.saveCheckpoint(good.toStdString());
        const QJsonObject header =
            QJsonDocument::fromJson(
                QByteArray::fromStdString(CheckpointInfo::read(good.toStdString()).toJson()))
                .object();
        auto crafted = [&](const QString& name, const std::function<void(QJsonObject&)>& change) {
            QJsonObject h = header;
            change(h);
            torch::serialize::OutputArchive out;
            out.write("trainbench/header",
                      c10::IValue(QJsonDocument(h).toJson(QJsonDocument::Compact).toStdString()));
            const std::string path = m_dir.filePath(name).toStdString();
            out.save_to(path);
            return path;
        };
        // A small file claiming a huge model: refused before any model is built.
        const auto huge = crafted("huge.ckpt", [](QJsonObject& h) {
            QJsonArray layers = h["layers"].toArray();
            QJsonObject dense = layers[1].toObject();
            dense["units"] = 1000000;
            layers[1] = dense;
            h["layers"] = layers;
        });
        QString message = errorOf([&] { Predictor::fromCheckpoint(huge); });
        QVERIFY2(message.contains("more than its") && message.contains("bytes can hold"),
                 qPrintable(message));
        const auto classes = crafted("classes.ckpt", [](QJsonObject& h) { h["classes"] = 1e92; });
        message = errorOf([&] { CheckpointInfo::read(classes); });
        QVERIFY2(message.contains("bad class count"), qPrintable(message));
        const auto shape = crafted("shape.ckpt", [](QJsonObject& h) {
            h["input_shape"] = QJsonArray{1, -28, 28};
        });
        message = errorOf([&] { CheckpointInfo::read(shape); });
        QVERIFY2(message.contains("bad input shape"), qPrintable(message));
        const auto overflow = crafted("overflow.ckpt", [](QJsonObject& h) {
            QJsonArray layers = h["layers"].toArray();
            QJsonObject dense = layers[1].toObject();
            dense["units"] = 2000000000;
            layers[1] = dense;
            h["layers"] = layers;
        });
        message = errorOf([&] { CheckpointInfo::read(overflow); });
        QVERIFY2(message.contains("impossible model") && message.contains("2^31"),
                 qPrintable(message));
    }

    void temporaryFilesAreSafe()
    {
        const QString path = m_dir.filePath("safe.ckpt");
        // What kill -9 during a save leaves: a temporary file of a process that is gone.
        const QString stale = path + ".tmp-999999-0-0123456789abcdef";
        {
            QFile f(stale);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(1 << 20, 'x'));
        }
        // Links planted at the names older versions used: the victim must stay untouched.
        const QString victim = m_dir.filePath("victim.txt");
        {
            QFile f(victim);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("precious");
        }
        const QString pid = QString::number(QCoreApplication::applicationPid());
        QVERIFY(QFile::link(victim, path + ".tmp-" + pid));
        QVERIFY(QFile::link(victim, path + ".tmp-" + pid + "-0"));
        Trainer trainer(smallConfig("mlp"));
        trainer.saveCheckpoint(path.toStdString());
        QVERIFY(!QFile::exists(stale));
        QFile v(victim);
        QVERIFY(v.open(QIODevice::ReadOnly));
        QCOMPARE(v.readAll(), QByteArray("precious"));
        QVERIFY(Predictor::fromCheckpoint(path.toStdString()));
        // Nothing of ours is left beside the checkpoint.
        const QStringList left =
            QDir(m_dir.path()).entryList({"safe.ckpt.tmp-*"}, QDir::Files | QDir::System);
        QCOMPARE(left.size(), 2); // the two planted links, untouched
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
