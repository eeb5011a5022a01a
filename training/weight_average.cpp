#include "weight_average.hpp"

namespace dangpli::training {

void add_to_average(EmotionNet& average, const EmotionNet& net, int64_t count) {
    torch::NoGradGuard no_grad;
    auto source = net.named_parameters();
    const double weight = 1.0 / static_cast<double>(count + 1);
    for (auto& item : average.named_parameters()) {
        auto& avg = item.value();
        avg.add_((source[item.key()].detach() - avg) * weight);
    }
}

void recompute_batch_norm(EmotionNet& net, const FaceSet& set, int batch_size) {
    torch::NoGradGuard no_grad;
    std::vector<torch::nn::BatchNorm2dImpl*> layers;
    for (const auto& module : net.modules(/*include_self=*/false))
        if (auto* bn = module->as<torch::nn::BatchNorm2d>()) layers.push_back(bn);
    if (layers.empty()) return;
    std::vector<c10::optional<double>> momenta;
    for (auto* bn : layers) {
        momenta.push_back(bn->options.momentum());
        bn->reset_running_stats();
        bn->options.momentum(c10::nullopt);  // a cumulative average over the pass
    }
    const bool was_training = net.is_training();
    net.train();
    const int side = net.input_side();
    for (std::size_t first = 0; first < set.size(); first += static_cast<std::size_t>(batch_size)) {
        const std::size_t count = std::min(static_cast<std::size_t>(batch_size), set.size() - first);
        net.forward(centre_batch(set, first, count, side));
    }
    for (std::size_t i = 0; i < layers.size(); ++i) layers[i]->options.momentum(momenta[i]);
    net.train(was_training);
}

}  // namespace dangpli::training
