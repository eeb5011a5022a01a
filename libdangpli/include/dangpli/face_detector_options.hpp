#pragma once
/// \file
/// FaceDetectorOptions: the settings of a face detector: those every detector reads, and one
/// section per detector (MTCNN's cascade, YuNet's thresholds) that only that detector reads.

#include <algorithm>
#include <cstdint>

#include "dangpli/image_file.hpp"

namespace dangpli {

/// A side of this many pixels or more is not read by the detectors (InputError): OpenCV's warps
/// (alignment, tilted retries) assert from here on (SHRT_MAX).
inline constexpr int kLongestImageSide = 32767;

/// Settings of the MTCNN cascade. The defaults are the paper's / reference implementation's constants.
struct MtcnnOptions {
    /// Ratio between consecutive pyramid scales, in (0, 1). Default 0.709 (about 1/sqrt(2)).
    float pyramid_factor = 0.709f;

    /// Face-probability thresholds in [0, 1] of the three stages (a candidate must score more).
    /// Higher: fewer false positives, fewer faces found. Defaults 0.6 / 0.7 / 0.7.
    float pnet_threshold = 0.6f;
    float rnet_threshold = 0.7f;  ///< R-Net's threshold (see pnet_threshold), default 0.7
    float onet_threshold = 0.7f;  ///< O-Net's threshold (see pnet_threshold), default 0.7

    /// Non-maximum suppression thresholds in (0, 1]: a box overlapping a better one by more is dropped.
    /// This one: within one pyramid scale, intersection-over-union (default 0.5).
    float nms_scale = 0.5f;
    float nms_pyramid = 0.7f;  ///< NMS across the pyramid's scales, intersection-over-union (default 0.7)
    /// NMS after R-Net, intersection-over-union (default 0.7; 0.5 roughly halves O-Net's work).
    float nms_refine = 0.7f;
    /// NMS after O-Net, intersection over the smaller box's area (default 0.7), which also drops a
    /// small box inside a big one.
    float nms_output = 0.7f;
};

/// Settings of YuNet (cv::FaceDetectorYN).
struct YunetOptions {
    /// A face must score at least this, in [0, 1]. Default 0.8 (OpenCV's sample uses 0.9): with it
    /// YuNet finds all 43 faces of dlib's example photos with no false positive (bench/bench_detect).
    float score_threshold = 0.8f;
    /// Non-maximum suppression, intersection-over-union in (0, 1] (OpenCV's default 0.3).
    float nms_threshold = 0.3f;
    /// At most this many candidates go into NMS (>= 1; OpenCV's default 5000).
    int top_k = 5000;
};

/// The settings of every detector; each detector reads the common fields and its own section.
struct FaceDetectorOptions {
    /// Smallest face searched for, in pixels of the input image (side of the box). Must be > 0.
    /// MTCNN: smaller means more pyramid levels, slower. YuNet: smaller faces are dropped.
    /// Default 20.
    float min_face_size = 20.0f;
    /// On large images the smallest face searched for grows with the image: at least this
    /// fraction of the shorter side (smallest_face_searched()). A 12-megapixel phone photo
    /// (4032x3024) is then searched from 47 pixels, a 48-megapixel one from 94, each at about the
    /// cost of a 1280x960 photo (bench/large_photos.sh), not minutes and gigabytes; a face that small in such
    /// a photo is a face in a far crowd. In [0, 1); 0: min_face_size alone. Default 1/64: images
    /// up to 1280 pixels on the shorter side keep the 20-pixel default.
    float min_face_fraction = 1.0f / 64.0f;
    /// Largest image accepted, in pixels (width * height); for MTCNN it also caps the largest
    /// pyramid level, which is bigger than the image when min_face_size < 12. Default
    /// kDefaultMaxImagePixels (120 megapixels).
    std::int64_t max_pixels = kDefaultMaxImagePixels;
    /// Where the detector finds no face, look again with the image turned by + and - this many
    /// degrees (TiltRetryDetector; make_face_detector() adds it), in [0, 90); 0 turns it off.
    /// Default 30 (bench_framing on FER2013: 40 found fewer faces and read them worse).
    float tilt_retry_degrees = 30.0f;
    /// The turned look runs on every n-th image without a face (>= 1). 1 for photos; a stream's
    /// empty frames (no one in view) would otherwise cost three detections each, so `live` looks
    /// turned on every 10th search only (TiltRetryDetector).
    int tilt_retry_every = 1;

    MtcnnOptions mtcnn;  ///< read by MtcnnDetector only
    YunetOptions yunet;  ///< read by YunetDetector only
};

/// The smallest face, in pixels, that a detector with `options` searches a `width` x `height`
/// image for: min_face_size, or min_face_fraction of the shorter side where that is more.
inline float smallest_face_searched(const FaceDetectorOptions& options, int width, int height) {
    return std::max(options.min_face_size, options.min_face_fraction * static_cast<float>(std::min(width, height)));
}

}  // namespace dangpli
