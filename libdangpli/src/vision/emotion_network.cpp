#include "emotion_network.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

#include <opencv2/imgproc.hpp>

#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"

namespace dangpli::detail {
namespace {

// Input channels of the first convolution, read from its weights [out, in, kh, kw]; nullopt
// where the network does not start with a plain one.
std::optional<int> first_convolution_channels(const cv::dnn::Net& net) {
    for (const auto& name : net.getLayerNames()) {
        const auto layer = net.getLayer(name);
        if (layer->type != "Convolution") continue;
        if (layer->blobs.empty() || layer->blobs[0].dims != 4) return std::nullopt;
        return layer->blobs[0].size[1];
    }
    return std::nullopt;
}

// A misspelt engine would otherwise measure the default one under the name the user meant.
bool opencv_forced() {
    const char* engine = std::getenv("DANGPLI_INFERENCE");
    if (engine == nullptr || *engine == '\0' || std::string_view(engine) == "xnnpack") return false;
    if (std::string_view(engine) == "opencv") return true;
    throw ModelError("DANGPLI_INFERENCE=" + std::string(engine) + ": not an inference engine (xnnpack, the default, "
                     "or opencv)");
}

}  // namespace

EmotionNetwork::EmotionNetwork(ModelCard card, const std::filesystem::path& file) : card_(std::move(card)) {
    std::string bytes;
    try {
        bytes = read_input_file(file, input_limits::kModel, "a model file");
    } catch (const InputError& e) {
        throw ModelError(e.what());
    }
    model_bytes_ = std::make_shared<const std::vector<uchar>>(bytes.begin(), bytes.end());
    card_.model_file = file;
    build_opencv_net();  // first: its load checks and error messages hold whatever engine runs the model
    const auto graph = read_graph();
    if (graph) check_graph(*graph);
    build_xnnpack_net(graph ? &*graph : nullptr);

    // Check once that the network takes the card's input and gives one score per label.
    const auto& c = card_;
    cv::Mat probe;
    try {
        probe = forward(cv::Mat(std::vector<int>{1, c.input_channels, c.input_height, c.input_width}, CV_32F,
                                cv::Scalar(0)));
    } catch (const cv::Exception& e) {
        throw ModelError(file.string() + ": the network fails on a " + std::to_string(c.input_width) + "x" +
                         std::to_string(c.input_height) + "x" + std::to_string(c.input_channels) +
                         " input as its card says (" + e.err + ")");
    }
    // Some of cv::dnn's convolution paths read a blob with the wrong channel count without a word
    // (the resnet-wide graph takes 3 channels where it was trained on 1), so compare with the weights.
    if (const auto channels = first_convolution_channels(net_); channels && *channels != c.input_channels)
        throw ModelError(file.string() + ": the network's first layer takes " + std::to_string(*channels) +
                         " channel(s) but its card says input.channels " + std::to_string(c.input_channels));
    if (probe.total() != c.labels.size())
        throw ModelError(file.string() + ": the network gives " + std::to_string(probe.total()) +
                         " outputs but its card lists " + std::to_string(c.labels.size()) + " labels");
    // A diverged training's export reads every face as NaN: each row would say "angry -inf".
    if (!cv::checkRange(probe))
        throw ModelError(file.string() + ": the network's outputs are not numbers (NaN or infinite) on a blank "
                         "face; its weights are broken (a training that diverged?)");
    if (!fast_) check_opencv_batches();
    if (fast_) net_ = cv::dnn::Net();  // checked; XNNPACK runs it from here on
}

EmotionNetwork::EmotionNetwork(const EmotionNetwork& other)
    : card_(other.card_), model_bytes_(other.model_bytes_), opencv_batches_(other.opencv_batches_) {
    if (!other.fast_) {  // checked and left on cv::dnn: no graph to read again
        why_not_xnnpack_ = other.why_not_xnnpack_;
        build_opencv_net();
        return;
    }
    const auto graph = read_graph();
    build_xnnpack_net(graph ? &*graph : nullptr);  // the same bytes lowered before, so they lower again
    if (!fast_) build_opencv_net();
}

void EmotionNetwork::build_opencv_net() {
    try {
        net_ = cv::dnn::readNetFromONNX(reinterpret_cast<const char*>(model_bytes_->data()), model_bytes_->size());
        net_.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    } catch (const cv::Exception& e) {
        throw ModelError(card_.model_file.string() + ": not a usable ONNX model (" + e.err + ")");
    }
}

// cv::dnn 4.6 runs some graphs on one input and fails on a batch of them (a squeeze-and-excitation
// gate's Mul of [N, C, H, W] by [N, C, 1, 1] asserts in its shape code for N > 1): those run face by face.
void EmotionNetwork::check_opencv_batches() {
    const auto& c = card_;
    try {
        net_.setInput(cv::Mat(std::vector<int>{2, c.input_channels, c.input_height, c.input_width}, CV_32F,
                              cv::Scalar(0)));
        opencv_batches_ = net_.forward().total() == 2 * c.labels.size();
    } catch (const cv::Exception&) {
        opencv_batches_ = false;
    }
}

std::optional<OnnxGraph> EmotionNetwork::read_graph() {
    try {
        return read_onnx_graph(*model_bytes_);
    } catch (const OnnxFormatError& e) {  // cv::dnn read it, so it stays there
        why_not_xnnpack_ = e.what();
        return std::nullopt;
    }
}

// The weights must be numbers, and the card must give the input size the graph declares: the
// network would run on a face of another size (a convolutional one takes any), reading it worse.
void EmotionNetwork::check_graph(const OnnxGraph& graph) const {
    // XNNPACK's clamps turn a NaN back into a number: a blank face would pass with such weights.
    for (const auto& [name, tensor] : graph.initializers)
        if (!std::all_of(tensor.values.begin(), tensor.values.end(), [](float v) { return std::isfinite(v); }))
            throw ModelError(card_.model_file.string() + ": weights " + name + " are not numbers (NaN or infinite); "
                             "the model is broken (a training that diverged?)");
    if (graph.inputs.size() != 1) return;
    const auto& dims = graph.input_dims.at(graph.inputs.front());
    if (dims.size() != 4) return;
    const auto& c = card_;
    // (The channels are compared with the first convolution's weights once the network has run.)
    const auto differs = [](int64_t declared, int card) { return declared > 0 && declared != card; };
    if (differs(dims[2], c.input_height) || differs(dims[3], c.input_width)) {
        const auto side = [](int64_t d) { return d > 0 ? std::to_string(d) : std::string("any"); };
        throw ModelError(card_.model_file.string() + ": the network takes " + side(dims[3]) + "x" + side(dims[2]) +
                         " pixels but its card says " + std::to_string(c.input_width) + "x" +
                         std::to_string(c.input_height) + " (input.width, input.height)");
    }
}

void EmotionNetwork::build_xnnpack_net(const OnnxGraph* graph) {
    if (opencv_forced()) {
        why_not_xnnpack_ = "DANGPLI_INFERENCE=opencv";
        return;
    }
    if (graph != nullptr)
        fast_ = XnnpackNetwork::lower(*graph, card_.input_channels, card_.input_height, card_.input_width,
                                      why_not_xnnpack_);
}

cv::Mat EmotionNetwork::forward(const cv::Mat& blob) const {
    cv::Mat out;
    try {
        std::lock_guard lock(mutex_);
        if (fast_) {
            out.create(blob.size[0], static_cast<int>(fast_->output_size()), CV_32F);
            for (int r = 0; r < blob.size[0]; ++r) fast_->run(blob.ptr<float>(r), out.ptr<float>(r));
        } else if (opencv_batches_) {
            net_.setInput(blob);
            out = net_.forward().reshape(1, blob.size[0]).clone();
        } else {
            const int rows = blob.size[0];
            std::vector<int> one(blob.size.p, blob.size.p + blob.dims);
            one[0] = 1;
            for (int r = 0; r < rows; ++r) {
                net_.setInput(cv::Mat(one, CV_32F, const_cast<float*>(blob.ptr<float>(r))));
                const cv::Mat row = net_.forward().reshape(1, 1);
                if (out.empty()) out.create(rows, static_cast<int>(row.total()), CV_32F);
                row.copyTo(out.row(r));
            }
        }
    } catch (const cv::Exception& e) {
        throw ModelError(card_.model_file.string() + ": the network failed on its input (" + e.err + ")");
    } catch (const std::runtime_error& e) {
        throw ModelError(card_.model_file.string() + ": " + e.what());
    }
    if (card_.output_logits) {  // a model without a final softmax, as its card says
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

std::vector<cv::Rect> EmotionNetwork::crops(TestTimeAugmentation tta) const {
    const int w = card_.input_width, h = card_.input_height, s = card_.face_size;
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

void EmotionNetwork::add_probabilities(std::span<const cv::Mat> faces, TestTimeAugmentation tta, float weight,
                                       std::vector<EmotionScores>& sums) const {
    const auto& c = card_;
    const auto rects = crops(tta);
    const bool mirror = tta != TestTimeAugmentation::Single;
    const std::size_t views = rects.size() * (mirror ? 2 : 1);

    std::vector<cv::Mat> inputs;
    inputs.reserve(faces.size() * views);
    for (const cv::Mat& face : faces) {
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
    const cv::Mat blob = cv::dnn::blobFromImages(inputs, c.scale, {}, cv::Scalar::all(c.mean), false, false, CV_32F);
    const cv::Mat probs = forward(blob);
    const float share = weight / static_cast<float>(views);
    for (std::size_t i = 0; i < faces.size(); ++i) {
        auto& sum = sums[i].probabilities;
        for (std::size_t v = 0; v < views; ++v) {
            const float* row = probs.ptr<float>(static_cast<int>(i * views + v));
            for (std::size_t k = 0; k < c.labels.size(); ++k)
                sum[static_cast<std::size_t>(label_of(c.labels[k]))] += row[k] * share;
        }
    }
}

}  // namespace dangpli::detail
