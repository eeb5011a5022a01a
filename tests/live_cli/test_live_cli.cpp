// `dangpli live --source` end to end on a video made here: real PublicTest faces, scaled up onto
// frames, happy for the first 30 s and sad after, run with the silent player.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/face_detector_factory.hpp"
#include "dangpli/fer2013.hpp"
#include "events_file.hpp"
#include "support.hpp"

using namespace dangpli;
using nlohmann::json;
using test::read_events;
using test::run_cli;
using test::shell_quote;
using test::TempDir;

namespace {

constexpr double kFps = 5.0;
constexpr double kSwitchAt = 30.0;  // seconds: happy before, sad after
constexpr double kLength = 55.0;

// PublicTest faces of `e` that the bundled model reads as `e` with confidence, most confident first.
std::vector<cv::Mat> clear_faces(Emotion e, std::size_t n) {
    static const auto samples =
        load_fer2013(test::kSharedDir / "data/fer2013/publictest", Fer2013Split::PublicTest);
    static const auto classifier = EmotionClassifier::load_default();
    std::vector<std::pair<float, cv::Mat>> scored;
    for (const auto& s : samples)
        if (s.label == e)
            if (auto r = classifier.classify(s.image); r.emotion == e) scored.emplace_back(r.confidence, s.image);
    std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<cv::Mat> faces;
    for (std::size_t i = 0; i < std::min(n, scored.size()); ++i) faces.push_back(scored[i].second);
    return faces;
}

std::filesystem::path make_video(const TempDir& dir) {
    const auto happy = clear_faces(Emotion::Happy, 12);
    const auto sad = clear_faces(Emotion::Sad, 12);
    REQUIRE(happy.size() == 12);
    REQUIRE(sad.size() == 12);
    const auto path = dir / "mood.avi";
    cv::VideoWriter writer(path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), kFps, {320, 240});
    REQUIRE(writer.isOpened());
    cv::RNG rng(7);
    for (int i = 0; i < static_cast<int>(kLength * kFps); ++i) {
        const double t = i / kFps;
        cv::Mat frame(240, 320, CV_8UC3);
        rng.fill(frame, cv::RNG::UNIFORM, 60, 190);
        cv::GaussianBlur(frame, frame, {0, 0}, 6);
        // a new face every two seconds, moving a little, as a person would
        const auto& faces = t < kSwitchAt ? happy : sad;
        cv::Mat face, face_bgr;
        cv::resize(faces[static_cast<std::size_t>(t / 2.0) % faces.size()], face, {144, 144}, 0, 0, cv::INTER_CUBIC);
        cv::cvtColor(face, face_bgr, cv::COLOR_GRAY2BGR);
        face_bgr.copyTo(frame(cv::Rect(80 + (i % 10), 40 + (i % 7), 144, 144)));
        writer.write(frame);
    }
    return path;
}

const json* first(const std::vector<json>& events, const std::string& name, double after = -1.0) {
    for (const auto& e : events)
        if (e.at("event") == name && e.at("t").get<double>() > after) return &e;
    return nullptr;
}

}  // namespace

TEST_CASE("the lift loop follows a video: happy music kept, sad moved on from, the user asked") {
    TempDir dir;
    const auto video = make_video(dir);
    // Songs with durations, so that the silent player's songs end on the video's clock: the sad ones
    // short, as a sad song for a sad face plays to its end (three songs without a smile by 45 s).
    test::write_file(dir / "songs.yaml",
                     "happy:\n  - {title: Sunny, artist: A, duration: 200}\n  - {title: Bright, artist: B, duration: 200}\n"
                     "sad:\n  - {title: Rain, artist: C, duration: 5}\n  - {title: Grey, artist: D, duration: 5}\n"
                     "  - {title: Blue, artist: E, duration: 5}\n");
    const auto db = (dir / "store.db").string();
    REQUIRE(run_cli("playlist --db " + shell_quote(db) + " --no-defaults import " +
                    shell_quote((dir / "songs.yaml").string())).exit_code == 0);

    const auto events_path = dir / "events.jsonl";
    const auto r = run_cli("live --source " + shell_quote(video.string()) + " --player silent --recheck 5 --min-play 0 "
                           "--songs-before-asking 3 --db " + shell_quote(db) + " --events " +
                           shell_quote(events_path.string()),
                           "sad\nchet baker - I fall in love too easily\n");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto events = read_events(events_path);
    REQUIRE(!events.empty());

    const json* started = first(events, "song_started");
    REQUIRE(started != nullptr);
    CHECK(started->at("emotion") == "happy");
    CHECK(started->at("t").get<double>() < 5.0);
    const json* kept = first(events, "kept");
    REQUIRE(kept != nullptr);
    CHECK(kept->at("t").get<double>() < kSwitchAt);
    CHECK(first(events, "switched") != nullptr);
    CHECK(first(events, "switched")->at("t").get<double>() > kSwitchAt);  // happy music was never left

    const json* sad = first(events, "mood_changed", kSwitchAt);
    REQUIRE(sad != nullptr);
    CHECK(sad->at("emotion") == "sad");
    CHECK(sad->at("t").get<double>() < kSwitchAt + 3.0);  // within about 2 s (the 3 s window's mean, then a 1 s hold)

    const json* asked = first(events, "asked");
    REQUIRE(asked != nullptr);
    CHECK(asked->at("t").get<double>() > kSwitchAt + 5.0);
    const json* answered = first(events, "answered");
    REQUIRE(answered != nullptr);
    CHECK(answered->at("emotion") == "sad");
    CHECK(answered->at("song").at("title") == "I fall in love too easily");
    const json* after = first(events, "song_started", asked->at("t").get<double>() - 0.001);
    REQUIRE(after != nullptr);
    CHECK(after->at("song").at("artist") == "chet baker");
    CHECK(events.back().at("event") == "ended");

    // The plays and the answer are in the store.
    const auto history = run_cli("playlist --db " + shell_quote(db) + " history --format json");
    REQUIRE(history.exit_code == 0);
    CHECK(json::parse(history.out).size() >= 3);
    const auto list = run_cli("playlist --db " + shell_quote(db) + " list --emotion sad --format json");
    CHECK(list.out.find("I fall in love too easily") != std::string::npos);

    // Stores of the same songs for the runs below (a store of the default playlists' long songs would
    // not ask within the video: a sad song for a sad face plays to its end).
    for (const char* name : {"held.db", "together.db"})
        REQUIRE(run_cli("playlist --db " + shell_quote((dir / name).string()) + " --no-defaults import " +
                        shell_quote((dir / "songs.yaml").string())).exit_code == 0);

    // Under cron, systemd or ssh, stdin may be a pipe held open with nothing coming: the question waits
    // --answer-wait seconds, then the run goes on with the mood it saw (it used to wait for ever).
    const std::string held = shell_quote(test::kCli.string()) + " live --source " + shell_quote(video.string()) +
                             " --player silent --recheck 5 --min-play 0 --songs-before-asking 3 --answer-wait 1 --db " +
                             shell_quote((dir / "held.db").string()) + " --events " + shell_quote((dir / "held.jsonl").string()) +
                             " < <(sleep 300 2>/dev/null)";
    const auto waited = test::run_command("timeout 240 bash -c " + shell_quote(held));
    INFO(waited.err);
    CHECK(waited.exit_code == 0);
    CHECK(waited.out.find("(no answer in 1 s; going on)") != std::string::npos);
    const auto held_events = read_events(dir / "held.jsonl");
    REQUIRE(first(held_events, "asked") != nullptr);
    CHECK(first(held_events, "answered") == nullptr);  // nobody answered: said so, not logged as an answer
    REQUIRE(first(held_events, "unanswered") != nullptr);
    CHECK(first(held_events, "unanswered")->at("emotion") == first(held_events, "asked")->at("emotion"));
    // Two questions in a row without an answer: no third (each paused the music for --answer-wait).
    std::size_t asked_count = 0;
    for (const auto& e : held_events) asked_count += e.at("event") == "asked";
    CHECK(asked_count <= 2);
    if (asked_count == 2) CHECK(waited.out.find("2 questions in a row went unanswered: not asking again") != std::string::npos);
    CHECK(held_events.back().at("event") == "ended");
    // Nobody skipped the song that played at the question: no skip is stored (the listener model reads
    // a skip as a rejection), and the mood shown stays as it was (no mood_changed to the same mood).
    const auto held_history = json::parse(run_cli("playlist --db " + shell_quote((dir / "held.db").string()) +
                                                  " history --format json").out);
    REQUIRE(held_history.size() >= 3);
    for (const auto& play : held_history) CHECK(play.at("outcome") != "skipped");
    // Every song's end is in the events as in the store: a song an unanswered question cut had none.
    const auto count = [](const auto& rows, const char* field, const char* value) {
        return std::count_if(rows.begin(), rows.end(), [&](const json& row) { return row.at(field) == value; });
    };
    CHECK(count(held_events, "event", "switched") == count(held_history, "outcome", "switched"));
    CHECK(count(held_events, "event", "song_finished") == count(held_history, "outcome", "finished"));
    std::string shown;
    for (const auto& e : held_events) {
        if (e.at("event") != "mood_changed") continue;
        CHECK(e.at("emotion") != shown);
        shown = e.at("emotion").get<std::string>();
    }
    // Both answer lines sent at once on a pipe held open: both are read (stdio's buffer hid the second
    // from the wait).
    const std::string together = shell_quote(test::kCli.string()) + " live --source " + shell_quote(video.string()) +
                                 " --player silent --recheck 5 --min-play 0 --songs-before-asking 3 --answer-wait 3 --db " +
                                 shell_quote((dir / "together.db").string()) + " --events " +
                                 shell_quote((dir / "together.jsonl").string()) +
                                 " < <(printf '%s\\n' sad 'chet baker - I fall in love too easily'; sleep 300 2>/dev/null)";
    const auto both = test::run_command("timeout 240 bash -c " + shell_quote(together));
    INFO(both.err);
    CHECK(both.exit_code == 0);
    const auto together_events = read_events(dir / "together.jsonl");
    const json* answered_both = first(together_events, "answered");
    REQUIRE(answered_both != nullptr);
    CHECK(answered_both->at("song").at("title") == "I fall in love too easily");
}

TEST_CASE("bad sources and config give clear errors and documented exit codes") {
    TempDir dir;
    const auto db = shell_quote((dir / "s.db").string());
    auto missing = run_cli("live --player silent --db " + db + " --source " + shell_quote((dir / "nope.avi").string()));
    CHECK(missing.exit_code == 3);
    CHECK(missing.err.find("nope.avi") != std::string::npos);
    CHECK(std::count(missing.err.begin(), missing.err.end(), '\n') == 1);
    CHECK_FALSE(std::filesystem::exists(dir / "s.db"));  // the source is opened before the store is made
    test::write_file(dir / "not-video.avi", "hello");
    auto garbage = run_cli("live --player silent --db " + db + " --source " + shell_quote((dir / "not-video.avi").string()));
    CHECK(garbage.exit_code == 3);
    test::write_file(dir / "empty.mp4", "");
    auto empty = run_cli("live --player silent --db " + db + " --source " + shell_quote((dir / "empty.mp4").string()));
    CHECK(empty.exit_code == 3);
    CHECK(empty.err.find("empty.mp4: empty file (zero bytes), not a video") != std::string::npos);
    test::write_file(dir / "config.yaml", "live:\n  policy: lift\n  volume: 11\n");
    auto config = run_cli("live --player silent --db " + db + " --config " + shell_quote((dir / "config.yaml").string()) +
                          " --source " + shell_quote((dir / "not-video.avi").string()));
    CHECK(config.exit_code == 3);
    CHECK(config.err.find("config.yaml:3") != std::string::npos);
    // A section other than live: is a typo (or another file), named, not ignored.
    test::write_file(dir / "typo.yaml", "# defaults\nliv:\n  policy: match\n");
    auto typo = run_cli("live --player silent --db " + db + " --config " + shell_quote((dir / "typo.yaml").string()) +
                        " --source " + shell_quote((dir / "not-video.avi").string()));
    CHECK(typo.exit_code == 3);
    CHECK(typo.err.find("typo.yaml:2: unknown section 'liv'") != std::string::npos);
    // yaml-cpp reads the first of a repeated key: the second would be ignored without a word.
    const auto config_error = [&](const std::string& name, const std::string& text) {
        test::write_file(dir / name, text);
        auto run = run_cli("live --player silent --db " + db + " --config " + shell_quote((dir / name).string()) +
                           " --source " + shell_quote((dir / "not-video.avi").string()));
        CHECK(run.exit_code == 3);
        return run.err;
    };
    CHECK(config_error("twice.yaml", "live:\n  policy: lift\nlive:\n  policy: match\n")
              .find("twice.yaml:3: a second `live:` section (the first is at line 1)") != std::string::npos);
    CHECK(config_error("key.yaml", "live:\n  window: 4\n  hold: 2\n  window: 9\n")
              .find("key.yaml:4: 'window' again in live: (first at line 2)") != std::string::npos);
    CHECK(config_error("hex.yaml", "live:\n  window: 0x10\n").find("hex.yaml:2: bad value '0x10' for 'window' (as --window)") !=
          std::string::npos);
    CHECK(config_error("null.yaml", "live:\n  window:\n").find("null.yaml:2: no value for 'window'") != std::string::npos);
    CHECK(config_error("db.yaml", "live:\n  db: \"\"\n").find("db.yaml:2: live.db is empty") != std::string::npos);
    CHECK(config_error("nodb.yaml", "live:\n  db:\n").find("nodb.yaml:2: no value for 'db'") != std::string::npos);
    CHECK(config_error("tilde.yaml", "live:\n  model: ~\n").find("tilde.yaml:2: no value for 'model'") != std::string::npos);
    CHECK(config_error("documents.yaml", "live:\n  window: 3\n---\nlive:\n  window: 5\n")
              .find("documents.yaml:4: a second YAML document") != std::string::npos);
    CHECK(config_error("null.yaml", "live:\n  audio_output: null\n").find("quote it: audio_output: \"null\"") != std::string::npos);
    CHECK(config_error("comma.yaml", ",live:\n  window: 3\n").find("comma.yaml:1: a stray ','") != std::string::npos);
    // Saved by Notepad as UTF-16 (with its mark, or without): was "a NUL byte", or nothing for the mark alone.
    for (const std::string& utf16 : {std::string("\xFF\xFEl\0i\0v\0e\0:\0\n\0", 14), std::string("l\0i\0v\0e\0:\0\n\0", 12),
                                     std::string("\xFF\xFE\n\0", 4)})
        CHECK(config_error("utf16.yaml", utf16).find("utf16.yaml:1: UTF-16 text (as some Windows programs save it): save it as UTF-8") !=
              std::string::npos);
    CHECK(config_error("player.yaml", "live:\n  player_command: \" \"\n").find("player.yaml:2: live.player_command is empty") !=
          std::string::npos);
    // A `live:` section with nothing under it yet sets nothing (it was "line 2: must be a map" in a one-line file).
    const auto empty_live = config_error("empty-live.yaml", "live:\n");
    CHECK(empty_live.find("not-video.avi") != std::string::npos);
    CHECK(empty_live.find("empty-live.yaml") == std::string::npos);
    // A relative file in the config is the config's neighbour, not the current folder's.
    std::filesystem::create_directories(dir / "conf");
    test::write_file(dir / "conf/rel.yaml", "live:\n  model: missing.onnx\n");
    const auto relative = test::run_command("cd " + shell_quote(dir.path().string()) + " && " +
                                            shell_quote(test::kCli.string()) + " live --player silent --db " + db +
                                            " --config conf/rel.yaml --source not-video.avi");
    CHECK(relative.exit_code == 4);
    CHECK(relative.err.find("conf/missing.onnx") != std::string::npos);
    CHECK(run_cli("live --policy sideways").exit_code == 2);
    // A mistyped option is named with the one meant; a name's case does not matter.
    const auto mistyped = run_cli("live --polcy match");
    CHECK(mistyped.exit_code == 2);
    CHECK(mistyped.err == "dangpli: unknown option '--polcy'; did you mean --policy? (see --help)\n");
    const auto cased = run_cli("live --player Silent --policy Match --db " + db + " --source " +
                               shell_quote((dir / "not-video.avi").string()));
    CHECK(cased.exit_code == 3);  // the source's error: the names were taken
    // A flag given beside the file wins, but the file's bad value is still a broken file (it passed).
    const auto beside = [&](const std::string& name, const std::string& text, const std::string& flag) {
        test::write_file(dir / name, text);
        auto run = run_cli("live --player silent --db " + db + " " + flag + " --config " +
                           shell_quote((dir / name).string()) + " --source " + shell_quote((dir / "not-video.avi").string()));
        CHECK(run.exit_code == 3);
        return run.err;
    };
    CHECK(beside("maybe.yaml", "live:\n  no_ask: maybe\n", "--no-ask").find("maybe.yaml:2: bad value 'maybe' for 'no_ask'") !=
          std::string::npos);
    CHECK(beside("range.yaml", "live:\n  window: 0\n", "--window 3").find("range.yaml:2: live.window: 0 must be") !=
          std::string::npos);
    CHECK(beside("policy.yaml", "live:\n  policy: sideways\n", "--policy match")
              .find("policy.yaml:2: live.policy 'sideways' is not one of") != std::string::npos);
    // A key spelled as its flag is named with the key meant.
    CHECK(beside("dash.yaml", "live:\n  min-play: 10\n", "")
              .find("dash.yaml:2: unknown key 'min-play' in live: did you mean min_play?") != std::string::npos);
}

TEST_CASE("Ctrl-C, a closed terminal or a gone reader stop a paced session cleanly: the play saved, the last event says so") {
    TempDir dir;
    std::filesystem::create_directory(dir / "frames");
    for (int i = 0; i < 40; ++i)
        std::filesystem::copy_file(test::kSharedDir / "data/faces/happy-baby.jpeg",
                                   dir / "frames" / ("f" + std::to_string(100 + i) + ".jpeg"));
    for (const std::string signal : {"INT", "HUP", "PIPE"}) {
        CAPTURE(signal);
        const auto db = shell_quote((dir / (signal + ".db")).string());
        const auto events_path = dir / (signal + ".jsonl");
        // A file whose last line was cut (a full disk, a kill): the new events start on a line of their own.
        const std::string cut = R"({"t":1.0,"event":"sta)";
        test::write_file(events_path, cut);
        // 40 frames at 4 fps take 10 s when paced; the signal comes after 7 s, once a song plays.
        const auto r = test::run_command("timeout --preserve-status -s " + signal + " 7 " +
                                         shell_quote(test::kCli.string()) +
                                         " live --realtime --fps 4 --window 2 --player silent --db " + db +
                                         " --events " + shell_quote(events_path.string()) + " --source " +
                                         shell_quote((dir / "frames").string()));
        INFO(r.err);
        CHECK(r.exit_code == 130);
        const std::string text = test::read_file(events_path);
        REQUIRE(text.starts_with(cut + "\n"));
        test::write_file(events_path, text.substr(cut.size() + 1));
        const auto events = read_events(events_path);
        REQUIRE(!events.empty());
        CHECK(events.front().at("event") == "started");
        CHECK(first(events, "song_started") != nullptr);
        CHECK(events.back().at("event") == "interrupted");
        const auto history = run_cli("playlist --db " + db + " history --format json");
        REQUIRE(json::parse(history.out).size() == 1);
        // The session ended, not the song: no dislike for the listener model to learn.
        CHECK(json::parse(history.out).at(0).at("outcome") == "stopped");
    }
    // A real gone reader: `| head -1` takes the first line and leaves; the next print finds no reader.
    // The run stops as on SIGPIPE (130), without calling its unwritten output a write error.
    const std::string live = shell_quote(test::kCli.string()) + " live --realtime --fps 4 --window 2 --player silent --db " +
                             shell_quote((dir / "piped.db").string()) + " --source " + shell_quote((dir / "frames").string());
    const auto piped = test::run_command("bash -c " + shell_quote(live + " </dev/null | head -1; exit ${PIPESTATUS[0]}"));
    CHECK(piped.exit_code == 130);
    CHECK(piped.err.find("cannot write") == std::string::npos);
    // Under nohup the terminal closing (SIGHUP) does not stop the music: a signal ignored when live
    // started stays ignored (live caught it all the same and stopped, bb47a C4).
    const std::string kept = "nohup " + shell_quote(test::kCli.string()) + " live --realtime --fps 8 --window 2 --player silent --db " +
                             shell_quote((dir / "nohup.db").string()) + " --events " + shell_quote((dir / "nohup.jsonl").string()) +
                             " --source " + shell_quote((dir / "frames").string());
    const auto nohup = test::run_command("bash -c " + shell_quote(kept + " </dev/null & sleep 2.5; kill -HUP $!; wait $!"));
    INFO(nohup.err);
    CHECK(nohup.exit_code == 0);
    CHECK(read_events(dir / "nohup.jsonl").back().at("event") == "ended");
}

namespace {

// True when the file starts like an image a program could have written (JPEG, PNG, BMP, TIFF, WebP, PPM).
bool looks_like_image(const std::filesystem::path& p) {
    const std::string head = test::read_file(p).substr(0, 12);
    auto starts = [&](std::string_view magic) { return head.compare(0, magic.size(), magic) == 0; };
    return starts("\xFF\xD8\xFF") || starts("\x89PNG") || starts("BM") || starts("II*") || starts("MM\0*") ||
           (starts("RIFF") && head.substr(8, 4) == "WEBP") || starts("P5") || starts("P6");
}

}  // namespace

TEST_CASE("--trace records every frame without pixels; --replay gives the live run's events exactly; no image is written") {
    TempDir dir;
    const auto video = make_video(dir);
    const std::string songs =
        "happy:\n  - {title: Sunny, artist: A, duration: 12}\n  - {title: Bright, artist: B, duration: 15}\n"
        "  - {title: Gold, artist: F, duration: 9}\n"
        "sad:\n  - {title: Rain, artist: C, duration: 14}\n  - {title: Grey, artist: D, duration: 11}\n"
        "  - {title: Blue, artist: E, duration: 13}\n";
    test::write_file(dir / "songs.yaml", songs);
    for (const char* db : {"live.db", "replay.db"})
        REQUIRE(run_cli("playlist --db " + shell_quote((dir / db).string()) + " --no-defaults import " +
                        shell_quote((dir / "songs.yaml").string())).exit_code == 0);
    const std::string common = " --player silent --policy match --min-play 10 --seed 5 --no-ask";
    // HOME and the XDG folders inside the test folder: whatever live writes by default lands there.
    const std::string env = "cd " + shell_quote(dir.path().string()) + " && HOME=" + shell_quote(dir.path().string()) +
                            " XDG_DATA_HOME=" + shell_quote((dir / "data").string()) + " XDG_CONFIG_HOME=" +
                            shell_quote((dir / "config").string()) + " XDG_CACHE_HOME=" +
                            shell_quote((dir / "cache").string()) + " ";
    const auto live = test::run_command(env + shell_quote(test::kCli.string()) + " live --source " +
                                        shell_quote(video.string()) + common + " --db live.db --events live.jsonl --trace trace.jsonl");
    INFO(live.err);
    REQUIRE(live.exit_code == 0);
    const auto replay = test::run_command(env + shell_quote(test::kCli.string()) + " live --replay trace.jsonl" + common +
                                          " --db replay.db --events replay.jsonl");
    INFO(replay.err);
    REQUIRE(replay.exit_code == 0);

    // One line per frame of the 55 s video at 5 fps, each small: a box and seven numbers.
    std::istringstream lines(test::read_file(dir / "trace.jsonl"));
    int frames = 0;
    for (std::string line; std::getline(lines, line); ++frames) CHECK(line.size() < 400);
    CHECK(frames == static_cast<int>(kLength * kFps));

    auto live_events = read_events(dir / "live.jsonl");
    auto replay_events = read_events(dir / "replay.jsonl");
    REQUIRE(live_events.size() > 6);
    CHECK(first(live_events, "switched") != nullptr);
    CHECK(first(live_events, "song_finished") != nullptr);
    // Everything but the first line (which names the source) is the same, to the millisecond.
    live_events.erase(live_events.begin());
    replay_events.erase(replay_events.begin());
    CHECK(live_events == replay_events);
    CHECK(live_events.back().at("t").get<double>() > kLength - 1.0);  // the end carries the last frame's time

    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path()))
        if (entry.is_regular_file() && entry.path() != video) {
            INFO(entry.path().string());
            CHECK_FALSE(looks_like_image(entry.path()));
        }
}

TEST_CASE("live reads each classified face with its mirror image unless --tta says otherwise") {
    TempDir dir;
    const auto video = shell_quote(make_video(dir).string());
    const std::string common = " --player silent --no-ask --seed 5 --db " + shell_quote((dir / "s.db").string());
    auto trace_of = [&](const std::string& flags, const char* name) {
        const auto r = run_cli("live --source " + video + common + flags + " --trace " + shell_quote((dir / name).string()));
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        std::vector<nlohmann::json> frames;
        std::istringstream lines(test::read_file(dir / name));
        for (std::string line; std::getline(lines, line);) frames.push_back(nlohmann::json::parse(line));
        return frames;
    };
    const auto single = trace_of(" --tta single", "single.jsonl");
    const auto mirror = trace_of(" --tta mirror", "mirror.jsonl");
    CHECK(trace_of("", "default.jsonl") == mirror);
    REQUIRE(single.size() == mirror.size());
    int differ = 0;
    for (std::size_t i = 0; i < single.size(); ++i) {
        CHECK(single[i].value("box", nlohmann::json()) == mirror[i].value("box", nlohmann::json()));
        differ += single[i] != mirror[i];
    }
    CHECK(differ > static_cast<int>(single.size()) / 2);  // the scores of (nearly) every frame with a face
    CHECK(run_cli("live --tta sideways --source " + video + common).exit_code == 2);
    test::write_file(dir / "config.yaml", "live:\n  tta: sideways\n");
    const auto config = run_cli("live --source " + video + common + " --config " + shell_quote((dir / "config.yaml").string()));
    CHECK(config.exit_code == 3);
    CHECK(config.err.find("config.yaml:2: live.tta 'sideways' is not one of single, mirror, ten-crop") !=
          std::string::npos);
    test::write_file(dir / "config.yaml", "live:\n  window: 10\n  policy: dance\n");
    const auto policy = run_cli("live --source " + video + common + " --config " + shell_quote((dir / "config.yaml").string()));
    CHECK(policy.exit_code == 3);
    CHECK(policy.err.find("config.yaml:3: live.policy 'dance' is not one of lift, match") != std::string::npos);
}

TEST_CASE("--replay refuses what it cannot use, with one line and the documented codes") {
    TempDir dir;
    const auto db = shell_quote((dir / "s.db").string());
    test::write_file(dir / "bad.jsonl", "{\"t\":0.0,\"faces\":0}\n{\"t\":oops}\n");
    const auto bad = run_cli("live --player silent --db " + db + " --replay " + shell_quote((dir / "bad.jsonl").string()));
    CHECK(bad.exit_code == 3);
    CHECK(bad.err.find("bad.jsonl:2") != std::string::npos);
    const auto both = run_cli("live --player silent --db " + db + " --replay x.jsonl --source y.avi");
    CHECK(both.exit_code == 2);
}

TEST_CASE("a missing camera gives our one line, without OpenCV's own warnings unless --verbose") {
    TempDir dir;
    const auto db = shell_quote((dir / "s.db").string());
    const auto quiet = run_cli("live --camera 57 --player silent --db " + db);
    CHECK(quiet.exit_code == 3);
    CHECK(quiet.err.find("camera 57") != std::string::npos);
    CHECK(quiet.err.find("WARN") == std::string::npos);
    CHECK(quiet.err.find("global") == std::string::npos);
}

TEST_CASE("--detector yunet follows the video's face and its mood as the default detector does") {
    TempDir dir;
    const auto video = make_video(dir);
    test::write_file(dir / "songs.yaml", "happy:\n  - {title: Sunny, artist: A, duration: 200}\n"
                                         "sad:\n  - {title: Rain, artist: C, duration: 200}\n");
    const auto db = shell_quote((dir / "store.db").string());
    REQUIRE(run_cli("playlist --db " + db + " --no-defaults import " + shell_quote((dir / "songs.yaml").string()))
                .exit_code == 0);
    const auto r = run_cli("live --detector yunet --source " + shell_quote(video.string()) +
                           " --player silent --policy match --no-ask --db " + db + " --events " +
                           shell_quote((dir / "events.jsonl").string()) + " --trace " +
                           shell_quote((dir / "trace.jsonl").string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::size_t frames = 0, with_face = 0;
    std::istringstream trace(test::read_file(dir / "trace.jsonl"));
    for (std::string line; std::getline(trace, line); ++frames) with_face += json::parse(line).at("faces") == 1;
    CHECK(frames == static_cast<std::size_t>(kLength * kFps));
    // The face is in every frame, but YuNet misses a few of these blurry upscaled 48-pixel FER faces
    // outright (each shown for 2 s): 174 of 275 frames when this was written.
    CHECK(with_face >= frames * 60 / 100);
    const auto events = read_events(dir / "events.jsonl");
    const json* happy = first(events, "mood_changed");
    REQUIRE(happy != nullptr);
    CHECK(happy->at("emotion") == "happy");
    // To 1/10000 as analyze's rows: no float noise such as 0.61234569549560547.
    const double confidence = happy->at("confidence").get<double>();
    CHECK(confidence == std::round(confidence * 10000.0) / 10000.0);
    const json* sad = first(events, "mood_changed", kSwitchAt);
    REQUIRE(sad != nullptr);
    CHECK(sad->at("emotion") == "sad");
    CHECK(sad->at("t").get<double>() < kSwitchAt + 3.0);
}

TEST_CASE("a face that comes and goes for fractions of a second is one person, and its mood forms") {
    // What a detector that finds a face only now and then does to the loop: the face is in view
    // for 0.6 s, then gone for 0.7 s (21 frames at 30 fps), over and over. Each stretch is shorter
    // than the second of face a mood needs; only if the returns are the same person does it form.
    TempDir dir;
    const auto frame_at = [](const cv::Mat& face_bgr, int i, bool with_face) {
        cv::Mat frame(240, 320, CV_8UC3, cv::Scalar(110, 120, 130));
        if (with_face) face_bgr.copyTo(frame(cv::Rect(80 + i % 5, 40 + i % 3, 144, 144)));
        return frame;
    };
    // The first of the clearest happy faces that MTCNN finds in such a frame (some are tilted far).
    cv::Mat face_bgr;
    const auto mtcnn = make_face_detector("mtcnn");
    for (const auto& face : clear_faces(Emotion::Happy, 12)) {
        cv::Mat big;
        cv::resize(face, big, {144, 144}, 0, 0, cv::INTER_CUBIC);
        cv::cvtColor(big, face_bgr, cv::COLOR_GRAY2BGR);
        if (!mtcnn->detect(frame_at(face_bgr, 0, true)).empty()) break;
        face_bgr.release();
    }
    REQUIRE_FALSE(face_bgr.empty());
    const auto path = dir / "flicker.avi";
    constexpr double fps = 30.0, on = 0.6, period = 1.3, length = 8.0;
    {
        cv::VideoWriter writer(path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), fps, {320, 240});
        REQUIRE(writer.isOpened());
        for (int i = 0; i < static_cast<int>(length * fps); ++i)
            writer.write(frame_at(face_bgr, i, std::fmod(i / fps, period) < on));
    }
    const auto r = run_cli("live --source " + shell_quote(path.string()) + " --player silent --no-ask --db " +
                           shell_quote((dir / "store.db").string()) + " --events " +
                           shell_quote((dir / "events.jsonl").string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto events = read_events(dir / "events.jsonl");
    CHECK(first(events, "new_person") == nullptr);
    const json* mood = first(events, "mood_changed");
    REQUIRE(mood != nullptr);
    CHECK(mood->at("emotion") == "happy");
    CHECK(mood->at("t").get<double>() < 2.0 * period);  // in the face's second stretch
}

TEST_CASE("detector and player names come from the library: unknown ones are refused, flag and config alike") {
    TempDir dir;
    const auto db = shell_quote((dir / "s.db").string());
    const auto flag = run_cli("live --detector haar --player silent --db " + db);
    CHECK(flag.exit_code == 2);
    CHECK(run_cli("live --player jukebox --db " + db).exit_code == 2);
    test::write_file(dir / "config.yaml", "live:\n  detector: haar\n");
    const auto config = run_cli("live --player silent --db " + db + " --config " +
                                shell_quote((dir / "config.yaml").string()) + " --source " +
                                shell_quote((dir / "none.avi").string()));
    CHECK(config.exit_code == 3);
    CHECK(config.err.find("live.detector 'haar' is not one of mtcnn, yunet") != std::string::npos);
    const auto help = run_cli("live --help").out;
    CHECK(help.find("mtcnn, yunet") != std::string::npos);
    CHECK(help.find("command, silent") != std::string::npos);
}

TEST_CASE("a phone's portrait video, stored sideways with a rotation in its metadata, is read upright") {
    TempDir dir;
    // The frames are stored turned a quarter, as a phone stores them; the rotation tag says how a player
    // turns them back (ffmpeg shows all three upright). OpenCV 4.6 turned +-90 the wrong way, so the face
    // was read upside down: found, with the wrong box and the wrong emotion.
    const std::string photo = shell_quote((test::kSharedDir / "data/faces/happy-baby.jpeg").string());
    const auto encode = [&](const std::string& turn, const std::filesystem::path& out) {
        return "ffmpeg -v error -y -loop 1 -i " + photo + " -t 3 -r 25 -vf scale=320:-2" + turn +
               ",format=yuv420p -c:v libx264 -preset ultrafast " + shell_quote(out.string());
    };
    const auto tag = [](const std::filesystem::path& in, int degrees, const std::filesystem::path& out) {
        return " && ffmpeg -v error -y -i " + shell_quote(in.string()) + " -c copy -metadata:s:v:0 rotate=" +
               std::to_string(degrees) + " " + shell_quote(out.string());
    };
    const auto made = test::run_command(
        encode("", dir / "upright.mp4") + " && " + encode(",transpose=clock", dir / "right.mp4") +
        tag(dir / "right.mp4", 90, dir / "portrait90.mp4") + " && " + encode(",transpose=cclock", dir / "left.mp4") +
        tag(dir / "left.mp4", 270, dir / "portrait270.mp4"));
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    std::map<std::string, json> first_box;
    std::map<std::string, std::string> mood;
    for (const std::string name : {"upright", "right", "portrait90", "portrait270"}) {
        const auto events = dir / (name + ".jsonl"), trace = dir / (name + ".trace");
        const auto r = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --events " +
                               shell_quote(events.string()) + " --trace " + shell_quote(trace.string()) +
                               " --source " + shell_quote((dir / (name + ".mp4")).string()));
        INFO(name, ": ", r.err);
        REQUIRE(r.exit_code == 0);
        for (const auto& frame : read_events(trace))
            if (frame.contains("box") && !first_box.contains(name)) first_box[name] = frame.at("box");
        for (const auto& e : read_events(events))
            if (e.at("event") == "mood_changed") mood[name] = e.at("emotion").get<std::string>();
    }
    // Without the tag, the sideways frames hold no face the detector finds.
    CHECK_FALSE(first_box.contains("right"));
    REQUIRE(first_box.contains("upright"));
    CHECK(mood["upright"] == "happy");
    for (const std::string name : {"portrait90", "portrait270"}) {
        CAPTURE(name);
        REQUIRE(first_box.contains(name));
        for (std::size_t i = 0; i < 4; ++i)
            CHECK(std::abs(first_box[name][i].get<double>() - first_box["upright"][i].get<double>()) < 6.0);
        CHECK(mood[name] == "happy");
    }
}

TEST_CASE("on a terminal the block fits its width; a dumb terminal gets plain lines; ASCII outside UTF-8") {
    // The block was 48-58 columns whatever the width: each line wrapped on a narrow terminal and the
    // redraw, one row up per line, left copies behind. TERM=dumb and LANG=C got escapes and glyphs.
    TempDir dir;
    const auto video = make_video(dir);
    // A song of every mood with a long Korean title: two columns a character, as the terminal draws them.
    std::string csv = "title,artist,emotion\n";
    for (const char* e : {"angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"})
        csv += fmt::format("그건 아마 우리의 잘못은 아닐꺼야 그건 아마 우리의 잘못은 아닐꺼야,백예린,{}\n", e);
    test::write_file(dir / "songs.csv", csv);
    REQUIRE(run_cli("playlist --db " + shell_quote((dir / "s.db").string()) + " --no-defaults import " +
                    shell_quote((dir / "songs.csv").string())).exit_code == 0);
    const auto watch = [&](const std::string& term, const std::string& lang, int cols, int rows = 24) {
        const std::string live = "stty cols " + std::to_string(cols) + " rows " + std::to_string(rows) + "; " + shell_quote(test::kCli.string()) +
                                 " live --source " + shell_quote(video.string()) + " --player silent --no-ask --db " +
                                 shell_quote((dir / "s.db").string());
        const auto r = test::run_command("TERM=" + term + " LANG=" + lang + " LC_ALL= script -q -e -c " + shell_quote(live) +
                                         " " + shell_quote((dir / "typescript").string()) + " > /dev/null");
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        return test::read_file(dir / "typescript");
    };
    // The block's lines: those that end by erasing the rest of the row.
    const auto block_lines = [](const std::string& shown) {
        std::vector<std::string> lines;
        for (std::size_t at = shown.find("\x1b[K"); at != std::string::npos; at = shown.find("\x1b[K", at + 1)) {
            std::size_t start = shown.rfind('\n', at);
            start = start == std::string::npos ? 0 : start + 1;
            std::string line = shown.substr(start, at - start);
            if (const auto moved = line.rfind("\x1b[9F"); moved != std::string::npos) line.erase(0, moved + 4);
            lines.push_back(line);
        }
        return lines;
    };
    const std::string narrow = watch("xterm", "C.UTF-8", 40);
    const auto lines = block_lines(narrow);
    REQUIRE(lines.size() >= 9);
    for (const auto& line : lines) {
        int columns = 0;  // a Hangul syllable (lead byte 0xEA-0xED) takes two, every other character one
        for (const char c : line) {
            const auto byte = static_cast<unsigned char>(c);
            if ((byte & 0xC0) != 0x80) columns += byte >= 0xEA && byte <= 0xED ? 2 : 1;
        }
        CAPTURE(line);
        CHECK(columns < 40);
    }
    CHECK(narrow.find("█") != std::string::npos);
    const std::string ascii = watch("xterm", "C", 80);
    CHECK(ascii.find("█") == std::string::npos);
    CHECK(ascii.find("#") != std::string::npos);
    // The bars are the mood's window, so the marked bar is the mood's own confidence. They were the
    // frame's scores: the longest bar changed up to 270 times a minute while the mood held still.
    const auto shown = block_lines(ascii);
    int marked_blocks = 0;
    for (std::size_t i = 0; i + 1 < shown.size(); ++i) {
        if (!shown[i].starts_with("> ")) continue;
        std::size_t mood_line = i;
        while (mood_line < shown.size() && !shown[mood_line].starts_with("mood: ")) ++mood_line;
        REQUIRE(mood_line < shown.size());
        const auto percent = [](const std::string& text, std::size_t from) {
            const auto end = text.find('%', from);
            return text.substr(text.rfind(' ', end) + 1, end - text.rfind(' ', end) - 1);
        };
        CAPTURE(shown[i]);
        CAPTURE(shown[mood_line]);
        CHECK(percent(shown[i], 0) == percent(shown[mood_line], 0));
        ++marked_blocks;
    }
    CHECK(marked_blocks > 5);
    const std::string dumb = watch("dumb", "C.UTF-8", 80);
    CHECK(dumb.find('\x1b') == std::string::npos);
    CHECK(dumb.find("the source has ended") != std::string::npos);
    // Plain lines say the mood too: a screen reader's or a log's user heard only of songs.
    CHECK(dumb.find("\nmood: ") != std::string::npos);
    // A pane too short for the block scrolled each redraw into its history: plain lines there.
    const std::string short_pane = watch("xterm", "C.UTF-8", 80, 6);
    CHECK(short_pane.find('\x1b') == std::string::npos);
    CHECK(short_pane.find("\nmood: ") != std::string::npos);
}

TEST_CASE("on a terminal a mood held while nobody is in view says so") {
    // The block showed "mood: happy 79.5%" with its marker for as long as the room stayed empty.
    TempDir dir;
    const auto happy = clear_faces(Emotion::Happy, 1);
    REQUIRE(happy.size() == 1);
    cv::Mat face, face_bgr;
    cv::resize(happy.front(), face, {144, 144}, 0, 0, cv::INTER_CUBIC);
    cv::cvtColor(face, face_bgr, cv::COLOR_GRAY2BGR);
    const auto path = dir / "leaves.avi";
    {
        cv::VideoWriter writer(path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10.0, {320, 240});
        REQUIRE(writer.isOpened());
        for (int i = 0; i < 70; ++i) {  // 4 s of face, then 3 s of an empty room
            cv::Mat frame(240, 320, CV_8UC3, cv::Scalar(110, 120, 130));
            if (i < 40) face_bgr.copyTo(frame(cv::Rect(80 + i % 5, 40 + i % 3, 144, 144)));
            writer.write(frame);
        }
    }
    const std::string live = "stty cols 80 rows 24; " + shell_quote(test::kCli.string()) + " live --source " +
                             shell_quote(path.string()) + " --realtime --player silent --no-ask --db " +
                             shell_quote((dir / "s.db").string());  // paced: the block is redrawn on the wall clock
    const auto r = test::run_command("TERM=xterm LANG=C.UTF-8 LC_ALL= script -q -e -c " + shell_quote(live) + " " +
                                     shell_quote((dir / "typescript").string()) + " > /dev/null");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const std::string shown = test::read_file(dir / "typescript");
    CHECK(shown.find("mood: happy") != std::string::npos);
    CHECK(shown.find("(held: no face for 2 s)") != std::string::npos);
}
