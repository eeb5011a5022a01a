#include "live_args.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include <yaml-cpp/yaml.h>

#include "dangpli/error.hpp"
#include "dangpli/face_detector_factory.hpp"
#include "dangpli/input_file.hpp"
#include "dangpli/yaml_documents.hpp"
#include "nearest_word.hpp"
#include "number_checks.hpp"
#include "path_option.hpp"
#include "tta_option.hpp"

namespace dangpli::cli {
namespace {

// A command of blanks runs nothing (the shell's status 127 for every song).
bool blank(const std::string& command) { return command.find_first_not_of(" \t\n") == std::string::npos; }

std::filesystem::path default_config_path() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg == '/')
        return std::filesystem::path(xdg) / "dangpli/config.yaml";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".config/dangpli/config.yaml";
    return {};
}

// One range per number, shared by the flag and the config key that set it.
const NumberRange kCameraRange = NumberRange::between(0, 1000);
// An image folder shown slower than one image in 100 s is a typo, not a slideshow.
const NumberRange kFpsRange = NumberRange::between(0.01, 1000.0);
// CLI11 would saturate a number past int64 silently; 2^53 is a bound every value below is exact for
// (in the check's double, and in the JSON readers of a trace or events file).
const NumberRange kSeedRange = NumberRange::between(0.0, 9007199254740992.0);
const NumberRange kWindowRange = NumberRange::between(0.1, 600.0);
const NumberRange kHoldRange = NumberRange::between(0.0, 600.0);
const NumberRange kMarginRange = NumberRange::between(0.0, 0.99);
const NumberRange kRecheckRange = NumberRange::between(0.1, 3600.0);
const NumberRange kMinPlayRange = NumberRange::between(0.0, 3600.0);
const NumberRange kSongsBeforeAskingRange = NumberRange::between(1, 100);
const NumberRange kAnswerWaitRange = NumberRange::between(1, 3600);
const NumberRange kRedetectRange = NumberRange::between(1, 100000);
const NumberRange kClassifyRange = NumberRange::between(1, 100);

}  // namespace

void add_live_options(CLI::App& sub, LiveArgs& a) {
    sub.add_option("--camera", a.camera, "Camera index")->check(in_range(kCameraRange))->capture_default_str();
    sub.add_option("--source", a.source, "A video file, a folder of images or a still photo instead of the camera")
        ->check(non_empty_path())
        ->excludes("--camera");  // one source: the camera index beside a file would be dropped in silence
    sub.add_option("--fps", a.fps, "Frame rate of an image folder")->check(in_range(kFpsRange))->capture_default_str();
    sub.add_flag("--realtime", a.realtime, "Pace a file source at its own speed (default: as fast as possible)");
    sub.add_flag("--preview", a.preview, "Show the frames with faces and emotions in a window ('q' closes)");
    sub.add_option("--policy", a.policy,
                   fmt::format("{}: keep happy music and music of the mood shown, move on otherwise (the seed's loop); "
                               "{}: follow the mood",
                               to_string(MoodPolicy::Lift), to_string(MoodPolicy::Match)))
        ->transform(CLI::IsMember(mood_policy_names(), CLI::ignore_case))
        ->capture_default_str();
    sub.add_option("--strategy", a.strategy,
                   fmt::format("How frames are combined: {}", fmt::join(aggregation_strategy_names(), ", ")))
        ->transform(CLI::IsMember(aggregation_strategy_names(), CLI::ignore_case))
        ->capture_default_str();
    sub.add_option("--window", a.window, "Seconds of face that make a mood")->check(in_range(kWindowRange))->capture_default_str();
    sub.add_option("--hold", a.hold, "Seconds a new mood must lead before it is the mood")
        ->check(in_range(kHoldRange))
        ->capture_default_str();
    sub.add_option("--switch-margin", a.switch_margin, "Support by which a new mood must lead the current one")
        ->check(in_range(kMarginRange))
        ->capture_default_str();
    sub.add_option("--clear-margin", a.clear_margin, "Lead over every other emotion for a mood to count as clear")
        ->check(in_range(kMarginRange))
        ->capture_default_str();
    sub.add_option("--recheck", a.recheck_seconds, "lift: seconds of a song before looking again")
        ->check(in_range(kRecheckRange))
        ->capture_default_str();
    sub.add_option("--min-play", a.min_play, "Seconds a song plays before the face may cut it (either policy)")
        ->check(in_range(kMinPlayRange))
        ->capture_default_str();
    sub.add_option("--songs-before-asking", a.songs_before_asking, "Songs without a smile before asking")
        ->check(in_range(kSongsBeforeAskingRange))
        ->capture_default_str();
    sub.add_flag("--no-ask", a.no_ask, "Never stop to ask how you feel");
    sub.add_option("--answer-wait", a.answer_wait,
                   "Seconds the question waits for each answer line before the run goes on (no terminal, a pipe held open)")
        ->check(in_range(kAnswerWaitRange))
        ->capture_default_str();
    sub.add_option("--player", a.player,
                   fmt::format("Player, best first: {} (see the man page)", fmt::join(player_kinds(), ", ")))
        ->transform(CLI::IsMember(player_kinds(), CLI::ignore_case))
        ->capture_default_str();
    sub.add_option("--player-command", a.player_command, "Command for --player command; {} is the song")
        ->check(CLI::Validator([](std::string& value) { return blank(value) ? std::string("an empty command") : std::string(); }, ""))
        ->capture_default_str();
    sub.add_option("--audio-output", a.audio_output, "mpv audio output (auto, null, pulse, alsa, ...)")->capture_default_str();
    add_detector_option(sub, a.detector);
    sub.add_option("--min-face", a.min_face, "Smallest face to find, in pixels")
        ->check(in_range(kMinFaceRange))
        ->capture_default_str();
    add_tilt_retry_option(sub, a.tilt_retry);
    sub.add_option("--db", a.db, "Playlist database (default: in the XDG data dir)")->check(non_empty_path());
    sub.add_option("--model", a.model, "Emotion model (.onnx with its card; default: the bundled one)")
        ->check(non_empty_path());
    sub.add_option("--events", a.events, "Append one JSON line per event to this file")->check(non_empty_path());
    auto* trace = sub.add_option("--trace", a.trace, "Write every frame's main face (time, box, seven scores; no pixels) "
                                                     "to this JSONL file")->check(non_empty_path());
    auto* replay = sub.add_option("--replay", a.replay, "Run the mood loop on a trace written by --trace, as fast as it goes")
        ->check(non_empty_path());
    replay->excludes(trace);
    for (const char* f : {"--camera", "--source", "--realtime", "--preview"}) replay->excludes(sub.get_option(f));
    sub.add_option("--seed", a.seed, "Seed of the song draws (repeatable runs); default: random")
        ->check(in_range(kSeedRange));
    sub.add_option("--redetect-every", a.redetect_every, "Frames between full face detections while a face is tracked")
        ->check(in_range(kRedetectRange))
        ->capture_default_str();
    sub.add_option("--classify-every", a.classify_every, "Read the emotion on every n-th frame")
        ->check(in_range(kClassifyRange))
        ->capture_default_str();
    add_tta_option(sub, a.tta);
    sub.add_option("--config", a.config, "YAML config file (its `live:` section sets defaults for these flags)")
        ->check(non_empty_path());
}

std::filesystem::path live_config_file(const LiveArgs& args) {
    return args.config.empty() ? default_config_path() : std::filesystem::path(args.config);
}

void apply_live_config(const CLI::App& sub, LiveArgs& a) {
    const bool explicit_file = !a.config.empty();
    const std::filesystem::path path = live_config_file(a);
    std::error_code ec;
    if (path.empty() || !std::filesystem::exists(path, ec)) {
        if (explicit_file) throw InputError(path.string() + ": no such config file");
        return;
    }
    YAML::Node root;
    std::size_t second_document_line = 0;  // where a document after the first starts, which Load drops
    const std::string text = read_input_file(path, input_limits::kSmallYaml, "a config file");
    try {
        root = load_yaml_document(text, second_document_line);
    } catch (const YAML::Exception& e) {
        throw DataError(path.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    if (second_document_line)
        throw DataError(fmt::format("{}:{}: a second YAML document (a config file holds one, with its `live:` section)",
                                    path.string(), second_document_line));
    if (!root.IsMap()) {
        if (root.IsNull()) return;  // an empty file
        throw DataError(path.string() + ":" + std::to_string(root.Mark().line + 1) + ": expected a map with a `live:` section");
    }
    // Only `live:` is read: any other section is a typo (`liv:`) or another file, never ignored in silence.
    // yaml-cpp keeps a repeated key and reads only the first: the second would be ignored in silence.
    int live_line = 0;
    for (const auto& section : root) {
        const std::string name = section.first.IsScalar() ? section.first.Scalar() : std::string("?");
        const int line = section.first.Mark().line + 1;
        if (name != "live")
            throw DataError(path.string() + ":" + std::to_string(line) + ": unknown section '" + name +
                            "' (a config file has one section, `live:`)");
        if (live_line)
            throw DataError(fmt::format("{}:{}: a second `live:` section (the first is at line {})", path.string(), line,
                                        live_line));
        live_line = line;
    }
    const YAML::Node live = root["live"];
    if (!live || live.IsNull()) return;  // `live:` with nothing under it yet sets nothing, as an empty file
    if (!live.IsMap()) throw DataError(path.string() + ":" + std::to_string(live.Mark().line + 1) + ": `live` must be a map");

    // A relative file in the config is the config's neighbour, wherever live starts from (a
    // `db: songs.db` read from the current folder made a new store in every folder).
    const auto beside_config = [&](const std::string& file) {
        const std::filesystem::path given(file);
        return given.is_relative() ? (path.parent_path() / given).string() : file;
    };
    // key in the file -> (flag, setter, the flag's range for a number)
    using Setter = std::function<void(LiveArgs&, const YAML::Node&)>;
    struct Key {
        std::string flag;
        Setter set;
        std::optional<NumberRange> range;
    };
    const std::map<std::string, Key> keys{
        {"camera", {"--camera", [](LiveArgs& to, const YAML::Node& n) { to.camera = n.as<int>(); }, kCameraRange}},
        {"policy", {"--policy", [](LiveArgs& to, const YAML::Node& n) { to.policy = n.as<std::string>(); }, std::nullopt}},
        {"strategy", {"--strategy", [](LiveArgs& to, const YAML::Node& n) { to.strategy = n.as<std::string>(); }, std::nullopt}},
        {"window", {"--window", [](LiveArgs& to, const YAML::Node& n) { to.window = n.as<double>(); }, kWindowRange}},
        {"hold", {"--hold", [](LiveArgs& to, const YAML::Node& n) { to.hold = n.as<double>(); }, kHoldRange}},
        {"switch_margin", {"--switch-margin", [](LiveArgs& to, const YAML::Node& n) { to.switch_margin = n.as<double>(); }, kMarginRange}},
        {"clear_margin", {"--clear-margin", [](LiveArgs& to, const YAML::Node& n) { to.clear_margin = n.as<double>(); }, kMarginRange}},
        {"recheck", {"--recheck", [](LiveArgs& to, const YAML::Node& n) { to.recheck_seconds = n.as<double>(); }, kRecheckRange}},
        {"min_play", {"--min-play", [](LiveArgs& to, const YAML::Node& n) { to.min_play = n.as<double>(); }, kMinPlayRange}},
        {"redetect_every", {"--redetect-every", [](LiveArgs& to, const YAML::Node& n) { to.redetect_every = n.as<int>(); }, kRedetectRange}},
        {"classify_every", {"--classify-every", [](LiveArgs& to, const YAML::Node& n) { to.classify_every = n.as<int>(); }, kClassifyRange}},
        {"songs_before_asking", {"--songs-before-asking", [](LiveArgs& to, const YAML::Node& n) { to.songs_before_asking = n.as<int>(); }, kSongsBeforeAskingRange}},
        {"no_ask", {"--no-ask", [](LiveArgs& to, const YAML::Node& n) { to.no_ask = n.as<bool>(); }, std::nullopt}},
        {"answer_wait", {"--answer-wait", [](LiveArgs& to, const YAML::Node& n) { to.answer_wait = n.as<double>(); }, kAnswerWaitRange}},
        {"player", {"--player", [](LiveArgs& to, const YAML::Node& n) { to.player = n.as<std::string>(); }, std::nullopt}},
        {"player_command", {"--player-command", [](LiveArgs& to, const YAML::Node& n) { to.player_command = n.as<std::string>(); }, std::nullopt}},
        {"audio_output", {"--audio-output", [](LiveArgs& to, const YAML::Node& n) { to.audio_output = n.as<std::string>(); }, std::nullopt}},
        {"detector", {"--detector", [](LiveArgs& to, const YAML::Node& n) { to.detector = n.as<std::string>(); }, std::nullopt}},
        {"min_face", {"--min-face", [](LiveArgs& to, const YAML::Node& n) { to.min_face = n.as<float>(); }, kMinFaceRange}},
        {"tilt_retry", {"--tilt-retry", [](LiveArgs& to, const YAML::Node& n) { to.tilt_retry = n.as<float>(); }, kTiltRetryRange}},
        {"db", {"--db", [&](LiveArgs& to, const YAML::Node& n) { to.db = beside_config(n.as<std::string>()); }, std::nullopt}},
        {"model", {"--model", [&](LiveArgs& to, const YAML::Node& n) { to.model = beside_config(n.as<std::string>()); }, std::nullopt}},
        {"tta", {"--tta", [](LiveArgs& to, const YAML::Node& n) { to.tta = n.as<std::string>(); }, std::nullopt}},
    };
    LiveArgs overridden = a;                       // the file's values of keys whose flags were given
    std::map<std::string, std::string> where_is;  // key -> "file:line: ", for the checks after the loop
    if (const auto repeated = repeated_yaml_key(live))
        throw DataError(fmt::format("{}:{}: {}", path.string(), repeated->line, repeated->message(" in live:")));
    for (const auto& item : live) {
        if (!item.first.IsScalar())
            throw DataError(path.string() + ":" + std::to_string(item.first.Mark().line + 1) + ": a key in live: must be a name");
        const auto key = item.first.Scalar();
        const int line = item.first.Mark().line + 1;
        const auto where = path.string() + ":" + std::to_string(line) + ": ";
        auto it = keys.find(key);
        if (it == keys.end()) {
            std::vector<std::string> names;
            for (const auto& [name, _] : keys) names.push_back(name);
            const auto nearest = nearest_word(key, names);  // `min-play`, the flag's spelling, is min_play here
            throw DataError(where + "unknown key '" + key + "' in live:" + (nearest ? " did you mean " + *nearest + "?" : ""));
        }
        // yaml-cpp reads an empty value (`db:`, `db: ~`) as the text "null": a store named ./null.
        if (item.second.IsNull())  // YAML reads a bare null (mpv's output name) as no value
            throw DataError(where + "no value for '" + key + "'" +
                            (key == "audio_output" ? " (for mpv's null output, quote it: audio_output: \"null\")" : ""));
        // As --db '' is a usage error: an empty path is no store (whether or not the flag wins).
        if (key == "db" && item.second.IsScalar() &&
            item.second.Scalar().find_first_not_of(" \t") == std::string::npos)
            throw DataError(where + "live.db is empty (a store's file path)");
        // Where the flag wins, the file's value is still checked (into a copy): a bad one is a broken file.
        LiveArgs& target = sub.count(it->second.flag) > 0 ? overridden : a;
        where_is[key] = where;
        try {
            if (const auto& range = it->second.range) {
                if (auto why = range_error(item.second.as<double>(), *range))
                    throw DataError(where + "live." + key + ": " + item.second.Scalar() + " " + *why + " (as " +
                                    it->second.flag + ")");
            }
            it->second.set(target, item.second);
        } catch (const YAML::Exception&) {
            if (!item.second.IsScalar()) throw DataError(where + "'" + key + "' must be a single value");
            throw DataError(where + "bad value '" + item.second.Scalar() + "' for '" + key + "' (as " + it->second.flag + ")");
        }
    }
    // A value from the file is named with its line; one from a flag was checked by the flag.
    const auto at = [&](const char* key) {
        const auto it = where_is.find(key);
        return it != where_is.end() ? it->second : path.string() + ": ";
    };
    const auto one_of = [&](const std::string& value, const std::vector<std::string>& allowed, const char* key) {
        if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
        throw DataError(fmt::format("{}live.{} '{}' is not one of {}", at(key), key, value, fmt::join(allowed, ", ")));
    };
    for (const LiveArgs* args : {&a, &overridden}) {
        one_of(args->policy, mood_policy_names(), "policy");
        one_of(args->strategy, aggregation_strategy_names(), "strategy");
        one_of(args->player, player_kinds(), "player");
        one_of(args->detector, face_detector_names(), "detector");
        one_of(args->tta, test_time_augmentation_names(), "tta");
        if (blank(args->player_command)) throw DataError(fmt::format("{}live.player_command is empty", at("player_command")));
    }
}

LiveLoopOptions live_loop_options(const LiveArgs& a) {
    LiveLoopOptions loop;
    LiveSessionOptions& o = loop.session;
    o.policy = parse_mood_policy(a.policy).value_or(MoodPolicy::Lift);
    o.recheck_after_s = a.recheck_seconds;
    o.min_play_s = a.min_play;
    o.songs_before_asking = a.songs_before_asking;
    o.ask_user = !a.no_ask;
    o.aggregation.strategy = parse_aggregation_strategy(a.strategy).value_or(AggregationStrategy::Mean);
    o.aggregation.window_s = a.window;
    o.aggregation.min_face_s = std::min(1.0, a.window);
    o.aggregation.hold_s = a.hold;
    o.aggregation.switch_margin = static_cast<float>(a.switch_margin);
    o.aggregation.clear_margin = static_cast<float>(a.clear_margin);
    if (a.seed >= 0) loop.seed = static_cast<std::uint64_t>(a.seed);
    return loop;
}

MainFaceReaderOptions main_face_reader_options(const LiveArgs& a) {
    MainFaceReaderOptions o;
    o.tracking.redetect_every = a.redetect_every;
    o.classify_every = a.classify_every;
    o.tta = parse_test_time_augmentation(a.tta).value();  // checked by --tta and the config
    return o;
}

}  // namespace dangpli::cli
