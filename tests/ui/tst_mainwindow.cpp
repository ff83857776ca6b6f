#include "mainwindow.h"

#include <QtTest>

class TestMainWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsTitledWindow()
    {
        trainbench::ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.windowTitle().contains("Trainbench"));
        QVERIFY(!window.grab().isNull());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
