#include "trainbench/train/epochmetrics.h"

#include <cstdio>

namespace trainbench {

std::string EpochMetrics::tutorialLine() const
{
    char line[256];
    std::snprintf(line, sizeof line,
                  "Epoch %d, Loss: %.4f, Accuracy: %.2f, Test Loss: %.4f, Test Accuracy: %.2f",
                  epoch, trainLoss, trainAccuracy * 100.0, testLoss, testAccuracy * 100.0);
    std::string text = line;
    if (hasValidation) {
        std::snprintf(line, sizeof line, ", Val Loss: %.4f, Val Accuracy: %.2f", validationLoss,
                      validationAccuracy * 100.0);
        text += line;
    }
    return text;
}

} // namespace trainbench
