#pragma once
// A 7x7 confusion matrix over the FER2013 emotions and the metrics read from it.

#include <array>
#include <cstdint>

#include "dangpli/emotion.hpp"

namespace dangpli {

/// Precision, recall and F1 of one class, each in 0..1, and its support (rows with that truth).
struct ClassMetrics {
    double precision = 0.0;
    double recall = 0.0;
    double f1 = 0.0;
    std::uint64_t support = 0;
};

/// Counts indexed [true][predicted] by label_of(Emotion). A plain value type: copy it, compare it,
/// merge the matrices of several workers with +=. Not synchronised; give each thread its own.
///
/// Undefined ratios are 0: the precision of a class never predicted (0/0), the recall of a class
/// with no samples (0/0), the F1 when precision + recall is 0, the accuracy of an empty matrix.
class ConfusionMatrix {
public:
    using Counts = std::array<std::array<std::uint64_t, kEmotionCount>, kEmotionCount>;

    void add(Emotion truth, Emotion predicted, std::uint64_t count = 1);
    ConfusionMatrix& operator+=(const ConfusionMatrix& other);
    bool operator==(const ConfusionMatrix&) const = default;

    std::uint64_t count(Emotion truth, Emotion predicted) const;
    const Counts& counts() const { return counts_; }
    std::uint64_t total() const;
    std::uint64_t row_total(Emotion truth) const;         ///< samples whose true class is `truth`
    std::uint64_t column_total(Emotion predicted) const;  ///< samples predicted as `predicted`
    std::uint64_t correct() const;                        ///< the diagonal

    /// correct() / total().
    double accuracy() const;
    ClassMetrics metrics(Emotion e) const;
    /// The mean F1 over the classes that occur as truth or prediction (as scikit-learn does with
    /// labels=None), so a small test set without some class is not pulled down by it. On the full
    /// FER2013 splits all seven classes occur and this is the plain mean over seven.
    double macro_f1() const;

private:
    Counts counts_{};
};

}  // namespace dangpli
