#include "dangpli/confusion_matrix.hpp"

namespace dangpli {
namespace {

std::size_t index(Emotion e) { return static_cast<std::size_t>(label_of(e)); }

// 0/0 is defined as 0 (see the header): a class nobody predicted has no precision to speak of.
double ratio(std::uint64_t num, std::uint64_t den) {
    return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den);
}

}  // namespace

void ConfusionMatrix::add(Emotion truth, Emotion predicted, std::uint64_t count) {
    counts_[index(truth)][index(predicted)] += count;
}

ConfusionMatrix& ConfusionMatrix::operator+=(const ConfusionMatrix& other) {
    for (std::size_t t = 0; t < kEmotionCount; ++t)
        for (std::size_t p = 0; p < kEmotionCount; ++p) counts_[t][p] += other.counts_[t][p];
    return *this;
}

std::uint64_t ConfusionMatrix::count(Emotion truth, Emotion predicted) const {
    return counts_[index(truth)][index(predicted)];
}

std::uint64_t ConfusionMatrix::total() const {
    std::uint64_t sum = 0;
    for (Emotion e : kAllEmotions) sum += row_total(e);
    return sum;
}

std::uint64_t ConfusionMatrix::row_total(Emotion truth) const {
    std::uint64_t sum = 0;
    for (auto c : counts_[index(truth)]) sum += c;
    return sum;
}

std::uint64_t ConfusionMatrix::column_total(Emotion predicted) const {
    std::uint64_t sum = 0;
    for (const auto& row : counts_) sum += row[index(predicted)];
    return sum;
}

std::uint64_t ConfusionMatrix::correct() const {
    std::uint64_t sum = 0;
    for (Emotion e : kAllEmotions) sum += count(e, e);
    return sum;
}

double ConfusionMatrix::accuracy() const { return ratio(correct(), total()); }

ClassMetrics ConfusionMatrix::metrics(Emotion e) const {
    ClassMetrics m;
    m.support = row_total(e);
    m.precision = ratio(count(e, e), column_total(e));
    m.recall = ratio(count(e, e), m.support);
    const double sum = m.precision + m.recall;
    m.f1 = sum == 0.0 ? 0.0 : 2.0 * m.precision * m.recall / sum;
    return m;
}

double ConfusionMatrix::macro_f1() const {
    double sum = 0.0;
    int classes = 0;
    for (Emotion e : kAllEmotions) {
        if (row_total(e) == 0 && column_total(e) == 0) continue;
        sum += metrics(e).f1;
        ++classes;
    }
    return classes == 0 ? 0.0 : sum / classes;
}

}  // namespace dangpli
