#pragma once

#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

class QChartView;
class QCheckBox;
class QLabel;
class QSlider;
class QStackedWidget;

namespace trainbench {
class Predictor;
struct Prediction;
} // namespace trainbench

namespace trainbench::ui {

class ClassifyPanel;
class DrawingCanvas;

/// Draw a digit and watch the model's answer live: ten probabilities as a bar chart (top class
/// highlighted), the 28x28 image the model sees, and an optional saliency overlay. The model is
/// the one just trained or any checkpoint (button, or drop a checkpoint or image file here).
/// For a model that is not of handwritten digits the page classifies instead: open, drop or
/// paste image files (ClassifyPanel) and see the class bars of each.
class DrawPage : public QWidget
{
    Q_OBJECT

public:
    /// What the model is, in the window's language (from core's English description).
    static QString describe(const Predictor& predictor);
    explicit DrawPage(QWidget* parent = nullptr);
    ~DrawPage() override;

    /// Uses `predictor`, described as `source`.
    void setPredictor(std::shared_ptr<const Predictor> predictor, const QString& source);
    /// Says that the model shown is the previous run's while a new run trains.
    void markPrevious();
    /// Loads a checkpoint; returns false and shows why when it cannot.
    bool openModel(const QString& path);
    /// Loads an image file as the picture; returns false and shows why when it cannot.
    bool openImage(const QString& path);
    DrawingCanvas* canvas() const { return m_canvas; }
    /// The list of images classified (used when the model is not of digits).
    ClassifyPanel* classifyPanel() const { return m_classify; }
    /// True while the page classifies images instead of drawings.
    bool classifying() const;
    /// The last answer (empty when the canvas is empty or there is no model).
    std::optional<int> answer() const { return m_answer; }
    /// Milliseconds the last prediction took (preprocessing included).
    double lastLatencyMs() const { return m_latencyMs; }
    /// Predicts now instead of after the debounce delay.
    void predictNow();
    /// The text shown about the model or the problem.
    QString status() const;

Q_SIGNALS:
    /// The page switched between drawing (digits) and classifying images.
    void modeChanged(bool classifying);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void showProbabilities(const std::vector<float>& probabilities, int top);
    void showChosen(const QImage& seen, const Prediction* prediction);

    DrawingCanvas* m_canvas = nullptr;
    ClassifyPanel* m_classify = nullptr;
    QStackedWidget* m_modes = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_answerLabel = nullptr;
    QLabel* m_input = nullptr;
    QCheckBox* m_saliency = nullptr;
    QSlider* m_pen = nullptr;
    QChartView* m_chart = nullptr;
    QTimer m_debounce;
    std::shared_ptr<const Predictor> m_predictor;
    QString m_source; ///< What the model is, as shown.
    std::optional<int> m_answer;
    double m_latencyMs = 0.0;
};

} // namespace trainbench::ui
