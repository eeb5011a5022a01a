// Writes realistic live traces (JSON Lines, see dangpli/live_trace.hpp) without a camera, so that
// the aggregator and the music policy can be tuned by replay: `dangpli live --replay CLIP.jsonl`.
// Usage: make_traces OUT_DIR [--seed N] [--clips N] [--changes N] [--tta single|mirror]   (N clips of the plan below, default all;
//        --changes: how many change clips, default 16; 5 gives the README's first set)
//
// How a trace is made. Every score in it is the project's real classifier
// (EmotionClassifier::load_default(), with live's views, MainFaceReaderOptions{}.tta) on a real face, one
// classification per frame at 30 fps; only the frames are synthetic:
// - Faces: FER2013 PublicTest faces (shared/data/fer2013/publictest; for each clip a face not used
//   before, drawn at random among those of its emotion that the classifier reads as that emotion
//   when still, so that what goes wrong comes from talking and the camera) and the photos in
//   shared/data/faces (angry, happy-baby, neutral, sad-baby, surprised, used as they are: the model
//   reads surprised.jpeg as fear), detected with FaceDetector and cut with FaceAligner's transform
//   as the product does, at twice the classifier's size with a margin around the crop. The five
//   people of group.jpeg and the FER neutral faces are the neutral faces talking pulls towards.
// - Talking: speech comes in bursts of 1.5-6 s with pauses of 0.3-2 s; within a burst a syllable
//   oscillation at 2-6 Hz (drawn per burst, with per-frame tempo noise) opens the jaw (the lower face
//   warped down by up to 4 px of 48, a darker mouth gap) and blends the face towards a neutral face
//   of another person: blend = mild + depth x opening, mild 0.3-0.5 and depth 0.15-0.3 per clip
//   (a talking face shows its emotion less, and its mouth moves the classifier).
// - Camera and tracker: per frame the crop is cut with a random similarity: tracker jitter (iid:
//   0.4 px shift, 0.8 % scale, 0.6 deg at 48 px) on top of a slow head movement (1.5 px, 3 %,
//   4 deg); Gaussian blur (0.3-1.1 px per clip, +-0.2 focus wobble); light (gamma 0.75-1.35, contrast
//   0.8-1.15 about mid-grey drifting by up to +-12 % over 5-20 s, offset +-15, a side-light gradient
//   of up to +-12 grey levels); sensor noise (sigma 0.5-2 grey levels at 48 px, new each frame);
//   then 8-bit gray.
// - Boxes and landmarks: a square box of 120-260 px in a 640x480 frame that moves with the head
//   and the jitter; landmarks are FaceAligner's template placed in it; detector scores 0.97-1.
// Calibration (seed 1): the clips' median top probability is 0.35-0.86, 0.51 over the clips, and a
// talking clip's most frequent arg-max is its label in 11 of 16 (see the table printed). Degrading further (more blend, less
// contrast, more blur) did not make the model unsure: it read the faces as sad, confidently. So
// these traces are more confident than the 0.30-0.45 seen on real webcam faces.
// Clips (in this order, interleaved by kind; --clips N keeps the first N):
//   talk_<emotion>_NN  one face talking, 20-50 s: a FER face per emotion and a second one for angry,
//                      happy, sad and neutral; talk_<emotion>_photo for each photo;
//   change_<a>_<b>_NN  (16) face A for 15-25 s, a 0.5-1.5 s cross-blend, then face B for 15-25 s;
//                      the change time written is the middle of the blend;
//   gaps_<emotion>_NN  a talking face, 30-45 s, with 2-4 no-face gaps (faces=0) of 0.5-5 s;
//   newperson_<a>_<b>_01  person A for 15-25 s, a 1-2 s gap, then another person (new_person on
//                      its first frame, another box) with another emotion; the change time is B's
//                      first frame.
// clips.csv: name,emotion_sequence,change_times (';'-separated), e.g. change_happy_sad_01,happy;sad,22.5
// The table: frames, median top probability, per-frame arg-max changes per minute, the share of
// face frames whose arg-max is the label, the most frequent arg-max and its share, the faces used.
// Deterministic for a seed on one build (std::mt19937_64, cv::RNG, one OpenCV thread); the scores
// depend on the bundled model, so traces made with another model differ.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/face_aligner.hpp"
#include "dangpli/mtcnn_detector.hpp"
#include "dangpli/fer2013.hpp"
#include "dangpli/live_trace.hpp"
#include "dangpli/main_face_reader.hpp"

namespace fs = std::filesystem;
using namespace dangpli;

namespace {

constexpr double kFps = 30.0;
constexpr double kPi = std::numbers::pi;
double g_classify_s = 0.0;  // seconds spent in the classifier, for the summary
TestTimeAugmentation g_tta = MainFaceReaderOptions{}.tta;  // live's views unless --tta says otherwise

// A face ready to render: gray float canvas of side S + 2P whose centre S x S is the aligned crop.
struct Source {
    std::string name;
    Emotion label;
    cv::Mat canvas;
};

struct Geometry {
    int fs, S, P, C;  // classifier size, crop size in the canvas, margin, canvas side
};

cv::Mat finish_canvas(const cv::Mat& gray8) {
    cv::Mat f;
    gray8.convertTo(f, CV_32F);
    cv::GaussianBlur(f, f, {0, 0}, 0.6);  // the canvas is shrunk 2x per frame: keep it from aliasing
    return f;
}

Source from_fer(const Fer2013Sample& s, const Geometry& g) {
    cv::Mat up, canvas;
    cv::resize(s.image, up, {g.S, g.S}, 0, 0, cv::INTER_CUBIC);
    cv::copyMakeBorder(up, canvas, g.P, g.P, g.P, g.P, cv::BORDER_REPLICATE);
    return {fs::path(s.origin).stem().string(), s.label, finish_canvas(canvas)};
}

Source from_photo(const cv::Mat& gray, const Face& face, const std::string& name, Emotion label,
                  const Geometry& g) {
    cv::Matx23d m = FaceAligner(g.S).transform(face);
    const double scale = std::sqrt(std::abs(m(0, 0) * m(1, 1) - m(0, 1) * m(1, 0)));
    cv::Mat src = gray;
    if (scale < 0.5) {  // shrink by area first, as FaceAligner does
        const double f = 2.0 * scale;
        cv::resize(gray, src, {}, f, f, cv::INTER_AREA);
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 2; ++c) m(r, c) /= f;
    }
    m(0, 2) += g.P;
    m(1, 2) += g.P;
    cv::Mat canvas;
    cv::warpAffine(src, canvas, m, {g.C, g.C}, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return {name, label, finish_canvas(canvas)};
}

// One stretch of a clip showing one face; `blend` > 0: cross-blend from the previous segment over
// that many seconds around `start`; `new_person`: another person (after the gap the clip puts before it).
struct Segment {
    std::size_t source;
    double start, end;
    double blend = 0.0;
    bool new_person = false;
};

struct ClipPlan {
    std::string name;
    std::vector<Segment> segments;
    std::vector<std::pair<double, double>> gaps;  // no-face intervals
    std::vector<double> change_times;
    double duration;
};

struct Summary {
    std::string name;
    std::size_t frames = 0;
    double median_top = 0.0, changes_per_min = 0.0, label_share = 0.0;
    Emotion most_read = Emotion::Neutral;  // the most frequent per-frame arg-max
    double most_read_share = 0.0;
};

double uniform(std::mt19937_64& rng, double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); }
double normal(std::mt19937_64& rng, double sigma) { return std::normal_distribution<double>(0.0, sigma)(rng); }

// Speech: bursts and pauses; returns per-frame mouth opening in [0, 1].
std::vector<double> speech_envelope(std::size_t frames, std::mt19937_64& rng) {
    std::vector<double> open(frames, 0.0);
    std::size_t i = 0;
    bool speaking = uniform(rng, 0, 1) < 0.7;
    while (i < frames) {
        const double len = speaking ? uniform(rng, 1.5, 6.0) : uniform(rng, 0.3, 2.0);
        const std::size_t n = std::min(frames - i, static_cast<std::size_t>(len * kFps) + 1);
        const double rate = uniform(rng, 2.0, 6.0);
        double phase = uniform(rng, 0, 1);
        for (std::size_t k = 0; k < n; ++k, ++i) {
            if (speaking) {
                phase += (rate + normal(rng, 0.8)) / kFps;
                const double syllable = 0.5 - 0.5 * std::cos(2 * kPi * phase);
                open[i] = std::clamp(syllable * uniform(rng, 0.6, 1.0), 0.0, 1.0);
            } else {
                open[i] = 0.05 * uniform(rng, 0, 1);
            }
        }
        speaking = !speaking;
    }
    return open;
}

class Renderer {
public:
    explicit Renderer(const Geometry& g) : g_(g) {
        const double k = g.S / 48.0;
        const double mx = 24.0 * k + g.P, my = 37.7 * k + g.P;
        jaw_.create(g.C, g.C, CV_32F);
        gap_.create(g.C, g.C, CV_32F);
        for (int y = 0; y < g.C; ++y)
            for (int x = 0; x < g.C; ++x) {
                const double dx = x - mx, dy = y - my;
                // The jaw: nothing above the lips, all of it from the lower lip to the chin, fading below.
                const double u = std::clamp((dy + k) / (2 * k), 0.0, 1.0), below = std::max(0.0, dy - 8 * k);
                jaw_.at<float>(y, x) = static_cast<float>(u * u * (3 - 2 * u) * std::exp(-dx * dx / (2 * 49 * k * k)) *
                                                          std::exp(-below * below / (2 * 16 * k * k)));
                gap_.at<float>(y, x) = static_cast<float>(std::exp(-dx * dx / (2 * 16 * k * k) - (dy - k) * (dy - k) / (2 * 2.25 * k * k)));
            }
    }

    struct Params {
        double blend, open, shift_x, shift_y, scale, angle_deg, blur, gamma, gain, offset, gradient, noise;
    };

    cv::Mat render(const cv::Mat& face, const cv::Mat& neutral, const Params& p, cv::RNG& rng) const {
        const double k = g_.S / 48.0;
        cv::Mat mixed;
        cv::addWeighted(face, 1.0 - p.blend, neutral, p.blend, 0.0, mixed);
        // Jaw: sample from above where the jaw drops (content moves down), darken the mouth gap.
        cv::Mat map_x(g_.C, g_.C, CV_32F), map_y(g_.C, g_.C, CV_32F);
        const float drop = static_cast<float>(p.open * 4.0 * k);  // up to 4 px of 48
        for (int y = 0; y < g_.C; ++y)
            for (int x = 0; x < g_.C; ++x) {
                map_x.at<float>(y, x) = static_cast<float>(x);
                map_y.at<float>(y, x) = static_cast<float>(y) - drop * jaw_.at<float>(y, x);
            }
        cv::Mat moved;
        cv::remap(mixed, moved, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        cv::Mat shade = 1.0 - gap_ * (0.6 * p.open);
        moved = moved.mul(shade);
        // Camera and tracker: the crop's similarity, then blur, light and noise.
        const double a = g_.fs / static_cast<double>(g_.S) * p.scale, th = p.angle_deg * kPi / 180.0;
        const double c = (g_.C - 1) / 2.0, o = (g_.fs - 1) / 2.0;
        cv::Matx23d m(a * std::cos(th), -a * std::sin(th), 0, a * std::sin(th), a * std::cos(th), 0);
        m(0, 2) = o + p.shift_x - (m(0, 0) * c + m(0, 1) * c);
        m(1, 2) = o + p.shift_y - (m(1, 0) * c + m(1, 1) * c);
        cv::Mat out;
        cv::warpAffine(moved, out, m, {g_.fs, g_.fs}, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        if (p.blur > 0.05) cv::GaussianBlur(out, out, {0, 0}, p.blur);
        out = cv::max(out, 0.0) / 255.0;
        cv::pow(out, p.gamma, out);
        out = (out * 255.0 - 128.0) * p.gain + 128.0 + p.offset;  // gain: contrast about mid-grey
        for (int x = 0; x < g_.fs; ++x)
            out.col(x) += p.gradient * (x / (g_.fs - 1.0) - 0.5);
        cv::Mat noise(out.size(), CV_32F);
        rng.fill(noise, cv::RNG::NORMAL, 0.0, p.noise);
        out += noise;
        cv::Mat crop;
        out.convertTo(crop, CV_8U);  // saturates to 0..255
        return crop;
    }

private:
    Geometry g_;
    cv::Mat jaw_, gap_;
};

struct Library {
    Geometry g;
    std::vector<Source> sources;
    std::map<Emotion, std::vector<std::size_t>> fer_by_label;  // indices into sources
    std::vector<std::size_t> photos, neutrals;                  // photo faces; neutral faces to talk towards
};

Library load_faces(const fs::path& shared, const EmotionClassifier& classifier, std::mt19937_64& rng) {
    Library lib;
    const int fs_ = classifier.face_size(), S = 2 * fs_, P = S / 4;
    lib.g = {fs_, S, P, S + 2 * P};
    auto fer = load_fer2013(shared / "data/fer2013/publictest", Fer2013Split::PublicTest);
    std::shuffle(fer.begin(), fer.end(), rng);
    std::map<Emotion, int> taken;
    for (const auto& s : fer) {  // up to 40 faces per emotion (plenty for the plan, quick to load)
        if (taken[s.label]++ >= 40) continue;
        lib.fer_by_label[s.label].push_back(lib.sources.size());
        if (s.label == Emotion::Neutral) lib.neutrals.push_back(lib.sources.size());
        lib.sources.push_back(from_fer(s, lib.g));
    }
    MtcnnDetector detector;
    const std::vector<std::pair<std::string, Emotion>> photos{
        {"angry.jpg", Emotion::Angry}, {"happy-baby.jpeg", Emotion::Happy}, {"neutral.jpeg", Emotion::Neutral},
        {"sad-baby.jpeg", Emotion::Sad}, {"surprised.jpeg", Emotion::Surprise}, {"group.jpeg", Emotion::Neutral}};
    for (const auto& [file, label] : photos) {
        cv::Mat bgr = cv::imread((shared / "data/faces" / file).string(), cv::IMREAD_COLOR);
        if (bgr.empty()) throw std::runtime_error("cannot read " + (shared / "data/faces" / file).string());
        auto faces = detector.detect(bgr);
        cv::Mat gray;
        cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
        const bool group = file == "group.jpeg";
        for (std::size_t i = 0; i < (group ? faces.size() : std::min<std::size_t>(1, faces.size())); ++i) {
            const std::string name = fs::path(file).stem().string() + (group ? fmt::format("-{}", i + 1) : "");
            if (!group) lib.photos.push_back(lib.sources.size());
            if (label == Emotion::Neutral) lib.neutrals.push_back(lib.sources.size());
            lib.sources.push_back(from_photo(gray, faces[i], name, label, lib.g));
        }
    }
    return lib;
}

Emotion still_reading(const Library& lib, std::size_t i, const EmotionClassifier& classifier) {
    const auto& g = lib.g;
    cv::Mat crop;
    cv::resize(lib.sources[i].canvas(cv::Rect(g.P, g.P, g.S, g.S)), crop, {g.fs, g.fs}, 0, 0, cv::INTER_AREA);
    crop.convertTo(crop, CV_8U);
    return classifier.classify(crop, g_tta).emotion;
}

std::string label_name(Emotion e) { return std::string(to_string(e)); }

std::vector<ClipPlan> make_plan(const Library& lib, const EmotionClassifier& classifier, std::mt19937_64& rng,
                                int change_clips) {
    std::vector<bool> used(lib.sources.size(), false);
    auto pick = [&](Emotion e) {  // an unused face that the classifier reads as `e` when still
        auto v = lib.fer_by_label.at(e);
        std::shuffle(v.begin(), v.end(), rng);
        std::erase_if(v, [&](std::size_t i) { return used[i]; });
        auto it = std::find_if(v.begin(), v.end(), [&](std::size_t i) { return still_reading(lib, i, classifier) == e; });
        const std::size_t i = it != v.end() ? *it : v.front();  // none: a face of `e` read otherwise
        used[i] = true;
        return i;
    };
    auto other_emotion = [&](Emotion not_this) {
        static constexpr std::array<Emotion, 5> common{Emotion::Angry, Emotion::Happy, Emotion::Sad, Emotion::Surprise,
                                                       Emotion::Neutral};
        Emotion e;
        do e = common[std::uniform_int_distribution<std::size_t>(0, common.size() - 1)(rng)];
        while (e == not_this);
        return e;
    };
    std::vector<ClipPlan> talk, change, gaps, newperson;
    for (Emotion e : kAllEmotions)  // a second face for the four emotions most often seen
        for (int n = 1; n <= (e == Emotion::Disgust || e == Emotion::Fear || e == Emotion::Surprise ? 1 : 2); ++n) {
            const double d = uniform(rng, 20, 50);
            talk.push_back({fmt::format("talk_{}_{:02}", to_string(e), n), {{pick(e), 0, d}}, {}, {}, d});
        }
    for (std::size_t i : lib.photos) {
        const double d = uniform(rng, 20, 50);
        talk.push_back({fmt::format("talk_{}_photo", to_string(lib.sources[i].label)), {{i, 0, d}}, {}, {}, d});
    }
    std::shuffle(talk.begin(), talk.end(), rng);
    for (int n = 1; n <= change_clips; ++n) {  // 16 by default: enough for a delay's median and worst case
        const Emotion a = other_emotion(Emotion::Disgust), b = other_emotion(a);
        const double t = uniform(rng, 15, 25), d = t + uniform(rng, 15, 25), blend = uniform(rng, 0.5, 1.5);
        change.push_back({fmt::format("change_{}_{}_{:02}", to_string(a), to_string(b), n),
                          {{pick(a), 0, t}, {pick(b), t, d, blend}}, {}, {t}, d});
    }
    for (int n = 1; n <= 2; ++n) {
        const Emotion e = other_emotion(Emotion::Disgust);
        ClipPlan c{fmt::format("gaps_{}_{:02}", to_string(e), n), {}, {}, {}, uniform(rng, 30, 45)};
        c.segments.push_back({pick(e), 0, c.duration});
        const int count = std::uniform_int_distribution<int>(2, 4)(rng);
        for (int k = 0; k < count; ++k) {
            const double slot = c.duration / count, len = uniform(rng, 0.5, std::min(5.0, slot - 2.0));
            const double start = slot * k + uniform(rng, 1.0, slot - len - 0.5);
            c.gaps.push_back({start, start + len});
        }
        gaps.push_back(std::move(c));
    }
    {
        const Emotion a = other_emotion(Emotion::Disgust), b = other_emotion(a);
        const double t_end = uniform(rng, 15, 25), t = t_end + uniform(rng, 1, 2), d = t + uniform(rng, 15, 25);
        ClipPlan c{fmt::format("newperson_{}_{}_01", to_string(a), to_string(b)),
                   {{pick(a), 0, t_end}, {pick(b), t, d, 0.0, true}}, {{t_end, t}}, {t}, d};
        newperson.push_back(std::move(c));
    }
    std::vector<ClipPlan> plan;  // interleaved by kind, so that --clips N gets each kind early
    std::vector<std::vector<ClipPlan>*> kinds{&talk, &change, &gaps, &newperson};
    std::vector<std::size_t> next(kinds.size(), 0);
    for (bool more = true; more;) {
        more = false;
        for (std::size_t k = 0; k < kinds.size(); ++k) {
            const std::size_t take = k == 0 ? 3 : 1;  // three talking clips for each of the others
            for (std::size_t j = 0; j < take && next[k] < kinds[k]->size(); ++j, more = true)
                plan.push_back(std::move((*kinds[k])[next[k]++]));
        }
    }
    return plan;
}

struct Person {  // where a person's face sits in the 640x480 frame
    double cx, cy, side;
};

Summary make_clip(const ClipPlan& clip, const Library& lib, const EmotionClassifier& classifier,
                  std::mt19937_64& rng, const fs::path& out_dir) {
    const auto& g = lib.g;
    const std::size_t frames = static_cast<std::size_t>(clip.duration * kFps);
    const std::vector<double> open = speech_envelope(frames, rng);
    Renderer renderer(g);
    cv::RNG noise_rng(rng());
    // Per clip: camera, light, how far talking pulls towards neutral, the neutral face it pulls to.
    const double mild = uniform(rng, 0.3, 0.5), depth = uniform(rng, 0.15, 0.3), blur = uniform(rng, 0.3, 1.1), gamma = uniform(rng, 0.75, 1.35);
    const double gain = uniform(rng, 0.8, 1.15), offset = uniform(rng, -15, 15), gradient = uniform(rng, -25, 25);
    const double noise = uniform(rng, 0.5, 2.0), drift_period = uniform(rng, 5, 20), drift = uniform(rng, 0.0, 0.12);
    std::vector<std::size_t> neutral_of(clip.segments.size());
    std::vector<Person> person(clip.segments.size());
    for (std::size_t s = 0; s < clip.segments.size(); ++s) {
        do neutral_of[s] = lib.neutrals[std::uniform_int_distribution<std::size_t>(0, lib.neutrals.size() - 1)(rng)];
        while (neutral_of[s] == clip.segments[s].source);
        person[s] = (s == 0 || clip.segments[s].new_person)
                        ? Person{uniform(rng, 220, 420), uniform(rng, 180, 300), uniform(rng, 120, 260)}
                        : person[s - 1];
    }
    const std::array<double, 6> head_freq{uniform(rng, 0.05, 0.2), uniform(rng, 0.05, 0.2), uniform(rng, 0.03, 0.1),
                                          uniform(rng, 0.05, 0.25), uniform(rng, 0.1, 0.4), uniform(rng, 0.2, 0.6)};
    // Render every frame, then classify in batches.
    std::vector<TraceFrame> trace(frames);
    std::vector<cv::Mat> crops;
    std::vector<std::size_t> crop_frame;
    std::vector<Emotion> truth;
    bool first_face_of_person = true;
    std::size_t last_segment = 0;
    for (std::size_t i = 0; i < frames; ++i) {
        const double t = static_cast<double>(i) / kFps;
        trace[i].time = t;
        const bool in_gap = std::any_of(clip.gaps.begin(), clip.gaps.end(),
                                        [&](const auto& gap) { return t >= gap.first && t < gap.second; });
        std::size_t s = 0;
        while (s + 1 < clip.segments.size() && t >= clip.segments[s + 1].start - clip.segments[s + 1].blend / 2) ++s;
        if (s != last_segment && clip.segments[s].new_person) first_face_of_person = true;
        last_segment = s;
        if (in_gap) continue;  // faces = 0, no main face
        const Segment& seg = clip.segments[s];
        cv::Mat face = lib.sources[seg.source].canvas;
        Emotion label = lib.sources[seg.source].label;
        if (seg.blend > 0.0 && t < seg.start + seg.blend / 2) {  // cross-blend from the previous face
            const double c = (t - (seg.start - seg.blend / 2)) / seg.blend;
            cv::Mat mixed;  // a new image: `face` shares its pixels with the library's canvas
            cv::addWeighted(lib.sources[clip.segments[s - 1].source].canvas, 1.0 - c, face, c, 0.0, mixed);
            face = mixed;
            if (t < seg.start) label = lib.sources[clip.segments[s - 1].source].label;
        }
        auto wave = [&](std::size_t k, double amp) { return amp * std::sin(2 * kPi * head_freq[k] * t + static_cast<double>(k)); };
        Renderer::Params p{};
        p.blend = mild + depth * open[i];
        p.open = open[i];
        p.shift_x = wave(0, 1.5) + normal(rng, 0.4);
        p.shift_y = wave(1, 1.5) + normal(rng, 0.4);
        p.scale = 1.0 + wave(2, 0.03) + normal(rng, 0.008);
        p.angle_deg = wave(3, 4.0) + normal(rng, 0.6);
        p.blur = std::max(0.0, blur + wave(4, 0.2));
        p.gamma = gamma;
        p.gain = gain * (1.0 + drift * std::sin(2 * kPi * t / drift_period));
        p.offset = offset;
        p.gradient = gradient;
        p.noise = noise;
        crops.push_back(renderer.render(face, lib.sources[neutral_of[s]].canvas, p, noise_rng));
        crop_frame.push_back(i);
        truth.push_back(label);
        // The box follows the crop: jitter in crop pixels is jitter of the box in frame pixels.
        const Person& who = person[s];
        const double px = who.side / g.fs, side = who.side / p.scale;
        Face f;
        f.box = cv::Rect2f(static_cast<float>(who.cx - p.shift_x * px - side / 2),
                           static_cast<float>(who.cy - p.shift_y * px - side / 2), static_cast<float>(side),
                           static_cast<float>(side));
        f.score = static_cast<float>(std::clamp(1.0 - std::abs(normal(rng, 0.01)), 0.97, 1.0));
        for (std::size_t k = 0; k < 5; ++k)
            f.landmarks[k] = {f.box.x + FaceAligner::kFer48Template[k][0] / 48.0f * f.box.width,
                              f.box.y + FaceAligner::kFer48Template[k][1] / 48.0f * f.box.height};
        trace[i].faces = 1;
        trace[i].main_face = f;
        trace[i].new_person = first_face_of_person;
        first_face_of_person = false;
    }
    std::vector<double> tops;
    std::size_t changes = 0, right = 0;
    std::optional<Emotion> previous;
    std::array<std::size_t, kEmotionCount> read_as{};
    constexpr std::size_t kBatch = 64;
    const auto classify_start = std::chrono::steady_clock::now();
    for (std::size_t b = 0; b < crops.size(); b += kBatch) {
        const std::size_t n = std::min(kBatch, crops.size() - b);
        auto scores = classifier.classify(std::span<const cv::Mat>(crops.data() + b, n), g_tta);
        for (std::size_t j = 0; j < n; ++j) {
            const auto& sc = scores[j];
            trace[crop_frame[b + j]].scores = sc;
            tops.push_back(static_cast<double>(sc.confidence));
            if (previous && *previous != sc.emotion) ++changes;
            previous = sc.emotion;
            if (sc.emotion == truth[b + j]) ++right;
            ++read_as[static_cast<std::size_t>(sc.emotion)];
        }
    }
    g_classify_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - classify_start).count();
    TraceWriter writer(out_dir / (clip.name + ".jsonl"));
    for (const auto& f : trace) writer.write(f);
    writer.close();
    Summary sum{clip.name, frames};
    if (!tops.empty()) {
        std::nth_element(tops.begin(), tops.begin() + static_cast<std::ptrdiff_t>(tops.size() / 2), tops.end());
        sum.median_top = tops[tops.size() / 2];
        sum.label_share = static_cast<double>(right) / static_cast<double>(tops.size());
        const auto most = std::max_element(read_as.begin(), read_as.end());
        sum.most_read = static_cast<Emotion>(most - read_as.begin());
        sum.most_read_share = static_cast<double>(*most) / static_cast<double>(tops.size());
    }
    sum.changes_per_min = static_cast<double>(changes) / (clip.duration / 60.0);
    return sum;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::string(argv[1]).starts_with("-")) {
        std::fprintf(stderr, "usage: %s OUT_DIR [--seed N] [--clips N] [--changes N] [--tta single|mirror]\n", argv[0]);
        return 2;
    }
    const fs::path out_dir = argv[1];
    std::uint64_t seed = 1;
    std::size_t max_clips = 0;
    int change_clips = 16;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string opt = argv[i];
        if (opt == "--seed") seed = std::stoull(argv[i + 1]);
        else if (opt == "--clips") max_clips = std::stoul(argv[i + 1]);
        else if (opt == "--changes") change_clips = std::stoi(argv[i + 1]);
        else if (opt == "--tta") {
            const auto tta = parse_test_time_augmentation(argv[i + 1]);
            if (!tta) {
                std::fprintf(stderr, "--tta: unknown test-time augmentation %s\n", argv[i + 1]);
                return 2;
            }
            g_tta = *tta;
        } else {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }
    try {
        const auto started = std::chrono::steady_clock::now();
        cv::setNumThreads(1);
        std::mt19937_64 rng(seed);
        const auto classifier = EmotionClassifier::load_default();
        const Library lib = load_faces(DANGPLI_SHARED_DIR, classifier, rng);
        auto plan = make_plan(lib, classifier, rng, change_clips);
        if (max_clips > 0 && max_clips < plan.size()) plan.resize(max_clips);
        fs::create_directories(out_dir);
        std::ofstream csv(out_dir / "clips.csv");
        csv << "name,emotion_sequence,change_times\n";
        fmt::print("{:<27} {:>6} {:>7} {:>10} {:>6}  {:<13} {}\n", "clip", "frames", "med.top", "argmax/min",
                   "=label", "most read", "faces");
        std::vector<Summary> all;
        for (const auto& clip : plan) {
            std::string sequence, times, faces;
            for (std::size_t s = 0; s < clip.segments.size(); ++s) {
                const auto& src = lib.sources[clip.segments[s].source];
                sequence += (s ? ";" : "") + label_name(src.label);
                faces += (s ? "," : "") + src.name;
            }
            for (std::size_t k = 0; k < clip.change_times.size(); ++k)
                times += fmt::format("{}{:.3f}", k ? ";" : "", clip.change_times[k]);
            csv << clip.name << ',' << sequence << ',' << times << '\n';
            auto sum = make_clip(clip, lib, classifier, rng, out_dir);
            fmt::print("{:<27} {:>6} {:>7.2f} {:>10.1f} {:>6.2f}  {:<8} {:.2f}  {}\n", sum.name, sum.frames,
                       sum.median_top, sum.changes_per_min, sum.label_share, to_string(sum.most_read),
                       sum.most_read_share, faces);
            all.push_back(sum);
        }
        csv.close();
        if (!csv) throw std::runtime_error("cannot write " + (out_dir / "clips.csv").string());
        std::vector<double> tops;
        for (const auto& s : all) tops.push_back(s.median_top);
        std::sort(tops.begin(), tops.end());
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        fmt::print("{} clips in {}; median of the clips' median top probability {:.2f}; {:.0f} s\n", all.size(),
                   out_dir.string(), tops[tops.size() / 2], seconds);
        fmt::print("classifier {:.0f} s of it\n", g_classify_s);
        fmt::print("reproduce: make_traces {} --seed {}{}{}{}\n", out_dir.string(), seed,
                   max_clips ? fmt::format(" --clips {}", max_clips) : "",
                   change_clips != 16 ? fmt::format(" --changes {}", change_clips) : "",
                   g_tta != MainFaceReaderOptions{}.tta ? fmt::format(" --tta {}", to_string(g_tta)) : "");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "make_traces: %s\n", e.what());
        return 1;
    }
    return 0;
}
