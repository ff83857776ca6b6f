#pragma once

// Shared by the window's tests: settings and runs kept apart from the user's, and screenshots.

#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

namespace uitest {

/// Settings in Qt's test location, cleared, under `application`; runs in `runs` (ctest sets a
/// runs folder too; this also covers a test binary started by hand).
inline void isolate(const QString& application, const QTemporaryDir& runs)
{
    QStandardPaths::setTestModeEnabled(true);
    qputenv("TRAINBENCH_RUNS_DIR", runs.path().toUtf8());
    QCoreApplication::setOrganizationName("TrainbenchTests");
    QCoreApplication::setApplicationName(application);
    QSettings().clear();
}

/// Saves `widget` as <$TRAINBENCH_SCREENSHOTS>/<name>.png when that variable is set.
inline void saveScreenshot(QWidget& widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("TRAINBENCH_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QTest::qWait(400); // pending repaints (the curves repaint at most 4 times a second)
    widget.grab().save(dir + "/" + name + ".png");
}

} // namespace uitest
