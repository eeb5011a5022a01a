// `dangpli live` when things go wrong: a player that cannot play, a bad image in a folder, an
// answer that is not UTF-8, an events file that cannot be written, numbers out of range from flags
// and from the config file, outputs named like inputs. Traces are written with
// the library's TraceWriter and replayed, so most runs take a fraction of a second and do not depend
// on the machine's speed.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>
#include <utility>
#include <vector>

#include <fmt/core.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "dangpli/live_trace.hpp"
#include "dangpli/mtcnn_detector.hpp"
#include "dangpli/yunet_detector.hpp"
#include "events_file.hpp"
#include "support.hpp"

using namespace dangpli;
using nlohmann::json;
using test::read_events;
using test::run_cli;
using test::shell_quote;
using test::TempDir;

namespace {

// `seconds` of one face showing `e`, at 10 frames a second.
std::filesystem::path write_trace(const TempDir& dir, Emotion e, double seconds) {
    const auto path = dir / "trace.jsonl";
    TraceWriter trace(path);
    for (int i = 0; i < static_cast<int>(seconds * 10); ++i) {
        TraceFrame f;
        f.time = i / 10.0;
        f.faces = 1;
        f.main_face = Face{cv::Rect2f(100, 100, 160, 160), 0.99f, {}};
        f.scores = test::scores_for(e, 0.8f);
        trace.write(f);
    }
    trace.close();
    return path;
}

// Four sad songs. Without `seconds`, with the default playlists too, so that `live` has nothing to
// import (and no line to say so); with it, alone (a store that declined the defaults), each song that
// long: a sad face lets a sad song play to its end, so short songs bring lift's question sooner.
std::string store_with_songs(const TempDir& dir, int seconds = 0) {
    std::string csv = "title,artist,emotion,uri,duration\n";
    for (const char* title : {"One", "Two", "Three", "Four"})
        csv += fmt::format("{},A,sad,/m/{}.ogg,{}\n", title, title, seconds > 0 ? std::to_string(seconds) : "");
    test::write_file(dir / "songs.csv", csv);
    const auto db = shell_quote((dir / "s.db").string());
    REQUIRE(run_cli("playlist --db " + db + (seconds > 0 ? " --no-defaults" : "") + " import " +
                    shell_quote((dir / "songs.csv").string())).exit_code == 0);
    return db;
}

// `n` copies of a photo with one face, as a folder source.
std::filesystem::path copy_face_frames(const TempDir& dir, int n) {
    const auto folder = dir / "frames";
    std::filesystem::create_directory(folder);
    for (int i = 0; i < n; ++i)
        std::filesystem::copy_file(test::kSharedDir / "data/faces/happy-baby.jpeg",
                                   folder / ("f" + std::to_string(100 + i) + ".jpeg"));
    return folder;
}

std::size_t count(const std::vector<json>& events, const std::string& name) {
    std::size_t n = 0;
    for (const auto& e : events) n += e.at("event") == name ? 1u : 0u;
    return n;
}

}  // namespace

TEST_CASE("a player program that does not exist: songs fail and are said, none counts as finished, the run ends well") {
    TempDir dir;
    const auto db = store_with_songs(dir);
    const auto frames = copy_face_frames(dir, 48);
    const auto events_path = dir / "events.jsonl";
    // Paced at 8 fps, 6 s: the shell reports the missing program within milliseconds of each try,
    // so failures are seen and backed off (1 s, 2 s, ...) within the run.
    const auto r = run_cli("live --source " + shell_quote(frames.string()) + " --realtime --fps 8 --window 0.5 "
                           "--no-ask --player command --player-command '/nonexistent/dangpli-player {}' --db " + db +
                           " --events " + shell_quote(events_path.string()));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    const auto events = read_events(events_path);
    REQUIRE(!events.empty());
    CHECK(events.back().at("event") == "ended");
    CHECK(count(events, "song_finished") == 0);
    CHECK(count(events, "song_failed") >= 1);
    CHECK(count(events, "song_failed") <= 5);
    for (const auto& e : events)
        if (e.at("event") == "song_failed") {
            CHECK(e.at("error").get<std::string>().find("command '/nonexistent/dangpli-player' not found") != std::string::npos);
            CHECK(e.at("retry_in").get<double>() >= 1.0);
        }
    CHECK(r.out.find("cannot play") != std::string::npos);
    CHECK(r.out.find("command '/nonexistent/dangpli-player' not found; the next song in 1 s") != std::string::npos);
    const auto history = json::parse(run_cli("playlist --db " + db + " history --format json").out);
    REQUIRE(!history.empty());
    for (const auto& play : history) CHECK(play.at("outcome") != "finished");
}

TEST_CASE("an unreadable image in a folder source is named and skipped; the run goes on and ends with `ended`") {
    TempDir dir;
    const auto frames = copy_face_frames(dir, 6);
    test::write_file(frames / "f102b.jpeg", "this is not a JPEG");
    const auto events_path = dir / "events.jsonl";
    const auto r = run_cli("live --fps 2 --player silent --db " + shell_quote((dir / "s.db").string()) + " --events " +
                           shell_quote(events_path.string()) + " --source " + shell_quote(frames.string()));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    const auto named = r.err.find("f102b.jpeg: ");
    REQUIRE(named != std::string::npos);
    CHECK(r.err.substr(named, r.err.find('\n', named) - named).ends_with("; skipped"));
    const auto events = read_events(events_path);
    REQUIRE(!events.empty());
    CHECK(events.back().at("event") == "ended");
    CHECK(events.back().at("t").get<double>() == doctest::Approx(3.0));  // the 7th image's slot at 2 fps
}

TEST_CASE("a source or trace with not one readable frame is one line and exit 3, before any store is made") {
    TempDir dir;
    const std::string photo = test::read_file(test::kSharedDir / "data/faces/happy-baby.jpeg");
    test::write_file(dir / "cut.jpeg", photo.substr(0, photo.size() / 5));  // FFmpeg would show it in part
    std::filesystem::create_directory(dir / "bad-frames");
    test::write_file(dir / "bad-frames/a.jpeg", "not a JPEG");
    for (const std::string source : {"cut.jpeg", "bad-frames"}) {
        CAPTURE(source);
        const auto r = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --source " +
                               shell_quote((dir / source).string()));
        CHECK(r.exit_code == 3);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == (source == "cut.jpeg" ? 1 : 2));  // + "skipped"
        CHECK(r.err.find((dir / source).string() + (source == "cut.jpeg" ? ": truncated JPEG" : ": not one")) !=
              std::string::npos);
        CHECK(r.out.find("watching") == std::string::npos);
    }
    test::write_file(dir / "empty.jsonl", "");
    const auto replay = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --replay " +
                                shell_quote((dir / "empty.jsonl").string()));
    CHECK(replay.exit_code == 3);
    CHECK(replay.err.find("empty.jsonl: a trace of no frames") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "s.db"));
}

TEST_CASE("a folder of frames numbered without padding is read in their numbers' order") {
    // ffmpeg's %d.png writes f1, f2, ..., f10: read in byte order (f1, f10, f11, f12, f2, ...) the
    // second face came in at the second frame.
    TempDir dir;
    const auto frames = dir / "frames";
    std::filesystem::create_directory(frames);
    for (int i = 1; i <= 12; ++i)
        std::filesystem::copy_file(test::kSharedDir / (i <= 6 ? "data/faces/sad-baby.jpeg" : "data/faces/happy-baby.jpeg"),
                                   frames / ("f" + std::to_string(i) + ".jpeg"));
    const auto trace_path = dir / "t.jsonl";
    const auto r = run_cli("live --source " + shell_quote(frames.string()) + " --fps 10 --redetect-every 1 --classify-every 1 --no-ask --player silent --db " +
                           shell_quote((dir / "s.db").string()) + " --trace " + shell_quote(trace_path.string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::vector<json> boxes;
    std::istringstream trace(test::read_file(trace_path));
    for (std::string line; std::getline(trace, line);)
        boxes.push_back(json::parse(line).value("box", json()));  // none while the first face is missed
    REQUIRE(boxes.size() == 12);
    REQUIRE(!boxes[0].is_null());
    for (std::size_t i = 1; i < 12; ++i) CHECK((boxes[i] == boxes[0]) == (i < 6));
}

TEST_CASE("a song given as the video is named as one: exit 3, one line, no store made") {
    // An M4A with its album art (a face, even) opened in OpenCV as one frame of a "video" that then
    // broke off at 0.0 s; an MP3 without art was "not a video OpenCV can read".
    TempDir dir;
    const std::string face = shell_quote((test::kSharedDir / "data/faces/happy-baby.jpeg").string());
    const auto with_art = dir / "song.m4a", sound = dir / "song.mp3", one_frame = dir / "tagged.m4a";
    const auto made = test::run_command(
        "ffmpeg -v error -y -f lavfi -i sine=frequency=440:duration=20 -i " + face + " -map 0:a -map 1:v -c:a aac -c:v png "
        "-vf scale=320:-2 -disposition:v attached_pic " + shell_quote(with_art.string()) +
        " && ffmpeg -v error -y -f lavfi -i sine=frequency=440:duration=5 " + shell_quote(sound.string()) +
        // some taggers store the cover as a video stream of one frame, not marked as a cover
        " && ffmpeg -v error -y -f lavfi -i sine=frequency=440:duration=20 -i " + face + " -map 0:a -map 1:v -c:a aac -c:v mjpeg "
        "-vf scale=320:-2 -f mp4 " + shell_quote(one_frame.string()));
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    for (const auto& [song, says] : {std::pair{with_art, ": sound and a cover picture, no video"}, std::pair{sound, ": sound only, no video"},
                                     std::pair{one_frame, ": sound and a cover picture, no video"}}) {
        CAPTURE(song);
        const auto r = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --source " +
                               shell_quote(song.string()));
        CHECK(r.exit_code == 3);
        CHECK(r.err == "dangpli: " + song.string() + says + " (songs go in with 'dangpli playlist add' or 'scan')\n");
        CHECK_FALSE(std::filesystem::exists(dir / "s.db"));
    }
}

TEST_CASE("a damaged part of a video is named and skipped; a video cut short is exit 3, naming the time") {
    TempDir dir;
    const auto whole = dir / "face.mp4";
    // H.264 in MP4 with its index first (as streamed files are): 100 frames that FFmpeg decodes one from another.
    const auto made = test::run_command("ffmpeg -v error -y -loop 1 -i " +
                                        shell_quote((test::kSharedDir / "data/faces/happy-baby.jpeg").string()) +
                                        " -t 4 -r 25 -vf scale=320:-2,format=yuv420p -c:v libx264 -preset ultrafast "
                                        "-movflags +faststart " + shell_quote(whole.string()));
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    const std::string bytes = test::read_file(whole);
    std::string damaged = bytes;
    std::fill_n(damaged.begin() + static_cast<std::ptrdiff_t>(bytes.size() / 3), 3000, '\0');
    test::write_file(dir / "damaged.mp4", damaged);
    test::write_file(dir / "cut.mp4", bytes.substr(0, bytes.size() / 2));

    auto r = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --trace " +
                     shell_quote((dir / "t.jsonl").string()) + " --source " + shell_quote((dir / "damaged.mp4").string()));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("damaged.mp4: a damaged part before") != std::string::npos);
    const std::string trace = test::read_file(dir / "t.jsonl");
    const auto frames = std::count(trace.begin(), trace.end(), '\n');
    CHECK(frames >= 90);  // the run went on past the damage (it had ended at frame 6)

    r = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --events " +
                shell_quote((dir / "e.jsonl").string()) + " --source " + shell_quote((dir / "cut.mp4").string()));
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("cut.mp4: the video breaks off at ") != std::string::npos);
    CHECK(r.err.find(" of the 4.0 s it declares (cut or damaged)") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    const auto events = read_events(dir / "e.jsonl");
    REQUIRE(!events.empty());
    CHECK(events.back().at("event") == "ended");
    CHECK(events.back().contains("error"));
    // With B-frames (and noise, as a camera's), the decoder still hands out the frames it holds past the
    // cut: that was also "a damaged part before 3.0 s ... skipped", a second line with a wrong cause.
    const auto b_frames = dir / "b-frames.mp4";
    const auto made_b = test::run_command(
        "ffmpeg -v error -y -loop 1 -framerate 30 -i " + shell_quote((test::kSharedDir / "data/faces/happy-baby.jpeg").string()) +
        " -t 6 -vf scale=320:-2,noise=alls=6:allf=t,format=yuv420p -c:v libx264 -preset ultrafast -bf 3 -movflags +faststart " +
        shell_quote(b_frames.string()));
    REQUIRE_MESSAGE(made_b.exit_code == 0, made_b.err);
    const std::string b_bytes = test::read_file(b_frames);
    test::write_file(dir / "b-cut.mp4", b_bytes.substr(0, b_bytes.size() / 2));
    r = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --source " +
                shell_quote((dir / "b-cut.mp4").string()));
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("b-cut.mp4: the video breaks off at ") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    // An MP4 whose index comes last (ffmpeg's default), cut: an unfinished download or recording. It was
    // "not a video OpenCV can read".
    const auto index_last = dir / "index-last.mp4";
    REQUIRE(test::run_command("ffmpeg -v error -y -i " + shell_quote(whole.string()) + " -c copy " + shell_quote(index_last.string()))
                .exit_code == 0);
    const std::string last_bytes = test::read_file(index_last);
    test::write_file(dir / "unfinished.mp4", last_bytes.substr(0, last_bytes.size() / 2));
    r = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --source " +
                shell_quote((dir / "unfinished.mp4").string()));
    CHECK(r.exit_code == 3);
    CHECK(r.err.ends_with("unfinished.mp4: a video that cannot be opened (cut short, still being written, or damaged?)\n"));

    // A whole variable-frame-rate Matroska video (every third of 100 frames kept, as a phone drops them):
    // it declares 4 s at 25 fps, 100 frames, and holds 34. Judged by time, it ends as a whole file does.
    const auto vfr = dir / "vfr.mkv";
    const auto made_vfr = test::run_command(
        "ffmpeg -v error -y -loop 1 -i " + shell_quote((test::kSharedDir / "data/faces/happy-baby.jpeg").string()) +
        " -t 4 -r 25 -vf \"scale=320:-2,select='not(mod(n\\,3))',format=yuv420p\" -fps_mode vfr -c:v libx264 "
        "-preset ultrafast " + shell_quote(vfr.string()));
    REQUIRE_MESSAGE(made_vfr.exit_code == 0, made_vfr.err);
    r = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --source " + shell_quote(vfr.string()));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("breaks off") == std::string::npos);
}

TEST_CASE("an ordinary MP4 with B-frames keeps its times to the last frame: the trace is whole, the end is stamped right") {
    TempDir dir;
    // x264's defaults (B-frames): the last frames the decoder flushes have no decode time; OpenCV read them as 0.
    const auto video = dir / "clip.mp4";
    const auto made = test::run_command("ffmpeg -v error -y -loop 1 -i " +
                                        shell_quote((test::kSharedDir / "data/faces/happy-baby.jpeg").string()) +
                                        " -t 4 -r 15 -vf scale=320:-2 -c:v libx264 -pix_fmt yuv420p " + shell_quote(video.string()));
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    const auto r = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --trace " +
                           shell_quote((dir / "t.jsonl").string()) + " --events " + shell_quote((dir / "e.jsonl").string()) +
                           " --source " + shell_quote(video.string()));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    std::istringstream trace(test::read_file(dir / "t.jsonl"));
    std::vector<double> times;
    for (std::string line; std::getline(trace, line);) times.push_back(json::parse(line).at("t").get<double>());
    CHECK(times.size() == 60);
    CHECK(std::is_sorted(times.begin(), times.end()));
    CHECK(std::adjacent_find(times.begin(), times.end()) == times.end());  // no two frames at one time
    CHECK(times.back() > 3.8);
    const auto events = read_events(dir / "e.jsonl");
    REQUIRE(!events.empty());
    CHECK(events.back().at("event") == "ended");
    CHECK(events.back().at("t").get<double>() > 3.8);

    // A raw MJPEG stream has no time stamps at all (OpenCV read -3.7e17 s, and the loop crashed): its
    // frames are counted at its rate from 0.
    const auto raw = dir / "clip.mjpeg";
    REQUIRE(test::run_command("ffmpeg -v error -y -i " + shell_quote(video.string()) + " -c:v mjpeg -f mjpeg " +
                              shell_quote(raw.string())).exit_code == 0);
    const auto m = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --events " +
                           shell_quote((dir / "m.jsonl").string()) + " --source " + shell_quote(raw.string()));
    INFO(m.err);
    CHECK(m.exit_code == 0);
    const auto raw_events = read_events(dir / "m.jsonl");
    REQUIRE(!raw_events.empty());
    CHECK(raw_events.back().at("t").get<double>() > 0.0);
    CHECK(raw_events.back().at("t").get<double>() < 60.0);
}

TEST_CASE("a jump forward in a video's time stamps is a break in them, not a user away for its length") {
    TempDir dir;
    // Two recordings joined (MPEG-TS, the second stamped from 1000 s): a face on every frame. It was
    // no_face at 1000 s, then a new person.
    const std::string face = shell_quote((test::kSharedDir / "data/faces/happy-baby.jpeg").string());
    const auto part = [&](const std::string& name, const std::string& offset) {
        return "ffmpeg -v error -y -loop 1 -framerate 25 -i " + face +
               " -t 3 -vf scale=320:-2,format=yuv420p -c:v libx264 -preset ultrafast " + offset + " " +
               shell_quote((dir / name).string());
    };
    const auto joined = dir / "joined.ts";
    const auto made = test::run_command(part("a.ts", "") + " && " + part("b.ts", "-output_ts_offset 1000"));
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    test::write_file(joined, test::read_file(dir / "a.ts") + test::read_file(dir / "b.ts"));
    const auto r = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --events " +
                           shell_quote((dir / "e.jsonl").string()) + " --source " + shell_quote(joined.string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto events = read_events(dir / "e.jsonl");
    for (const auto& e : events) CHECK(e.at("event") != "no_face");
    for (const auto& e : events) CHECK(e.at("event") != "new_person");
    CHECK(events.back().at("event") == "ended");
    CHECK(events.back().at("t").get<double>() < 7.0);
}

TEST_CASE("someone new after the user was gone is said in the terminal, once") {
    // One face for 3 s, an empty room for 4 s (past the 3 s the user is remembered), another face.
    TempDir dir;
    const auto frames = dir / "frames";
    std::filesystem::create_directory(frames);
    REQUIRE(test::run_command("ffmpeg -v error -y -f lavfi -i color=c=gray:s=640x480 -frames:v 1 " +
                              shell_quote((dir / "empty.png").string())).exit_code == 0);
    for (int i = 1; i <= 50; ++i)
        std::filesystem::copy_file(i <= 15 ? test::kSharedDir / "data/faces/sad-baby.jpeg"
                                   : i <= 35 ? dir / "empty.png" : test::kSharedDir / "data/faces/happy-baby.jpeg",
                                   frames / ("f" + std::to_string(i) + (i <= 15 || i > 35 ? ".jpeg" : ".png")));
    const auto r = run_cli("live --source " + shell_quote(frames.string()) + " --fps 5 --no-ask --player silent --db " +
                           shell_quote((dir / "s.db").string()) + " --events " + shell_quote((dir / "e.jsonl").string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(count(read_events(dir / "e.jsonl"), "new_person") == 1);
    const auto said = r.out.find("someone new in view: their mood is read afresh");
    CHECK(said != std::string::npos);
    CHECK(r.out.find("someone new", said + 1) == std::string::npos);
}

TEST_CASE("a face in view that is not yet taken for the user is not called 'no face in sight'") {
    // A close face, then (a cut, or the user leaning far back) a much smaller one elsewhere: it is
    // someone new only once the user is forgotten (3 s), and meanwhile the line said "no face in sight".
    TempDir dir;
    const std::string photo = shell_quote((test::kSharedDir / "data/faces/happy-baby.jpeg").string());
    REQUIRE(test::run_command("ffmpeg -v error -y -i " + photo + " -vf crop=400:400:420:90,scale=640:640 " +
                              shell_quote((dir / "close.png").string()) + " && ffmpeg -v error -y -i " + photo +
                              " -vf scale=640:-2 " + shell_quote((dir / "far.png").string()))
                .exit_code == 0);
    const auto frames = dir / "frames";
    std::filesystem::create_directory(frames);
    for (int i = 1; i <= 45; ++i)
        std::filesystem::copy_file(dir / (i <= 15 ? "close.png" : "far.png"), frames / ("f" + std::to_string(i) + ".png"));
    const auto r = run_cli("live --source " + shell_quote(frames.string()) + " --fps 5 --no-ask --player silent --db " +
                           shell_quote((dir / "s.db").string()));
    INFO(r.out, r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("no face in sight") == std::string::npos);
    const auto out_of_sight = r.out.find("the face followed is out of sight (1 other face in view); still looking");
    CHECK(out_of_sight != std::string::npos);
    CHECK(r.out.find("someone new in view", out_of_sight) != std::string::npos);
}

TEST_CASE("a still photo as the source ends saying why nothing played") {
    TempDir dir;
    const auto r = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --source " +
                           shell_quote((test::kSharedDir / "data/faces/happy-baby.jpeg").string()));
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("the source has ended after 1 frame (0.0 s) without a mood read") != std::string::npos);
    CHECK(r.out.find("dangpli analyze") != std::string::npos);

    // Told by content, not name: a photo named .mp4 is a still photo; a video named .jpg is a video.
    std::filesystem::copy_file(test::kSharedDir / "data/faces/happy-baby.jpeg", dir / "photo.mp4");
    const auto named_video = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --source " +
                                     shell_quote((dir / "photo.mp4").string()));
    CHECK(named_video.exit_code == 0);
    CHECK(named_video.out.find("after 1 frame (0.0 s)") != std::string::npos);
    const auto clip = dir / "clip.mp4";
    REQUIRE(test::run_command("ffmpeg -v error -y -loop 1 -i " +
                              shell_quote((test::kSharedDir / "data/faces/happy-baby.jpeg").string()) +
                              " -t 2 -r 10 -vf scale=320:-2,format=yuv420p -c:v libx264 -preset ultrafast " +
                              shell_quote(clip.string())).exit_code == 0);
    std::filesystem::copy_file(clip, dir / "clip.jpg");
    const auto named_photo = run_cli("live --player silent --db " + shell_quote((dir / "s.db").string()) + " --events " +
                                     shell_quote((dir / "named.jsonl").string()) + " --source " +
                                     shell_quote((dir / "clip.jpg").string()));
    INFO(named_photo.err);
    CHECK(named_photo.exit_code == 0);
    CHECK(read_events(dir / "named.jsonl").back().at("t").get<double>() > 1.5);  // 20 frames, not one
}

TEST_CASE("an answer that is not UTF-8 neither stops the run nor loses the play in progress") {
    TempDir dir;
    const auto db = store_with_songs(dir, 3);
    const auto trace = write_trace(dir, Emotion::Sad, 60.0);
    const auto events_path = dir / "events.jsonl";
    const auto r = run_cli("live --replay " + shell_quote(trace.string()) + " --recheck 2 --min-play 0 --songs-before-asking 1 "
                           "--player silent --seed 1 --db " + db + " --events " + shell_quote(events_path.string()),
                           "sad\nBad \xff\xfe bytes - \xc3\x28\n");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("cannot keep that song") != std::string::npos);
    const auto events = read_events(events_path);
    REQUIRE(count(events, "answered") >= 1);
    bool started_after_answer = false, answered = false;
    for (const auto& e : events) {
        if (e.at("event") == "answered") answered = true;
        if (answered && e.at("event") == "song_started") started_after_answer = true;
    }
    CHECK(started_after_answer);
    CHECK(events.back().at("event") == "ended");
    const auto history = json::parse(run_cli("playlist --db " + db + " history -n 100 --format json").out);
    CHECK(history.size() >= 2);  // the play before the question and the ones after it
}

TEST_CASE("asked with nothing left to read on stdin: said once, the question's line is ended, no more asking") {
    // The question ran into the next line ("... (empty: anything) playing 2 (sad)") at every ask, and
    // every later ask paused the music again for a question nobody could answer.
    TempDir dir;
    const auto db = store_with_songs(dir, 3);
    const auto trace = write_trace(dir, Emotion::Sad, 40.0);
    const std::string run = "live --replay " + shell_quote(trace.string()) + " --recheck 2 --min-play 0 --songs-before-asking 1 "
                            "--player silent --seed 1 --db " + db + " --events ";
    const auto r = run_cli(run + shell_quote((dir / "ended.jsonl").string()), "");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("(empty: sad) (no input to read; going on, not asking again)\n") != std::string::npos);
    const auto events = read_events(dir / "ended.jsonl");
    CHECK(count(events, "asked") == 1);
    CHECK(count(events, "song_started") >= 5);  // the music went on, a song after each
    // With (empty) answers to read, the same run asks after every song without a smile.
    const auto answered = run_cli(run + shell_quote((dir / "answered.jsonl").string()), std::string(20, '\n'));
    REQUIRE(answered.exit_code == 0);
    CHECK(count(read_events(dir / "answered.jsonl"), "asked") >= 3);
}

TEST_CASE("a store that fails mid-run (full, held by another program): exit 5, and the events file still ends") {
    // Saving the play in progress failed again on the way out, before `ended` was written: a reader
    // of the events could not tell the run from one still going.
    TempDir dir;
    const auto db = store_with_songs(dir, 3);
    {
        SQLite::Database store((dir / "s.db").string(), SQLite::OPEN_READWRITE);
        store.exec("CREATE TRIGGER full BEFORE INSERT ON plays BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    }
    const auto trace = write_trace(dir, Emotion::Sad, 20.0);
    const auto events_path = dir / "events.jsonl";
    const auto r = run_cli("live --replay " + shell_quote(trace.string()) + " --no-ask --player silent --db " + db +
                           " --events " + shell_quote(events_path.string()));
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("database or disk is full") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    const auto events = read_events(events_path);
    REQUIRE(!events.empty());
    CHECK(events.back().at("event") == "ended");
    CHECK(events.back().at("error").get<std::string>().find("database or disk is full") != std::string::npos);

    // The same when only the last save fails: an hour-long song still playing when the source ends
    // (the store held by another program then: its `ended` was missing, bb47a C1).
    TempDir other;
    const auto long_songs = store_with_songs(other, 3600);
    {
        SQLite::Database store((other / "s.db").string(), SQLite::OPEN_READWRITE);
        store.exec("CREATE TRIGGER full BEFORE INSERT ON plays BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    }
    const auto last_save = run_cli("live --replay " + shell_quote(write_trace(other, Emotion::Sad, 8.0).string()) +
                                   " --no-ask --player silent --db " + long_songs + " --events " +
                                   shell_quote((other / "events.jsonl").string()));
    CHECK(last_save.exit_code == 5);
    const auto last_events = read_events(other / "events.jsonl");
    REQUIRE(!last_events.empty());
    CHECK(count(last_events, "song_started") == 1);
    CHECK(last_events.back().at("event") == "ended");
    CHECK(last_events.back().at("error").get<std::string>().find("database or disk is full") != std::string::npos);
}

TEST_CASE("a --trace another run is writing: exit 7 before a new store is made, and its frames stay") {
    // The refused run had already made (and filled with the default playlists) a store of its own.
    TempDir dir;
    const auto busy = dir / "busy.jsonl";
    TraceWriter other_run(busy);
    TraceFrame frame;
    frame.time = 0.5;
    other_run.write(frame);
    const auto db = dir / "new.db";
    const auto r = run_cli("live --source " + shell_quote(test::kFacesDir.string()) + " --no-ask --player silent --db " +
                           shell_quote(db.string()) + " --trace " + shell_quote(busy.string()));
    CHECK(r.exit_code == 7);
    CHECK(r.err.find("another program is writing a trace there") != std::string::npos);
    CHECK(!std::filesystem::exists(db));
    other_run.close();
    CHECK(read_trace(busy).size() == 1);
}

TEST_CASE("a stdout that cannot be written: exit 7, and the events file's ended says why") {
    TempDir dir;
    const auto db = store_with_songs(dir, 3);
    const auto trace = write_trace(dir, Emotion::Sad, 10.0);
    const auto events_path = dir / "events.jsonl";
    const auto r = test::run_command("(" + shell_quote(test::kCli.string()) + " live --replay " + shell_quote(trace.string()) +
                                     " --no-ask --player silent --db " + db + " --events " +
                                     shell_quote(events_path.string()) + " >&-)");
    CHECK(r.exit_code == 7);
    CHECK(r.err.find("cannot write to standard output") != std::string::npos);
    const auto events = read_events(events_path);
    REQUIRE(!events.empty());
    CHECK(events.back().at("event") == "ended");
    CHECK(events.back().value("error", "") == "cannot write to standard output");
    // At its first line, not after the whole source: the run once went on to the end (or, on a camera,
    // until someone stopped it).
    CHECK(events.back().at("t").get<double>() < 1.0);
}

TEST_CASE("--events on a full device or past a file-size limit: exit 7, one line, no line cut in half") {
    TempDir dir;
    const auto db = store_with_songs(dir);
    const auto trace = write_trace(dir, Emotion::Happy, 60.0);  // a happy face: "kept" at every recheck
    const std::string run = " live --replay " + shell_quote(trace.string()) + " --no-ask --recheck 1 --min-play 0 --player silent --db " + db;

    const auto full = run_cli(run + " --events /dev/full");
    CHECK(full.exit_code == 7);
    CHECK(full.err.find("/dev/full") != std::string::npos);
    CHECK(std::count(full.err.begin(), full.err.end(), '\n') == 1);
    // Every output that cannot be written is exit 7: a missing folder, a folder, the trace on a full device.
    const auto frames = copy_face_frames(dir, 2);
    const std::string watch = " live --source " + shell_quote(frames.string()) + " --no-ask --player silent --db " + db;
    for (const std::string& outputs :
         {run + " --events " + shell_quote((dir / "no/e.jsonl").string()), run + " --events " + shell_quote(dir.path().string()),
          watch + " --trace " + shell_quote((dir / "no/t.jsonl").string()), watch + " --trace /dev/full"}) {
        CAPTURE(outputs);
        const auto r = run_cli(outputs);
        CHECK(r.exit_code == 7);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    // The trace on a full device: the events file still ends, saying why (bb47a C5).
    const auto beside = dir / "beside.jsonl";
    CHECK(run_cli(watch + " --trace /dev/full --events " + shell_quote(beside.string())).exit_code == 7);
    const auto ended = read_events(beside);
    REQUIRE(!ended.empty());
    CHECK(ended.back().at("event") == "ended");
    CHECK(ended.back().at("error").get<std::string>().starts_with("/dev/full: "));

    // A limit of 700 bytes on every file the process writes: the first lines fit, then one is cut
    // by the kernel mid-write. The store lives in memory here, so that the events file is the
    // only file written (its default songs are imported afresh).
    const auto events_path = dir / "events.jsonl";
    const auto limited = test::run_command("prlimit --fsize=700 " + shell_quote(test::kCli.string()) +
                                           " live --replay " + shell_quote(trace.string()) +
                                           " --no-ask --recheck 1 --min-play 0 --player silent --db :memory: --events " +
                                           shell_quote(events_path.string()));
    INFO(limited.err);
    CHECK(limited.exit_code == 7);
    CHECK(limited.err.find("events.jsonl: cannot write the event (File too large)") != std::string::npos);
    const std::string text = test::read_file(events_path);
    REQUIRE(!text.empty());
    CHECK(text.back() == '\n');
    CHECK(text.size() <= 700);
    for (const auto& e : read_events(events_path)) CHECK(e.contains("event"));  // each line parses whole
}

TEST_CASE("numbers out of range are usage errors (exit 2) from flags, and named with file and key from the config") {
    TempDir dir;
    const auto db = shell_quote((dir / "s.db").string());
    for (const char* bad : {"--fps 0", "--fps -3", "--fps nan", "--fps 1e-9", "--seed 99999999999999999999", "--seed -2",
                            "--window 100000000", "--recheck 0", "--min-face nan",
                            "--hold inf", "--camera -1", "--tilt-retry 90", "--tilt-retry nan", "--fps 0x10",
                            "--player-command ''", "--player-command ' '"}) {  // an empty command failed every song
        const auto r = run_cli(std::string("live --player silent --db ") + db + " " + bad);
        INFO(bad, " ", r.err);
        CHECK(r.exit_code == 2);
    }
    // Two sources: the camera index beside a file was dropped in silence.
    const auto two_sources = run_cli("live --player silent --camera 3 --source " + db + " --db " + db);
    CHECK(two_sources.exit_code == 2);
    CHECK(two_sources.err.find("--camera") != std::string::npos);
    const auto fps = run_cli("live --player silent --fps 0 --db " + db);
    CHECK(fps.err.find("must be between 0.01 and 1000") != std::string::npos);

    test::write_file(dir / "config.yaml", "live:\n  policy: match\n  window: 100000000\n");
    const auto trace = write_trace(dir, Emotion::Happy, 1.0);
    const auto config = run_cli("live --player silent --db " + db + " --replay " + shell_quote(trace.string()) +
                                " --config " + shell_quote((dir / "config.yaml").string()));
    CHECK(config.exit_code == 3);
    CHECK(config.err.find("config.yaml:3") != std::string::npos);
    CHECK(config.err.find("live.window: 100000000 must be between 0.1 and 600") != std::string::npos);
    test::write_file(dir / "config.yaml", "live:\n  classify_every: .nan\n");
    CHECK(run_cli("live --player silent --db " + db + " --replay " + shell_quote(trace.string()) + " --config " +
                  shell_quote((dir / "config.yaml").string()))
              .exit_code == 3);
}

TEST_CASE("--events to a FIFO waits for its reader, says so, and a Ctrl-C meanwhile ends the run at once") {
    // The open blocked in the kernel, where Ctrl-C, SIGTERM and SIGHUP could not reach it: only kill -9
    // ended the run (bb47a C2).
    TempDir dir;
    const auto db = store_with_songs(dir);
    const auto trace = write_trace(dir, Emotion::Happy, 5.0);
    const auto fifo = dir / "events.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    const std::string live = shell_quote(test::kCli.string()) + " live --replay " + shell_quote(trace.string()) +
                             " --no-ask --db " + db + " --events " + shell_quote(fifo.string());
    const auto alone = test::run_command("timeout --preserve-status -s INT 3 " + live);
    CHECK(alone.exit_code == 130);
    CHECK(alone.err == "dangpli: --events " + fifo.string() + ": waiting for a program to read the FIFO (Ctrl-C to stop)\n"
                       "dangpli: stopped before the run began\n");
    // With its reader: every event reaches it (the wait's own look at the FIFO did not end the reader's input).
    const auto read = test::run_command("cat " + shell_quote(fifo.string()) + " > " + shell_quote((dir / "got.jsonl").string()) +
                                        " & " + live + "; wait");
    INFO(read.err);
    CHECK(read.exit_code == 0);
    const auto events = read_events(dir / "got.jsonl");
    REQUIRE(!events.empty());
    CHECK(events.front().at("event") == "started");
    CHECK(events.back().at("event") == "ended");
}

TEST_CASE("--events and --trace never replace the run's inputs nor each other: exit 2, one line, nothing written") {
    TempDir dir;
    const auto db = store_with_songs(dir);
    const auto trace = write_trace(dir, Emotion::Sad, 5.0);
    const auto frames = copy_face_frames(dir, 2);
    const auto model = dir / "m.onnx";
    std::filesystem::copy_file(test::kSourceDir / "models/emotion/fer-resnet.onnx", model);
    std::filesystem::copy_file(test::kSourceDir / "models/emotion/fer-resnet.yaml", dir / "m.yaml");
    const auto q = [](const std::filesystem::path& p) { return shell_quote(p.string()); };
    const std::vector<std::string> files{trace, dir / "s.db", frames / "f100.jpeg", model, dir / "m.yaml"};
    std::vector<std::string> before;
    for (const auto& f : files) before.push_back(test::read_file(f));

    const std::string replay = " live --replay " + q(trace) + " --no-ask --player silent --db " + db;
    const std::string watch = " live --source " + q(frames) + " --no-ask --player silent --db " + db;
    const std::vector<std::pair<std::string, std::string>> cases{
        {replay + " --events " + q(trace), "--events " + trace.string() + " is the same file as --replay"},
        {replay + " --events " + db, "is the same file as the store"},
        {replay + " --model " + q(model) + " --events " + q(dir / "m.yaml"), "same file as --model's card"},
        {watch + " --trace " + q(frames / "f100.jpeg"), "lies inside --source"},
        {watch + " --events " + q(dir / "e.jsonl") + " --trace " + q(dir / "e.jsonl"), "same file as --trace"},
    };
    for (const auto& refused : cases) {  // not a structured binding: clang cannot capture one in CAPTURE
        CAPTURE(refused.first);
        const auto r = run_cli(refused.first);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(refused.second) != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    for (std::size_t i = 0; i < files.size(); ++i) CHECK(test::read_file(files[i]) == before[i]);
    CHECK_FALSE(std::filesystem::exists(dir / "e.jsonl"));

    // The face detectors' files are the run's inputs too: a trace once replaced YuNet's weights.
    const auto models = dir / "models";
    std::filesystem::create_directories(models / "yunet");
    std::filesystem::copy(MtcnnModelPaths::find().pnet_prototxt.parent_path(), models / "mtcnn");
    const auto yunet = models / YunetDetector::kModelFile;
    std::filesystem::copy_file(YunetDetector::find_model(), yunet);
    const auto yunet_bytes = test::read_file(yunet);
    const auto pnet = models / "mtcnn" / "det1.prototxt";
    const auto pnet_bytes = test::read_file(pnet);
    const auto with_models = "DANGPLI_MODEL_DIR=" + q(models) + " " + shell_quote(test::kCli.string()) + watch;
    const auto over_yunet = test::run_command(with_models + " --trace " + q(yunet));
    CHECK(over_yunet.exit_code == 2);
    CHECK(over_yunet.err.find("is the same file as the face detector's model") != std::string::npos);
    CHECK(test::run_command(with_models + " --events " + q(pnet)).exit_code == 2);
    CHECK(test::read_file(yunet) == yunet_bytes);
    CHECK(test::read_file(pnet) == pnet_bytes);

    // So are the default playlists a new store imports: a trace once replaced happy.yaml, and every
    // new store after it failed. `playlist export -o` keeps the same rule.
    const auto data = dir / "data";
    std::filesystem::create_directories(data);
    std::filesystem::copy(std::filesystem::path(DANGPLI_SOURCE_DIR) / "data/playlists", data / "playlists");
    const auto happy = data / "playlists/happy.yaml";
    const auto happy_bytes = test::read_file(happy);
    const auto with_data = "DANGPLI_DATA_DIR=" + q(data) + " " + shell_quote(test::kCli.string());
    const auto over_playlist = test::run_command(with_data + " live --source " + q(frames) +
                                                 " --no-ask --player silent --db " + q(dir / "new.db") + " --trace " + q(happy));
    CHECK(over_playlist.exit_code == 2);
    CHECK(over_playlist.err.find("is the same file as the default playlist") != std::string::npos);
    const auto export_over = test::run_command(with_data + " playlist --db " + q(dir / "new2.db") + " export -o " + q(happy));
    CHECK(export_over.exit_code == 2);
    CHECK(test::read_file(happy) == happy_bytes);
    CHECK_FALSE(std::filesystem::exists(dir / "new.db"));

    // Files that do not exist yet, spelled two ways from the working folder, or reached through a
    // dangling link: still one file.
    std::filesystem::create_symlink("e2.jsonl", dir / "dangling");
    const std::string here = "cd " + shell_quote(dir.path().string()) + " && " + shell_quote(test::kCli.string()) +
                             " live --source " + q(frames) + " --no-ask --player silent";
    for (const auto& flags_and_why : std::vector<std::pair<std::string, std::string>>{
             {" --db " + db + " --events n1.jsonl --trace ./n1.jsonl", "--events n1.jsonl is the same file as --trace"},
             {" --db n3.db --events ./n3.db", "--events ./n3.db is the same file as the store n3.db"},
             {" --db " + db + " --events e2.jsonl --trace dangling", "--events e2.jsonl is the same file as --trace"}}) {
        // Not a structured binding: clang before 16 cannot capture one in CAPTURE's lambda.
        const auto& [flags, why] = flags_and_why;
        CAPTURE(flags_and_why.first);
        const auto r = test::run_command(here + flags);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(why) != std::string::npos);
    }
    for (const char* never : {"n1.jsonl", "n3.db", "e2.jsonl"}) CHECK_FALSE(std::filesystem::exists(dir / never));
    // Two outputs to one device replace nothing: both to /dev/null is a run like any other.
    CHECK(run_cli(watch + " --events /dev/null --trace /dev/null").exit_code == 0);

    // Refused before the store is made: a new store named like the events file is not created.
    const auto r = run_cli(" live --replay " + q(trace) + " --no-ask --player silent --db " + q(dir / "new.db") +
                           " --events " + q(dir / "new.db"));
    CHECK(r.exit_code == 2);
    CHECK_FALSE(std::filesystem::exists(dir / "new.db"));
}

TEST_CASE("the mpv player loads libmpv when live starts playing; a libmpv that cannot be loaded is one line, exit 6") {
    if (run_cli("live --help").out.find("best first: mpv") == std::string::npos) return;  // built without libmpv
    TempDir dir;
    const auto db = store_with_songs(dir);
    const auto trace = write_trace(dir, Emotion::Sad, 4.0);
    const std::string run = " live --replay " + shell_quote(trace.string()) + " --player mpv --audio-output null "
                            "--no-ask --db " + db + " --events " + shell_quote((dir / "events.jsonl").string());
    // The real one: the program does not link libmpv (scripts/check-deb.sh checks that); playing loads it.
    const auto played = run_cli(run);
    INFO(played.err);
    CHECK(played.exit_code == 0);
    const auto events = read_events(dir / "events.jsonl");
    CHECK(count(events, "song_started") >= 1);

    // A file by libmpv's name that is not a library, found first: the loader's reason, the remedy, nothing else.
    const auto fake = dir / "lib";
    std::filesystem::create_directory(fake);
    for (int major = 1; major <= 3; ++major) test::write_file(fake / ("libmpv.so." + std::to_string(major)), "not ELF");
    const auto r = test::run_command("env LD_LIBRARY_PATH=" + shell_quote(fake.string()) + " " +
                                     shell_quote(test::kCli.string()) + run);
    CHECK(r.exit_code == 6);
    CHECK(r.err.find("libmpv: cannot load libmpv.so.") != std::string::npos);
    CHECK(r.err.find("or use --player command") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    // Before anything is made: no new store, no new events file.
    const auto nothing_made = test::run_command("env LD_LIBRARY_PATH=" + shell_quote(fake.string()) + " " +
                                                shell_quote(test::kCli.string()) + " live --replay " +
                                                shell_quote(trace.string()) + " --player mpv --db " +
                                                shell_quote((dir / "new.db").string()) + " --events " +
                                                shell_quote((dir / "new-events.jsonl").string()));
    CHECK(nothing_made.exit_code == 6);
    CHECK(!std::filesystem::exists(dir / "new.db"));
    CHECK(!std::filesystem::exists(dir / "new-events.jsonl"));
}

TEST_CASE("Ctrl-Z stops the music with the program, and `fg` plays it on") {
    // A --player command song plays in a process group of its own: it went on playing while dangpli,
    // stopped by Ctrl-Z, could neither show nor control it (bb49b).
    TempDir dir;
    std::string csv = "title,artist,emotion,uri,duration\n";
    for (const char* title : {"One", "Two"}) {
        test::write_file(dir / (std::string(title) + ".ogg"), "");
        csv += fmt::format("{},A,happy,{},3600\n", title, (dir / (std::string(title) + ".ogg")).string());
    }
    test::write_file(dir / "songs.csv", csv);
    const auto db = shell_quote((dir / "s.db").string());
    REQUIRE(run_cli("playlist --db " + db + " --no-defaults import " + shell_quote((dir / "songs.csv").string())).exit_code == 0);
    const auto frames = copy_face_frames(dir, 60);
    const auto pid_file = dir / "song.pid";
    const std::string live = shell_quote(test::kCli.string()) + " live --source " + shell_quote(frames.string()) +
                             " --fps 4 --realtime --no-ask --db " + db + " --player command --player-command " +
                             shell_quote("echo $$ > " + shell_quote(pid_file.string()) + "; exec sleep 100 # {}");
    // Job control on (set -m): the run gets its own group and Ctrl-C is not ignored, as in a terminal.
    const std::string script = "set -m; " + live + " > /dev/null 2>&1 & P=$!; " +
                               "for i in $(seq 100); do [ -s " + shell_quote(pid_file.string()) + " ] && break; sleep 0.1; done; " +
                               "S=$(cat " + shell_quote(pid_file.string()) + "); sleep 0.5; " +
                               "kill -TSTP $P; sleep 1; echo \"stopped $(cut -d' ' -f3 /proc/$P/stat) $(cut -d' ' -f3 /proc/$S/stat)\"; " +
                               "kill -CONT $P; sleep 1; echo \"continued $(cut -d' ' -f3 /proc/$S/stat)\"; " +
                               "kill -INT $P; wait $P; echo \"rc $?\"";
    const auto r = test::run_command("bash -c " + shell_quote(script));
    INFO(r.out, r.err);
    CHECK(r.out.find("stopped T T\n") != std::string::npos);
    CHECK(r.out.find("continued S\n") != std::string::npos);
    CHECK(r.out.find("rc 130\n") != std::string::npos);
}
