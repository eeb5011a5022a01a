#include "dangpli/emotion_classifier.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "core/enum_names.hpp"
#include "dangpli/error.hpp"
#include "dangpli/model_files.hpp"
#include "emotion_network.hpp"

namespace dangpli {
namespace {

constexpr std::array kAllAugmentations{TestTimeAugmentation::Single, TestTimeAugmentation::Mirror,
                                       TestTimeAugmentation::TenCrop};

// A model named by its network file is looked for first, before its card: a mistyped name would
// otherwise be reported as a missing card beside it.
void check_network_file_exists(const std::filesystem::path& model) {
    std::error_code ec;
    if (model.empty()) throw ModelError("no model named (an empty path)");
    if (std::filesystem::is_regular_file(model, ec)) return;
    if (std::filesystem::is_directory(model, ec))
        throw ModelError(model.string() + ": a folder, not a model (give an .onnx file or its .yaml card)");
    if (!std::filesystem::exists(model, ec)) throw ModelError(model.string() + ": no such model file");
    // Other kinds (a FIFO) are refused by name where the network is read (read_input_file).
}

}  // namespace

std::string_view to_string(TestTimeAugmentation tta) {
    switch (tta) {
    case TestTimeAugmentation::Single: return "single";
    case TestTimeAugmentation::Mirror: return "mirror";
    case TestTimeAugmentation::TenCrop: return "ten-crop";
    }
    return "?";
}

std::optional<TestTimeAugmentation> parse_test_time_augmentation(std::string_view name) {
    return detail::parse_name(kAllAugmentations, name);
}

std::vector<std::string> test_time_augmentation_names() { return detail::names_of(kAllAugmentations); }

int views_per_face(TestTimeAugmentation tta) {
    switch (tta) {
    case TestTimeAugmentation::Single: return 1;
    case TestTimeAugmentation::Mirror: return 2;
    case TestTimeAugmentation::TenCrop: return 10;
    }
    return 1;
}

struct EmotionClassifier::Impl {
    ModelCard card;  // the model's own, or the ensemble's filled in from its members'
    std::vector<std::unique_ptr<detail::EmotionNetwork>> networks;

    // An ensemble reads the crop its members read: they must agree on the face size and labels.
    void add_member(const std::filesystem::path& ensemble_card, const std::filesystem::path& file) {
        ModelCard member_card;
        try {
            check_network_file_exists(file);
            member_card = ModelCard::load(ModelCard::card_path_for(file));
        } catch (const ModelError& e) {  // the member's own problem, and which ensemble lists it
            throw ModelError(ensemble_card.string() + ": member " + file.filename().string() + ": " + e.what());
        }
        if (!member_card.members.empty())
            throw ModelError(ensemble_card.string() + ": member " + file.string() + " is itself an ensemble");
        if (!networks.empty()) {
            const auto& first = networks.front()->card();
            if (member_card.face_size != first.face_size)
                throw ModelError(ensemble_card.string() + ": member " + file.string() + " reads " +
                                 std::to_string(member_card.face_size) + "-pixel faces, " +
                                 first.model_file.string() + " " + std::to_string(first.face_size));
            auto sorted = [](std::vector<Emotion> labels) { std::sort(labels.begin(), labels.end()); return labels; };
            if (sorted(member_card.labels) != sorted(first.labels))
                throw ModelError(ensemble_card.string() + ": member " + file.string() +
                                 " lists other labels than " + first.model_file.string());
        }
        try {
            networks.push_back(std::make_unique<detail::EmotionNetwork>(std::move(member_card), file));
        } catch (const ModelError& e) {  // a FIFO, a file that is no ONNX model: which ensemble lists it
            throw ModelError(ensemble_card.string() + ": member " + file.filename().string() + ": " + e.what());
        }
    }

    // The ensemble's card: its name and members, the first member's input, the members' mean prior.
    void fill_ensemble_card(ModelCard ensemble) {
        const auto& first = networks.front()->card();
        ensemble.labels = first.labels;
        ensemble.input_width = first.input_width;
        ensemble.input_height = first.input_height;
        ensemble.input_channels = first.input_channels;
        ensemble.face_size = first.face_size;
        ensemble.mean = first.mean;
        ensemble.scale = first.scale;
        ensemble.training_prior = mean_training_prior();
        card = std::move(ensemble);
    }

    // The members' mean prior; unknown where any member's is.
    std::optional<ClassPrior> mean_training_prior() const {
        ClassPrior prior{};
        for (const auto& network : networks) {
            if (!network->card().training_prior) return std::nullopt;
            for (std::size_t k = 0; k < prior.size(); ++k)
                prior[k] += (*network->card().training_prior)[k] / static_cast<float>(networks.size());
        }
        return prior;
    }
};

EmotionClassifier::EmotionClassifier(const std::filesystem::path& model) : impl_(std::make_unique<Impl>()) {
    const bool given_card = model.extension() == ".yaml" || model.extension() == ".yml";
    if (!given_card) check_network_file_exists(model);
    const auto card_path = given_card ? model : ModelCard::card_path_for(model);
    auto card = ModelCard::load(card_path);
    if (card.members.empty()) {
        const auto file = given_card ? card.model_file : model;
        // A card copied beside another network, still naming its own: `--model n.onnx` and `--model
        // n.yaml` would run two networks under one name. (A card naming a file that is gone was renamed
        // with its network: the network given is the one meant.)
        std::error_code ec;
        if (!given_card && std::filesystem::exists(card.model_file, ec) &&
            !std::filesystem::equivalent(card.model_file, model, ec))
            throw ModelError(fmt::format("{}: its card {} describes {} (model: {}), another file; give the card "
                                         "`model: {}` or use that file", model.string(), card_path.string(),
                                         card.model_file.string(), card.model_file.filename().string(),
                                         model.filename().string()));
        impl_->networks.push_back(std::make_unique<detail::EmotionNetwork>(std::move(card), file));
        impl_->card = impl_->networks.front()->card();
        return;
    }
    for (const auto& member : card.members) impl_->add_member(card_path, member);
    impl_->fill_ensemble_card(std::move(card));
}

std::filesystem::path EmotionClassifier::bundled_model_file(std::string_view name) {
    // A single model is its .onnx; an ensemble is only its card (emotion/NAME.yaml listing members).
    try {
        return find_model_file("emotion/" + std::string(name) + ".onnx");
    } catch (const ModelError&) {
        try {
            return find_model_file("emotion/" + std::string(name) + ".yaml");
        } catch (const ModelError&) {
        }
        throw;  // the .onnx's error: what a user of a single model expects to read
    }
}

std::filesystem::path EmotionClassifier::default_model_file() { return bundled_model_file(kDefaultModelName); }

EmotionClassifier EmotionClassifier::load_default() { return EmotionClassifier(default_model_file()); }

EmotionClassifier::EmotionClassifier(const EmotionClassifier& other) : impl_(std::make_unique<Impl>()) {
    impl_->card = other.impl_->card;
    for (const auto& network : other.impl_->networks)
        impl_->networks.push_back(std::make_unique<detail::EmotionNetwork>(*network));
}

EmotionClassifier& EmotionClassifier::operator=(const EmotionClassifier& other) {
    if (this != &other) *this = EmotionClassifier(other);
    return *this;
}

EmotionClassifier::EmotionClassifier(EmotionClassifier&&) noexcept = default;
EmotionClassifier& EmotionClassifier::operator=(EmotionClassifier&&) noexcept = default;
EmotionClassifier::~EmotionClassifier() = default;

const ModelCard& EmotionClassifier::card() const { return impl_->card; }
int EmotionClassifier::face_size() const { return impl_->card.face_size; }

std::string EmotionClassifier::engine() const {
    bool xnnpack = false, opencv = false;
    for (const auto& network : impl_->networks) (network->engine() == "xnnpack" ? xnnpack : opencv) = true;
    return xnnpack && opencv ? "xnnpack+opencv" : xnnpack ? "xnnpack" : "opencv";
}

std::string EmotionClassifier::why_not_xnnpack() const {
    std::string reasons;
    for (const auto& network : impl_->networks) {
        if (network->engine() == "xnnpack") continue;
        if (!reasons.empty()) reasons += "; ";
        reasons += network->card().model_file.filename().string() + ": " + network->why_not_xnnpack();
    }
    return reasons;
}

std::vector<EmotionScores> EmotionClassifier::classify(std::span<const cv::Mat> faces, TestTimeAugmentation tta) const {
    std::vector<EmotionScores> results(faces.size());
    if (faces.empty()) return results;
    const int side = impl_->card.face_size;
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const cv::Mat& face = faces[i];
        if (face.empty() || face.depth() != CV_8U || (face.channels() != 1 && face.channels() != 3) ||
            face.rows != side || face.cols != side)
            throw InputError(fmt::format("face {}: expected an 8-bit gray or BGR {}x{} crop, got {}x{} with {} channel(s){}",
                                         i, side, side, face.cols, face.rows, face.channels(),
                                         face.empty() || face.depth() == CV_8U ? "" : ", not 8-bit"));
    }
    // An ensemble's reading is the mean of its members' probabilities.
    const float weight = 1.0f / static_cast<float>(impl_->networks.size());
    for (const auto& network : impl_->networks) network->add_probabilities(faces, tta, weight, results);
    for (auto& r : results) {
        auto best = std::max_element(r.probabilities.begin(), r.probabilities.end());
        r.emotion = static_cast<Emotion>(best - r.probabilities.begin());
        r.confidence = *best;
    }
    return results;
}

EmotionScores EmotionClassifier::classify(const cv::Mat& face, TestTimeAugmentation tta) const {
    return classify(std::span<const cv::Mat>(&face, 1), tta).front();
}

}  // namespace dangpli
