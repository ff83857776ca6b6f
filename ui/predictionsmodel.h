#pragma once

#include "metatypes.h"

#include <QAbstractListModel>
#include <QCache>
#include <QPixmap>

#include <memory>
#include <vector>

namespace trainbench {
struct Dataset;
}

namespace trainbench::ui {

/// The test images a Predictions filter matches, as a list model whose thumbnails, captions and
/// tooltips are made only when the view asks for them: all 10,000 of MNIST's test images can be
/// scrolled through without building 10,000 widgets up front.
class PredictionsModel : public QAbstractListModel
{
    Q_OBJECT

public:
    explicit PredictionsModel(QObject* parent = nullptr);

    /// Shows test images `indices` of `dataset` with the answers in `details`.
    void reset(std::shared_ptr<const Dataset> dataset, const EpochDetails* details,
               std::vector<int> indices);
    /// The test image shown in `row`.
    int testIndex(int row) const { return m_indices.at(size_t(row)); }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;

private:
    std::shared_ptr<const Dataset> m_dataset;
    const EpochDetails* m_details = nullptr;
    std::vector<int> m_indices;
    mutable QCache<int, QPixmap> m_thumbnails{4000};
};

} // namespace trainbench::ui
