#include "curveplot.h"
#include "curvespage.h"
#include "mainwindow.h"
#include "modelpanel.h"
#include "runspanel.h"
#include "runstablemodel.h"
#include "sweepdialog.h"
#include "trainbench/track/runrecorder.h"
#include "trainbench/track/runstore.h"
#include "trainbench/track/tutorialreference.h"
#include "trainbench/train/trainer.h"
#include "trainingcontroller.h"
#include "trainingpanel.h"
#include "uitestsupport.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QFont>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <functional>
#include <map>
#include <set>

using namespace trainbench;
using namespace trainbench::ui;

namespace {

/// A finished run of `epochs` epochs whose test accuracy climbs from `start`.
RunRecord makeRun(const RunStore& store, const std::string& name, const std::string& model,
                  double lr, int epochs, double start)
{
    RunRecord r;
    r.id = store.createRun(name);
    r.name = name;
    r.created = "2026-11-2" + std::to_string(epochs) + "T10:00:00Z";
    r.status = RunStatus::Finished;
    r.dataset = "mnist";
    r.config.modelName = model;
    r.config.optimizer.learningRate = lr;
    r.config.epochs = epochs;
    r.parameters = model == "mlp" ? 235146 : 1640394;
    for (int e = 1; e <= epochs; ++e) {
        EpochMetrics m;
        m.epoch = e;
        m.trainLoss = 1.0 / e;
        m.testLoss = 1.1 / e;
        m.trainAccuracy = start + 0.01 * e;
        m.testAccuracy = start + 0.009 * e;
        m.seconds = 10;
        r.history.push_back(m);
    }
    store.write(r);
    return r;
}

} // namespace

class TestRunsPanel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { uitest::isolate("tst_runspanel", m_testRuns); }

    void init()
    {
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path()).removeRecursively();
        QDir().mkpath(m_dir.path());
        const RunStore store(m_dir.path().toStdString());
        makeRun(store, "adam-1e-3", "seed-cnn", 0.001, 5, 0.95);
        makeRun(store, "adam-1e-4", "seed-cnn", 0.0001, 4, 0.90);
        makeRun(store, "mlp", "mlp", 0.001, 3, 0.92);
        QDir().mkpath(m_dir.filePath("broken"));
        QFile broken(m_dir.filePath("broken/run.json"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{ \"id\": ");
    }

    void listsFiltersAndCompares()
    {
        RunsPanel panel;
        panel.setRoot(m_dir.path());
        QCOMPARE(panel.model()->rowCount(), 4);
        const int broken = panel.model()->rowOf("broken");
        QVERIFY(broken >= 0);
        QVERIFY(panel.model()
                    ->data(panel.model()->index(broken, RunsTableModel::Status), Qt::DisplayRole)
                    .toString()
                    .startsWith("damaged:"));

        panel.filter()->setText("MLP"); // case-insensitive, any column
        QCOMPARE(panel.table()->model()->rowCount(), 1);
        panel.filter()->clear();
        QCOMPARE(panel.table()->model()->rowCount(), 4);

        // Sorting by best test accuracy uses the numbers, not their text.
        panel.table()->sortByColumn(RunsTableModel::BestTestAccuracy, Qt::DescendingOrder);
        QCOMPARE(panel.table()->model()->index(0, RunsTableModel::Name).data().toString(),
                 QString("adam-1e-3"));

        panel.select({"adam-1e-3", "adam-1e-4"});
        QCOMPARE(int(panel.selectedRuns().size()), 2);
        const QStringList rows = panel.comparisonRows();
        const auto has = [&](const QString& prefix) {
            return std::any_of(rows.begin(), rows.end(),
                               [&](const QString& r) { return r.startsWith(prefix); });
        };
        // In list order, oldest first: adam-1e-4 (4 epochs) was created before adam-1e-3.
        QVERIFY2(has("optimizer.learning_rate\t0.0001\t0.001"), qPrintable(rows.join('\n')));
        QVERIFY(has("epochs\t4\t5"));
        QVERIFY(!has("batch_size")); // the same in both: not listed
        QVERIFY(!has("model\t"));
        QVERIFY(has("best test accuracy\t93.60%\t99.50%"));
        const auto colors = panel.selectedColors();
        QCOMPARE(colors.size(), 2);
        QVERIFY(colors[0] != colors[1]);
    }

    void renamesAnnotatesAndDeletes()
    {
        RunsPanel panel;
        panel.setRoot(m_dir.path());
        const auto click = [&](const QString& text, const std::function<void()>& inDialog) {
            QPushButton* button = nullptr;
            for (auto* b : panel.findChildren<QPushButton*>())
                if (b->text() == text)
                    button = b;
            QVERIFY(button && button->isEnabled());
            QTimer::singleShot(200, inDialog);
            button->click();
        };
        const auto answer = [](const QString& text) {
            return [text] {
                if (auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget())) {
                    dialog->setTextValue(text);
                    dialog->accept();
                }
            };
        };
        const RunStore store(m_dir.path().toStdString());
        panel.select({"mlp"});
        click("Rename…", answer("small MLP"));
        QCOMPARE(store.read("mlp").record.name, std::string("small MLP"));
        QCOMPARE(panel.model()
                     ->index(panel.model()->rowOf("mlp"), RunsTableModel::Name)
                     .data()
                     .toString(),
                 QString("small MLP"));
        panel.select({"mlp"});
        click("Notes…", answer("baseline for the lr sweep"));
        QCOMPARE(store.read("mlp").record.notes, std::string("baseline for the lr sweep"));
        QCOMPARE(int(store.read("mlp").record.history.size()), 3); // nothing else changed

        panel.select({"broken"});
        click("Delete…", [] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget()))
                box->button(QMessageBox::Yes)->click();
        });
        QVERIFY(!QDir(m_dir.filePath("broken")).exists());
        QCOMPARE(panel.model()->rowCount(), 3);
    }

    void picksUpRunsWrittenElsewhere()
    {
        RunsPanel panel;
        panel.setRoot(m_dir.path());
        QCOMPARE(panel.model()->rowCount(), 4);
        // Another program (the CLI) adds a run and finishes an epoch of it.
        const RunStore store(m_dir.path().toStdString());
        RunRecord late = makeRun(store, "from-cli", "lenet5", 0.001, 1, 0.8);
        QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), 5, 5000);
        late.history.push_back(late.history.back());
        late.history.back().epoch = 2;
        store.write(late);
        QTRY_COMPARE_WITH_TIMEOUT(
            int(panel.model()->run(panel.model()->rowOf("from-cli")).record.history.size()), 2,
            5000);
        QDir(m_dir.filePath("from-cli")).removeRecursively();
        QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), 4, 5000);
    }

    void groupsASweepAndMarksItsBest()
    {
        QTemporaryDir dir;
        const RunStore store(dir.path().toStdString());
        for (const auto& [name, start] :
             {std::pair<std::string, double>{"s-1", 0.90}, {"s-2", 0.97}, {"s-3", 0.93}}) {
            RunRecord r = makeRun(store, name, "seed-cnn", 0.001, 2, start);
            r.sweep = "s";
            store.write(r);
        }
        makeRun(store, "alone", "seed-cnn", 0.001, 2, 0.99); // better, but in no sweep
        RunsPanel panel;
        panel.setRoot(dir.path());
        const auto* model = panel.model();
        QVERIFY(model->isBestOfSweep(model->rowOf("s-2")));
        QVERIFY(!model->isBestOfSweep(model->rowOf("s-1")));
        QVERIFY(!model->isBestOfSweep(model->rowOf("alone")));
        QVERIFY(model->index(model->rowOf("s-2"), RunsTableModel::Name)
                    .data(Qt::FontRole)
                    .value<QFont>()
                    .bold());
        QVERIFY(model->index(model->rowOf("s-2"), RunsTableModel::Sweep)
                    .data()
                    .toString()
                    .startsWith("s ★"));
        // Sorting by the Sweep column puts the sweep's runs together.
        panel.table()->sortByColumn(RunsTableModel::Sweep, Qt::DescendingOrder);
        for (int row = 0; row < 3; ++row)
            QVERIFY(panel.table()
                        ->model()
                        ->index(row, RunsTableModel::Name)
                        .data()
                        .toString()
                        .startsWith("s-"));
    }

    void overlaysSelectedRunsAndClones()
    {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        window.findChild<QLineEdit*>("runsFolder")->setText(m_dir.path());
        window.runsPanel()->setRoot(m_dir.path());
        window.runsPanel()->select({"adam-1e-3", "adam-1e-4", "mlp", "broken"});
        CurvePlot* loss = window.curvesPage()->lossPlot();
        CurvePlot* accuracy = window.curvesPage()->accuracyPlot();
        QCOMPARE(loss->overlayCount(), 3); // the damaged run has no curves
        QCOMPARE(accuracy->overlayCount(), 3);
        std::set<QRgb> distinct;
        for (int i = 0; i < 3; ++i) {
            const int row = window.runsPanel()->model()->rowOf(loss->overlayName(i).toStdString());
            QVERIFY(row >= 0);
            QCOMPARE(loss->overlayColor(i),
                     window.runsPanel()->model()->color(row)); // list and plots agree
            QCOMPARE(accuracy->overlayColor(i), loss->overlayColor(i));
            distinct.insert(loss->overlayColor(i).rgb());
        }
        QCOMPARE(int(distinct.size()), 3);
        // The tutorial's published curve joins them on request, named as the tutorial's.
        window.runsPanel()->tutorialToggle()->setChecked(true);
        QCOMPARE(loss->overlayCount(), 4);
        QVERIFY(loss->overlayName(3).contains("tutorial"));
        QCOMPARE(TutorialReference::record().history.back().testAccuracy, 0.9858000183105469);
        uitest::saveScreenshot(window, "runs-overlay");
        window.runsPanel()->tutorialToggle()->setChecked(false);
        QCOMPARE(loss->overlayCount(), 3);

        // Compare: the dialog lists the settings that differ and the results.
        window.runsPanel()->select({"adam-1e-3", "adam-1e-4"});
        QPushButton* compare = nullptr;
        for (auto* button : window.runsPanel()->findChildren<QPushButton*>())
            if (button->text() == "Compare")
                compare = button;
        QVERIFY(compare && compare->isEnabled());
        QStringList shown;
        QTimer::singleShot(300, [&] {
            auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            auto* table = dialog->findChild<QTableWidget*>();
            for (int row = 0; table && row < table->rowCount(); ++row)
                shown << table->item(row, 0)->text();
            uitest::saveScreenshot(*dialog, "runs-compare");
            dialog->reject();
        });
        compare->click();
        QVERIFY2(shown.contains("optimizer.learning_rate") && shown.contains("best test accuracy"),
                 qPrintable(shown.join(", ")));
        QVERIFY(!shown.contains("batch_size"));

        window.runsPanel()->select({"mlp"});
        QCOMPARE(loss->overlayCount(), 1);
        window.runsPanel()->select({});
        QCOMPARE(loss->overlayCount(), 0);

        // Clone puts the run's settings into the docks.
        window.runsPanel()->select({"adam-1e-4"});
        TrainingConfig before;
        window.trainingPanel()->applyTo(before);
        QVERIFY(before.optimizer.learningRate != 0.0001);
        const auto run = window.runsPanel()->selectedRuns().front();
        Q_EMIT window.runsPanel()->cloneRequested(run.config);
        TrainingConfig after;
        window.trainingPanel()->applyTo(after);
        QCOMPARE(after.optimizer.learningRate, 0.0001);
        QCOMPARE(after.epochs, 4);
        QCOMPARE(window.modelPanel()->modelName(), QString("seed-cnn"));
    }

    void resumesAStoppedRunInItsFolder()
    {
        // A real run of 2 planned epochs, stopped after the first (its last.ckpt kept).
        QTemporaryDir dir;
        const RunStore store(dir.path().toStdString());
        TrainingConfig config;
        config.dataDir = TRAINBENCH_TEST_DATA_DIR;
        config.modelName = "mlp";
        config.limit = 640;
        config.testLimit = 200;
        config.epochs = 2;
        {
            Trainer trainer(config);
            RunRecorder recorder(store, config, "halfway");
            recorder.saveCheckpoint = [&](const std::string& path) {
                trainer.saveCheckpoint(path);
            };
            struct Stopper : TrainingObserver
            {
                Trainer* trainer = nullptr;
                void onEpochEnd(const EpochMetrics&) override { trainer->requestStop(); }
            } stopper;
            stopper.trainer = &trainer;
            trainer.addObserver(&recorder);
            trainer.addObserver(&stopper);
            QVERIFY(trainer.run());
        }
        QCOMPARE(QString::fromStdString(toString(store.read("halfway").record.status)),
                 QString("stopped"));

        MainWindow window;
        window.show();
        window.findChild<QLineEdit*>("runsFolder")->setText(dir.path());
        window.runsPanel()->setRoot(dir.path());
        window.runsPanel()->select({"halfway"});
        QPushButton* resume = nullptr;
        for (auto* button : window.runsPanel()->findChildren<QPushButton*>())
            if (button->text() == "Resume")
                resume = button;
        QVERIFY(resume && resume->isEnabled());
        resume->click();
        QVERIFY(window.controller()->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 60000);
        QVERIFY2(window.message().isEmpty(), qPrintable(window.message()));
        const RunRecord resumed = store.read("halfway").record;
        QCOMPARE(QString::fromStdString(toString(resumed.status)), QString("finished"));
        QCOMPARE(int(resumed.history.size()), 2);
        QCOMPARE(resumed.history[1].epoch, 2); // continued at the next epoch
        QCOMPARE(QDir(dir.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(),
                 1); // no new run
        // A finished run is not resumed (its button is off; asked anyway, it says why).
        window.runsPanel()->refresh();
        window.runsPanel()->select({"halfway"});
        QVERIFY(!resume->isEnabled());
        QString error;
        QVERIFY(!window.controller()->resume("halfway", &error));
        QVERIFY2(error.contains("finished"), qPrintable(error));
    }

    void sweepDialogCountsAndRefusesBadValues()
    {
        TrainingConfig base;
        SweepDialog dialog(base);
        QCOMPARE(dialog.points().size(), size_t(1)); // the docks' own values: one run
        dialog.field("lr")->setText("0.001, 0.0001");
        dialog.field("batch-size")->setText("32,64");
        QCOMPARE(dialog.points().size(), size_t(4));
        QVERIFY2(dialog.summary().contains("4"), qPrintable(dialog.summary()));
        QCOMPARE(dialog.points()[1].title, std::string("lr=0.001 batch-size=64")); // what varies
        QCOMPARE(dialog.points()[1].config.batchSize, 64);
        QCOMPARE(dialog.points()[2].config.optimizer.learningRate, 0.0001);
        // A custom layer stack stays itself: its model field holds its own name.
        TrainingConfig custom;
        custom.modelName = "custom";
        custom.layers = {LayerSpec::flatten(), LayerSpec::dense(10)};
        SweepDialog customDialog(custom);
        customDialog.field("lr")->setText("0.01,0.001");
        QCOMPARE(customDialog.points().size(), size_t(2));
        QCOMPARE(customDialog.points()[0].config.layers.size(), size_t(2));

        dialog.field("optimizer")->setText("adam,lion");
        QVERIFY(dialog.points().empty());
        QVERIFY2(dialog.summary().contains("lion"), qPrintable(dialog.summary()));
        dialog.field("optimizer")->setText("adam");
        dialog.field("epochs")->setText("0");
        QVERIFY(dialog.points().empty());
        QVERIFY2(dialog.summary().contains("epochs"), qPrintable(dialog.summary()));
    }

    void aSweepRunsAsOneGroupAndStopCancelsTheRest()
    {
        QTemporaryDir runs;
        MainWindow window;
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.trainAction()->isEnabled(), 10000);
        window.findChild<QLineEdit*>("runsFolder")->setText(runs.path());
        window.trainingPanel()->setLogging(false);
        TrainingConfig base;
        base.dataDir = TRAINBENCH_TEST_DATA_DIR;
        base.limit = 320;
        base.testLimit = 100;
        base.epochs = 1;
        SweepGrid grid;
        grid.add("lr=0.001,0.0001");
        grid.add("batch-size=32,64");
        window.queueSweep(grid.expand(base));
        QVERIFY(window.sweepActive());
        QTRY_VERIFY_WITH_TIMEOUT(!window.sweepActive(), 120000);
        const auto listed = RunStore(runs.path().toStdString()).list();
        QCOMPARE(int(listed.size()), 4);
        std::set<std::string> titles;
        for (const auto& run : listed) {
            QVERIFY(!run.record.sweep.empty());
            QCOMPARE(run.record.sweep, listed.front().record.sweep);
            QCOMPARE(QString::fromStdString(toString(run.record.status)), QString("finished"));
            titles.insert(run.record.name);
        }
        QCOMPARE(titles,
                 (std::set<std::string>{"lr=0.001 batch-size=32", "lr=0.001 batch-size=64",
                                        "lr=0.0001 batch-size=32", "lr=0.0001 batch-size=64"}));
        window.runsPanel()->refresh();
        int best = 0;
        for (int row = 0; row < window.runsPanel()->model()->rowCount(); ++row)
            best += window.runsPanel()->model()->isBestOfSweep(row);
        QCOMPARE(best, 1);
        window.runsPanel()->table()->sortByColumn(RunsTableModel::Sweep, Qt::AscendingOrder);
        uitest::saveScreenshot(window, "runs-sweep");

        // Stop during a second sweep: the current run stops, the rest are recorded as cancelled.
        base.limit = 20000;
        base.epochs = 50;
        SweepGrid seeds;
        seeds.add("seed=1,2,3");
        window.queueSweep(seeds.expand(base));
        QTRY_VERIFY_WITH_TIMEOUT(window.curvesPage()->lossPlot()->batchPointCount() > 0, 60000);
        window.stopAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!window.sweepActive(), 60000);
        std::map<std::string, int> statuses;
        for (const auto& run : RunStore(runs.path().toStdString()).list())
            if (run.record.name.rfind("seed=", 0) == 0)
                ++statuses[toString(run.record.status)];
        QCOMPARE(statuses["stopped"], 1);
        QCOMPARE(statuses["cancelled"], 2);
    }

    void showsRunsMadeByTheCli()
    {
        // Three small CLI runs and one killed mid-run: the window lists the same four, overlays
        // three and compares two.
        QTemporaryDir runs;
        const QString cli = QStringLiteral(TRAINBENCH_CLI_PATH);
        const QStringList small{"train",   "--data",   TRAINBENCH_TEST_DATA_DIR,
                                "--limit", "600",      "--test-limit",
                                "200",     "--epochs", "1",
                                "--runs",  runs.path()};
        for (const QStringList& extra :
             {QStringList{"--run", "a"}, QStringList{"--run", "b", "--lr", "0.0005"},
              QStringList{"--run", "c", "--model", "mlp"}})
            QCOMPARE(QProcess::execute(cli, small + extra), 0);
        QProcess killed;
        killed.start(cli, QStringList{"train", "--data", TRAINBENCH_TEST_DATA_DIR, "--limit",
                                      "3000", "--test-limit", "200", "--epochs", "500", "--run",
                                      "killed", "--runs", runs.path()});
        QVERIFY(killed.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFile(runs.filePath("killed/metrics.csv")).size() > 120, 120000);
        killed.kill();
        QVERIFY(killed.waitForFinished());

        MainWindow window;
        window.resize(1400, 900);
        window.show();
        window.runsPanel()->setRoot(runs.path());
        auto* model = window.runsPanel()->model();
        QCOMPARE(model->rowCount(), 4);
        const auto status = [&](const char* id) {
            return model->index(model->rowOf(id), RunsTableModel::Status).data().toString();
        };
        QCOMPARE(status("a"), QString("finished"));
        QCOMPARE(status("killed"), QString("interrupted"));
        window.runsPanel()->select({"a", "b", "killed"});
        QCOMPARE(window.curvesPage()->lossPlot()->overlayCount(), 3);
        uitest::saveScreenshot(window, "runs-from-cli");
        window.runsPanel()->select({"a", "b"});
        QVERIFY(window.runsPanel()->comparisonRows().contains(
            "optimizer.learning_rate\t0.001\t0.0005"));
    }

private:
    QTemporaryDir m_testRuns;
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestRunsPanel)
#include "tst_runspanel.moc"
