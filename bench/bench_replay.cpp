// The mood loop replayed on recorded traces (see make_traces and `dangpli live --trace`), every
// setting side by side in one run: what a user would feel of it.
//  - mood changes a minute on clips of one emotion (talking faces) and overall,
//  - song changes a minute under `match` and `lift` (no asking; lift also without min_play, as before session 43),
//  - delay to follow a change of expression (median and the worst, in seconds; "missed": never followed),
//  - the clip's dominant mood (held longest) right, on clips of one emotion.
// Usage: bench_replay TRACE_DIR   (TRACE_DIR holds <clip>.jsonl and clips.csv: name,emotions,change_times)
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "dangpli/emotion.hpp"
#include "dangpli/live_loop.hpp"
#include "dangpli/live_session.hpp"
#include "dangpli/live_trace.hpp"

using namespace dangpli;

namespace {

struct Clip {
    std::string name;
    std::vector<Emotion> emotions;  // in order; one for a clip of one emotion
    std::vector<double> changes;    // seconds at which emotions[i + 1] starts
    std::vector<TraceFrame> frames;
    double seconds() const { return frames.empty() ? 0.0 : frames.back().time - frames.front().time; }
};

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    std::stringstream in(s);
    for (std::string p; std::getline(in, p, sep);) parts.push_back(p);
    return parts;
}

std::vector<Clip> load_clips(const std::filesystem::path& dir) {
    std::ifstream csv(dir / "clips.csv");
    if (!csv) throw std::runtime_error((dir / "clips.csv").string() + ": cannot read (run make_traces first)");
    std::vector<Clip> clips;
    std::string line;
    std::getline(csv, line);  // header
    while (std::getline(csv, line)) {
        const auto f = split(line, ',');
        if (f.size() < 2) continue;
        Clip c;
        c.name = f[0];
        for (const auto& e : split(f[1], ';'))
            if (auto em = parse_emotion(e)) c.emotions.push_back(*em);
        if (f.size() > 2)
            for (const auto& t : split(f[2], ';'))
                if (!t.empty()) c.changes.push_back(std::stod(t));
        c.frames = read_trace(dir / (c.name + ".jsonl"));
        clips.push_back(std::move(c));
    }
    return clips;
}

struct Setting {
    std::string name;
    EmotionAggregatorOptions aggregation;
};

struct Run {
    int mood_changes = 0;  // after the first mood
    int song_changes = 0;  // switches
    std::map<Emotion, double> held;  // seconds each mood was held
    std::vector<double> delays;      // per change of the clip; < 0: never followed
};

Run replay(const Clip& clip, const EmotionAggregatorOptions& aggregation, MoodPolicy policy, double min_play_s = 30.0) {
    LiveSessionOptions o;
    o.policy = policy;
    o.min_play_s = min_play_s;
    o.ask_user = false;
    o.aggregation = aggregation;
    int n = 0;
    LiveSession session(o, [&n](Emotion e) {
        Song s;
        s.title = std::string(to_string(e)) + std::to_string(++n);
        return std::optional(s);
    });
    Run r;
    std::optional<Emotion> mood;
    double since = 0.0;
    std::vector<std::pair<double, Emotion>> changes;
    bool seen_someone = false;  // as LiveLoop: the first person is not "new"
    for (const auto& f : clip.frames) {
        if (f.main_face && f.new_person && seen_someone) session.on_new_person();
        seen_someone = seen_someone || f.main_face.has_value();
        const float weight = f.main_face ? frame_weight(*f.main_face) : 1.0f;
        for (const auto& a : session.on_frame(f.time, f.main_face ? f.scores : std::nullopt, weight)) {
            if (a.kind == LiveAction::Kind::Switch) ++r.song_changes;
            if (a.kind != LiveAction::Kind::MoodChanged) continue;
            if (mood) ++r.mood_changes, r.held[*mood] += a.time - since;
            mood = a.emotion, since = a.time;
            changes.emplace_back(a.time, *a.emotion);
        }
    }
    if (mood) r.held[*mood] += clip.frames.back().time - since;
    for (std::size_t i = 0; i < clip.changes.size() && i + 1 < clip.emotions.size(); ++i) {
        double delay = -1.0;
        for (const auto& [t, e] : changes)
            if (t >= clip.changes[i] && e == clip.emotions[i + 1]) {
                delay = t - clip.changes[i];
                break;
            }
        r.delays.push_back(delay);
    }
    return r;
}

double median(std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        fmt::print(stderr, "usage: bench_replay TRACE_DIR\n");
        return 2;
    }
    const auto clips = load_clips(argv[1]);
    double single_minutes = 0.0, all_minutes = 0.0;
    int single_clips = 0;
    for (const auto& c : clips) {
        all_minutes += c.seconds() / 60.0;
        if (c.emotions.size() == 1) single_minutes += c.seconds() / 60.0, ++single_clips;
    }

    std::vector<Setting> settings;
    auto add = [&](std::string name, AggregationStrategy s, double window, double hold, float margin, float clear) {
        EmotionAggregatorOptions o;
        o.strategy = s;
        o.window_s = window;
        o.min_face_s = std::min(1.0, window);
        o.hold_s = hold;
        o.switch_margin = margin;
        o.clear_margin = clear;
        settings.push_back({std::move(name), o});
    };
    // The old defaults: 20 frames (0.67 s at 30 fps), no hold, every change followed at once.
    add("old: mean 20 frames", AggregationStrategy::Mean, 20.0 / 30.0, 0.0, 0.10f, 0.0f);
    add("old: majority 20 frames", AggregationStrategy::Majority, 20.0 / 30.0, 0.0, 0.10f, 0.0f);
    for (auto s : {AggregationStrategy::Mean, AggregationStrategy::Ema, AggregationStrategy::Majority})
        for (double window : {2.0, 3.0, 4.0})
            for (double hold : {0.5, 1.0, 1.5, 2.0})
                add(fmt::format("{} {:.0f} s, hold {:.1f} s", to_string(s), window, hold), s, window, hold, 0.10f, 0.05f);
    for (double window : {1.5, 2.0, 3.0})
        for (float margin : {0.05f, 0.15f, 0.2f})
            add(fmt::format("mean {:.1f} s, hold 1.0 s, margin {:.2f}", window, margin), AggregationStrategy::Mean, window,
                1.0, margin, 0.05f);

    fmt::print("{} clips ({:.1f} min), {} of one emotion ({:.1f} min)\n\n", clips.size(), all_minutes, single_clips,
               single_minutes);
    fmt::print("| setting | mood changes/min, one emotion | mood changes/min, all | song changes/min, match | "
               "song changes/min, lift | lift, min_play 0 | delay to follow, median / worst s | missed | dominant mood right |\n");
    fmt::print("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const auto& s : settings) {
        int single_changes = 0, all_changes = 0, match_songs = 0, lift_songs = 0, unheld_lift_songs = 0, right = 0, missed = 0;
        std::vector<double> delays;
        for (const auto& c : clips) {
            const Run match = replay(c, s.aggregation, MoodPolicy::Match);
            const Run lift = replay(c, s.aggregation, MoodPolicy::Lift);
            all_changes += match.mood_changes;
            match_songs += match.song_changes;
            lift_songs += lift.song_changes;
            unheld_lift_songs += replay(c, s.aggregation, MoodPolicy::Lift, 0.0).song_changes;
            for (double d : match.delays)
                if (d < 0)
                    ++missed;
                else
                    delays.push_back(d);
            if (c.emotions.size() != 1) continue;
            single_changes += match.mood_changes;
            const auto dominant = std::max_element(match.held.begin(), match.held.end(),
                                                   [](const auto& a, const auto& b) { return a.second < b.second; });
            right += dominant != match.held.end() && dominant->first == c.emotions.front();
        }
        const double worst = delays.empty() ? 0.0 : *std::max_element(delays.begin(), delays.end());
        fmt::print("| {} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} / {:.2f} | {} | {} of {} |\n", s.name,
                   single_changes / std::max(single_minutes, 1e-9), all_changes / std::max(all_minutes, 1e-9),
                   match_songs / std::max(all_minutes, 1e-9), lift_songs / std::max(all_minutes, 1e-9),
                   unheld_lift_songs / std::max(all_minutes, 1e-9), median(delays),
                   worst, missed, right, single_clips);
    }
    fmt::print("\nmatch and lift with min_play 30 s, lift with recheck 10 s and no asking; songs never end (clips are short).\n");
    fmt::print("reproduce: build/bench/make_traces TRACES && build/bench/bench_replay TRACES\n");
    return 0;
}
