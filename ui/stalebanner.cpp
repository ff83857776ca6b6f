#include "stalebanner.h"

namespace trainbench::ui {

StaleBanner::StaleBanner(QWidget* parent) : QLabel(parent)
{
    setObjectName("staleBanner");
    setText(tr("From the previous run: this run's results appear when its first epoch ends."));
    setWordWrap(true);
    setStyleSheet(
        QStringLiteral("background: #fff4ce; color: #5c4400; padding: 4px; border-radius: 3px"));
    hide();
}

} // namespace trainbench::ui
