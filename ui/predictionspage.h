#pragma once

#include "metatypes.h"

#include <QWidget>

#include <memory>

class QPushButton;
class QCheckBox;
class QComboBox;
class QLabel;
class QListView;

namespace trainbench {
struct Dataset;
}

namespace trainbench::ui {

/// Test images with the model's answer and confidence, wrong ones highlighted; filters
/// "only wrong", by class, or one confusion-matrix cell. Refreshed every epoch.
class PredictionsPage : public QWidget
{
    Q_OBJECT

public:
    explicit PredictionsPage(QWidget* parent = nullptr);

    /// The test images the predictions refer to.
    void setDataset(std::shared_ptr<const Dataset> dataset);
    /// New predictions for every test image.
    void setDetails(const trainbench::EpochDetails& details);
    /// Marks what is shown as the previous run's (until the next setDetails()).
    void setStale(bool stale);
    /// True while a filter (only wrong, a class, a confusion cell) narrows the grid.
    bool filterActive() const;
    bool isStale() const;
    /// Shows only images of true class `label` predicted as `predicted`.
    void showCell(int label, int predicted);
    /// Images in the grid (every matching one; thumbnails are made as they scroll into view).
    int shownCount() const;
    /// The grid.
    QListView* grid() const { return m_grid; }
    /// The test image in row `row` of the grid.
    int testIndexAt(int row) const;
    /// Test images that match the filters (shown or not).
    int matchingCount() const { return m_matching; }

private:
    void clearFilters();
    QPushButton* m_showAll = nullptr;
    class StaleBanner* m_stale = nullptr;
    void refresh();

    QCheckBox* m_onlyWrong = nullptr;
    QComboBox* m_class = nullptr;
    QLabel* m_summary = nullptr;
    QListView* m_grid = nullptr;
    class PredictionsModel* m_model = nullptr;
    std::shared_ptr<const Dataset> m_dataset;
    trainbench::EpochDetails m_details;
    int m_cellLabel = -1;
    int m_cellPredicted = -1;
    int m_matching = 0;
};

} // namespace trainbench::ui
