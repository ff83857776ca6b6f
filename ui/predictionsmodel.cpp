#include "predictionsmodel.h"

#include "sampleimage.h"
#include "trainbench/data/dataset.h"

#include <QColor>

namespace trainbench::ui {

PredictionsModel::PredictionsModel(QObject* parent) : QAbstractListModel(parent) {}

void PredictionsModel::reset(std::shared_ptr<const Dataset> dataset, const EpochDetails* details,
                             std::vector<int> indices)
{
    beginResetModel();
    m_dataset = std::move(dataset);
    m_details = details;
    m_indices = std::move(indices);
    m_thumbnails.clear();
    endResetModel();
}

int PredictionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_indices.size());
}

QVariant PredictionsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_indices.size()) || !m_dataset || !m_details)
        return {};
    const int i = m_indices[size_t(index.row())];
    const ImageSet& test = m_dataset->test;
    if (i < 0 || i >= test.count || size_t(i) >= m_details->testPredictions.size())
        return {};
    const int label = test.labels[size_t(i)];
    const int predicted = m_details->testPredictions[size_t(i)];
    const auto name = [this](int c) {
        return c >= 0 && size_t(c) < m_dataset->classNames.size()
                   ? QString::fromStdString(m_dataset->classNames[size_t(c)])
                   : QString::number(c);
    };
    switch (role) {
    case Qt::DisplayRole:
        return label == predicted ? tr("%1 · %2%")
                                        .arg(name(predicted))
                                        .arg(int(m_details->testConfidences[size_t(i)] * 100))
                                  : tr("%1 (is %2)").arg(name(predicted), name(label));
    case Qt::DecorationRole: {
        if (QPixmap* cached = m_thumbnails.object(i))
            return *cached;
        const QImage image =
            SampleImage::fromPixels(test.image(int64_t(i)), test.rows, test.cols, test.channels);
        auto* pixmap = new QPixmap(QPixmap::fromImage(image.scaled(56, 56)));
        const QPixmap copy = *pixmap;
        m_thumbnails.insert(i, pixmap);
        return copy;
    }
    case Qt::ToolTipRole: {
        QString tip = tr("test image %1: true %2, predicted %3 with %4% confidence")
                          .arg(i)
                          .arg(name(label), name(predicted))
                          .arg(m_details->testConfidences[size_t(i)] * 100, 0, 'f', 1);
        if (size_t(i) < test.sources.size())
            tip += "\n" + QString::fromStdString(test.sources[size_t(i)]);
        return tip;
    }
    case Qt::BackgroundRole:
        return label != predicted ? QVariant(QColor(249, 222, 220)) : QVariant();
    case Qt::ForegroundRole:
        return label != predicted ? QVariant(QColor(179, 38, 30)) : QVariant();
    default:
        return {};
    }
}

} // namespace trainbench::ui
