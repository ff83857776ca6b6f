#include "mainwindow.h"

#include "trainbench/buildinfo.h"
#include "trainbench/modelpresets.h"
#include "trainbench/modelsummary.h"

#include <QFont>
#include <QFontDatabase>
#include <QLabel>
#include <QStatusBar>
#include <QVBoxLayout>

namespace trainbench::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("Trainbench"));
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    m_welcome = new QLabel(central);
    const auto summary = ModelSummary::analyze(ModelPresets::layers("seed-cnn"), {1, 28, 28}, 10);
    m_welcome->setText(QString::fromStdString(summary.format("seed-cnn")));
    m_welcome->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_welcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_welcome);
    setCentralWidget(central);
    statusBar()->showMessage(tr("Trainbench %1 — libtorch %2")
                                 .arg(QString::fromStdString(BuildInfo::version()),
                                      QString::fromStdString(BuildInfo::torchVersion())));
    resize(800, 560);
}

} // namespace trainbench::ui
