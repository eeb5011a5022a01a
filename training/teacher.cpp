#include "teacher.hpp"

#include <fmt/format.h>

#include "dangpli/error.hpp"
#include "dangpli/model_card.hpp"
#include "onnx_import.hpp"

namespace dangpli::training {
namespace {

// Our networks' outputs are FER2013's label indices (0 angry ... 6 neutral).
bool in_fer2013_order(const ModelCard& card) {
    if (card.labels.size() != kEmotionCount) return false;
    for (std::size_t k = 0; k < card.labels.size(); ++k)
        if (label_of(card.labels[k]) != static_cast<int>(k)) return false;
    return true;
}

}  // namespace

Teacher::Teacher(const std::vector<std::filesystem::path>& models, int input_side) {
    for (const auto& model : models) {
        const auto card_path = ModelCard::card_path_for(model);
        ModelCard card;
        try {
            card = ModelCard::load(card_path);
        } catch (const std::exception& e) {
            throw ModelError(fmt::format("teacher {}: its card: {}", model.string(), e.what()));
        }
        if (!in_fer2013_order(card))
            throw ModelError(fmt::format("teacher {}: its card's labels are not FER2013's seven in order", model.string()));
        std::shared_ptr<EmotionNet> net;
        try {
            net = make_emotion_net(card.architecture);
        } catch (const std::invalid_argument& e) {
            throw ModelError(fmt::format("teacher {}: {} ({})", model.string(), e.what(), card_path.string()));
        }
        if (net->input_side() != input_side)
            throw ModelError(fmt::format("teacher {}: reads {}-pixel views, the student {}", model.string(),
                                        net->input_side(), input_side));
        try {
            import_onnx_weights(*net, model);
        } catch (const DataError& e) {
            throw ModelError(fmt::format("teacher {}", e.what()));
        }
        net->eval();
        to_channels_last(*net);
        for (auto& p : net->parameters()) p.set_requires_grad(false);
        members_.push_back(std::move(net));
    }
}

torch::Tensor Teacher::probabilities(const torch::Tensor& views) const {
    torch::NoGradGuard no_grad;
    torch::Tensor sum;
    for (const auto& member : members_) {
        auto p = torch::softmax(member->forward(views), 1);
        sum = sum.defined() ? sum + p : p;
    }
    return sum / static_cast<double>(members_.size());
}

}  // namespace dangpli::training
