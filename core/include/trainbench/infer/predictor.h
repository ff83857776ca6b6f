#pragma once

#include "trainbench/data/image.h"
#include "trainbench/infer/grayimage.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace trainbench {

/// What a model answers for one image.
struct Prediction
{
    int digit = -1;                   ///< The most probable class (its index).
    float confidence = 0.0f;          ///< Its softmax probability.
    std::vector<float> probabilities; ///< One per class.
};

/// A trained model ready to answer single images (CPU, inference mode); thread-compatible.
class Predictor
{
public:
    ~Predictor();
    /// Loads a checkpoint; throws Error naming the file when it is not one.
    static std::shared_ptr<Predictor> fromCheckpoint(const std::string& path);

    /// Classes the model tells apart.
    int classes() const;
    /// Names of the classes, "0", "1", ... when the checkpoint has none.
    std::vector<std::string> classNames() const;
    /// True for a model of handwritten digits (Dataset::isDigits): drawings and digit
    /// preprocessing apply.
    bool digits() const;
    /// Input shape (channels, rows, cols).
    std::vector<int64_t> inputShape() const;
    /// A short description, e.g. "seed-cnn, 5 epochs, test accuracy 98.75%".
    std::string description() const;
    /// Answers for an image already in the model's input format (rows x cols uint8, MNIST
    /// polarity).
    Prediction predict(const GrayImage& input) const;
    /// Preprocesses any picture (DigitPreprocessor) and answers; empty when it holds no ink.
    std::optional<Prediction> predictPicture(const GrayImage& picture) const;
    /// Answers for an image of any size and colour: a digit model preprocesses it as a drawing
    /// (predictPicture; empty when it holds no ink); other models resize it to their input as
    /// their dataset was (fit or stretch) in their colour.
    std::optional<Prediction> predictImage(const Image& image) const;
    /// What a model that is not of digits sees of `image`: its input planes (channels x rows x
    /// cols), resized as its dataset was and in its colour.
    std::vector<uint8_t> inputPlanes(const Image& image) const;
    /// Answers for planes already in the model's input layout (channels x rows x cols).
    Prediction predictPlanes(const std::vector<uint8_t>& planes) const;
    /// |d top-class logit / d pixel| for an input image, normalised to [0, 1].
    std::vector<float> saliency(const GrayImage& input) const;

private:
    friend class Trainer;
    class Impl;
    explicit Predictor(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace trainbench
