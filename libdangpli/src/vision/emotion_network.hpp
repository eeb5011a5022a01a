#pragma once
// One ONNX emotion network and its card, checked on load and run on XNNPACK where the graph is
// one it covers (our own exports), else on cv::dnn: the part of an EmotionClassifier that a model
// ensemble holds several of.

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include <opencv2/core/mat.hpp>
#include <opencv2/dnn.hpp>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/emotion_scores.hpp"
#include "dangpli/model_card.hpp"
#include "xnnpack_network.hpp"

namespace dangpli::detail {

class EmotionNetwork {
public:
    /// Loads `file` (the ONNX model) described by `card` and checks that the network takes the
    /// card's input and gives one output per label. Throws ModelError naming the file.
    EmotionNetwork(ModelCard card, const std::filesystem::path& file);
    /// A fresh network built from the same bytes (no file access), sharing no mutable state.
    EmotionNetwork(const EmotionNetwork& other);
    EmotionNetwork& operator=(const EmotionNetwork&) = delete;

    const ModelCard& card() const { return card_; }

    /// "xnnpack" or "opencv": the engine that runs the network. DANGPLI_INFERENCE=opencv in the
    /// environment keeps every network on cv::dnn (to compare the two).
    std::string engine() const { return fast_ ? "xnnpack" : "opencv"; }
    /// Why the network runs on cv::dnn; empty where it runs on XNNPACK.
    const std::string& why_not_xnnpack() const { return why_not_xnnpack_; }

    /// Adds `weight` times each face's probabilities, averaged over the views of `tta`, to the
    /// probabilities of `sums` (one per face). Faces are checked by the caller: 8-bit gray or BGR
    /// crops of card().face_size pixels. All faces and views go through the network in one pass.
    void add_probabilities(std::span<const cv::Mat> faces, TestTimeAugmentation tta, float weight,
                           std::vector<EmotionScores>& sums) const;

private:
    void build_opencv_net();
    std::optional<OnnxGraph> read_graph();  // nullopt (the reason kept) where our reader cannot
    void check_graph(const OnnxGraph& graph) const;  // finite weights, the card's input size
    void build_xnnpack_net(const OnnxGraph* graph);  // null: no graph to lower
    void check_opencv_batches();
    cv::Mat forward(const cv::Mat& blob) const;  // [N, labels] probabilities
    std::vector<cv::Rect> crops(TestTimeAugmentation tta) const;

    ModelCard card_;
    std::shared_ptr<const std::vector<uchar>> model_bytes_;  // shared by copies, read-only
    mutable cv::dnn::Net net_;  // loads and checks every model; runs those XNNPACK does not (empty then)
    bool opencv_batches_ = true;  // cv::dnn takes all faces in one pass (else one at a time)
    std::unique_ptr<XnnpackNetwork> fast_;
    std::string why_not_xnnpack_;
    mutable std::mutex mutex_;
};

}  // namespace dangpli::detail
