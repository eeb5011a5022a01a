#pragma once
/// \file
/// ConfusionMatrix: a 7x7 confusion matrix over the FER2013 emotions and the metrics read from it
/// (accuracy, per-class precision, recall and F1, macro F1).

#include <array>
#include <cstdint>

#include "dangpli/emotion.hpp"

namespace dangpli {

/// Precision, recall and F1 of one class, each in 0..1, and its support (rows with that truth).
struct ClassMetrics {
    double precision = 0.0;     ///< correct predictions of the class / all predictions of it
    double recall = 0.0;        ///< correct predictions of the class / all samples of it
    double f1 = 0.0;            ///< harmonic mean of precision and recall
    std::uint64_t support = 0;  ///< samples whose true class it is (the row total)
};

/// A confusion matrix: counts indexed [true][predicted] by label_of(Emotion). A plain value type:
/// copy it, compare it, merge the matrices of several workers with +=. Not synchronised; give each
/// thread its own. Nothing here throws.
///
/// Undefined ratios are 0: the precision of a class never predicted (0/0), the recall of a class
/// with no samples (0/0), the F1 when precision + recall is 0, the accuracy of an empty matrix.
class ConfusionMatrix {
public:
    /// The counts, [true label][predicted label], both indexed by label_of(Emotion).
    using Counts = std::array<std::array<std::uint64_t, kEmotionCount>, kEmotionCount>;

    /// Counts `count` samples of class `truth` that were predicted as `predicted`.
    void add(Emotion truth, Emotion predicted, std::uint64_t count = 1);
    /// Adds every count of `other` (a worker's share of an evaluation) to this matrix.
    ConfusionMatrix& operator+=(const ConfusionMatrix& other);
    /// Equal when every count is equal.
    bool operator==(const ConfusionMatrix&) const = default;

    /// Samples of class `truth` predicted as `predicted`.
    std::uint64_t count(Emotion truth, Emotion predicted) const;
    /// All counts at once, e.g. to print or save the matrix.
    const Counts& counts() const { return counts_; }
    /// All samples counted.
    std::uint64_t total() const;
    std::uint64_t row_total(Emotion truth) const;         ///< samples whose true class is `truth`
    std::uint64_t column_total(Emotion predicted) const;  ///< samples predicted as `predicted`
    std::uint64_t correct() const;                        ///< the diagonal

    /// correct() / total().
    double accuracy() const;
    /// Precision, recall, F1 and support of class `e` (undefined ratios are 0, see above).
    ClassMetrics metrics(Emotion e) const;
    /// The mean F1 over the classes that occur as truth or prediction (as scikit-learn does with
    /// labels=None), so a small test set without some class is not pulled down by it. On the full
    /// FER2013 splits all seven classes occur and this is the plain mean over seven.
    double macro_f1() const;

private:
    Counts counts_{};
};

}  // namespace dangpli
