#include "live_args.hpp"

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>

#include <yaml-cpp/yaml.h>

#include "dangpli/error.hpp"

namespace dangpli::cli {
namespace {

std::filesystem::path default_config_path() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg == '/')
        return std::filesystem::path(xdg) / "dangpli/config.yaml";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".config/dangpli/config.yaml";
    return {};
}

}  // namespace

void add_live_options(CLI::App& sub, LiveArgs& a) {
    sub.add_option("--camera", a.camera, "Camera index")->capture_default_str();
    sub.add_option("--source", a.source, "A video file or a folder of images instead of the camera");
    sub.add_option("--fps", a.fps, "Frame rate of an image folder")->capture_default_str();
    sub.add_flag("--realtime", a.realtime, "Pace a file source at its own speed (default: as fast as possible)");
    sub.add_option("--policy", a.policy, "lift: keep happy music, move on otherwise (the seed's loop); match: follow the mood")
        ->check(CLI::IsMember({"lift", "match"}))
        ->capture_default_str();
    sub.add_option("--strategy", a.strategy, "How frames are combined: majority, mean or ema")
        ->check(CLI::IsMember({"majority", "mean", "ema"}))
        ->capture_default_str();
    sub.add_option("--window", a.window, "Frames with a face that make a mood")->check(CLI::Range(1, 1000))->capture_default_str();
    sub.add_option("--recheck", a.recheck_seconds, "Seconds of a song before looking again")->capture_default_str();
    sub.add_option("--songs-before-asking", a.songs_before_asking, "Songs without a smile before asking")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    sub.add_flag("--no-ask", a.no_ask, "Never stop to ask how you feel");
    sub.add_option("--player", a.player, "mpv (libmpv), command (an external program) or silent (decide and log only)")
        ->check(CLI::IsMember({"mpv", "command", "silent"}))
        ->capture_default_str();
    sub.add_option("--player-command", a.player_command, "Command for --player command; {} is the song")->capture_default_str();
    sub.add_option("--audio-output", a.audio_output, "mpv audio output (auto, null, pulse, alsa, ...)")->capture_default_str();
    sub.add_option("--min-face", a.min_face, "Smallest face to find, in pixels")->capture_default_str();
    sub.add_option("--db", a.db, "Playlist database (default: in the XDG data dir)");
    sub.add_option("--model", a.model, "Emotion model (.onnx with its card; default: the bundled one)");
    sub.add_option("--events", a.events, "Append one JSON line per event to this file");
    sub.add_flag("--preview", a.preview, "Show the frames with faces and emotions in a window ('q' closes)");
    sub.add_option("--config", a.config, "YAML config file (its `live:` section sets defaults for these flags)");
}

void apply_live_config(const CLI::App& sub, LiveArgs& a) {
    const bool explicit_file = !a.config.empty();
    const std::filesystem::path path = explicit_file ? std::filesystem::path(a.config) : default_config_path();
    std::error_code ec;
    if (path.empty() || !std::filesystem::exists(path, ec)) {
        if (explicit_file) throw InputError(path.string() + ": no such config file");
        return;
    }
    YAML::Node root;
    try {
        root = YAML::LoadFile(path.string());
    } catch (const YAML::Exception& e) {
        throw DataError(path.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    const YAML::Node live = root["live"];
    if (!live) return;
    if (!live.IsMap()) throw DataError(path.string() + ":" + std::to_string(live.Mark().line + 1) + ": `live` must be a map");

    // key in the file -> (flag, setter)
    using Setter = std::function<void(const YAML::Node&)>;
    const std::map<std::string, std::pair<std::string, Setter>> keys{
        {"camera", {"--camera", [&](const YAML::Node& n) { a.camera = n.as<int>(); }}},
        {"policy", {"--policy", [&](const YAML::Node& n) { a.policy = n.as<std::string>(); }}},
        {"strategy", {"--strategy", [&](const YAML::Node& n) { a.strategy = n.as<std::string>(); }}},
        {"window", {"--window", [&](const YAML::Node& n) { a.window = n.as<std::size_t>(); }}},
        {"recheck", {"--recheck", [&](const YAML::Node& n) { a.recheck_seconds = n.as<double>(); }}},
        {"songs_before_asking", {"--songs-before-asking", [&](const YAML::Node& n) { a.songs_before_asking = n.as<int>(); }}},
        {"no_ask", {"--no-ask", [&](const YAML::Node& n) { a.no_ask = n.as<bool>(); }}},
        {"player", {"--player", [&](const YAML::Node& n) { a.player = n.as<std::string>(); }}},
        {"player_command", {"--player-command", [&](const YAML::Node& n) { a.player_command = n.as<std::string>(); }}},
        {"audio_output", {"--audio-output", [&](const YAML::Node& n) { a.audio_output = n.as<std::string>(); }}},
        {"min_face", {"--min-face", [&](const YAML::Node& n) { a.min_face = n.as<float>(); }}},
        {"db", {"--db", [&](const YAML::Node& n) { a.db = n.as<std::string>(); }}},
        {"model", {"--model", [&](const YAML::Node& n) { a.model = n.as<std::string>(); }}},
    };
    for (const auto& item : live) {
        const auto key = item.first.as<std::string>();
        const auto where = path.string() + ":" + std::to_string(item.first.Mark().line + 1) + ": ";
        auto it = keys.find(key);
        if (it == keys.end()) throw DataError(where + "unknown key '" + key + "' in live:");
        if (sub.count(it->second.first) > 0) continue;  // the flag wins
        try {
            it->second.second(item.second);
        } catch (const YAML::Exception&) {
            throw DataError(where + "bad value for '" + key + "'");
        }
    }
    const auto one_of = [&](const std::string& value, std::initializer_list<const char*> allowed, const char* key) {
        for (const char* v : allowed)
            if (value == v) return;
        throw DataError(path.string() + ": live." + key + " '" + value + "' is not allowed");
    };
    one_of(a.policy, {"lift", "match"}, "policy");
    one_of(a.strategy, {"majority", "mean", "ema"}, "strategy");
    one_of(a.player, {"mpv", "command", "silent"}, "player");
}

LiveSessionOptions live_session_options(const LiveArgs& a) {
    LiveSessionOptions o;
    o.policy = a.policy == "match" ? MoodPolicy::Match : MoodPolicy::Lift;
    o.recheck_after_s = a.recheck_seconds;
    o.songs_before_asking = a.songs_before_asking;
    o.ask_user = !a.no_ask;
    o.aggregation.window = a.window;
    o.aggregation.min_frames = std::min<std::size_t>(5, a.window);
    o.aggregation.ema_alpha = 2.0f / (static_cast<float>(a.window) + 1.0f);  // an EMA spanning the window
    o.aggregation.strategy = a.strategy == "majority" ? AggregationStrategy::Majority
                             : a.strategy == "ema"    ? AggregationStrategy::Ema
                                                      : AggregationStrategy::Mean;
    return o;
}

}  // namespace dangpli::cli
