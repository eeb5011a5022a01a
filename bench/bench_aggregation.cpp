// Flicker and delay of the mood aggregation strategies. Each simulated frame's scores are drawn
// from the bundled model's own outputs on PublicTest faces of the true emotion (independent draws:
// harsher than a real video, whose frames are alike). At 30 fps:
//  - spurious switches per minute while the true emotion stays the same,
//  - share of frames whose mood is the true emotion,
//  - delay (seconds) to follow a change of the true emotion.
// Usage: bench_aggregation [PUBLICTEST_DIR_OR_CSV] [WINDOW] [MARGIN]
#include <algorithm>
#include <array>
#include <random>
#include <vector>

#include <fmt/core.h>

#include "dangpli/emotion_aggregator.hpp"
#include "dangpli/emotion_classifier.hpp"
#include "dangpli/fer2013.hpp"

using namespace dangpli;

namespace {

constexpr double kFps = 30.0;

struct Figures {
    double switches_per_minute = 0, share_right = 0, median_delay_s = 0, p90_delay_s = 0;
    int never_followed = 0;
};

Figures simulate(const std::array<std::vector<EmotionScores>, kEmotionCount>& pools, EmotionAggregatorOptions options,
                 std::mt19937& rng) {
    Figures f;
    auto draw = [&](Emotion e) {
        const auto& pool = pools[static_cast<std::size_t>(e)];
        return pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)];
    };
    // Steady state: 2 minutes per emotion.
    double switches = 0, frames = 0, right = 0;
    for (Emotion e : kAllEmotions) {
        EmotionAggregator a(options);
        std::optional<Emotion> last;
        for (int i = 0; i < static_cast<int>(120 * kFps); ++i) {
            const Mood& m = a.push(draw(e));
            if (i < static_cast<int>(5 * kFps)) {  // settle in
                last = m.emotion;
                continue;
            }
            if (m.emotion != last) ++switches;
            last = m.emotion;
            right += m.emotion == e;
            ++frames;
        }
    }
    f.switches_per_minute = switches / (frames / kFps / 60.0);
    f.share_right = right / frames;
    // Changes: every ordered pair, 10 s of the first emotion then up to 10 s of the second.
    std::vector<double> delays;
    for (int trial = 0; trial < 3; ++trial)
        for (Emotion from : kAllEmotions)
            for (Emotion to : kAllEmotions) {
                if (from == to) continue;
                EmotionAggregator a(options);
                for (int i = 0; i < static_cast<int>(10 * kFps); ++i) a.push(draw(from));
                int n = 1;
                for (; n <= static_cast<int>(10 * kFps); ++n)
                    if (a.push(draw(to)).emotion == to) break;
                if (n > static_cast<int>(10 * kFps)) ++f.never_followed;
                else delays.push_back(n / kFps);
            }
    std::sort(delays.begin(), delays.end());
    if (!delays.empty()) {
        f.median_delay_s = delays[delays.size() / 2];
        f.p90_delay_s = delays[delays.size() * 9 / 10];
    }
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string data = argc > 1 ? argv[1] : DANGPLI_SHARED_DIR "/data/fer2013/publictest";
    const std::size_t window = argc > 2 ? std::stoul(argv[2]) : 20;
    const float margin = argc > 3 ? std::stof(argv[3]) : 0.10f;
    const auto samples = load_fer2013(data, Fer2013Split::PublicTest);
    const auto classifier = EmotionClassifier::load_default();
    std::array<std::vector<EmotionScores>, kEmotionCount> pools;
    std::vector<cv::Mat> faces;
    for (const auto& s : samples) faces.push_back(s.image);
    const auto scores = classifier.classify(faces);
    for (std::size_t i = 0; i < samples.size(); ++i) pools[static_cast<std::size_t>(samples[i].label)].push_back(scores[i]);

    fmt::print("model {}; {} PublicTest outputs; window {} frames, switch margin {:.2f}, 30 fps, i.i.d. frames\n\n",
               classifier.card().name, samples.size(), window, margin);
    fmt::print("| strategy | spurious switches / min | frames with the true mood | delay median | delay p90 | not followed in 10 s |\n");
    fmt::print("|---|---:|---:|---:|---:|---:|\n");
    const std::pair<const char*, AggregationStrategy> strategies[] = {
        {"majority", AggregationStrategy::Majority}, {"mean", AggregationStrategy::Mean}, {"ema", AggregationStrategy::Ema}};
    for (const auto& [name, strategy] : strategies) {
        for (float m : {0.0f, margin}) {
            EmotionAggregatorOptions o;
            o.strategy = strategy;
            o.window = window;
            o.switch_margin = m;
            o.ema_alpha = 2.0f / (static_cast<float>(window) + 1.0f);  // the EMA's span matches the window
            std::mt19937 rng(1);
            const auto f = simulate(pools, o, rng);
            fmt::print("| {} (margin {:.2f}) | {:.1f} | {:.1f}% | {:.2f} s | {:.2f} s | {} of 126 |\n", name, m,
                       f.switches_per_minute, 100 * f.share_right, f.median_delay_s, f.p90_delay_s, f.never_followed);
        }
    }
    fmt::print("\nreproduce: build/bench/bench_aggregation {} {} {}\n", data, window, margin);
    return 0;
}
