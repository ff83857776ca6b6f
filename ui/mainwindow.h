#pragma once

#include <QMainWindow>

class QLabel;

namespace trainbench::ui {

/// Trainbench's main window.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

private:
    QLabel* m_welcome = nullptr;
};

} // namespace trainbench::ui
