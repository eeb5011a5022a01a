#pragma once
// The photos every detector's tests read, and the detectors they share (loading costs a few ms:
// every case uses one detector of each kind with the default options).

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <opencv2/imgcodecs.hpp>

#include "dangpli/mtcnn_detector.hpp"
#include "dangpli/yunet_detector.hpp"

namespace dangpli::test {

/// The shared portraits (one face each) and the group photo (five faces), with their face counts.
inline const std::vector<std::pair<std::string, std::size_t>> kSharedFaces{
    {"angry.jpg", 1}, {"happy-baby.jpeg", 1}, {"neutral.jpeg", 1},
    {"sad-baby.jpeg", 1}, {"surprised.jpeg", 1}, {"group.jpeg", 5}};

/// The photo at `p` as BGR; the test stops if it cannot be read.
inline cv::Mat load(const std::filesystem::path& p) {
    cv::Mat img = cv::imread(p.string(), cv::IMREAD_COLOR);
    REQUIRE_MESSAGE(!img.empty(), "cannot read " << p);
    return img;
}

inline MtcnnDetector& shared_mtcnn() {
    static MtcnnDetector detector;
    return detector;
}

inline YunetDetector& shared_yunet() {
    static YunetDetector detector;
    return detector;
}

}  // namespace dangpli::test
