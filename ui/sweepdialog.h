#pragma once

#include "trainbench/train/sweepgrid.h"
#include "trainbench/train/trainingconfig.h"

#include <QDialog>
#include <QMap>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace trainbench::ui {

/// Asks for a grid of settings (comma-separated values per setting, the docks' values
/// prefilled) and says how many runs it makes, or what is wrong, before anything trains.
class SweepDialog : public QDialog
{
    Q_OBJECT

public:
    /// `base`: the docks' settings, which every run starts from.
    explicit SweepDialog(const TrainingConfig& base, QWidget* parent = nullptr);

    /// The runs of the grid as entered (empty while it is invalid).
    std::vector<SweepGrid::Point> points() const { return m_points; }
    /// The field of grid key `key` ("lr", "batch-size", ...).
    QLineEdit* field(const QString& key) const { return m_fields.value(key); }
    /// What the dialog says about the grid: the run count or the problem.
    QString summary() const;

private:
    void update();

    TrainingConfig m_base;
    QMap<QString, QLineEdit*> m_fields;
    QStringList m_keys; ///< In the order shown.
    QLabel* m_summary = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    std::vector<SweepGrid::Point> m_points;
};

} // namespace trainbench::ui
