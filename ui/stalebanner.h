#pragma once

#include <QLabel>

namespace trainbench::ui {

/// A strip over a view that shows a finished run's results while a new run has not yet produced
/// its own: it says so, so nobody reads the old numbers as the new run's.
class StaleBanner : public QLabel
{
    Q_OBJECT

public:
    explicit StaleBanner(QWidget* parent = nullptr);
};

} // namespace trainbench::ui
