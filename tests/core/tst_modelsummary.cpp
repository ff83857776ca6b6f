#include "trainbench/common/error.h"
#include "trainbench/model/modelpresets.h"
#include "trainbench/model/modelsummary.h"
#include "trainbench/train/configjson.h"

#include <QtTest>

using namespace trainbench;

Q_DECLARE_METATYPE(std::vector<trainbench::LayerSpec>)

class TestModelSummary final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countsPresetParameters_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<qint64>("parameters");
        QTest::newRow("seed-cnn (the tutorial's model)") << "seed-cnn" << qint64(1640394);
        QTest::newRow("lenet5") << "lenet5" << qint64(61706);
        QTest::newRow("mlp") << "mlp" << qint64(235146);
    }

    void countsPresetParameters()
    {
        QFETCH(QString, preset);
        QFETCH(qint64, parameters);
        const auto summary =
            ModelSummary::analyze(ModelPresets::layers(preset.toStdString()), {1, 28, 28}, 10);
        QVERIFY2(summary.isValid(), summary.error().c_str());
        QCOMPARE(summary.totalParameters(), parameters);
        QCOMPARE(summary.trainableParameters(), parameters);
    }

    void formatsLikeKeras()
    {
        const auto summary =
            ModelSummary::analyze(ModelPresets::layers("seed-cnn"), {1, 28, 28}, 10);
        const QString text = QString::fromStdString(summary.format("seed-cnn"));
        QVERIFY(text.contains("conv2d (Conv2D)"));
        QVERIFY(text.contains("(None, 28, 28, 32)"));
        QVERIFY(text.contains("(None, 14, 14, 32)"));
        QVERIFY(text.contains("(None, 6272)"));
        QVERIFY(text.contains("1,605,888"));
        QVERIFY(text.contains("dense_2 (Dense)"));
        QVERIFY(text.contains("Total params: 1,640,394"));
        QVERIFY(text.contains("Non-trainable params: 0"));
    }

    void countsBatchNormLikeKeras()
    {
        const std::vector<LayerSpec> layers = {
            LayerSpec::conv2d(8, 3, Padding::Same, Activation::ReLU), LayerSpec::batchNorm(),
            LayerSpec::flatten(), LayerSpec::dense(10)};
        const auto summary = ModelSummary::analyze(layers, {1, 28, 28}, 10);
        QVERIFY(summary.isValid());
        QCOMPARE(summary.layers()[1].parameters, 32);          // gamma, beta, mean, variance
        QCOMPARE(summary.layers()[1].trainableParameters, 16); // gamma, beta
        QCOMPARE(summary.totalParameters() - summary.trainableParameters(), 16);
    }

    void computesSameAndValidShapes()
    {
        const std::vector<LayerSpec> layers = {
            LayerSpec::conv2d(4, 3, Padding::Valid, Activation::None, 2), // (28-3)/2+1 = 13
            LayerSpec::maxPool(2, 0, Padding::Same),                      // ceil(13/2) = 7
            LayerSpec::conv2d(4, 4, Padding::Same, Activation::None, 3),  // ceil(7/3) = 3
            LayerSpec::flatten(), LayerSpec::dense(10)};
        const auto summary = ModelSummary::analyze(layers, {1, 28, 28}, 10);
        QVERIFY2(summary.isValid(), summary.error().c_str());
        QCOMPARE(summary.layers()[0].outputShape, (std::vector<int64_t>{4, 13, 13}));
        QCOMPARE(summary.layers()[1].outputShape, (std::vector<int64_t>{4, 7, 7}));
        QCOMPARE(summary.layers()[2].outputShape, (std::vector<int64_t>{4, 3, 3}));
    }

    void rejectsImpossibleStacks_data()
    {
        QTest::addColumn<std::vector<LayerSpec>>("layers");
        QTest::addColumn<int>("layer");
        QTest::addColumn<QString>("reason");
        using L = LayerSpec;
        QTest::newRow("kernel larger than input")
            << std::vector<L>{L::conv2d(8, 5), L::maxPool(2), L::conv2d(8, 5), L::maxPool(2),
                              L::conv2d(8, 5), L::flatten(),  L::dense(10)}
            << 4 << "kernel 5x5 is larger than its 4x4 input";
        QTest::newRow("dense before flatten")
            << std::vector<L>{L::conv2d(8, 3), L::dense(10)} << 1 << "add a Flatten layer";
        QTest::newRow("conv after flatten")
            << std::vector<L>{L::flatten(), L::conv2d(8, 3), L::dense(10)} << 1 << "before Flatten";
        QTest::newRow("wrong output size")
            << std::vector<L>{L::flatten(), L::dense(7)} << 1 << "must output 10 values";
        QTest::newRow("zero filters") << std::vector<L>{L::conv2d(0, 3), L::flatten(), L::dense(10)}
                                      << 0 << "filters must be positive";
        QTest::newRow("dropout rate 1")
            << std::vector<L>{L::flatten(), L::dropout(1.0), L::dense(10)} << 1
            << "rate must be in [0, 1)";
        QTest::newRow("empty") << std::vector<L>{} << -1 << "no layers";
    }

    void rejectsImpossibleStacks()
    {
        QFETCH(std::vector<LayerSpec>, layers);
        QFETCH(int, layer);
        QFETCH(QString, reason);
        const auto summary = ModelSummary::analyze(layers, {1, 28, 28}, 10);
        QVERIFY(!summary.isValid());
        QCOMPARE(summary.errorLayer(), layer);
        QVERIFY2(QString::fromStdString(summary.error()).contains(reason), summary.error().c_str());
    }

    void roundTripsLayersThroughJson()
    {
        for (const auto& name : ModelPresets::names()) {
            const auto layers = ModelPresets::layers(name);
            QCOMPARE(ConfigJson::layersFromJson(ConfigJson::toJson(layers)), layers);
        }
        QVERIFY_THROWS_EXCEPTION(Error, ConfigJson::layersFromJson(R"([{"type": "Conv9D"}])"));
        QVERIFY_THROWS_EXCEPTION(Error, ModelPresets::layers("resnet"));
    }

    void progressEventsRoundTripThroughJson()
    {
        // The --json-events stream a window follows: each object reads back as it was.
        RunInfo info;
        info.dataset = "fashion-mnist";
        info.device = "cpu";
        info.threads = 2;
        info.parameters = 1640394;
        info.trainSamples = 60000;
        info.testSamples = 10000;
        info.batchesPerEpoch = 938;
        info.worldSize = 2;
        info.globalBatch = 64;
        info.backend = "gloo";
        info.classes = 2;
        info.classNames = {"Ankle boot", "T-shirt/top"};
        info.inputShape = {1, 28, 28};
        const std::string started = ConfigJson::toJson(info);
        QVERIFY(started.find("\"event\":\"started\"") != std::string::npos);
        const RunInfo back = ConfigJson::runInfoFromJson(started);
        QCOMPARE(back.classNames, info.classNames);
        QCOMPARE(back.inputShape, info.inputShape);
        QCOMPARE(back.worldSize, 2);
        QCOMPARE(back.globalBatch, int64_t(64));
        QCOMPARE(back.batchesPerEpoch, int64_t(938));

        BatchEvent e;
        e.epoch = 2;
        e.epochs = 5;
        e.batch = 40;
        e.batchesPerEpoch = 938;
        e.loss = 0.25;
        e.batchLosses = {0.5f, 0.25f};
        e.samplesPerSecond = 6000.0;
        const BatchEvent read = ConfigJson::batchEventFromJson(ConfigJson::toJson(e));
        QCOMPARE(read.batch, int64_t(40));
        QCOMPARE(read.loss, 0.25);
        QCOMPARE(read.batchLosses, e.batchLosses);
        QCOMPARE(read.samplesPerSecond, 6000.0);
        QVERIFY_THROWS_EXCEPTION(Error, ConfigJson::batchEventFromJson(R"({"batch": "ten"})"));
    }
};

QTEST_APPLESS_MAIN(TestModelSummary)
#include "tst_modelsummary.moc"
