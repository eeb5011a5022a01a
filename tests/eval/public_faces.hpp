#pragma once
// Real PublicTest faces for the eval tests (shared by tests/eval and tests/eval_cli), and the
// bundled model's own answers for them: with those as the "known classifier", expected confusion
// matrices are exact whichever model is bundled.

#include <algorithm>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/fer2013.hpp"
#include "support.hpp"

namespace dangpli::test {

/// The first `per_class` faces (by file name) of each class folder of the shared PublicTest tree.
inline std::vector<Fer2013Sample> public_test_faces(std::size_t per_class) {
    std::vector<Fer2013Sample> out;
    for (Emotion e : kAllEmotions) {
        const auto dir = kSharedDir / "data/fer2013/publictest" / std::string(to_string(e));
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(dir)) files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        files.resize(std::min(files.size(), per_class));
        for (const auto& f : files) out.push_back({cv::imread(f.string(), cv::IMREAD_GRAYSCALE), e, f.string()});
    }
    return out;
}

/// What `classifier` answers for each sample, classified one by one.
inline std::vector<Emotion> predictions(const EmotionClassifier& classifier, const std::vector<Fer2013Sample>& s) {
    std::vector<Emotion> out;
    for (const auto& sample : s) out.push_back(classifier.classify(sample.image).emotion);
    return out;
}

}  // namespace dangpli::test
