#include "soft_target.hpp"

namespace dangpli::training {

std::array<float, 7> soft_target(int64_t label, const VoteDistribution& votes, double mix, double smoothing) {
    float total = 0.0f;
    for (float v : votes) total += v;
    const double w = total > 0.0f ? mix : 0.0;
    std::array<float, 7> t{};
    for (std::size_t k = 0; k < t.size(); ++k) {
        const double mixed = (1.0 - w) * (static_cast<int64_t>(k) == label ? 1.0 : 0.0) + w * votes[k];
        t[k] = static_cast<float>((1.0 - smoothing) * mixed + smoothing / 7.0);
    }
    return t;
}

torch::Tensor soft_cross_entropy(const torch::Tensor& logits, const torch::Tensor& targets) {
    return -(targets * torch::log_softmax(logits, 1)).sum(1).mean();
}

}  // namespace dangpli::training
