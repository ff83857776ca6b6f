#pragma once

#include "trainbench/data/image.h"
#include "trainbench/infer/predictor.h"

#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QListWidget;

namespace trainbench::ui {

/// The Draw tab's place for models that are not of handwritten digits: open, drop or paste
/// image files and see each one's answer in a list; the chosen one's class bars show beside.
class ClassifyPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ClassifyPanel(QWidget* parent = nullptr);

    /// Uses `predictor` and answers again for every image in the list.
    void setPredictor(std::shared_ptr<const Predictor> predictor);
    /// Adds an image file; returns false and says why when it cannot be read.
    bool addFile(const QString& path);
    /// Adds a picture (pasted or dropped), named `name`.
    void addPicture(const QImage& picture, const QString& name);
    /// Images in the list.
    int count() const;
    /// Text of the list's row `row` ("file: class · 97%").
    QString rowText(int row) const;
    /// The text shown about the last problem (empty when none).
    QString problem() const;

Q_SIGNALS:
    /// The chosen image: what the model sees (as a QImage) and its answer (null when there is
    /// no model or no image).
    void chosen(const QImage& seen, const trainbench::Prediction* prediction);

private:
    struct Entry
    {
        QString name;
        Image image;
        std::optional<Prediction> prediction;
        QString error;
    };

    void classify(Entry& entry) const;
    void refreshRow(int row);
    void showChosen();

    QListWidget* m_list = nullptr;
    QLabel* m_problem = nullptr;
    std::vector<Entry> m_entries;
    std::shared_ptr<const Predictor> m_predictor;
};

} // namespace trainbench::ui
