#pragma once
/// \file
/// Evaluating a classifier: evaluate() runs an emotion classifier over labelled FER2013 samples on
/// several threads and counts its answers in a ConfusionMatrix.

#include <cstddef>
#include <functional>
#include <span>

#include "dangpli/confusion_matrix.hpp"
#include "dangpli/emotion_classifier.hpp"
#include "dangpli/fer2013.hpp"

namespace dangpli {

/// Settings of evaluate().
struct EvaluationOptions {
    TestTimeAugmentation tta = TestTimeAugmentation::Single;  ///< views averaged per face
    /// Class balance (see rebalanced()) where the model's card gives its training_prior; 0, the
    /// scores as the model gives them, suits FER2013's own class mix.
    float balance = 0.0f;
    /// Worker threads, each with its own copy of the classifier; clamped to 1..number of batches.
    int threads = 1;
    /// Faces per forward pass (0 counts as 1). 64 keeps a batch's activations small and the
    /// progress smooth.
    std::size_t batch_size = 64;
    /// Called on the calling thread with (faces done, faces in all) after each finished batch,
    /// and once with (0, total) before the first. May throw to stop the evaluation: the workers
    /// finish their current batch and the exception reaches the caller of evaluate().
    std::function<void(std::size_t done, std::size_t total)> progress;
    /// If set, called on the calling thread with each sample's index and its scores (after the
    /// class balance), in sample order: per-face readings, e.g. to pair two models face by face.
    std::function<void(std::size_t index, const EmotionScores& scores)> on_face;
};

/// Classifies every sample and returns the counts [sample.label][predicted emotion].
/// Samples whose image is not classifier.face_size() square are resized (INTER_AREA when shrinking,
/// INTER_LINEAR when growing), so a dropped-in model with another face size works on FER2013.
/// Blocks until done. The classifier itself serves one worker and is copied for the others (the
/// copies are made before any worker starts); other threads may use it meanwhile, their calls
/// take turns with the worker's. No samples give an empty matrix.
/// Throws InputError for an image the classifier refuses: an empty one is named by its origin;
/// one of another depth or channel count by its index in the batch and the origin of the batch's
/// first sample. ModelError if a copy of the classifier cannot be built. Exceptions from the
/// classifier or `progress` are rethrown on the calling thread after the workers have stopped.
ConfusionMatrix evaluate(const EmotionClassifier& classifier, std::span<const Fer2013Sample> samples,
                         const EvaluationOptions& options = {});

}  // namespace dangpli
