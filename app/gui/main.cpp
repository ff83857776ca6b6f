#include "mainwindow.h"

#include "trainbench/buildinfo.h"

#include <QApplication>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Trainbench"));
    QApplication::setOrganizationName(QStringLiteral("Trainbench"));
    QApplication::setApplicationVersion(QString::fromStdString(trainbench::BuildInfo::version()));
    trainbench::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
