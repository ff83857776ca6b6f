#include "modelpanel.h"

#include "trainbench/common/error.h"

#include "trainbench/train/configjson.h"

#include "trainbench/model/modelpresets.h"
#include "trainbench/model/modelsummary.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace trainbench::ui {

namespace {

enum Column { Type, Size, Rate, Kernel, Stride, Pad, Act, ColumnCount };

/// Whether column `column` means anything for a layer of type `type` (the others stay empty).
bool applies(LayerType type, int column)
{
    switch (type) {
    case LayerType::Conv2D:
        return column == Size || column == Kernel || column == Stride || column == Pad ||
               column == Act;
    case LayerType::MaxPool:
        return column == Kernel || column == Stride || column == Pad;
    case LayerType::Dense:
        return column == Size || column == Act;
    case LayerType::Dropout:
        return column == Rate;
    case LayerType::Flatten:
    case LayerType::BatchNorm:
        return false;
    }
    return false;
}

const std::vector<LayerType> kTypes = {LayerType::Conv2D, LayerType::MaxPool, LayerType::Flatten,
                                       LayerType::Dense,  LayerType::Dropout, LayerType::BatchNorm};

/// A table cell holding `field`: the view shows and hides cell widgets itself, so a field that
/// does not apply is hidden inside its cell instead.
QWidget* cell(QWidget* field)
{
    auto* holder = new QWidget;
    auto* layout = new QHBoxLayout(holder);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(field);
    return holder;
}

/// The field inside `holder` (see cell()).
template <typename T> T* fieldIn(QWidget* holder)
{
    return holder ? holder->findChild<T*>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
}

/// Columns `text` takes in a monospaced font: East Asian wide characters take two.
int displayWidth(const QString& text)
{
    int width = 0;
    for (const QChar c : text)
        width += c.unicode() >= 0x2E80 && c.unicode() < 0xFF61 ? 2 : 1;
    return width;
}

QSpinBox* spin(int min, int max, int value)
{
    auto* box = new QSpinBox;
    box->setRange(min, max);
    box->setValue(value);
    box->setFrame(false);
    return box;
}

} // namespace

ModelPanel::ModelPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* presetRow = new QHBoxLayout;
    m_preset = new QComboBox(this);
    for (const auto& name : ModelPresets::names())
        m_preset->addItem(QString::fromStdString(name), QString::fromStdString(name));
    // Shown in the window's language, recorded as "custom" (run records, the CLI, comparisons).
    m_preset->addItem(tr("custom"), QStringLiteral("custom"));
    m_preset->setToolTip(tr("Start from a ready-made model; edit the table to make your own"));
    presetRow->addWidget(new QLabel(tr("Preset"), this));
    presetRow->addWidget(m_preset, 1);
    layout->addLayout(presetRow);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName("layerTable");
    m_table->setHorizontalHeaderLabels({tr("Layer"), tr("Filters/units"), tr("Rate"),
                                        tr("Kernel/pool"), tr("Stride"), tr("Padding"),
                                        tr("Activation")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    layout->addWidget(m_table, 2);

    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add"), this);
    auto* remove = new QPushButton(tr("Remove"), this);
    auto* up = new QPushButton(tr("Up"), this);
    auto* down = new QPushButton(tr("Down"), this);
    for (auto* b : {add, remove, up, down})
        buttons->addWidget(b);
    buttons->addStretch();
    layout->addLayout(buttons);

    m_reasonLabel = new QLabel(this);
    m_reasonLabel->setObjectName("modelReason");
    m_reasonLabel->setWordWrap(true);
    m_reasonLabel->setStyleSheet(QStringLiteral("color: #b3261e"));
    layout->addWidget(m_reasonLabel);

    m_summary = new QPlainTextEdit(this);
    m_summary->setReadOnly(true);
    m_summary->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_summary->setLineWrapMode(QPlainTextEdit::NoWrap);
    layout->addWidget(m_summary, 3);

    connect(m_preset, &QComboBox::currentTextChanged, this, [this](const QString& name) {
        if (ModelPresets::contains(name.toStdString()))
            setLayers(ModelPresets::layers(name.toStdString(), m_classes));
    });
    connect(add, &QPushButton::clicked, this, [this] {
        const int row =
            m_table->currentRow() >= 0 ? m_table->currentRow() + 1 : m_table->rowCount();
        addRow(row, LayerSpec::dense(64, Activation::ReLU));
        refresh();
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0) {
            m_table->removeRow(m_table->currentRow());
            refresh();
        }
    });
    connect(up, &QPushButton::clicked, this, [this] { moveRow(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveRow(+1); });
    setLayers(ModelPresets::layers("seed-cnn"));
}

void ModelPanel::addRow(int row, const LayerSpec& spec)
{
    m_table->insertRow(row);
    auto* type = new QComboBox;
    for (auto t : kTypes)
        type->addItem(QString::fromStdString(toString(t)));
    type->setCurrentIndex(int(std::find(kTypes.begin(), kTypes.end(), spec.type) - kTypes.begin()));
    type->setFrame(false);
    const int size = spec.type == LayerType::Conv2D ? spec.filters : spec.units;
    auto* sizeBox = spin(0, 100000, size);
    auto* kernel = spin(1, 1024, spec.kernel);
    auto* stride = spin(0, 1024, spec.stride);
    auto* padding = new QComboBox;
    padding->addItems({"valid", "same"});
    padding->setCurrentIndex(spec.padding == Padding::Same ? 1 : 0);
    padding->setFrame(false);
    auto* activation = new QComboBox;
    activation->addItems({"none", "relu", "tanh", "sigmoid"});
    activation->setCurrentText(QString::fromStdString(toString(spec.activation)));
    activation->setFrame(false);
    auto* rate = new QDoubleSpinBox;
    rate->setRange(0.0, 1.0);
    rate->setSingleStep(0.05);
    rate->setValue(spec.rate);
    rate->setFrame(false);
    m_table->setCellWidget(row, Type, type);
    m_table->setCellWidget(row, Size, cell(sizeBox));
    m_table->setCellWidget(row, Kernel, cell(kernel));
    m_table->setCellWidget(row, Stride, cell(stride));
    m_table->setCellWidget(row, Pad, cell(padding));
    m_table->setCellWidget(row, Act, cell(activation));
    m_table->setCellWidget(row, Rate, cell(rate));
    // Only the fields a layer of this type has are shown.
    auto showApplicable = [this, type] {
        for (int row = 0; row < m_table->rowCount(); ++row) {
            if (m_table->cellWidget(row, Type) != type)
                continue;
            const LayerType t = kTypes[size_t(type->currentIndex())];
            for (int column = Size; column < ColumnCount; ++column)
                fieldIn<QWidget>(m_table->cellWidget(row, column))->setVisible(applies(t, column));
        }
    };
    showApplicable();
    connect(type, &QComboBox::currentIndexChanged, this, showApplicable);
    // A layer turned into a Conv2D or Dense gets a usable size, not the 0 of a Flatten.
    connect(type, &QComboBox::currentIndexChanged, sizeBox, [sizeBox](int index) {
        const LayerType t = kTypes[size_t(index)];
        if (sizeBox->value() == 0 && (t == LayerType::Conv2D || t == LayerType::Dense))
            sizeBox->setValue(t == LayerType::Conv2D ? 32 : 64);
    });
    auto changed = [this] {
        if (m_loading)
            return;
        m_preset->blockSignals(true);
        m_preset->setCurrentText(tr("custom"));
        m_preset->blockSignals(false);
        refresh();
    };
    connect(type, &QComboBox::currentIndexChanged, this, changed);
    connect(padding, &QComboBox::currentIndexChanged, this, changed);
    connect(activation, &QComboBox::currentIndexChanged, this, changed);
    connect(sizeBox, &QSpinBox::valueChanged, this, changed);
    connect(kernel, &QSpinBox::valueChanged, this, changed);
    connect(stride, &QSpinBox::valueChanged, this, changed);
    connect(rate, &QDoubleSpinBox::valueChanged, this, changed);
}

LayerSpec ModelPanel::rowSpec(int row) const
{
    LayerSpec spec;
    spec.type =
        kTypes[size_t(qobject_cast<QComboBox*>(m_table->cellWidget(row, Type))->currentIndex())];
    const int size = fieldIn<QSpinBox>(m_table->cellWidget(row, Size))->value();
    spec.filters = size;
    spec.units = size;
    spec.kernel = fieldIn<QSpinBox>(m_table->cellWidget(row, Kernel))->value();
    spec.stride = fieldIn<QSpinBox>(m_table->cellWidget(row, Stride))->value();
    spec.padding = *paddingFromString(
        fieldIn<QComboBox>(m_table->cellWidget(row, Pad))->currentText().toStdString());
    spec.activation = *activationFromString(
        fieldIn<QComboBox>(m_table->cellWidget(row, Act))->currentText().toStdString());
    spec.rate = fieldIn<QDoubleSpinBox>(m_table->cellWidget(row, Rate))->value();
    return spec;
}

std::vector<LayerSpec> ModelPanel::layers() const
{
    std::vector<LayerSpec> stack;
    for (int row = 0; row < m_table->rowCount(); ++row)
        stack.push_back(rowSpec(row));
    return stack;
}

QString ModelPanel::modelName() const
{
    return m_preset->currentData().toString();
}

void ModelPanel::saveSettings(QSettings& settings) const
{
    settings.beginGroup("model");
    settings.setValue("name", modelName());
    settings.setValue("layers", QString::fromStdString(ConfigJson::toJson(layers())));
    settings.endGroup();
}

void ModelPanel::restoreSettings(QSettings& settings)
{
    settings.beginGroup("model");
    const QString name = settings.value("name").toString();
    const QString stack = settings.value("layers").toString();
    settings.endGroup();
    if (name.isEmpty() || stack.isEmpty())
        return;
    try {
        TrainingConfig config;
        config.modelName = name.toStdString();
        config.layers = ConfigJson::layersFromJson(stack.toStdString());
        loadFrom(config);
    } catch (const Error&) {
        // A damaged entry: the current stack stays.
    }
}

void ModelPanel::loadFrom(const TrainingConfig& config)
{
    const QString name = QString::fromStdString(config.modelName);
    const bool preset = ModelPresets::contains(config.modelName);
    m_preset->blockSignals(true);
    m_preset->setCurrentText(preset ? name : tr("custom"));
    m_preset->blockSignals(false);
    setLayers(!config.layers.empty()
                  ? config.layers
                  : ModelPresets::layers(preset ? config.modelName : "seed-cnn", m_classes));
}

void ModelPanel::setLayers(const std::vector<LayerSpec>& stack)
{
    m_loading = true;
    m_table->setRowCount(0);
    for (const auto& spec : stack)
        addRow(m_table->rowCount(), spec);
    m_loading = false;
    refresh();
}

void ModelPanel::moveRow(int delta)
{
    const int row = m_table->currentRow();
    const int target = row + delta;
    if (row < 0 || target < 0 || target >= m_table->rowCount())
        return;
    auto stack = layers();
    std::swap(stack[size_t(row)], stack[size_t(target)]);
    setLayers(stack);
    m_preset->blockSignals(true);
    m_preset->setCurrentText(tr("custom"));
    m_preset->blockSignals(false);
    m_table->selectRow(target);
}

void ModelPanel::setInput(int channels, int rows, int cols, int classes)
{
    const int previous = m_classes;
    m_input = {channels, rows, cols};
    m_classes = classes;
    // The head follows the data: a last Dense layer sized for the old class count gets the new
    // one (a preset keeps its name).
    auto stack = layers();
    if (previous != classes && !stack.empty() && stack.back().type == LayerType::Dense &&
        stack.back().units == previous) {
        stack.back().units = classes;
        setLayers(stack);
        return;
    }
    refresh();
}

void ModelPanel::refresh()
{
    const auto stack = layers();
    // Edited back into a preset's stack: its name comes back instead of "custom".
    if (m_preset->currentText() == tr("custom")) {
        for (const auto& name : ModelPresets::names()) {
            if (ModelPresets::layers(name, m_classes) == stack) {
                const QSignalBlocker block(m_preset);
                m_preset->setCurrentText(QString::fromStdString(name));
                break;
            }
        }
    }
    const auto summary = ModelSummary::analyze(stack, m_input, m_classes);
    const QFontMetrics metrics(m_summary->font());
    m_summary->setPlainText(localizedSummary(
        QString::fromStdString(summary.format(modelName().toStdString())), &metrics));
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const bool bad = row == summary.errorLayer();
        const QString error = row < int(summary.layers().size())
                                  ? QString::fromStdString(summary.layers()[size_t(row)].error)
                                  : QString();
        for (int column = 0; column < ColumnCount; ++column) {
            if (auto* w = m_table->cellWidget(row, column)) {
                w->setStyleSheet(bad ? QStringLiteral("background: #f9dedc") : QString());
                w->setToolTip(error);
            }
        }
        m_table->setVerticalHeaderItem(
            row, new QTableWidgetItem(bad ? QStringLiteral("⚠ %1").arg(row + 1)
                                          : QString::number(row + 1)));
    }
    m_reason = QString::fromStdString(summary.error());
    m_reasonLabel->setText(m_reason.isEmpty() ? QString() : tr("Cannot train: %1").arg(m_reason));
    m_reasonLabel->setVisible(!m_reason.isEmpty());
    Q_EMIT validityChanged(m_reason.isEmpty(), m_reason);
}

QString ModelPanel::localizedSummary(const QString& summary, const QFontMetrics* metrics)
{
    // The Keras-style summary comes from core in English; its headings are shown in the
    // window's language, the column headings padded so the columns below still line up.
    struct Heading
    {
        const char* english;
        QString translated;
        bool column;
    };
    const Heading headings[] = {{"Layer (type)", tr("Layer (type)"), true},
                                {"Output Shape", tr("Output Shape"), true},
                                {"Param #", tr("Param #"), false},
                                {"Total params:", tr("Total params:"), false},
                                {"Non-trainable params:", tr("Non-trainable params:"), false},
                                {"Trainable params:", tr("Trainable params:"), false},
                                {"Model:", tr("Model:"), false}};
    QStringList lines = summary.split('\n');
    for (QString& line : lines) {
        for (const Heading& h : headings) {
            const QString source = QString::fromLatin1(h.english);
            const int at = line.indexOf(source);
            // Whole words only ("Trainable params:" inside "Non-trainable params:" is not one).
            if (at < 0 || h.translated == source || (at > 0 && line[at - 1].isLetter()))
                continue;
            // Columns to pad: measured in the font shown (a CJK glyph is not always exactly two
            // columns of the monospaced font), else counted.
            int pad = 0;
            if (h.column && metrics)
                pad = qRound(double(metrics->horizontalAdvance(source) -
                                    metrics->horizontalAdvance(h.translated)) /
                             metrics->horizontalAdvance(QLatin1Char(' ')));
            else if (h.column)
                pad = displayWidth(source) - displayWidth(h.translated);
            line.replace(at, source.size(), h.translated + QString(std::max(0, pad), ' '));
        }
    }
    return lines.join('\n');
}

} // namespace trainbench::ui
