#include "track/summaryimages.h"

#include "trainbench/data/dataset.h"

#include <algorithm>
#include <cmath>

namespace trainbench {

namespace {

constexpr uint32_t kBackground = 0x202124;
constexpr uint32_t kRight = 0x4CAF50;
constexpr uint32_t kWrong = 0xF44336;
constexpr uint32_t kText = 0xE8EAED;

uint32_t heat(double t)
{
    // White to deep blue.
    t = std::clamp(t, 0.0, 1.0);
    const auto mix = [t](int from, int to) {
        return uint32_t(std::lround(from + (to - from) * t));
    };
    return (mix(0xF7, 0x08) << 16) | (mix(0xFB, 0x30) << 8) | mix(0xFF, 0x6B);
}

} // namespace

RgbImage SummaryImages::predictionGrid(const std::vector<SamplePrediction>& samples,
                                       const std::vector<std::string>& classNames, int columns)
{
    if (samples.empty())
        return RgbImage(1, 1, kBackground);
    // Digits fit as numbers at double size; other names go on two small lines: the prediction,
    // then "/" and the truth when it is wrong.
    const bool named = !classNames.empty() && !Dataset::isDigits(classNames, 1);
    auto name = [&](int c) {
        return named ? RgbImage::printable(classNames[size_t(c)], 10) : std::to_string(c);
    };
    const int scale = samples.front().rows <= 32 ? 2 : 1;
    const int textScale = named ? 1 : 2;
    const int imageSize = samples.front().rows * scale;
    const int cellWidth = std::max(imageSize, named ? 11 * 6 : 40) + 8;
    const int cellHeight = imageSize + 8 + (named ? 2 * 9 : 7 * textScale) + 4;
    columns = std::min<int>(columns, int(samples.size()));
    const int rows = (int(samples.size()) + columns - 1) / columns;
    RgbImage grid(columns * cellWidth, rows * cellHeight, kBackground);
    for (size_t i = 0; i < samples.size(); ++i) {
        const auto& s = samples[i];
        const int x = int(i % size_t(columns)) * cellWidth;
        const int y = int(i / size_t(columns)) * cellHeight;
        const bool right = s.predicted == s.label;
        const int imageX = x + (cellWidth - s.cols * scale) / 2;
        grid.blitPlanes(imageX, y + 4, s.pixels.data(), s.channels, s.cols, s.rows, scale);
        if (!right)
            grid.frame(imageX - 2, y + 2, s.cols * scale + 4, s.rows * scale + 4, 2, kWrong);
        const std::string predicted = name(s.predicted);
        const std::string truth = right ? "" : "/" + name(s.label);
        const int textY = y + imageSize + 8;
        if (named) {
            grid.text(x + (cellWidth - RgbImage::textWidth(predicted)) / 2, textY, predicted,
                      right ? kRight : kWrong);
            grid.text(x + (cellWidth - RgbImage::textWidth(truth)) / 2, textY + 9, truth, kText);
            continue;
        }
        const int textX = x + (cellWidth - RgbImage::textWidth(predicted + truth, textScale)) / 2;
        grid.text(textX, textY, predicted, right ? kRight : kWrong, textScale);
        grid.text(textX + int(predicted.size()) * 6 * textScale, textY, truth, kText, textScale);
    }
    return grid;
}

RgbImage SummaryImages::confusionMatrix(const EpochDetails& details)
{
    const int n = details.classes;
    const int cell = 30;
    const int top = 24;
    // Columns are numbered; rows carry "number name" when the classes have names.
    const bool named = !details.classNames.empty() && !Dataset::isDigits(details.classNames, 1);
    std::vector<std::string> rowLabels;
    int margin = 24;
    for (int c = 0; c < n; ++c) {
        rowLabels.push_back(
            std::to_string(c) +
            (named ? " " + RgbImage::printable(details.classNames[size_t(c)], 12) : std::string()));
        margin = std::max(margin, 16 + RgbImage::textWidth(rowLabels.back()));
    }
    RgbImage image(margin + n * cell + 1, top + n * cell + 1, 0xFFFFFF);
    for (int c = 0; c < n; ++c) {
        const std::string label = std::to_string(c);
        image.text(margin + c * cell + (cell - RgbImage::textWidth(label)) / 2, 8, label, 0x000000);
        image.text(8, top + c * cell + (cell - 7) / 2, rowLabels[size_t(c)], 0x000000);
    }
    for (int t = 0; t < n; ++t) {
        int64_t rowTotal = 0;
        for (int p = 0; p < n; ++p)
            rowTotal += details.count(t, p);
        for (int p = 0; p < n; ++p) {
            const int64_t count = details.count(t, p);
            const double share = rowTotal > 0 ? double(count) / double(rowTotal) : 0.0;
            const int x = margin + p * cell;
            const int y = top + t * cell;
            image.fill(x, y, cell, cell, heat(std::sqrt(share)));
            image.frame(x, y, cell + 1, cell + 1, 1, 0xDADCE0);
            if (count > 0) {
                const std::string text = std::to_string(count);
                image.text(x + (cell - RgbImage::textWidth(text)) / 2, y + (cell - 7) / 2, text,
                           share > 0.3 ? 0xFFFFFF : 0x000000);
            }
        }
    }
    return image;
}

} // namespace trainbench
