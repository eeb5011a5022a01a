#include "dangpli/emotion_classifier.hpp"

#include <array>
#include <mutex>
#include <optional>

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "core/enum_names.hpp"
#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"
#include "dangpli/model_files.hpp"

namespace dangpli {
namespace {

constexpr std::array kAllAugmentations{TestTimeAugmentation::Single, TestTimeAugmentation::Mirror,
                                       TestTimeAugmentation::TenCrop};

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
    ModelCard card;
    std::shared_ptr<const std::vector<uchar>> model_bytes;  // shared by copies, read-only
    mutable cv::dnn::Net net;
    mutable std::mutex mutex;

    void build_net() {
        try {
            net = cv::dnn::readNetFromONNX(reinterpret_cast<const char*>(model_bytes->data()), model_bytes->size());
            net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        } catch (const cv::Exception& e) {
            throw ModelError(card.model_file.string() + ": not a usable ONNX model (" + e.err + ")");
        }
    }

    // Runs the network on a blob; returns [N, labels] probabilities.
    cv::Mat forward(const cv::Mat& blob) const {
        cv::Mat out;
        try {
            std::lock_guard lock(mutex);
            net.setInput(blob);
            out = net.forward().reshape(1, blob.size[0]).clone();
        } catch (const cv::Exception& e) {
            throw ModelError(card.model_file.string() + ": the network failed on its input (" + e.err + ")");
        }
        if (card.output_logits) {  // a model without a final softmax, as its card says
            for (int r = 0; r < out.rows; ++r) {
                cv::Mat row = out.row(r);
                double top = 0.0;
                cv::minMaxLoc(row, nullptr, &top);
                cv::exp(row - top, row);
                row /= cv::sum(row)[0];
            }
        }
        return out;
    }

    // Input channels of the first convolution, read from its weights [out, in, kh, kw]; nullopt
    // where the network does not start with a plain one.
    std::optional<int> first_convolution_channels() const {
        for (const auto& name : net.getLayerNames()) {
            const auto layer = net.getLayer(name);
            if (layer->type != "Convolution") continue;
            if (layer->blobs.empty() || layer->blobs[0].dims != 4) return std::nullopt;
            return layer->blobs[0].size[1];
        }
        return std::nullopt;
    }

    std::vector<cv::Rect> crops(TestTimeAugmentation tta) const {
        const int w = card.input_width, h = card.input_height, s = card.face_size;
        const int x = (s - w) / 2, y = (s - h) / 2;
        std::vector<cv::Rect> rects{{x, y, w, h}};
        if (tta == TestTimeAugmentation::TenCrop) {
            rects.push_back({0, 0, w, h});
            rects.push_back({s - w, 0, w, h});
            rects.push_back({0, s - h, w, h});
            rects.push_back({s - w, s - h, w, h});
        }
        return rects;
    }
};

EmotionClassifier::EmotionClassifier(const std::filesystem::path& model) : impl_(std::make_unique<Impl>()) {
    const bool given_card = model.extension() == ".yaml" || model.extension() == ".yml";
    impl_->card = ModelCard::load(given_card ? model : ModelCard::card_path_for(model));
    const auto& file = given_card ? impl_->card.model_file : model;
    std::string bytes;
    try {
        bytes = read_input_file(file, input_limits::kModel, "a model file");
    } catch (const InputError& e) {
        throw ModelError(e.what());
    }
    impl_->model_bytes = std::make_shared<const std::vector<uchar>>(bytes.begin(), bytes.end());
    impl_->card.model_file = file;
    impl_->build_net();

    // Check once that the network takes the card's input and gives one score per label.
    const auto& c = impl_->card;
    cv::Mat probe;
    try {
        probe = impl_->forward(cv::Mat(std::vector<int>{1, c.input_channels, c.input_height, c.input_width}, CV_32F,
                                       cv::Scalar(0)));
    } catch (const cv::Exception& e) {
        throw ModelError(file.string() + ": the network fails on a " + std::to_string(c.input_width) + "x" +
                         std::to_string(c.input_height) + "x" + std::to_string(c.input_channels) +
                         " input as its card says (" + e.err + ")");
    }
    // Some of cv::dnn's convolution paths read a blob with the wrong channel count without a word
    // (the resnet-wide graph takes 3 channels where it was trained on 1), so compare with the weights.
    if (const auto channels = impl_->first_convolution_channels(); channels && *channels != c.input_channels)
        throw ModelError(file.string() + ": the network's first layer takes " + std::to_string(*channels) +
                         " channel(s) but its card says input.channels " + std::to_string(c.input_channels));
    if (probe.total() != c.labels.size())
        throw ModelError(file.string() + ": the network gives " + std::to_string(probe.total()) +
                         " outputs but its card lists " + std::to_string(c.labels.size()) + " labels");
}

std::filesystem::path EmotionClassifier::bundled_model_file(std::string_view name) {
    return find_model_file("emotion/" + std::string(name) + ".onnx");
}

std::filesystem::path EmotionClassifier::default_model_file() { return bundled_model_file(kDefaultModelName); }

EmotionClassifier EmotionClassifier::load_default() { return EmotionClassifier(default_model_file()); }

EmotionClassifier::EmotionClassifier(const EmotionClassifier& other) : impl_(std::make_unique<Impl>()) {
    impl_->card = other.impl_->card;
    impl_->model_bytes = other.impl_->model_bytes;
    impl_->build_net();
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

std::vector<EmotionScores> EmotionClassifier::classify(std::span<const cv::Mat> faces, TestTimeAugmentation tta) const {
    std::vector<EmotionScores> results(faces.size());
    if (faces.empty()) return results;
    const auto& c = impl_->card;
    const auto rects = impl_->crops(tta);
    const bool mirror = tta != TestTimeAugmentation::Single;
    const std::size_t views = rects.size() * (mirror ? 2 : 1);

    std::vector<cv::Mat> inputs;
    inputs.reserve(faces.size() * views);
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const cv::Mat& face = faces[i];
        if (face.empty() || face.depth() != CV_8U || (face.channels() != 1 && face.channels() != 3) ||
            face.rows != c.face_size || face.cols != c.face_size)
            throw InputError("face " + std::to_string(i) + ": expected an 8-bit gray or BGR " +
                             std::to_string(c.face_size) + "x" + std::to_string(c.face_size) + " crop, got " +
                             std::to_string(face.cols) + "x" + std::to_string(face.rows) + " with " +
                             std::to_string(face.channels()) + " channel(s) of depth " + std::to_string(face.depth()));
        cv::Mat converted;
        if (c.input_channels == 1 && face.channels() == 3) cv::cvtColor(face, converted, cv::COLOR_BGR2GRAY);
        else if (c.input_channels == 3 && face.channels() == 1) cv::cvtColor(face, converted, cv::COLOR_GRAY2BGR);
        else converted = face;
        for (const auto& r : rects) {
            inputs.push_back(converted(r));
            if (mirror) {
                cv::Mat flipped;
                cv::flip(converted(r), flipped, 1);
                inputs.push_back(flipped);
            }
        }
    }
    cv::Mat blob = cv::dnn::blobFromImages(inputs, c.scale, {}, cv::Scalar::all(c.mean), false, false, CV_32F);
    cv::Mat probs = impl_->forward(blob);

    for (std::size_t i = 0; i < faces.size(); ++i) {
        auto& r = results[i];
        for (std::size_t v = 0; v < views; ++v) {
            const float* row = probs.ptr<float>(static_cast<int>(i * views + v));
            for (std::size_t k = 0; k < c.labels.size(); ++k)
                r.probabilities[static_cast<std::size_t>(label_of(c.labels[k]))] += row[k] / static_cast<float>(views);
        }
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
