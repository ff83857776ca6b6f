#include "eventfilereader.h"
#include "hparams.pb.h"
#include "track/crc32c.h"
#include "track/eventfilewriter.h"
#include "trainbench/common/error.h"
#include "trainbench/data/dataset.h"
#include "trainbench/track/tensorboardlogger.h"
#include "trainbench/train/trainer.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <set>

using namespace trainbench;

namespace {

QString onlyEventFile(const QString& dir)
{
    const QStringList files = QDir(dir).entryList({"events.out.tfevents.*"}, QDir::Files);
    if (files.size() != 1)
        return {};
    return dir + "/" + files.front();
}

std::vector<const eventfile::Value*> valuesTagged(const eventfile::File& file,
                                                  const std::string& tag,
                                                  std::vector<int64_t>* steps = nullptr)
{
    std::vector<const eventfile::Value*> found;
    for (const auto& event : file.events)
        for (const auto& value : event.values)
            if (value.tag == tag) {
                found.push_back(&value);
                if (steps)
                    steps->push_back(event.step);
            }
    return found;
}

bool contains(const std::vector<std::string>& strings, const std::string& wanted)
{
    return std::find(strings.begin(), strings.end(), wanted) != strings.end();
}

} // namespace

class TestTensorBoard final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void crc32cVectors()
    {
        QCOMPARE(Crc32c::compute("123456789", 9), 0xE3069283u);
        const std::string zeros(32, '\0');
        QCOMPARE(Crc32c::compute(zeros.data(), zeros.size()), 0x8a9136aau);
        const std::string tf = "\x1a\x11"
                               "CRC test, one two";
        QCOMPARE(Crc32c::masked(tf.data(), tf.size()), 0x5794d08au);
        // Incremental computation equals one pass.
        QCOMPARE(Crc32c::compute("6789", 4, Crc32c::compute("12345", 5)), 0xE3069283u);
    }

    void writesEveryKindOfRecord()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath("a/b/run");
        std::string path;
        {
            EventFileWriter writer(folder.toStdString());
            path = writer.path();
            writer.scalar("loss", 0.25, 3);
            RgbImage picture(4, 2, 0xFF0000);
            writer.image("picture", picture, 3);
            const float values[] = {-1.0f, 0.0f, 0.5f, 1.0f, 1.0f};
            writer.histogram("weights", Histogram::of(values, 5, 4), 3);
            writer.text("notes", "**bold**", 0);
            writer.text("notes", "again", 1);
            writer.sessionStart({{"optimizer", std::string("adam")}, {"lr", 0.001}, {"drop", true}},
                                1.5);
            writer.sessionEnd(true, 2.5);
        }
        const QString name = QFileInfo(QString::fromStdString(path)).fileName();
        QVERIFY2(
            QRegularExpression(QString("^events\\.out\\.tfevents\\.\\d{10}\\.[^.]+.*\\.%1\\.\\d+$")
                                   .arg(QCoreApplication::applicationPid()))
                .match(name)
                .hasMatch(),
            qPrintable(name));
        QCOMPARE(QFileInfo(QString::fromStdString(path)).absolutePath(),
                 QFileInfo(folder).absoluteFilePath());

        const auto file = eventfile::read(path);
        QVERIFY2(file.error.empty(), file.error.c_str());
        QVERIFY(!file.truncated);
        QCOMPARE(file.events.size(), size_t(8));
        QCOMPARE(file.events[0].fileVersion, std::string("brain.Event:2"));
        QVERIFY(file.events[0].wallTime > 1.7e9);

        std::vector<int64_t> steps;
        const auto loss = valuesTagged(file, "loss", &steps);
        QCOMPARE(loss.size(), size_t(1));
        QVERIFY(loss[0]->hasSimpleValue);
        QCOMPARE(loss[0]->simpleValue, 0.25f);
        QCOMPARE(steps, std::vector<int64_t>{3});

        const auto image = valuesTagged(file, "picture");
        QVERIFY(image[0]->hasImage);
        QCOMPARE(image[0]->imageWidth, 4);
        QCOMPARE(image[0]->imageHeight, 2);
        QCOMPARE(image[0]->imageColorspace, 3);
        QVERIFY(image[0]->imagePng.rfind("\x89PNG\r\n\x1a\n", 0) == 0);

        const auto histo = valuesTagged(file, "weights");
        QVERIFY(histo[0]->hasHistogram);
        QCOMPARE(histo[0]->histMin, -1.0);
        QCOMPARE(histo[0]->histMax, 1.0);
        QCOMPARE(histo[0]->histNum, 5.0);
        QCOMPARE(histo[0]->histSum, 1.5);
        QCOMPARE(histo[0]->histSumSquares, 3.25);
        QCOMPARE(histo[0]->bucketLimits, (std::vector<double>{-0.5, 0.0, 0.5, 1.0}));
        QCOMPARE(histo[0]->buckets, (std::vector<double>{1, 0, 1, 3}));

        const auto notes = valuesTagged(file, "notes");
        QCOMPARE(notes.size(), size_t(2));
        QCOMPARE(notes[0]->pluginName, std::string("text")); // metadata on the first value only
        QVERIFY(notes[1]->pluginName.empty());
        QCOMPARE(notes[0]->tensorDtype, 7);
        QCOMPARE(notes[0]->tensorStrings, std::vector<std::string>{"**bold**"});

        const auto start = valuesTagged(file, "_hparams_/session_start_info");
        QCOMPARE(start.size(), size_t(1));
        QCOMPARE(start[0]->pluginName, std::string("hparams"));
        const auto inside = eventfile::stringsIn(start[0]->pluginContent);
        QVERIFY(contains(inside, "optimizer"));
        QVERIFY(contains(inside, "adam"));
        QVERIFY(contains(inside, "lr"));
        QCOMPARE(valuesTagged(file, "_hparams_/session_end_info").size(), size_t(1));
    }

    void readsATruncatedFileUpToTheLastWholeRecord()
    {
        QTemporaryDir dir;
        std::string path;
        {
            EventFileWriter writer(dir.path().toStdString());
            path = writer.path();
            for (int step = 0; step < 10; ++step)
                writer.scalar("loss", 1.0 / (step + 1), step);
        }
        QFile file(QString::fromStdString(path));
        const qint64 size = file.size();
        QVERIFY(file.resize(size - 7)); // cut inside the last record
        const auto read = eventfile::read(path);
        QVERIFY(read.truncated);
        QVERIFY(read.error.empty());
        QCOMPARE(read.events.size(), size_t(10)); // version record + 9 whole scalars
        QCOMPARE(read.events.back().step, 8);
    }

    void refusesAnUnwritableLogFolder()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath("file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        TrainingConfig config;
        try {
            TensorBoardLogger logger(dir.filePath("file").toStdString(), config, "run");
            QFAIL("no error");
        } catch (const Error& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(dir.filePath("file")) && message.contains("is a file"),
                     qPrintable(message));
        }
        QDir(dir.path()).mkdir("readonly");
        QFile::setPermissions(dir.filePath("readonly"),
                              QFileDevice::ReadOwner | QFileDevice::ExeOwner);
        QFile probe(dir.filePath("readonly/probe"));
        if (!probe.open(QIODevice::WriteOnly)) // root (and Windows ACLs) may write anyway
            QVERIFY_THROWS_EXCEPTION(
                Error, TensorBoardLogger(dir.filePath("readonly").toStdString(), config));
#if defined(Q_OS_LINUX)
        QVERIFY_THROWS_EXCEPTION(Error, TensorBoardLogger("/proc/trainbench-logs", config));
#endif
    }

    void logsARealRun()
    {
        QTemporaryDir dir;
        TrainingConfig config;
        config.dataDir = TRAINBENCH_TEST_DATA_DIR;
        config.limit = 1000;
        config.testLimit = 500;
        config.epochs = 2;
        Trainer trainer(config);
        TensorBoardLogger logger(dir.path().toStdString(), config, "20260101-120000");
        trainer.addObserver(&logger);
        QVERIFY2(trainer.run(), trainer.lastError().c_str());
        const QString run = dir.filePath("20260101-120000");
        QCOMPARE(QString::fromStdString(logger.runDir()), run);

        const auto train = eventfile::read(onlyEventFile(run + "/train").toStdString());
        const auto test = eventfile::read(onlyEventFile(run + "/test").toStdString());
        const auto session = eventfile::read(onlyEventFile(run).toStdString());
        for (const auto* f : {&train, &test, &session}) {
            QVERIFY2(f->error.empty() && !f->truncated, f->error.c_str());
            QCOMPARE(f->events.front().fileVersion, std::string("brain.Event:2"));
        }
        const auto history = trainer.history();
        for (const auto& [file, expected] : {std::pair{&train, true}, std::pair{&test, false}}) {
            std::vector<int64_t> steps;
            const auto loss = valuesTagged(*file, "loss", &steps);
            const auto accuracy = valuesTagged(*file, "accuracy");
            QCOMPARE(steps, (std::vector<int64_t>{1, 2}));
            QCOMPARE(accuracy.size(), size_t(2));
            for (int e = 0; e < 2; ++e) {
                const auto& m = history[size_t(e)];
                QCOMPARE(loss[size_t(e)]->simpleValue, float(expected ? m.trainLoss : m.testLoss));
                QCOMPARE(accuracy[size_t(e)]->simpleValue,
                         float(expected ? m.trainAccuracy : m.testAccuracy));
                QVERIFY(accuracy[size_t(e)]->simpleValue <= 1.0f); // a fraction, as in the tutorial
            }
        }
        // Every batch: 1000 / 32 = 32 batches per epoch, steps 1..64.
        std::vector<int64_t> batchSteps;
        QCOMPARE(valuesTagged(train, "batch/loss", &batchSteps).size(), size_t(64));
        QCOMPARE(batchSteps.front(), 1);
        QCOMPARE(batchSteps.back(), 64);
        QCOMPARE(valuesTagged(train, "batch/accuracy").size(), size_t(64));
        QCOMPARE(valuesTagged(train, "learning_rate").front()->simpleValue, 0.001f);

        const auto predictions = valuesTagged(test, "predictions");
        QCOMPARE(predictions.size(), size_t(2));
        QVERIFY(predictions[0]->hasImage && predictions[0]->imageWidth > 200);
        const auto confusion = valuesTagged(test, "confusion_matrix");
        QCOMPARE(confusion.size(), size_t(2));
        QVERIFY(confusion[0]->imagePng.rfind("\x89PNG", 0) == 0);

        for (const char* tag : {"conv2d/kernel", "conv2d/bias", "dense/kernel", "dense_2/bias"}) {
            const auto h = valuesTagged(train, tag);
            QVERIFY2(h.size() == 2 && h[0]->hasHistogram, tag);
        }
        QCOMPARE(valuesTagged(train, "conv2d/kernel")[0]->histNum, 288.0);
        QCOMPARE(valuesTagged(train, "dense/kernel")[0]->histNum, 1605632.0);

        const auto configText = valuesTagged(train, "config");
        QVERIFY(configText[0]->tensorStrings[0].find("| batch size | 32 |") != std::string::npos);
        const auto summaryText = valuesTagged(train, "model_summary");
        QVERIFY(summaryText[0]->tensorStrings[0].find("1,640,394") != std::string::npos);

        QCOMPARE(valuesTagged(session, "_hparams_/session_start_info").size(), size_t(1));
        const auto end = valuesTagged(session, "_hparams_/session_end_info");
        QCOMPARE(end.size(), size_t(1));

        // The runs folder holds the hparams experiment once: every hyperparameter the session
        // records, typed, and only the metrics that matter (not per-batch scalars).
        const auto root = eventfile::read(onlyEventFile(dir.path()).toStdString());
        const auto experiment = valuesTagged(root, "_hparams_/experiment");
        QCOMPARE(experiment.size(), size_t(1));
        QCOMPARE(experiment[0]->pluginName, std::string("hparams"));
        tensorboard::HParamsPluginData data;
        QVERIFY(data.ParseFromString(experiment[0]->pluginContent));
        QVERIFY(data.has_experiment());
        std::map<std::string, tensorboard::HParamDataType> types;
        for (const auto& info : data.experiment().hparam_infos())
            types[info.name()] = info.type();
        tensorboard::HParamsPluginData started;
        QVERIFY(started.ParseFromString(
            valuesTagged(session, "_hparams_/session_start_info")[0]->pluginContent));
        QCOMPARE(types.size(), size_t(started.session_start_info().hparams().size()));
        for (const auto& [name, value] : started.session_start_info().hparams()) {
            QVERIFY2(types.count(name), name.c_str());
            const auto expected = value.has_string_value() ? tensorboard::DATA_TYPE_STRING
                                  : value.has_bool_value() ? tensorboard::DATA_TYPE_BOOL
                                                           : tensorboard::DATA_TYPE_FLOAT64;
            QVERIFY2(types[name] == expected, name.c_str());
        }
        QVERIFY(types["model"] == tensorboard::DATA_TYPE_STRING);
        QVERIFY(types["batch_size"] == tensorboard::DATA_TYPE_FLOAT64);
        std::set<std::string> metrics;
        for (const auto& info : data.experiment().metric_infos())
            metrics.insert(info.name().group() + "/" + info.name().tag());
        QCOMPARE(metrics, (std::set<std::string>{"test/accuracy", "test/loss",
                                                 "validation/accuracy", "validation/loss"}));
        // A second run in the same folder adds no second experiment.
        TensorBoardLogger second(dir.path().toStdString(), config, "second");
        QVERIFY(!onlyEventFile(dir.path()).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTensorBoard)
#include "tst_tensorboard.moc"
