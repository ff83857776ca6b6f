#include "clitestsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#if defined(Q_OS_UNIX)
#include <csignal>
#include <sys/types.h>
#endif

using namespace clitest;

class TestCli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versionAndHelp()
    {
        const Result version = runCli({"--version"});
        QCOMPARE(version.code, 0);
        QVERIFY(version.out.startsWith("trainbench-cli 0."));
        QVERIFY(version.out.contains("libtorch"));
        const Result help = runCli({"--help"});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.contains("train"));
        QVERIFY(help.out.contains("LANG=zh_CN.UTF-8 trainbench")); // how to get the Chinese window
        const Result trainHelp = runCli({"train", "--help"});
        QCOMPARE(trainHelp.code, 0);
        QVERIFY(trainHelp.out.contains("--shuffle-buffer"));
    }

    void libtorchStartsOncePerRun()
    {
#if defined(Q_OS_LINUX)
        // OpenBLAS's thread timeout needs a restart, where it matters; done from the
        // executable's .preinit_array, libtorch's start-up (its constructors) runs once, not
        // once before and once after.
        // glibc's loader lists each library's constructor call under LD_DEBUG=libs.
        auto env = QProcessEnvironment::systemEnvironment();
        env.remove("OPENBLAS_THREAD_TIMEOUT");
        env.remove("TRAINBENCH_NO_REEXEC");
        env.insert("LD_DEBUG", "libs");
        QTemporaryDir runs;
        const auto countStarts = [](const QString& err) {
            return err.count(QRegularExpression("calling init: \\S*libtorch_cpu"));
        };
        // A brief command does not restart at all.
        const Result presets = runCli({"presets"}, env);
        QCOMPARE(presets.code, 0);
        if (!presets.err.contains("calling init:") || countStarts(presets.err) == 0)
            QSKIP("this loader does not report constructor calls, or libtorch has no libtorch_cpu");
        QCOMPARE(countStarts(presets.err), 1);
        QCOMPARE(presets.err.count("calling preinit:"), 1);
        // Training restarts exactly once (two program images start) where OpenBLAS runs
        // threaded, not at all where core's OpenMP pool has the cores; libtorch starts once.
        const Result train = runCli(smallRun({"--runs", runs.path()}), env);
        QCOMPARE(train.code, 0);
#if defined(TRAINBENCH_CORE_OPENMP)
        const int images = 1;
#else
        const int images = 2;
#endif
        QCOMPARE(train.err.count("calling preinit:"), images);
        QCOMPARE(countStarts(train.err), 1);
#else
        QSKIP("the restart is for OpenBLAS on Linux");
#endif
    }

    void presetsListTheirRecipes()
    {
        const Result result = runCli({"presets", "--json"});
        QCOMPARE(result.code, 0);
        const QStringList lines = result.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5);
        QJsonObject deep;
        for (const QString& line : lines) {
            const QJsonObject preset = QJsonDocument::fromJson(line.toUtf8()).object();
            QVERIFY2(!preset.value("description").toString().isEmpty(), qPrintable(line));
            QVERIFY(preset.value("parameters").toInteger() > 0);
            if (preset.value("name") == "deep-cnn")
                deep = preset;
        }
        QCOMPARE(deep.value("dataset").toString(), QString("mnist"));
        QVERIFY(deep.value("recipe").toString().contains("--augment"));
        QCOMPARE(deep.value("recipes").toArray().size(), 2);
        // The recipe is train options as they are: the CLI accepts them.
        QStringList recipe = deep.value("recipe").toString().split(' ');
        recipe.replace(recipe.indexOf("--epochs") + 1, "1");
        const Result trained = runCli(smallRun() + recipe);
        QVERIFY2(trained.code == 0, qPrintable(trained.err));
    }

    void summaryPrintsParameterCount()
    {
        const Result result = runCli({"summary", "--model", "seed-cnn"});
        QCOMPARE(result.code, 0);
        QVERIFY(result.out.contains("Total params: 1,640,394"));
    }

    void badArgumentsExitWithTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("nothing") << QStringList{} << "Usage";
        QTest::newRow("unknown command") << QStringList{"fly"} << "unknown command 'fly'";
        QTest::newRow("unknown option")
            << QStringList{"train", "--speed", "9"} << "unknown option '--speed'";
        QTest::newRow("missing value")
            << QStringList{"train", "--epochs"} << "'--epochs' needs a value";
        QTest::newRow("not a number") << QStringList{"train", "--epochs", "five"}
                                      << "--epochs: expected a whole number, got 'five'";
        QTest::newRow("zero epochs")
            << QStringList{"train", "--epochs", "0"} << "--epochs: 0 is out of range";
        QTest::newRow("negative lr")
            << QStringList{"train", "--lr", "-1"} << "learning rate must be in (0, 10]";
        QTest::newRow("unknown model")
            << QStringList{"train", "--model", "resnet"} << "unknown model 'resnet'";
        QTest::newRow("unknown optimizer")
            << QStringList{"train", "--optimizer", "lion"} << "unknown optimizer 'lion'";
        QTest::newRow("bad device")
            << QStringList{"train", "--device", "tpu"} << "device must be auto, cpu or cuda";
        QTest::newRow("stray argument")
            << QStringList{"train", "mnist"} << "unexpected argument 'mnist'";
        QTest::newRow("unknown colour")
            << QStringList{"train", "--color", "purple"} << "--color: unknown mode 'purple'";
        QTest::newRow("unknown resize")
            << QStringList{"train", "--resize", "crop"} << "--resize: unknown policy 'crop'";
        QTest::newRow("unknown schedule")
            << QStringList{"train", "--schedule", "wavy"} << "--schedule: unknown schedule 'wavy'";
        QTest::newRow("bad augmentation")
            << QStringList{"train", "--augment", "rotate=500"} << "rotate=500 is out of range";
        QTest::newRow("image size")
            << QStringList{"train", "--image-size", "9999"} << "--image-size: 9999 is out of range";
        QTest::newRow("test fraction")
            << QStringList{"train", "--test-fraction", "1.5"} << "test fraction must be in [0, 1)";
    }

    void badArgumentsExitWithTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Result result = runCli(args);
        QCOMPARE(result.code, 2);
        QVERIFY2(result.err.contains(message), qPrintable(result.err));
        QVERIFY(result.out.isEmpty());
    }

    void runtimeErrorsExitWithOne()
    {
        const Result missing = runCli({"train", "--data", "/nonexistent/data", "--epochs", "1"});
        QCOMPARE(missing.code, 1);
        QVERIFY2(missing.err.contains("data folder '/nonexistent/data' does not exist"),
                 qPrintable(missing.err));

        QTemporaryDir dir;
        const Result unwritable = runCli(smallRun({"--save", dir.filePath("no/dir/m.ckpt")}));
        QCOMPARE(unwritable.code, 1);
        QVERIFY2(unwritable.err.contains("cannot write"), qPrintable(unwritable.err));
        QVERIFY(unwritable.out.isEmpty()); // refused before training
        const Result folder = runCli(smallRun({"--save", dir.path()}));
        QCOMPARE(folder.code, 1);
        QVERIFY2(folder.err.contains("is a folder"), qPrintable(folder.err));
        QVERIFY(folder.out.isEmpty());

        const Result noConfig = runCli({"train", "--config", dir.filePath("none.json")});
        QCOMPARE(noConfig.code, 1);
        QVERIFY2(noConfig.err.contains(dir.filePath("none.json") + ": config file does not exist"),
                 qPrintable(noConfig.err));
        QFile broken(dir.filePath("broken.json"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"epochs\": ");
        broken.close();
        const Result badConfig = runCli({"train", "--config", broken.fileName()});
        QCOMPARE(badConfig.code, 1);
        QVERIFY2(badConfig.err.contains(broken.fileName() + ": "), qPrintable(badConfig.err));

        const Result badResume = runCli(smallRun({"--resume", kData + "/t10k-labels-idx1-ubyte"}));
        QCOMPARE(badResume.code, 1);
        QVERIFY2(badResume.err.contains("not a Trainbench checkpoint"), qPrintable(badResume.err));
    }

    void trainsAndPrintsTheTutorialsLines()
    {
        const Result result = runCli(smallRun({"--epochs", "2"}));
        QCOMPARE(result.code, 0);
        const QStringList lines = result.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        const QRegularExpression line(
            R"(^Epoch (\d), Loss: \d+\.\d{4}, Accuracy: (\d+\.\d{2}), Test Loss: \d+\.\d{4}, Test Accuracy: (\d+\.\d{2})$)");
        for (int i = 0; i < 2; ++i) {
            const auto match = line.match(lines[i]);
            QVERIFY2(match.hasMatch(), qPrintable(lines[i]));
            QCOMPARE(match.captured(1).toInt(), i + 1);
            QVERIFY(match.captured(3).toDouble() > 50.0); // percent, and learning
        }
        QVERIFY2(!result.err.contains('\r'), "no progress bar when stderr is not a terminal");
        QVERIFY(result.err.contains("peak memory"));
    }

    void predictsImageFiles()
    {
        QTemporaryDir dir;
        const QString checkpoint = dir.filePath("model.ckpt");
        const Result trained = runCli({"train", "--data", kData, "--limit", "6000", "--test-limit",
                                       "100", "--epochs", "1", "--save", checkpoint});
        QCOMPARE(trained.code, 0);

        // Two MNIST test digits (a 7 and a 2) as 8-bit PGM files, black on white and 3x larger.
        QFile images(kData + "/t10k-images-idx3-ubyte");
        QVERIFY(images.open(QIODevice::ReadOnly));
        const QByteArray all = images.readAll();
        QStringList files;
        for (int i : {0, 1}) {
            QByteArray pgm = "P5\n84 84\n255\n";
            for (int y = 0; y < 84; ++y)
                for (int x = 0; x < 84; ++x)
                    pgm.append(char(255 - quint8(all[16 + i * 784 + (y / 3) * 28 + x / 3])));
            const QString path = dir.filePath(QString("digit%1.pgm").arg(i));
            QFile out(path);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(pgm);
            files << path;
        }
        const QString broken = dir.filePath("broken.png");
        QFile junk(broken);
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("junk");
        junk.close();

        const Result plain = runCli(QStringList{"predict", "--model", checkpoint} + files);
        QCOMPARE(plain.code, 0);
        const QStringList lines = plain.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[0].startsWith(files[0] + "\t7\t"), qPrintable(lines[0]));
        QVERIFY2(lines[1].startsWith(files[1] + "\t2\t"), qPrintable(lines[1]));

        // A bad file is reported and does not stop the others; exit code 1 at the end.
        const Result mixed = runCli({"predict", "--json", "--model", checkpoint, broken, files[0]});
        QCOMPARE(mixed.code, 1);
        QVERIFY2(mixed.err.contains(broken) && mixed.err.contains("not a PNG"),
                 qPrintable(mixed.err));
        const auto doc = QJsonDocument::fromJson(mixed.out.trimmed().toUtf8());
        QCOMPARE(doc.object().value("digit").toInt(), 7);
        QCOMPARE(doc.object().value("probabilities").toArray().size(), 10);
        QVERIFY(doc.object().value("confidence").toDouble() > 0.5);

        // A file name with quotes, a backslash and a non-ASCII letter comes back intact in JSON.
        const QString odd = dir.filePath("seven \"quoted\" back\\slash \u00e9.pgm");
        QVERIFY(QFile::copy(files[0], odd));
        const Result named = runCli({"predict", "--json", "--model", checkpoint, odd});
        QCOMPARE(named.code, 0);
        QJsonParseError parseError;
        const auto namedDoc = QJsonDocument::fromJson(named.out.trimmed().toUtf8(), &parseError);
        QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(named.out));
        QCOMPARE(namedDoc.object().value("file").toString(), odd);
        QCOMPARE(namedDoc.object().value("digit").toInt(), 7);

        QCOMPARE(runCli({"predict", files[0]}).code, 2); // no --model
        QCOMPARE(runCli({"predict", "--model", broken, files[0]}).code, 1);
    }

    void jsonAndCheckpoints()
    {
        QTemporaryDir dir;
        const QString checkpoint = dir.filePath("run.ckpt");
        const Result first = runCli(smallRun({"--json", "--save", checkpoint}));
        QCOMPARE(first.code, 0);
        const auto doc = QJsonDocument::fromJson(first.out.trimmed().toUtf8());
        QVERIFY2(doc.isObject(), qPrintable(first.out));
        const QJsonObject epoch = doc.object();
        QCOMPARE(epoch.value("epoch").toInt(), 1);
        for (const char* key : {"loss", "accuracy", "test_loss", "test_accuracy", "seconds"})
            QVERIFY2(epoch.contains(key), key);
        QVERIFY(epoch.value("test_accuracy").toDouble() > 0.5 &&
                epoch.value("test_accuracy").toDouble() <= 1.0);
        QVERIFY(QFile::exists(checkpoint));

        const Result resumed = runCli(smallRun({"--resume", checkpoint}));
        QCOMPARE(resumed.code, 0);
        QVERIFY2(resumed.out.startsWith("Epoch 2,"), qPrintable(resumed.out));

        const Result wrongModel = runCli(smallRun({"--model", "lenet5", "--resume", checkpoint}));
        QCOMPARE(wrongModel.code, 1);
        QVERIFY(wrongModel.err.contains("different architecture"));
    }

    void runsAreKeptListedAndExported()
    {
        QTemporaryDir dir;
        const QString runs = dir.filePath("runs");
        const QStringList inRuns{"--runs", runs};
        QCOMPARE(runCli(smallRun({"--run", "adam"}) + inRuns).code, 0);
        QCOMPARE(runCli(smallRun({"--run", "sgd", "--optimizer", "sgd", "--lr", "0.05", "--epochs",
                                  "2"}) +
                        inRuns)
                     .code,
                 0);
        QCOMPARE(runCli(smallRun({"--run", "mlp", "--model", "mlp"}) + inRuns).code, 0);

        // A fourth run, killed once its first epoch is recorded.
        QProcess killed;
        killed.start(kCli, QStringList{"train", "--data", kData, "--limit", "3000", "--test-limit",
                                       "300", "--epochs", "500", "--run", "killed"} +
                               inRuns);
        QVERIFY(killed.waitForStarted());
        const QString record = runs + "/killed/run.json";
        QTRY_VERIFY_WITH_TIMEOUT(
            QFile::exists(record) && readAll(record).contains("\"test_accuracy\""), 120000);
        killed.kill();
        QVERIFY(killed.waitForFinished());

        const Result listed = runCli(QStringList{"runs", "--json"} + inRuns);
        QCOMPARE(listed.code, 0);
        const int killedEpochs = int(readAll(record).count("\"test_accuracy\""));
        QMap<QString, QJsonObject> byId;
        for (const QString& line : listed.out.split('\n', Qt::SkipEmptyParts)) {
            const QJsonObject run = QJsonDocument::fromJson(line.toUtf8()).object();
            byId[run.value("id").toString()] = run;
        }
        QCOMPARE(byId.keys(), (QStringList{"adam", "killed", "mlp", "sgd"}));
        QCOMPARE(byId["adam"].value("status").toString(), QString("finished"));
        QCOMPARE(byId["adam"].value("epochs").toInt(), 1);
        QCOMPARE(byId["sgd"].value("epochs").toInt(), 2);
        QCOMPARE(byId["sgd"]
                     .value("config")
                     .toObject()
                     .value("optimizer")
                     .toObject()
                     .value("type")
                     .toString(),
                 QString("sgd"));
        QCOMPARE(byId["mlp"].value("model").toString(), QString("mlp"));
        QCOMPARE(byId["killed"].value("status").toString(), QString("interrupted"));
        QVERIFY(byId["killed"].value("epochs").toInt() >= 1);
        QVERIFY(byId["adam"].value("best_test_accuracy").toDouble() > 0.5);
        QVERIFY(QFile::exists(runs + "/adam/best.ckpt") && QFile::exists(runs + "/adam/last.ckpt"));

        // The interrupted run resumes in its folder from its last checkpoint, at the next epoch.
        const Result resumed =
            runCli(QStringList{"train", "--resume-run", "killed", "--epochs", "1"} + inRuns);
        QCOMPARE(resumed.code, 0);
        QVERIFY2(resumed.out.startsWith(QString("Epoch %1, Loss:").arg(killedEpochs + 1)),
                 qPrintable(resumed.out));
        const QJsonObject continued =
            QJsonDocument::fromJson(
                runCli(QStringList{"runs", "show", "killed", "--json"} + inRuns).out.toUtf8())
                .object();
        QCOMPARE(continued.value("status").toString(), QString("finished"));
        QCOMPARE(continued.value("epochs").toArray().size(), killedEpochs + 1);
        // A finished run needs --epochs to go on; an unknown one is an error naming it.
        const Result finished = runCli(QStringList{"train", "--resume-run", "adam"} + inRuns);
        QCOMPARE(finished.code, 1);
        QVERIFY2(finished.err.contains("--epochs"), qPrintable(finished.err));
        QCOMPARE(runCli(QStringList{"train", "--resume-run", "nope"} + inRuns).code, 1);

        // The table names every run and its status; show prints its epochs.
        const Result table = runCli(QStringList{"runs"} + inRuns);
        QVERIFY2(table.out.contains(QRegularExpression("killed +finished")), qPrintable(table.out));
        const Result shown = runCli(QStringList{"runs", "show", "sgd"} + inRuns);
        QCOMPARE(shown.code, 0);
        QVERIFY2(shown.out.contains("Epoch 2, Loss:"), qPrintable(shown.out));

        // The long-format CSV reads back: the same test accuracies as the JSON list.
        const Result exported =
            runCli(QStringList{"runs", "export", "--format", "csv", "adam", "sgd"} + inRuns);
        QCOMPARE(exported.code, 0);
        const QStringList rows = exported.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(rows.front(), QString("run,epoch,split,metric,value"));
        double sgdEpoch2 = -1.0;
        int adamRows = 0;
        for (const QString& row : rows.mid(1)) {
            const QStringList f = row.split(',');
            QCOMPARE(f.size(), 5);
            adamRows += f[0] == "adam";
            if (f[0] == "sgd" && f[1] == "2" && f[2] == "test" && f[3] == "accuracy")
                sgdEpoch2 = f[4].toDouble();
        }
        QCOMPARE(adamRows, 6); // train loss, accuracy, learning rate, seconds; test loss, accuracy
        const Result sgdRecord = runCli(QStringList{"runs", "show", "sgd", "--json"} + inRuns);
        const QJsonArray sgdEpochs =
            QJsonDocument::fromJson(sgdRecord.out.toUtf8()).object().value("epochs").toArray();
        QCOMPARE(sgdEpochs.size(), 2);
        QVERIFY(std::abs(sgdEpoch2 - sgdEpochs[1].toObject().value("test_accuracy").toDouble()) <
                1e-9);
        QVERIFY(sgdEpoch2 > 0.5);

        // A damaged record lists as damaged and hides nothing else; bad requests say what is wrong.
        QVERIFY(QDir().mkpath(runs + "/broken"));
        QFile broken(runs + "/broken/run.json");
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{ not json");
        broken.close();
        const Result withDamage = runCli(QStringList{"runs", "--json"} + inRuns);
        QCOMPARE(withDamage.out.split('\n', Qt::SkipEmptyParts).size(), 5);
        QVERIFY2(withDamage.out.contains("\"damaged\"") &&
                     withDamage.out.contains("broken/run.json"),
                 qPrintable(withDamage.out));
        const Result missing = runCli(QStringList{"runs", "show", "nope"} + inRuns);
        QCOMPARE(missing.code, 1);
        QVERIFY2(missing.err.contains("no run 'nope'"), qPrintable(missing.err));
        QCOMPARE(runCli(QStringList{"runs", "export", "--format", "xlsx", "adam"} + inRuns).code,
                 2);
        QCOMPARE(runCli(QStringList{"runs", "frobnicate"} + inRuns).code, 2);
        const Result nowhere = runCli({"runs", "--runs", dir.filePath("nowhere")});
        QCOMPARE(nowhere.code, 1);
        QVERIFY2(nowhere.err.contains("nowhere") && nowhere.err.contains("does not exist"),
                 qPrintable(nowhere.err));
        const Result file = runCli({"runs", "--runs", runs + "/adam/run.json"});
        QCOMPARE(file.code, 1);
        QVERIFY2(file.err.contains("is a file"), qPrintable(file.err));
    }

    void sweepsTrainTheGridAsOneGroup()
    {
        QTemporaryDir dir;
        const QString runs = dir.filePath("runs");
        const QStringList common{"--data", kData,      "--limit", "300",    "--test-limit",
                                 "100",    "--epochs", "1",       "--runs", runs};
        const Result swept = runCli(QStringList{"sweep", "--grid", "lr=0.001,0.0001", "--grid",
                                                "batch-size=32,64", "--sweep", "grid"} +
                                    common);
        QCOMPARE(swept.code, 0);
        QCOMPARE(swept.out.count("Epoch 1, Loss:"), 4);
        QVERIFY2(swept.err.contains("best grid-"), qPrintable(swept.err));

        const Result listed = runCli({"runs", "--json", "--runs", runs});
        QMap<QString, QJsonObject> byId;
        for (const QString& line : listed.out.split('\n', Qt::SkipEmptyParts)) {
            const QJsonObject run = QJsonDocument::fromJson(line.toUtf8()).object();
            byId[run.value("id").toString()] = run;
        }
        QCOMPARE(byId.keys(), (QStringList{"grid-1", "grid-2", "grid-3", "grid-4"}));
        QSet<QString> combinations;
        for (const auto& run : byId) {
            QCOMPARE(run.value("sweep").toString(), QString("grid"));
            QCOMPARE(run.value("status").toString(), QString("finished"));
            const QJsonObject config = run.value("config").toObject();
            combinations.insert(
                QString::number(
                    config.value("optimizer").toObject().value("learning_rate").toDouble()) +
                "/" + QString::number(config.value("batch_size").toInt()));
            QCOMPARE(run.value("name").toString().startsWith("lr="), true);
        }
        QCOMPARE(combinations, (QSet<QString>{"0.001/32", "0.001/64", "0.0001/32", "0.0001/64"}));

        // A bad grid value refuses the whole sweep before anything trains.
        const Result bad =
            runCli(QStringList{"sweep", "--grid", "lr=0.001,fast", "--sweep", "bad"} + common);
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("lr") && bad.err.contains("'fast' is not a number"),
                 qPrintable(bad.err));
        QVERIFY(!QDir(runs + "/bad-1").exists());
        QCOMPARE(runCli(QStringList{"sweep", "--grid", "colour=red"} + common).code, 2);

#if defined(Q_OS_UNIX)
        // Ctrl+C stops the current run and cancels the rest: they are recorded, not lost.
        QProcess sweep;
        sweep.start(kCli, QStringList{"sweep", "--grid", "seed=1,2,3", "--sweep", "stopped",
                                      "--data", kData, "--limit", "20000", "--test-limit", "100",
                                      "--epochs", "50", "--runs", runs});
        QVERIFY(sweep.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(
            readAll(runs + "/stopped-1/run.json").contains("\"test_accuracy\""), 120000);
        ::kill(pid_t(sweep.processId()), SIGINT);
        QVERIFY(sweep.waitForFinished(60000));
        QCOMPARE(sweep.exitCode(), 130);
        const Result after = runCli({"runs", "--json", "--runs", runs});
        QVERIFY2(after.out.contains(
                     QRegularExpression("\"id\":\"stopped-1\",[^\n]*\"status\":\"stopped\"")),
                 qPrintable(after.out));
        for (const char* id : {"stopped-2", "stopped-3"})
            QVERIFY2(after.out.contains(QRegularExpression(
                         QString("\"id\":\"%1\",[^\n]*\"status\":\"cancelled\"").arg(id))),
                     qPrintable(after.out));
#endif
    }

    void anUnwritableRunsFolderRefusesTheRun()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath("file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const Result result = runCli(smallRun({"--runs", dir.filePath("file/runs")}));
        QCOMPARE(result.code, 1);
        QVERIFY2(result.err.contains(dir.filePath("file/runs")), qPrintable(result.err));
        QVERIFY(!result.out.contains("Epoch 1")); // refused before training
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
