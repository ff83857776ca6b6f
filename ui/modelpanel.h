#pragma once

#include "trainbench/model/layerspec.h"
#include "trainbench/train/trainingconfig.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QFontMetrics;
class QLabel;
class QPlainTextEdit;
class QTableWidget;

class QSettings;

namespace trainbench::ui {

/// Picks a preset or edits the layer stack row by row; shows the live Keras-style summary and
/// flags an impossible stack on its row, with the reason.
class ModelPanel : public QWidget
{
    Q_OBJECT

public:
    /// `summary` (core's Keras-style text) with its headings in the window's language, the
    /// column headings padded to keep the columns aligned in `metrics`' font (or counting wide
    /// characters as two columns).
    static QString localizedSummary(const QString& summary, const QFontMetrics* metrics = nullptr);

    explicit ModelPanel(QWidget* parent = nullptr);

    /// The stack as edited.
    std::vector<LayerSpec> layers() const;
    /// Preset name, or "custom" once the table was edited.
    QString modelName() const;
    /// Shows `config`'s model: its preset, or its own layer stack as "custom".
    void loadFrom(const TrainingConfig& config);
    /// Keeps the preset name and the layer stack in `settings`.
    void saveSettings(QSettings& settings) const;
    /// Shows what saveSettings() kept; a damaged stack leaves the current one.
    void restoreSettings(QSettings& settings);
    /// Replaces the table with `layers`.
    void setLayers(const std::vector<LayerSpec>& layers);
    /// Shape the model gets: channels, rows, cols, and its number of classes.
    void setInput(int channels, int rows, int cols, int classes);
    /// True when the stack fits its input.
    bool isValid() const { return m_reason.isEmpty(); }
    /// Why the stack is impossible; empty when valid.
    QString reason() const { return m_reason; }
    /// The layer table (tests edit it).
    QTableWidget* table() const { return m_table; }

Q_SIGNALS:
    /// The stack changed; `reason` is empty when it is valid.
    void validityChanged(bool valid, const QString& reason);

private:
    void addRow(int row, const LayerSpec& spec);
    void moveRow(int delta);
    void refresh();
    LayerSpec rowSpec(int row) const;

    QComboBox* m_preset = nullptr;
    QTableWidget* m_table = nullptr;
    QPlainTextEdit* m_summary = nullptr;
    QLabel* m_reasonLabel = nullptr;
    QString m_reason;
    std::vector<int64_t> m_input = {1, 28, 28};
    int m_classes = 10;
    bool m_loading = false;
};

} // namespace trainbench::ui
