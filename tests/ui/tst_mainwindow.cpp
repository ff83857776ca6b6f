#include "classifypanel.h"
#include "confusionmatrixwidget.h"
#include "confusionpage.h"
#include "curveplot.h"
#include "curvespage.h"
#include "datasetpanel.h"
#include "drawpage.h"
#include "helpdialog.h"
#include "language.h"
#include "mainwindow.h"
#include "modelpanel.h"
#include "plottheme.h"
#include "predictionspage.h"
#include "runspanel.h"
#include "runstablemodel.h"
#include "trainbench/data/dataset.h"
#include "trainbench/model/modelpresets.h"
#include "trainbench/train/trainer.h"
#include "trainingcontroller.h"
#include "trainingpanel.h"
#include "uitestsupport.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QtTest>
#include <qcustomplot.h>

using namespace trainbench;
using namespace trainbench::ui;

namespace {

const QString kData = QStringLiteral(TRAINBENCH_TEST_DATA_DIR);

/// A folder of coloured shapes, one class each (red squares, green discs, blue bars) at random
/// places on a gray background, as PNG and JPEG files, plus one file that is not an image.
QString writeShapes(const QTemporaryDir& dir, int perClass)
{
    const QString root = dir.filePath("shapes");
    const QStringList names = {"red square", "green disc", "blue bar"};
    const QColor colours[] = {QColor(208, 32, 32), QColor(32, 192, 48), QColor(48, 64, 224)};
    for (int c = 0; c < 3; ++c) {
        QDir().mkpath(root + "/" + names[c]);
        for (int i = 0; i < perClass; ++i) {
            QImage image(24, 24, QImage::Format_RGB32);
            image.fill(QColor(80, 80, 80));
            QPainter painter(&image);
            painter.setPen(Qt::NoPen);
            painter.setBrush(colours[c]);
            const int x = 3 + (i * 7) % 10, y = 3 + (i * 5) % 10, r = 4 + i % 3;
            if (c == 0)
                painter.drawRect(x, y, 2 * r, 2 * r);
            else if (c == 1)
                painter.drawEllipse(x, y, 2 * r, 2 * r);
            else
                painter.drawRect(x - 2, y + r - 1, 2 * r + 4, 3);
            painter.end();
            image.save(
                QString("%1/%2/%3.%4").arg(root, names[c]).arg(i).arg(i % 2 ? "png" : "jpg"));
        }
    }
    QFile notes(root + "/blue bar/notes.txt");
    notes.open(QIODevice::WriteOnly);
    notes.write("not an image");
    return root;
}

/// The window can be made 1024x700, the smallest screen it is made for.
bool fitsSmallScreen(const QWidget& window)
{
    return window.minimumSizeHint().width() <= 1024 && window.minimumSizeHint().height() <= 700;
}

QString minimumSizeText(const QWidget& window)
{
    return QString("minimum size %1x%2")
        .arg(window.minimumSizeHint().width())
        .arg(window.minimumSizeHint().height());
}

} // namespace

class TestMainWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        uitest::isolate("tst_mainwindow", m_testRuns);
        qputenv("TRAINBENCH_DATA_DIR", kData.toUtf8());
    }

    void startsWithSensibleAxesAndLearningRates()
    {
        MainWindow window;
        // Empty plots show the ranges their values will have.
        QCOMPARE(window.curvesPage()->accuracyPlot()->yAxis->range().upper, 100.0);
        QCOMPARE(window.curvesPage()->accuracyPlot()->yAxis->range().lower, 0.0);
        QCOMPARE(window.curvesPage()->lossPlot()->xAxis->range().lower, 0.0);
        // Switching optimizer offers its customary learning rate, unless one was typed.
        auto* optimizer = window.trainingPanel()->findChild<QComboBox*>("optimizer");
        auto* rate = window.trainingPanel()->findChild<QDoubleSpinBox*>("learningRate");
        QCOMPARE(rate->value(), 0.001);
        optimizer->setCurrentText("sgd");
        QCOMPARE(rate->value(), 0.01);
        optimizer->setCurrentText("rmsprop");
        QCOMPARE(rate->value(), 0.001);
        rate->setValue(0.005); // the user's own
        optimizer->setCurrentText("sgd");
        QCOMPARE(rate->value(), 0.005);
    }

    void everyDockControlExplainsItself()
    {
        MainWindow window;
        for (QWidget* panel : {static_cast<QWidget*>(window.datasetPanel()),
                               static_cast<QWidget*>(window.trainingPanel())}) {
            for (auto* control :
                 panel->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly)) {
                if (!qobject_cast<QAbstractSpinBox*>(control) &&
                    !qobject_cast<QComboBox*>(control) &&
                    !qobject_cast<QAbstractButton*>(control) && !qobject_cast<QLineEdit*>(control))
                    continue;
                const QString what = control->objectName().isEmpty()
                                         ? control->metaObject()->className()
                                         : control->objectName();
                QVERIFY2(!control->toolTip().isEmpty(), qPrintable(what + " has no tooltip"));
            }
        }
        window.findChild<QDockWidget*>("trainingDock")->raise();
        window.show();
        uitest::saveScreenshot(window, "window-training-dock");
    }

    void aPresetsLayersBringItsNameBack()
    {
        ModelPanel panel;
        TrainingConfig config;
        config.modelName = "custom";
        config.layers = ModelPresets::layers("lenet5");
        config.layers.insert(config.layers.begin() + 1, LayerSpec::dropout(0.1));
        panel.loadFrom(config);
        QCOMPARE(panel.modelName(), QString("custom"));
        config.layers = ModelPresets::layers("lenet5"); // edited back into the preset's stack
        panel.loadFrom(config);
        QCOMPARE(panel.modelName(), QString("lenet5"));
    }

    void longClassNamesAreElidedWithTheirTooltip()
    {
        const QStringList names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                   "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
        std::vector<int64_t> counts(100, 0);
        for (int k = 0; k < 10; ++k)
            counts[size_t(k * 10 + k)] = 90;
        counts[0 * 10 + 6] = 10; // T-shirts taken for shirts
        ConfusionMatrixWidget matrix;
        matrix.setMatrix(counts, 10, names);
        matrix.resize(480, 420);
        matrix.show();
        QVERIFY(QTest::qWaitForWindowExposed(&matrix));
        QCOMPARE(matrix.toolTipAt(matrix.cellCentre(0, 6)),
                 QString("true T-shirt/top, predicted Shirt: 10 images (10.0% of the true "
                         "T-shirt/top); click to see them"));
        QCOMPARE(matrix.cellAt(matrix.cellCentre(9, 9)), QPoint(9, 9));
        uitest::saveScreenshot(matrix, "confusion-fashion-names");
    }

    void theLayerTableShowsEachTypesOwnFields()
    {
        ModelPanel panel;
        TrainingConfig config;
        config.modelName = "custom";
        config.layers = {LayerSpec::conv2d(8, 3), LayerSpec::maxPool(2), LayerSpec::dropout(0.25),
                         LayerSpec::flatten(), LayerSpec::dense(10, Activation::None)};
        panel.loadFrom(config);
        panel.resize(900, 500);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        auto* table = panel.findChild<QTableWidget*>("layerTable");
        QVERIFY(table);
        const auto shown = [&](int row) {
            QStringList headers;
            for (int c = 1; c < table->columnCount(); ++c)
                if (table->cellWidget(row, c)
                        ->findChild<QWidget*>(QString(), Qt::FindDirectChildrenOnly)
                        ->isVisibleTo(table))
                    headers << table->horizontalHeaderItem(c)->text();
            return headers;
        };
        QCOMPARE(shown(0),
                 QStringList({"Filters/units", "Kernel/pool", "Stride", "Padding", "Activation"}));
        QCOMPARE(shown(1), QStringList({"Kernel/pool", "Stride", "Padding"}));
        QCOMPARE(shown(2), QStringList({"Rate"}));
        QCOMPARE(shown(3), QStringList());
        QCOMPARE(shown(4), QStringList({"Filters/units", "Activation"}));
        // Changing a row's type changes its fields; the stack still reads back whole.
        qobject_cast<QComboBox*>(table->cellWidget(3, 0))->setCurrentText("Dense");
        QCoreApplication::processEvents();
        QCOMPARE(shown(3), QStringList({"Filters/units", "Activation"}));
        QCOMPARE(panel.layers().size(), size_t(5));
        QCOMPARE(panel.layers()[3].units, 64); // a usable size, not the Flatten's 0
        uitest::saveScreenshot(panel, "model-layer-table");
    }

    void remembersRecentModels()
    {
        QSettings().remove("recentModels");
        QTemporaryDir dir;
        TrainingConfig config;
        config.dataDir = kData.toStdString();
        config.modelName = "mlp";
        config.limit = 320;
        config.testLimit = 100;
        config.epochs = 1;
        Trainer trainer(config);
        QVERIFY(trainer.run());
        const QString path = dir.filePath("small.ckpt");
        trainer.saveCheckpoint(path.toStdString());
        {
            MainWindow window;
            QVERIFY(window.openModelFile(path));
            QVERIFY(!window.openModelFile(dir.filePath("missing.ckpt"))); // not remembered
            QCOMPARE(window.recentModels(), QStringList{path});
        }
        MainWindow restarted;
        QCOMPARE(restarted.recentModels(), QStringList{path});
        auto* menu = restarted.findChild<QMenu*>("recentModels");
        QVERIFY(menu && !menu->actions().isEmpty());
        QCOMPARE(menu->actions().front()->text(), QString("small.ckpt"));
        menu->actions().front()->trigger();
        QCOMPARE(restarted.tabs()->currentWidget(), static_cast<QWidget*>(restarted.drawPage()));
        QVERIFY(restarted.drawPage()->status().contains("mlp"));
        QSettings().remove("recentModels");
    }

    void layoutHoldsAtScaleFactorTwo()
    {
        // High-DPI screens: the CTest entry tst_mainwindow_scale2 runs this with
        // QT_SCALE_FACTOR=2 (it must be set before the application starts).
        if (qgetenv("QT_SCALE_FACTOR") != "2")
            QSKIP("run with QT_SCALE_FACTOR=2 by the tst_mainwindow_scale2 test");
        MainWindow window;
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.devicePixelRatio(), 2.0);
        QTRY_VERIFY_WITH_TIMEOUT(window.trainAction()->isEnabled(), 10000);
        QVERIFY2(fitsSmallScreen(window), qPrintable(minimumSizeText(window)));
        QCOMPARE(window.size(), QSize(1024, 700));
        const QImage shot = window.grab().toImage();
        QCOMPARE(shot.size(), QSize(2048, 1400)); // every pixel drawn at twice the resolution
        uitest::saveScreenshot(window, "window-scale2");
    }

    void followsADarkPalette()
    {
        // The desktop's dark theme arrives as the application palette: plots and charts follow.
        const QPalette light = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(45, 45, 48));
        dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
        dark.setColor(QPalette::Base, QColor(30, 30, 32));
        dark.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
        dark.setColor(QPalette::Text, QColor(230, 230, 230));
        dark.setColor(QPalette::Button, QColor(53, 53, 56));
        dark.setColor(QPalette::ButtonText, QColor(230, 230, 230));
        dark.setColor(QPalette::Highlight, QColor(42, 130, 218));
        dark.setColor(QPalette::HighlightedText, Qt::black);
        QApplication::setPalette(dark);
        {
            MainWindow window;
            window.resize(1600, 1000);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QTRY_VERIFY_WITH_TIMEOUT(window.trainAction()->isEnabled(), 10000);
            CurvePlot* loss = window.curvesPage()->lossPlot();
            QVERIFY(PlotTheme::isDark(loss->palette()));
            const QImage shot = loss->grab().toImage();
            QVERIFY(QColor(shot.pixel(shot.width() / 2, shot.height() / 2)).lightness() < 80);
            QCOMPARE(loss->xAxis->tickLabelColor(), QColor(230, 230, 230));
            uitest::saveScreenshot(window, "window-dark");
            // Back to a light desktop: the plots follow at once.
            QApplication::setPalette(light);
            QCoreApplication::processEvents();
            QVERIFY(!PlotTheme::isDark(loss->palette()));
            QCOMPARE(loss->xAxis->tickLabelColor(), light.color(QPalette::Text));
        }
    }

    void speaksSimplifiedChinese()
    {
        QVERIFY(Language::install(qApp, "zh_CN"));
        {
            MainWindow window;
            window.resize(1600, 1000);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            // Docks, tabs and actions in Chinese.
            QCOMPARE(window.findChild<QDockWidget*>("dataDock")->windowTitle(), QString("数据"));
            QCOMPARE(window.findChild<QDockWidget*>("modelDock")->windowTitle(), QString("模型"));
            QCOMPARE(window.findChild<QDockWidget*>("trainingDock")->windowTitle(),
                     QString("训练"));
            QCOMPARE(window.findChild<QDockWidget*>("runsDock")->windowTitle(),
                     QString("运行记录"));
            QStringList tabs;
            for (int t = 0; t < window.tabs()->count(); ++t)
                tabs << window.tabs()->tabText(t);
            QCOMPARE(tabs, QStringList({"曲线", "预测", "混淆矩阵", "绘制", "日志"}));
            QCOMPARE(window.trainAction()->text(), QString("训练"));
            QCOMPARE(window.stopAction()->text(), QString("停止"));
            // The model summary's headings too, its columns still aligned.
            const QString summary = ModelPanel::localizedSummary(
                " Layer (type)                  Output Shape              Param #\n"
                "Total params: 1,640,394\nNon-trainable params: 0");
            QCOMPARE(summary,
                     QString(" 层（类型）                    输出形状                  参数量\n"
                             "总参数量： 1,640,394\n不可训练参数量： 0"));
            // It trains, plots and says how the run ended, in Chinese.
            QTRY_VERIFY_WITH_TIMEOUT(window.trainAction()->isEnabled(), 10000);
            window.datasetPanel()->setLimit(1000);
            window.trainingPanel()->setEpochs(1);
            window.trainingPanel()->setLogging(false);
            QTemporaryDir runs;
            window.findChild<QLineEdit*>("runsFolder")->setText(runs.path());
            window.datasetPanel()->setLimit(6000); // long enough to be seen training
            window.trainAction()->trigger();
            QTRY_VERIFY_WITH_TIMEOUT(window.curvesPage()->lossPlot()->batchPointCount() >= 20 ||
                                         !window.controller()->isRunning(),
                                     60000);
            uitest::saveScreenshot(window, "window-zh_CN-training");
            QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 120000);
            QVERIFY2(window.message().isEmpty(), qPrintable(window.message()));
            QCOMPARE(window.curvesPage()->lossPlot()->epochPointCount(), 1);
            QVERIFY2(window.logText().contains("已完成。"), qPrintable(window.logText()));
            uitest::saveScreenshot(window, "window-zh_CN");
            window.tabs()->setCurrentWidget(window.drawPage());
            uitest::saveScreenshot(window, "window-zh_CN-draw");
            window.tabs()->setCurrentIndex(0);
            window.findChild<QAction*>("keyboardShortcuts")->trigger();
            auto* keys = window.findChild<HelpDialog*>("keyboardShortcuts");
            QVERIFY(keys && keys->windowTitle() == QString("键盘快捷键"));
            QVERIFY(keys->text().contains("<b>F5</b></td><td>训练</td>"));
            uitest::saveScreenshot(*keys, "dialog-zh_CN");
            keys->close();
            // The Chinese layout fits 1024x700 as well.
            QCoreApplication::processEvents();
            QVERIFY2(fitsSmallScreen(window), qPrintable(minimumSizeText(window)));
            window.resize(1024, 700);
            window.findChild<QDockWidget*>("modelDock")->raise();
            uitest::saveScreenshot(window, "window-zh_CN-1024x700");
        }
        QVERIFY(Language::install(qApp, "en"));
        MainWindow english;
        QCOMPARE(english.trainAction()->text(), QString("Train"));
    }

    void followsTheSystemLanguage()
    {
        // The CTest entry tst_mainwindow_zh_CN runs this with LANG=zh_CN.UTF-8, as a Chinese
        // desktop starts the program.
        if (!qgetenv("LANG").startsWith("zh_CN"))
            QSKIP("run with LANG=zh_CN.UTF-8 by the tst_mainwindow_zh_CN test");
        QCOMPARE(Language::setting(), QString("system"));
        QCOMPARE(Language::resolve(Language::setting()), QString("zh_CN"));
        QVERIFY(Language::install(qApp, Language::resolve(Language::setting())));
        MainWindow window;
        QCOMPARE(window.trainAction()->text(), QString("训练"));
        QVERIFY(Language::install(qApp, "en"));
    }

    void languageMenuKeepsTheChoiceForTheNextStart()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(Language::setting(), QString("system"));
        QVERIFY(window.findChild<QAction*>("language-system")->isChecked());
        // The restart offer: answered "Later" here.
        QTimer::singleShot(0, &window, [] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box && box->objectName() == "languageRestart");
            for (auto* button : box->buttons())
                if (box->buttonRole(button) == QMessageBox::RejectRole)
                    button->click();
        });
        window.findChild<QAction*>("language-zh_CN")->trigger();
        QCOMPARE(Language::setting(), QString("zh_CN"));
        QCOMPARE(Language::resolve(Language::setting()), QString("zh_CN"));
        QVERIFY(window.isVisible()); // "Later": the window stays as it is
        Language::setSetting("system");
        QCOMPARE(Language::resolve("en"), QString("en"));
    }

    void helpShipsAGuideAndListsTheShortcuts()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* guide = window.findChild<QAction*>("userGuide");
        QVERIFY(guide);
        QCOMPARE(guide->shortcut(), QKeySequence(QKeySequence::HelpContents)); // F1
        guide->trigger();
        auto* shown = window.findChild<HelpDialog*>("userGuide");
        QVERIFY(shown && shown->isVisible());
        QVERIFY(shown->text().startsWith("# Trainbench user guide"));
        QVERIFY(shown->text().contains("Confusion matrix"));
        shown->close();
        window.findChild<QAction*>("keyboardShortcuts")->trigger();
        auto* keys = window.findChild<HelpDialog*>("keyboardShortcuts");
        QVERIFY(keys && keys->isVisible());
        // Read from the window itself: the toolbar's actions and the Draw tab's shortcuts.
        QVERIFY2(keys->text().contains("<b>F5</b></td><td>Train</td>"), qPrintable(keys->text()));
        QVERIFY(keys->text().contains("<b>Shift+F5</b></td><td>Stop</td>"));
        QVERIFY(keys->text().contains("<b>Esc</b></td><td>Draw tab: clear the drawing</td>"));
        QVERIFY(keys->text().contains("User guide"));
        uitest::saveScreenshot(*keys, "help-shortcuts");
    }

    void viewMenuReopensClosedDocks()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* runs = window.findChild<QDockWidget*>("runsDock");
        auto* data = window.findChild<QDockWidget*>("dataDock");
        QVERIFY(runs && data);
        runs->close();
        data->close();
        QVERIFY(!runs->isVisible() && !data->isVisible());
        auto* view = window.findChild<QMenu*>("viewMenu");
        QAction* showRuns = nullptr;
        for (auto* action : view->actions())
            if (action->text() == "Runs")
                showRuns = action;
        QVERIFY(showRuns);
        showRuns->trigger();
        QVERIFY(runs->isVisible());
        window.resetLayoutAction()->trigger();
        QVERIFY(data->isVisible());
        QVERIFY(runs->isVisible());
    }

    void settingsComeBackAfterARestart()
    {
        QTemporaryDir runs;
        {
            MainWindow window;
            window.show();
            QTRY_VERIFY_WITH_TIMEOUT(window.trainAction()->isEnabled(), 10000);
            TrainingConfig config;
            window.datasetPanel()->applyTo(config);
            window.trainingPanel()->applyTo(config);
            config.limit = 1234;
            config.batchSize = 64;
            config.validationSplit = 0.1;
            config.dropRemainder = true;
            config.shuffleBuffer = TrainingConfig::kFullShuffle;
            config.optimizer.type = OptimizerType::Sgd;
            config.optimizer.learningRate = 0.05;
            config.optimizer.momentum = 0.9;
            config.schedule.type = ScheduleType::Cosine;
            config.epochs = 3;
            config.seed = 7;
            config.earlyStoppingPatience = 2;
            config.modelName = "lenet5";
            window.datasetPanel()->loadFrom(config);
            window.trainingPanel()->loadFrom(config);
            window.modelPanel()->loadFrom(config);
            window.trainingPanel()->setWorkers(3);
            window.trainingPanel()->setLogging(false);
            window.findChild<QLineEdit*>("runsFolder")->setText(runs.path());
            QVERIFY(window.close());
        }
        MainWindow restored;
        TrainingConfig config;
        restored.datasetPanel()->applyTo(config);
        restored.trainingPanel()->applyTo(config);
        QCOMPARE(restored.trainingPanel()->workers(), 3);
        QCOMPARE(config.limit, int64_t(1234));
        QCOMPARE(config.batchSize, 64);
        QCOMPARE(config.validationSplit, 0.1);
        QVERIFY(config.dropRemainder);
        QCOMPARE(config.shuffleBuffer, TrainingConfig::kFullShuffle);
        QVERIFY(config.optimizer.type == OptimizerType::Sgd);
        QCOMPARE(config.optimizer.learningRate, 0.05);
        QCOMPARE(config.optimizer.momentum, 0.9);
        QVERIFY(config.schedule.type == ScheduleType::Cosine);
        QCOMPARE(config.epochs, 3);
        QCOMPARE(config.seed, uint64_t(7));
        QCOMPARE(config.earlyStoppingPatience, 2);
        QCOMPARE(restored.modelPanel()->modelName(), QString("lenet5"));
        QCOMPARE(restored.trainingPanel()->runsFolder(), runs.path());
        QVERIFY(restored.trainingPanel()->logDir().isEmpty()); // TensorBoard logging stayed off
        QSettings().clear(); // the other tests start from the defaults
    }

    void trainsOneEpochAndShowsTheResults()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.windowTitle().contains("Trainbench"));
        QTRY_VERIFY_WITH_TIMEOUT(window.trainAction()->isEnabled(), 10000); // MNIST loaded
        window.datasetPanel()->setLimit(1000);
        window.trainingPanel()->setEpochs(1);
        window.trainingPanel()->setLogging(false);
        QTemporaryDir runsParent;
        const QTemporaryDir& runs = runsParent; // (name kept for the checks below)
        const QString runsFolder = runsParent.filePath("fresh/runs"); // not there yet
        window.findChild<QLineEdit*>("runsFolder")->setText(runsFolder);

        window.trainAction()->trigger();
        QVERIFY(window.controller()->isRunning());
        QVERIFY(!window.trainAction()->isEnabled());
        QVERIFY(window.stopAction()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 120000);
        QVERIFY2(window.message().isEmpty(), qPrintable(window.message()));

        // Curves: 1000 / 32 = 32 per-batch points and one epoch point per series.
        QCOMPARE(window.curvesPage()->lossPlot()->batchPointCount(), 32);
        QCOMPARE(window.curvesPage()->accuracyPlot()->batchPointCount(), 32);
        QCOMPARE(window.curvesPage()->lossPlot()->epochPointCount(), 1);
        QCOMPARE(window.curvesPage()->bestEpoch(), 1);
        // The learning rate each reported step used.
        auto* rate = window.curvesPage()->learningRatePlot()->graph(0);
        QVERIFY(rate->dataCount() >= 3);
        QCOMPARE(rate->data()->constBegin()->value, 0.001);
        // Predictions grid and confusion matrix over the whole test set.
        QVERIFY(window.predictionsPage()->shownCount() > 0);
        QCOMPARE(window.predictionsPage()->matchingCount(), 10000);
        QCOMPARE(window.confusionPage()->matrix()->total(), 10000);
        // Every one of the 10,000 answers can be browsed: scrolled to the end, the last grid
        // row is test image 9999 and has its thumbnail, made only now.
        QCOMPARE(window.predictionsPage()->shownCount(), 10000);
        window.tabs()->setCurrentWidget(window.predictionsPage());
        auto* grid = window.predictionsPage()->grid();
        const QModelIndex lastRow = grid->model()->index(9999, 0);
        // (The grid lays its items out in batches, while the event loop runs.)
        QTRY_VERIFY_WITH_TIMEOUT((grid->scrollTo(lastRow),
                                  grid->viewport()->rect().intersects(grid->visualRect(lastRow))),
                                 10000);
        QCOMPARE(window.predictionsPage()->testIndexAt(9999), 9999);
        QVERIFY(lastRow.data(Qt::ToolTipRole).toString().startsWith("test image 9999: true "));
        QVERIFY(!lastRow.data(Qt::DecorationRole).value<QPixmap>().isNull());
        window.tabs()->setCurrentIndex(0);
        QCOMPARE(window.confusionPage()->classAccuracy().size(), 10);
        QVERIFY(window.logText().contains(
            QRegularExpression("Epoch 1, Loss: \\d\\.\\d{4}, Accuracy: ")));
        QVERIFY(window.trainAction()->isEnabled());
        // The run is kept in the runs folder, as the CLI keeps its runs (no TensorBoard files
        // when logging is off).
        const QStringList kept = QDir(runsFolder).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(kept.size(), 1);
        const QString folder = runsFolder + "/" + kept.front();
        // The Runs list shows it, though its folder did not exist when the window opened.
        QTRY_COMPARE_WITH_TIMEOUT(window.runsPanel()->model()->rowCount(), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(
            window.runsPanel()->model()->index(0, RunsTableModel::Status).data().toString(),
            QString("finished"), 5000);
        QFile record(folder + "/run.json");
        QVERIFY(record.open(QIODevice::ReadOnly));
        const QJsonObject run = QJsonDocument::fromJson(record.readAll()).object();
        QCOMPARE(run.value("status").toString(), QString("finished"));
        QCOMPARE(run.value("epochs").toArray().size(), 1);
        QVERIFY(QFile::exists(folder + "/last.ckpt") && QFile::exists(folder + "/best.ckpt"));
        QVERIFY(!QDir(folder + "/train").exists());
        // The Draw tab gets a copy of the model, made on the training thread after the run.
        QTRY_VERIFY_WITH_TIMEOUT(window.drawPage()->status().contains("just trained"), 5000);

        // Clicking a confusion cell filters the predictions to it.
        auto* matrix = window.confusionPage()->matrix();
        window.tabs()->setCurrentWidget(window.confusionPage());
        QTest::mouseClick(matrix, Qt::LeftButton, {}, matrix->cellCentre(7, 7));
        QCOMPARE(window.tabs()->currentWidget(), window.predictionsPage());
        QVERIFY(window.predictionsPage()->matchingCount() > 800); // correctly classified 7s
        QVERIFY(window.predictionsPage()->matchingCount() < 1028);
        QVERIFY(window.predictionsPage()->filterActive());
        QVERIFY(window.predictionsPage()->findChild<QPushButton*>("showAll")->isEnabled());

        // Export writes exactly the file chosen: both plots, both series.
        QTemporaryDir exports;
        const QString csv = exports.filePath("my curves.csv");
        QVERIFY(window.curvesPage()->exportTo("CSV", csv));
        QFile table(csv);
        QVERIFY(table.open(QIODevice::ReadOnly));
        const QStringList rows = QString::fromUtf8(table.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(rows.front(), QString("plot,series,epoch,value"));
        QVERIFY(rows.filter(QRegularExpression("^loss,")).size() > 32);
        QVERIFY(rows.filter(QRegularExpression("^accuracy,\"test \\(epoch\\)\",1,")).size() == 1);
        QVERIFY(window.curvesPage()->exportTo("PNG", exports.filePath("both.png")));
        const QImage image(exports.filePath("both.png"));
        QVERIFY(!image.isNull() &&
                image.height() > image.width() / 2); // two plots, one above the other
        QVERIFY(window.curvesPage()->exportTo("PDF", exports.filePath("both.pdf")));
        QFile pdf(exports.filePath("both.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly) && pdf.read(4) == "%PDF");
        QCOMPARE(QDir(exports.path()).entryList(QDir::Files).size(), 3); // nothing else written

        // A second run: until its first epoch ends, the pages say they show the previous run.
        QVERIFY(!window.predictionsPage()->isStale());
        window.trainAction()->trigger();
        window.pauseAction()->setChecked(true);
        QTRY_VERIFY_WITH_TIMEOUT(
            window.predictionsPage()->isStale() && window.confusionPage()->isStale(), 10000);
        QVERIFY2(window.drawPage()->status().contains("previous run"),
                 qPrintable(window.drawPage()->status()));
        QVERIFY(!window.predictionsPage()->filterActive()); // the last run's cell filter is gone
        window.pauseAction()->setChecked(false);
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 120000);
        QVERIFY(!window.predictionsPage()->isStale() && !window.confusionPage()->isStale());
        QTRY_VERIFY_WITH_TIMEOUT(!window.drawPage()->status().contains("previous run"), 5000);

        // Every tab filled, the window still fits a 1024x700 screen.
        for (int t = 0; t < window.tabs()->count(); ++t) {
            window.tabs()->setCurrentIndex(t);
            QCoreApplication::processEvents();
        }
        QVERIFY2(fitsSmallScreen(window), qPrintable(minimumSizeText(window)));
        window.resize(1024, 700);
        QTRY_COMPARE_WITH_TIMEOUT(window.size(), QSize(1024, 700), 5000);
        window.tabs()->setCurrentIndex(0);
        uitest::saveScreenshot(window, "window-1024x700");
        window.tabs()->setCurrentWidget(window.predictionsPage());
        uitest::saveScreenshot(window, "window-1024x700-predictions");
        window.resize(1600, 1000);
        window.tabs()->setCurrentIndex(0);
        uitest::saveScreenshot(window, "window-after-one-epoch");
        window.tabs()->setCurrentWidget(window.confusionPage());
        uitest::saveScreenshot(window, "window-confusion");
        window.tabs()->setCurrentWidget(window.predictionsPage());
        uitest::saveScreenshot(window, "window-predictions");
    }

    void trainsAColourFolderAndClassifiesWithClassNames()
    {
        QTemporaryDir dir;
        const QString shapes = writeShapes(dir, 40);
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.trainAction()->isEnabled(), 10000); // MNIST loaded
        DatasetPanel* data = window.datasetPanel();
        data->setFolder(shapes);
        QTRY_VERIFY_WITH_TIMEOUT(data->dataset() && data->dataset()->classes == 3, 20000);
        auto* status = data->findChild<QLabel*>("datasetStatus");
        QVERIFY2(status->text().contains("image folder") && status->text().contains("colour"),
                 qPrintable(status->text()));
        QVERIFY(data->findChild<QWidget*>("imageOptions")->isVisible());
        // The file that is no image is counted, and listed on demand.
        auto* skipped = data->findChild<QToolButton*>("skippedFiles");
        QVERIFY(skipped->isVisible());
        QVERIFY2(skipped->text().startsWith("1 file"), qPrintable(skipped->text()));
        skipped->setChecked(true);
        auto* list = data->findChild<QListWidget*>("skippedList");
        QVERIFY(list->isVisible());
        QVERIFY(list->item(0)->text().contains("notes.txt"));
        // Augmentation shows what it does to the first images.
        auto* augmented = data->findChild<QListWidget*>("augmentPreview");
        QVERIFY(!augmented->isVisible());
        data->findChild<QSpinBox*>("augmentShift")->setValue(2);
        QVERIFY(augmented->isVisible());
        QCOMPARE(augmented->count(), 16);
        // Previews in colour, under their class names.
        auto* preview = data->findChild<QListWidget*>("datasetPreview");
        QVERIFY(preview->count() > 0);
        const QImage icon = preview->item(0)->icon().pixmap(42, 42).toImage();
        bool colour = false;
        for (int y = 0; y < icon.height() && !colour; ++y)
            for (int x = 0; x < icon.width() && !colour; ++x) {
                const QColor c = icon.pixelColor(x, y);
                colour = std::abs(c.red() - c.green()) > 60 || std::abs(c.blue() - c.green()) > 60;
            }
        QVERIFY(colour);
        QVERIFY(QStringList({"red square", "green disc", "blue bar"})
                    .contains(preview->item(0)->text()));
        // The model's head follows the three classes.
        QTRY_VERIFY(window.trainAction()->isEnabled());
        QCOMPARE(int(window.modelPanel()->layers().back().units), 3);
        uitest::saveScreenshot(window, "window-colour-folder");

        window.trainingPanel()->setEpochs(4);
        window.trainingPanel()->setLogging(false);
        window.trainAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 120000);
        QVERIFY2(window.message().isEmpty(), qPrintable(window.message()));
        QCOMPARE(window.confusionPage()->classAccuracy().size(), 3);
        QCOMPARE(window.confusionPage()->matrix()->total(), int64_t(data->dataset()->test.count));
        // Class names, never bare indices.
        auto* grid = window.predictionsPage()->grid();
        QVERIFY(grid->model()->rowCount() > 0);
        const QString first = grid->model()->index(0, 0).data().toString();
        QVERIFY2(QRegularExpression("square|disc|bar").match(first).hasMatch(), qPrintable(first));
        // Not digits: the Draw tab classifies image files instead.
        QTRY_VERIFY_WITH_TIMEOUT(window.drawPage()->classifying(), 5000);
        QCOMPARE(window.tabs()->tabText(window.tabs()->indexOf(window.drawPage())),
                 QString("Classify"));
        ClassifyPanel* classify = window.drawPage()->classifyPanel();
        QVERIFY(classify->addFile(shapes + "/red square/1.png"));
        QVERIFY(!classify->addFile(shapes + "/blue bar/notes.txt"));
        QVERIFY(classify->problem().contains("notes.txt"));
        QCOMPARE(classify->count(), 1);
        QVERIFY2(QRegularExpression("^1.png: (red square|green disc|blue bar) · \\d+\\.\\d%$")
                     .match(classify->rowText(0))
                     .hasMatch(),
                 qPrintable(classify->rowText(0)));
        QVERIFY(window.drawPage()->answer().has_value());
        window.tabs()->setCurrentWidget(window.drawPage());
        uitest::saveScreenshot(window, "window-classify");
        window.tabs()->setCurrentWidget(window.predictionsPage());
        uitest::saveScreenshot(window, "window-colour-predictions");
        QSettings().clear(); // the other tests start from the defaults
    }

    void trainsWithTwoWorkerProcesses()
    {
        // Workers = 2: the window starts trainbench-cli --nproc 2 and follows rank 0.
        qputenv("TRAINBENCH_CLI", TRAINBENCH_CLI_PATH);
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.trainAction()->isEnabled(), 10000);
        window.datasetPanel()->setLimit(2000);
        window.trainingPanel()->setEpochs(2);
        window.trainingPanel()->setLogging(false);
        window.trainingPanel()->setWorkers(2);
        QTemporaryDir runs;
        window.findChild<QLineEdit*>("runsFolder")->setText(runs.path());

        window.trainAction()->trigger();
        QVERIFY2(window.controller()->isRunning(), qPrintable(window.message()));
        QVERIFY(!window.pauseAction()->isEnabled()); // worker processes cannot pause
        QVERIFY(window.stopAction()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 120000);
        QVERIFY2(window.message().isEmpty(), qPrintable(window.message()));
        QCOMPARE(window.curvesPage()->lossPlot()->epochPointCount(), 2);
        QVERIFY(window.curvesPage()->lossPlot()->batchPointCount() >= 16);
        QVERIFY2(window.logText().contains("2 worker processes (gloo), batch 32 each, global "
                                           "batch 64"),
                 qPrintable(window.logText()));
        QVERIFY(window.logText().contains(QRegularExpression("Epoch 2, Loss: \\d\\.\\d{4}")));
        const QStringList kept = QDir(runs.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(kept.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(
            window.runsPanel()->model()->index(0, RunsTableModel::Status).data().toString(),
            QString("finished"), 5000);
        // The Draw tab classifies with the workers' model, loaded from the run's checkpoint.
        QTRY_VERIFY_WITH_TIMEOUT(window.drawPage()->status().contains("2 epochs, test accuracy"),
                                 5000);
        uitest::saveScreenshot(window, "window-two-workers");

        // Stop stops them all, after the same batch.
        window.trainingPanel()->setEpochs(50);
        window.datasetPanel()->setLimit(0);
        window.trainAction()->trigger();
        QVERIFY(window.controller()->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(window.logText().count("global batch 64;") == 2, 60000);
        QTest::qWait(1000);
        window.stopAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 60000);
        const auto statuses = [&] {
            QStringList all;
            auto* model = window.runsPanel()->model();
            for (int row = 0; row < model->rowCount(); ++row)
                all << model->index(row, RunsTableModel::Status).data().toString();
            all.sort();
            return all;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(statuses() == QStringList({"finished", "stopped"}),
                                  qPrintable(window.logText() + statuses().join(",")), 5000);
        QVERIFY2(window.message().isEmpty(), qPrintable(window.message()));
        qunsetenv("TRAINBENCH_CLI");
    }

    void stopsMidEpochWithinASecond()
    {
        MainWindow window;
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.trainAction()->isEnabled(), 10000);
        window.trainingPanel()->setLogging(false);
        QTest::keyClick(&window, Qt::Key_F5); // the shortcut starts a full run
        QVERIFY(window.controller()->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(window.curvesPage()->lossPlot()->batchPointCount() >= 20, 30000);
        QElapsedTimer timer;
        timer.start();
        window.stopAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 1000);
        QVERIFY(timer.elapsed() < 1000);
        QVERIFY(window.logText().contains("Stopped."));
        QCOMPARE(window.curvesPage()->lossPlot()->epochPointCount(), 0);
        QVERIFY(window.trainAction()->isEnabled());
    }

    void pausesAndResumes()
    {
        MainWindow window;
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.trainAction()->isEnabled(), 10000);
        window.trainingPanel()->setLogging(false);
        window.datasetPanel()->setLimit(3200);
        window.trainingPanel()->setEpochs(1);
        window.trainAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.curvesPage()->lossPlot()->batchPointCount() >= 10, 30000);
        window.pauseAction()->setChecked(true);
        QVERIFY2(window.statusText().startsWith("Paused at epoch 1, batch "),
                 qPrintable(window.statusText()));
        QTest::qWait(300); // reports already queued may still arrive
        QVERIFY2(window.statusText().startsWith("Paused at epoch 1, batch "),
                 qPrintable(window.statusText()));
        const int points = window.curvesPage()->lossPlot()->batchPointCount();
        QTest::qWait(500);
        QCOMPARE(window.curvesPage()->lossPlot()->batchPointCount(),
                 points); // nothing trains while paused
        window.pauseAction()->setChecked(false);
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 60000);
        QCOMPARE(window.curvesPage()->lossPlot()->batchPointCount(), 100);
        // How it ended: final and best test accuracy and the time taken.
        QVERIFY2(window.statusText().contains(QRegularExpression(
                     "^Finished after 1 epoch: test accuracy \\d+\\.\\d\\d% \\(best "
                     "\\d+\\.\\d\\d%, epoch 1\\) in \\d+:\\d\\d$")),
                 qPrintable(window.statusText()));
    }

    void closingDuringARunAsksThenStopsCleanly()
    {
        MainWindow window;
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.trainAction()->isEnabled(), 10000);
        window.trainingPanel()->setLogging(false);
        window.trainAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.curvesPage()->lossPlot()->batchPointCount() >= 10, 30000);
        bool asked = false;
        QTimer::singleShot(100, &window, [&asked] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (box) {
                asked = true;
                box->button(QMessageBox::Yes)->click();
            }
        });
        window.close();
        QVERIFY(asked);
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 2000);
        QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 2000); // closed once the run had stopped
        QVERIFY(window.logText().contains("Stopped."));
    }

    void impossibleStackDisablesTrainWithItsReason()
    {
        MainWindow window;
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.trainAction()->isEnabled(), 10000);
        window.modelPanel()->setLayers({LayerSpec::conv2d(8, 3), LayerSpec::dense(10)});
        QVERIFY(!window.trainAction()->isEnabled());
        QVERIFY2(window.trainAction()->toolTip().contains("add a Flatten layer"),
                 qPrintable(window.trainAction()->toolTip()));
        auto* reason = window.findChild<QLabel*>("modelReason");
        QVERIFY(reason && reason->isVisible());
        QVERIFY(reason->text().contains("layer 2"));
        uitest::saveScreenshot(window, "window-impossible-model");
        window.modelPanel()->setLayers({LayerSpec::flatten(), LayerSpec::dense(10)});
        QVERIFY(window.trainAction()->isEnabled());
    }

    void aMissingDataFolderSaysWhatToDo()
    {
        // First run: MNIST is not where the window looks for it, and no folder was kept.
        QSettings().clear();
        qputenv("TRAINBENCH_DATA_DIR", "/nonexistent/mnist");
        MainWindow window;
        window.show();
        qputenv("TRAINBENCH_DATA_DIR", kData.toUtf8());
        QTRY_VERIFY_WITH_TIMEOUT(!window.datasetPanel()->problem().startsWith("Loading"), 10000);
        QVERIFY(!window.trainAction()->isEnabled());
        QVERIFY(window.datasetPanel()->problem().contains("/nonexistent/mnist"));
        QVERIFY(window.trainAction()->toolTip().contains("no dataset"));
        // First run: the panel offers to import or download MNIST instead of an error dialog.
        auto* download = window.findChild<QPushButton*>("downloadMnist");
        QVERIFY(download && download->isVisible());
        uitest::saveScreenshot(window, "window-no-dataset");
    }

    void anUnwritableRunsFolderIsReportedInTheWindow()
    {
        MainWindow window;
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.trainAction()->isEnabled(), 10000);
        window.datasetPanel()->setLimit(100);
        window.trainingPanel()->setEpochs(1);
        window.trainingPanel()->setLogging(true);
        // A folder below a regular file cannot be created on any system.
        QTemporaryDir dir;
        QFile blocker(dir.filePath("file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const QString runs = dir.filePath("file/runs");
        window.findChild<QLineEdit*>("runsFolder")->setText(runs);
        window.trainAction()->trigger();
        QVERIFY(!window.controller()->isRunning());
        QVERIFY2(window.message().contains(QDir::toNativeSeparators(runs)) ||
                     window.message().contains(runs),
                 qPrintable(window.message()));
        QVERIFY(window.trainAction()->isEnabled()); // still usable
    }

private:
    QTemporaryDir m_testRuns;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
