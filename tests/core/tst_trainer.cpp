#include "trainbench/common/error.h"
#include "trainbench/data/dataset.h"
#include "trainbench/train/trainer.h"
#include "trainbench/train/trainingobserver.h"

#include <QtTest>

#include <atomic>
#include <functional>
#include <thread>

using namespace trainbench;

namespace {

const std::string kData = TRAINBENCH_TEST_DATA_DIR;

/// Records what a Trainer reports; optional hooks act on the trainer from inside the run.
class Recorder : public TrainingObserver
{
public:
    void onStarted(const RunInfo& i) override
    {
        info = i;
        ++started;
    }
    void onBatchEnd(const BatchEvent& e) override
    {
        batches.push_back(e);
        if (onBatch)
            onBatch(e);
    }
    void onEpochEnd(const EpochMetrics& m) override { epochs.push_back(m); }
    void onEpochDetails(const EpochDetails& d) override { details.push_back(d); }
    bool wantsEpochDetails() const override { return true; }
    void onFinished(bool s) override
    {
        finished = true;
        stopped = s;
    }
    void onFailed(const std::string& m) override { failure = m; }

    RunInfo info;
    int started = 0;
    std::vector<BatchEvent> batches;
    std::vector<EpochMetrics> epochs;
    std::vector<EpochDetails> details;
    bool finished = false;
    bool stopped = false;
    std::string failure;
    std::function<void(const BatchEvent&)> onBatch;
};

TrainingConfig sliceConfig(int64_t trainSamples, int epochs)
{
    TrainingConfig config;
    config.dataDir = kData;
    config.limit = trainSamples;
    config.testLimit = 2000;
    config.epochs = epochs;
    return config;
}

} // namespace

class TestTrainer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_data = std::make_shared<Dataset>(Dataset::loadFolder(kData)); }

    void learnsMnistFromASlice()
    {
        // The tutorial's model, optimizer and batch size on 2,000 real MNIST digits.
        TrainingConfig config = sliceConfig(2000, 5);
        config.testLimit = 0; // the whole test set: its first images are the harder ones
        Trainer trainer(config);
        trainer.setDataset(m_data);
        Recorder recorder;
        trainer.addObserver(&recorder);
        QVERIFY2(trainer.run(), trainer.lastError().c_str());
        QVERIFY(recorder.failure.empty());
        QVERIFY(recorder.finished);
        QVERIFY(!recorder.stopped);
        QCOMPARE(recorder.started, 1);
        QCOMPARE(recorder.info.trainSamples, 2000);
        QCOMPARE(recorder.info.testSamples, 10000);
        QCOMPARE(recorder.info.parameters, 1640394);
        QCOMPARE(recorder.info.batchesPerEpoch, 63); // 2000 / 32, last batch of 16 kept
        QCOMPARE(int(recorder.epochs.size()), 5);
        const EpochMetrics& last = recorder.epochs.back();
        QCOMPARE(last.epoch, 5);
        QCOMPARE(last.trainSamples, 2000);
        QVERIFY2(last.testAccuracy > 0.90, qPrintable(QString::number(last.testAccuracy)));
        QVERIFY(recorder.epochs.front().trainLoss > last.trainLoss);
        // Batch reports: every 10 batches plus the last of each epoch, loss and accuracy as means.
        QCOMPARE(int(recorder.batches.size()), 5 * 7);
        QCOMPARE(recorder.batches.back().batch, 63);
        QCOMPARE(recorder.batches.back().globalStep, 5 * 63);
        QVERIFY(qFuzzyCompare(recorder.batches.back().loss, last.trainLoss));
        QCOMPARE(trainer.history().size(), size_t(5));

        // The evaluation behind the metrics: confusion matrix, predictions, sample grid, weights.
        QCOMPARE(int(recorder.details.size()), 5);
        const EpochDetails& d = recorder.details.back();
        QCOMPARE(d.classes, 10);
        int64_t total = 0;
        int64_t diagonal = 0;
        for (int t = 0; t < 10; ++t)
            for (int p = 0; p < 10; ++p) {
                total += d.count(t, p);
                diagonal += t == p ? d.count(t, p) : 0;
            }
        QCOMPARE(total, 10000);
        QCOMPARE(double(diagonal) / 10000.0, last.testAccuracy);
        QCOMPARE(d.testPredictions.size(), size_t(10000));
        QCOMPARE(d.samples.size(), size_t(64));
        QCOMPARE(d.samples[0].pixels.size(), size_t(784));
        QCOMPARE(recorder.details.front().samples[5].index,
                 d.samples[5].index); // same sample each epoch
        QCOMPARE(d.parameters.size(), size_t(8));
        QCOMPARE(d.parameters[0].name, std::string("conv2d/kernel"));
    }

    void sameSeedSameMetrics()
    {
        auto runOnce = [&](uint64_t seed) {
            TrainingConfig config = sliceConfig(1000, 2);
            config.seed = seed;
            Trainer trainer(config);
            trainer.setDataset(m_data);
            if (!trainer.run())
                qFatal("%s", trainer.lastError().c_str());
            return trainer.history();
        };
        const auto a = runOnce(5);
        const auto b = runOnce(5);
        const auto c = runOnce(6);
        for (size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].trainLoss, b[i].trainLoss);
            QCOMPARE(a[i].testLoss, b[i].testLoss);
            QCOMPARE(a[i].testAccuracy, b[i].testAccuracy);
        }
        QVERIFY(a[0].trainLoss != c[0].trainLoss);
    }

    void otherOptimizersAndValidationSplit_data()
    {
        QTest::addColumn<int>("optimizer");
        QTest::addColumn<double>("lr");
        QTest::addColumn<double>("momentum");
        QTest::newRow("sgd momentum") << int(OptimizerType::Sgd) << 0.05 << 0.9;
        QTest::newRow("rmsprop") << int(OptimizerType::RmsProp) << 0.001 << 0.0;
    }

    void otherOptimizersAndValidationSplit()
    {
        QFETCH(int, optimizer);
        QFETCH(double, lr);
        QFETCH(double, momentum);
        TrainingConfig config = sliceConfig(2000, 2);
        config.modelName = "lenet5";
        config.optimizer.type = OptimizerType(optimizer);
        config.optimizer.learningRate = lr;
        config.optimizer.momentum = momentum;
        config.validationSplit = 0.25;
        Trainer trainer(config);
        trainer.setDataset(m_data);
        Recorder recorder;
        trainer.addObserver(&recorder);
        QVERIFY2(trainer.run(), trainer.lastError().c_str());
        QCOMPARE(recorder.info.trainSamples, 1500);
        QCOMPARE(recorder.info.validationSamples, 500);
        const auto& last = recorder.epochs.back();
        QVERIFY(last.hasValidation);
        QVERIFY2(last.validationAccuracy > 0.7,
                 qPrintable(QString::number(last.validationAccuracy)));
        QVERIFY(last.testAccuracy > 0.7);
    }

    void stopsWithinOneBatch()
    {
        Trainer trainer(sliceConfig(0, 5));
        trainer.setDataset(m_data);
        Recorder recorder;
        recorder.onBatch = [&](const BatchEvent&) { trainer.requestStop(); };
        trainer.addObserver(&recorder);
        QVERIFY(trainer.run());
        QVERIFY(recorder.finished);
        QVERIFY(recorder.stopped);
        QCOMPARE(int(recorder.batches.size()), 1); // stopped right after the first report
        QCOMPARE(recorder.batches.front().globalStep, 10);
        QVERIFY(recorder.epochs.empty());
    }

    void pausesAndResumes()
    {
        TrainingConfig config = sliceConfig(640, 1);
        config.reportEvery = 1; // a report after every batch: any batch trained while paused shows
        Trainer trainer(config);
        trainer.setDataset(m_data);
        Recorder recorder;
        std::thread resumer;
        std::atomic<bool> resumeCalled{false};
        int reportsWhilePaused = 0;
        std::vector<int64_t> steps;
        recorder.onBatch = [&](const BatchEvent& e) {
            steps.push_back(e.globalStep);
            if (e.batch > 10 && !resumeCalled.load())
                ++reportsWhilePaused;
            if (e.batch == 10) {
                trainer.setPaused(true);
                resumer = std::thread([&] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(300));
                    resumeCalled.store(true);
                    trainer.setPaused(false);
                });
            }
        };
        trainer.addObserver(&recorder);
        QVERIFY(trainer.run());
        resumer.join();
        QCOMPARE(reportsWhilePaused, 0); // the batch after the pause waited for the resume
        QVERIFY(!recorder.stopped);
        QCOMPARE(int(recorder.epochs.size()), 1);
        QCOMPARE(recorder.epochs.front().trainSamples, 640);
        // Every batch once, none skipped or repeated around the pause.
        QCOMPARE(int(steps.size()), 20);
        for (size_t i = 0; i < steps.size(); ++i)
            QCOMPARE(steps[i], int64_t(i + 1));
    }

    void stopsOnDivergingLoss()
    {
        // A deep linear stack with a reckless learning rate: the weights explode to inf/NaN.
        TrainingConfig config = sliceConfig(3200, 1);
        config.layers = {LayerSpec::flatten(), LayerSpec::dense(512), LayerSpec::dense(512),
                         LayerSpec::dense(512), LayerSpec::dense(10)};
        config.optimizer.type = OptimizerType::Sgd;
        config.optimizer.learningRate = 10.0;
        config.optimizer.momentum = 0.99;
        Trainer trainer(config);
        trainer.setDataset(m_data);
        Recorder recorder;
        trainer.addObserver(&recorder);
        QVERIFY(!trainer.run());
        QVERIFY(!recorder.finished);
        const QString message = QString::fromStdString(recorder.failure);
        QVERIFY2(message.contains("the loss became"), qPrintable(message));
        QVERIFY(message.contains("lower learning rate"));
        QCOMPARE(trainer.lastError(), recorder.failure);
    }

    void batchNormModelSkipsALastBatchOfOne()
    {
        // 33 images at batch 32 leave a last batch of one image, which BatchNorm cannot
        // normalise: the epoch trains the full batch and finishes instead of failing.
        TrainingConfig config = sliceConfig(33, 1);
        config.testLimit = 100;
        config.layers = {LayerSpec::conv2d(4, 3), LayerSpec::batchNorm(), LayerSpec::maxPool(2),
                         LayerSpec::flatten(),    LayerSpec::dense(16),   LayerSpec::batchNorm(),
                         LayerSpec::dense(10)};
        Trainer trainer(config);
        trainer.setDataset(m_data);
        Recorder recorder;
        trainer.addObserver(&recorder);
        QVERIFY2(trainer.run(), recorder.failure.c_str());
        QVERIFY(recorder.finished);
        QCOMPARE(recorder.info.batchesPerEpoch, int64_t(1));
        QCOMPARE(int(recorder.epochs.size()), 1);
        // Without BatchNorm the last batch of one trains as usual.
        config.layers = {LayerSpec::flatten(), LayerSpec::dense(16), LayerSpec::dense(10)};
        Trainer plain(config);
        plain.setDataset(m_data);
        Recorder plainRecorder;
        plain.addObserver(&plainRecorder);
        QVERIFY(plain.run());
        QCOMPARE(plainRecorder.info.batchesPerEpoch, int64_t(2));
    }

    void reportsABadDataFolder()
    {
        TrainingConfig config = sliceConfig(100, 1);
        config.dataDir = "/nonexistent/mnist";
        Trainer trainer(config);
        Recorder recorder;
        trainer.addObserver(&recorder);
        QVERIFY(!trainer.run());
        QVERIFY2(QString::fromStdString(recorder.failure).contains("/nonexistent/mnist"),
                 recorder.failure.c_str());
        QCOMPARE(recorder.started, 0);
    }

    void rejectsBadConfigs_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("epochs") << "epochs"
                                << "epochs must be between 1 and 100000 (is 0)";
        QTest::newRow("batch") << "batch"
                               << "batch size must be between 1 and 65536 (is -4)";
        QTest::newRow("lr") << "lr"
                            << "learning rate must be in (0, 10]";
        QTest::newRow("split") << "split"
                               << "validation split must be in [0, 1)";
        QTest::newRow("device") << "device"
                                << "device must be auto, cpu or cuda (is 'tpu')";
        QTest::newRow("model") << "model"
                               << "unknown model 'resnet'";
        QTest::newRow("layers") << "layers"
                                << "impossible model: layer 1";
    }

    void rejectsBadConfigs()
    {
        QFETCH(QString, field);
        QFETCH(QString, message);
        TrainingConfig config = sliceConfig(100, 1);
        if (field == "epochs")
            config.epochs = 0;
        if (field == "batch")
            config.batchSize = -4;
        if (field == "lr")
            config.optimizer.learningRate = std::nan("");
        if (field == "split")
            config.validationSplit = 1.0;
        if (field == "device")
            config.device = "tpu";
        if (field == "model")
            config.modelName = "resnet";
        if (field == "layers")
            config.layers = {LayerSpec::dense(10)};
        // Refused when the trainer is made, or (a stack that may fit other images than MNIST's)
        // when the data shows it cannot work; never trained.
        QString error;
        try {
            Trainer trainer(config);
            QVERIFY2(!trainer.run(), "trained");
            error = QString::fromStdString(trainer.lastError());
        } catch (const Error& e) {
            error = QString::fromUtf8(e.what());
        }
        QVERIFY2(error.contains(message), qPrintable(error));
    }

private:
    std::shared_ptr<const Dataset> m_data;
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
