#include "language.h"
#include "mainwindow.h"

#include "trainbench/common/buildinfo.h"
#include "trainbench/platform/processsetup.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

TRAINBENCH_RESTART_EARLY_IF(true)

int main(int argc, char** argv)
{
    trainbench::ProcessSetup::initialize(argv);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Trainbench"));
    QApplication::setOrganizationName(QStringLiteral("Trainbench"));
    QApplication::setApplicationVersion(QString::fromStdString(trainbench::BuildInfo::version()));
    QApplication::setDesktopFileName(QStringLiteral("org.trainbench.Trainbench"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/trainbench.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Build, train, track and try image classifiers."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    // The language the settings (View → Language) or the system locale asks for.
    using trainbench::ui::Language;
    Language::install(&app, Language::resolve(Language::setting()));

    trainbench::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
