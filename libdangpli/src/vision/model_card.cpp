#include "dangpli/model_card.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"
#include "dangpli/yaml_documents.hpp"

namespace dangpli {
namespace {

// The largest input or face side a card may give: a face crop, not a photo (a bigger one is a typo).
constexpr int kMaxSide = 4096;
// More members than any ensemble worth its time per face (each is a forward pass).
constexpr std::size_t kMaxMembers = 16;

// yaml-cpp throws from operator[] on a scalar or a list: ask only maps.
void require_map(const YAML::Node& node, const std::filesystem::path& card) {
    if (node && !node.IsMap())
        throw ModelError(card.string() + ":" + std::to_string(node.Mark().line + 1) + ": expected a map of fields here");
}

template <typename T>
T required(const YAML::Node& node, const std::string& key, const std::filesystem::path& card) {
    require_map(node, card);
    if (!node || !node[key]) throw ModelError(card.string() + ": missing field '" + key + "'");
    try {
        return node[key].as<T>();
    } catch (const YAML::Exception&) {
        throw ModelError(card.string() + ":" + std::to_string(node[key].Mark().line + 1) + ": field '" + key +
                         "' has the wrong type");
    }
}

// An optional field: `fallback` when absent, ModelError naming the line when of the wrong type.
template <typename T>
T optional_field(const YAML::Node& node, const std::string& key, const std::filesystem::path& card, T fallback) {
    require_map(node, card);
    if (!node || !node[key]) return fallback;
    return required<T>(node, key, card);
}

// output.training_prior: one positive share per label, in the card's label order, normalised.
std::optional<ClassPrior> read_training_prior(const YAML::Node& output, const std::filesystem::path& card,
                                         const std::vector<Emotion>& labels) {
    const auto shares = optional_field(output, "training_prior", card, std::vector<double>{});
    if (shares.empty()) return std::nullopt;
    if (shares.size() != labels.size())
        throw ModelError(card.string() + ": output.training_prior has " + std::to_string(shares.size()) +
                         " shares for " + std::to_string(labels.size()) + " labels");
    double sum = 0.0;
    for (double share : shares) {
        if (!std::isfinite(share) || share <= 0.0 || share > 1e9)
            throw ModelError(fmt::format("{}: output.training_prior must hold positive numbers, not {}", card.string(), share));
        sum += share;
    }
    ClassPrior prior;
    prior.fill(1.0f);  // an emotion the card does not list scores 0 whatever its share
    for (std::size_t i = 0; i < labels.size(); ++i)
        prior[static_cast<std::size_t>(label_of(labels[i]))] = static_cast<float>(shares[i] / sum);
    return prior;
}

// An ensemble card: its members' files, each relative to the card's folder.
ModelCard read_members(const YAML::Node& root, const std::filesystem::path& card_path, ModelCard card) {
    if (root["model"])
        throw ModelError(card_path.string() + ": an ensemble card lists members instead of a model, not both");
    const auto members = required<std::vector<std::string>>(root, "members", card_path);
    if (members.empty() || members.size() > kMaxMembers)
        throw ModelError(card_path.string() + ": members must list 1 to " + std::to_string(kMaxMembers) +
                         " models, not " + std::to_string(members.size()));
    for (const auto& member : members) {
        std::filesystem::path file = member;
        if (file.extension() != ".onnx")
            throw ModelError(card_path.string() + ": member '" + member + "' is not an .onnx model");
        card.members.push_back(file.is_relative() ? card_path.parent_path() / file : file);
    }
    card.model_file = card_path;
    return card;
}

}  // namespace

std::filesystem::path ModelCard::card_path_for(const std::filesystem::path& model_path) {
    auto card = model_path;
    card.replace_extension(".yaml");
    return card;
}

ModelCard ModelCard::load(const std::filesystem::path& card_path) {
    std::error_code ec;
    if (!std::filesystem::exists(card_path, ec))
        throw ModelError(card_path.string() + ": model card not found (every model needs its card beside it)");
    std::string text;
    try {
        text = read_input_file(card_path, input_limits::kSmallYaml, "a model card");
    } catch (const InputError& e) {
        throw ModelError(e.what());
    }
    YAML::Node root;
    std::size_t second_document_line = 0;  // where a document after the first starts, which Load drops
    try {
        root = load_yaml_document(text, second_document_line);
    } catch (const YAML::Exception& e) {
        throw ModelError(card_path.string() + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
    }
    if (second_document_line)
        throw ModelError(card_path.string() + ":" + std::to_string(second_document_line) + ": a second YAML document (a model card is one)");
    require_map(root, card_path);
    if (!root.IsMap()) throw ModelError(card_path.string() + ": empty model card");
    if (const auto repeated = repeated_yaml_key(root))  // yaml-cpp would read one of its values in silence
        throw ModelError(fmt::format("{}:{}: {}", card_path.string(), repeated->line, repeated->message()));
    ModelCard card;
    card.name = required<std::string>(root, "name", card_path);
    card.architecture = optional_field<std::string>(root, "architecture", card_path, "");
    const auto evaluation = root["evaluation"];
    if (evaluation && evaluation.IsMap())
        card.reported_accuracy = optional_field(evaluation["single_view"], "accuracy", card_path, -1.0);
    if (root["members"]) return read_members(root, card_path, std::move(card));

    card.model_file = required<std::string>(root, "model", card_path);
    if (card.model_file.is_relative()) card.model_file = card_path.parent_path() / card.model_file;

    const auto labels = required<std::vector<std::string>>(root, "labels", card_path);
    for (const auto& label : labels) {
        auto e = parse_emotion(label);
        if (!e) throw ModelError(card_path.string() + ": unknown label '" + label + "' in labels");
        if (std::find(card.labels.begin(), card.labels.end(), *e) != card.labels.end())
            throw ModelError(card_path.string() + ": label '" + label + "' appears twice");
        card.labels.push_back(*e);
    }
    if (card.labels.empty()) throw ModelError(card_path.string() + ": labels is empty");

    const auto input = root["input"];
    card.input_width = required<int>(input, "width", card_path);
    card.input_height = required<int>(input, "height", card_path);
    card.input_channels = required<int>(input, "channels", card_path);
    if (card.input_width <= 0 || card.input_height <= 0 || card.input_width > kMaxSide || card.input_height > kMaxSide)
        throw ModelError(card_path.string() + ": input width and height must be in 1.." + std::to_string(kMaxSide));
    if (card.input_channels != 1 && card.input_channels != 3)
        throw ModelError(card_path.string() + ": input channels must be 1 or 3, not " +
                         std::to_string(card.input_channels));

    const auto pre = root["preprocess"];
    card.face_size = optional_field(pre, "face_size", card_path, std::max(card.input_width, card.input_height));
    card.mean = required<double>(pre, "mean", card_path);
    card.scale = required<double>(pre, "scale", card_path);
    if (card.face_size < std::max(card.input_width, card.input_height))
        throw ModelError(card_path.string() + ": preprocess.face_size " + std::to_string(card.face_size) +
                         " is smaller than the input size");
    if (card.face_size > kMaxSide)
        throw ModelError(card_path.string() + ": preprocess.face_size must be at most " + std::to_string(kMaxSide));
    if (!std::isfinite(card.mean) || !std::isfinite(card.scale) || card.scale == 0.0)
        throw ModelError(card_path.string() + ": preprocess.mean must be a number and scale a non-zero number");
    const auto kind = optional_field<std::string>(root["output"], "kind", card_path, "probabilities");
    if (kind != "probabilities" && kind != "logits")
        throw ModelError(card_path.string() + ": output.kind must be probabilities or logits, not '" + kind + "'");
    card.output_logits = kind == "logits";
    card.training_prior = read_training_prior(root["output"], card_path, card.labels);
    return card;
}

}  // namespace dangpli
