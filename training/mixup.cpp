#include "mixup.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

namespace dangpli::training {

torch::Tensor Blend::apply(const torch::Tensor& t) const {
    return blended() ? share * t + (1.0 - share) * t.index_select(0, partner) : t;
}

Blend draw_blend(double alpha, std::size_t views, std::mt19937_64& rng) {
    if (alpha <= 0.0 || views < 2) return {};
    // Beta(alpha, alpha) as the ratio of two gamma draws; the larger share is the view's own, so the
    // label it mostly shows stays its own.
    std::gamma_distribution<double> gamma(alpha, 1.0);
    const double a = gamma(rng), b = gamma(rng);
    const double l = a + b > 0.0 ? a / (a + b) : 1.0;
    std::vector<int64_t> order(views);
    std::iota(order.begin(), order.end(), int64_t{0});
    std::shuffle(order.begin(), order.end(), rng);
    return {std::max(l, 1.0 - l), torch::tensor(order, torch::kInt64)};
}

}  // namespace dangpli::training
