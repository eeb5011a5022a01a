// `dangpli live`: watch a face (camera, video or image folder), follow its mood, play music that fits.
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include <fmt/core.h>
#include <opencv2/highgui.hpp>

#include "analyze_annotate.hpp"
#include "commands.hpp"
#include "dangpli/error.hpp"
#include "dangpli/face_analyzer.hpp"
#include "dangpli/live_session.hpp"
#include "dangpli/main_face_tracker.hpp"
#include "exit_codes.hpp"
#include "live_args.hpp"
#include "live_events.hpp"
#include "live_player.hpp"
#include "live_source.hpp"
#include "live_view.hpp"
#include "playlist_open.hpp"

namespace dangpli::cli {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_interrupt(int) { g_stop.store(true); }

std::string describe(const Song& s) { return s.artist.empty() ? s.title : s.artist + " - " + s.title; }

// Asks in the terminal how the user feels and what they want to hear. nullopt without an answer.
std::optional<UserAnswer> ask_user(LiveView& view, Emotion seen) {
    view.release();
    fmt::print("\nYou have not smiled for a while. How do you feel? [angry, disgust, fear, happy, sad, surprise, "
               "neutral] (empty: {}) ", to_string(seen));
    std::fflush(stdout);
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    auto feeling = line.empty() ? std::optional(seen) : parse_emotion(line);
    while (!feeling) {
        fmt::print("Please type one of: angry, disgust, fear, happy, sad, surprise, neutral: ");
        std::fflush(stdout);
        if (!std::getline(std::cin, line)) return std::nullopt;
        feeling = parse_emotion(line);
    }
    fmt::print("What would you like to hear? (\"artist - title\", empty: anything) ");
    std::fflush(stdout);
    UserAnswer answer{*feeling, std::nullopt};
    if (std::getline(std::cin, line) && !line.empty()) {
        Song wanted;
        const auto dash = line.find(" - ");
        wanted.artist = dash == std::string::npos ? "" : line.substr(0, dash);
        wanted.title = dash == std::string::npos ? line : line.substr(dash + 3);
        answer.requested = wanted;
    }
    return answer;
}

int run_live(const LiveArgs& args) {
    PlaylistStore store = open_playlist_store(args.db);
    FaceDetector::Options detector_options;
    detector_options.min_face_size = args.min_face;
    const FaceAnalyzer analyzer(FaceDetector(MtcnnModelPaths::find(), detector_options),
                                args.model.empty() ? EmotionClassifier::load_default() : EmotionClassifier(args.model));
    FrameSource source = args.source.empty() ? FrameSource::camera(args.camera) : FrameSource::file(args.source, args.fps);
    EventLog events = args.events.empty() ? EventLog() : EventLog(args.events);
    LiveView view(stdout);

    double media_time = 0.0;  // the frames' clock: the player's songs end on it too
    std::unique_ptr<Player> player = make_live_player(args, [&media_time] { return media_time; });

    std::optional<Song> current;
    std::optional<Emotion> current_mood;
    auto pick = [&store, &current](Emotion e) -> std::optional<Song> {
        for (std::size_t exclude : {std::size_t{3}, std::size_t{0}})
            for (const auto& c : store.candidates(e, exclude))
                if (!current || c.song.id != current->id) return c.song;
        return std::nullopt;
    };
    auto finish_current = [&](PlayOutcome outcome) {
        if (current) store.record_play(current->id, current_mood, outcome);
        current.reset();
    };

    LiveSession session(live_session_options(args), pick);
    MainFaceTracker tracker;
    bool first_person = true;
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    view.say(fmt::format("dangpli live: watching {} ({} policy, {} player); Ctrl-C to stop", source.describe(),
                         args.policy, player->name()));
    events.write(0.0, "started", std::nullopt, nullptr, {{"source", source.describe()}, {"policy", args.policy}});

    const auto wall_start = std::chrono::steady_clock::now();
    double fps = 0.0;
    while (!g_stop.load()) {
        const auto frame_start = std::chrono::steady_clock::now();
        auto frame = source.next();
        if (!frame) break;
        media_time = frame->time;
        if (args.realtime && !source.is_live())
            std::this_thread::sleep_until(wall_start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                           std::chrono::duration<double>(frame->time)));

        const auto faces = analyzer.analyze(frame->image);
        std::vector<Face> boxes;
        for (const auto& f : faces) boxes.push_back(f.face);
        const auto main = tracker.select(boxes);
        if (main.new_person && main.index && !first_person) session.on_new_person();
        if (main.index) first_person = false;
        std::optional<EmotionScores> main_scores;
        if (main.index) main_scores = faces[*main.index].emotion;

        auto actions = session.on_frame(frame->time, main_scores);
        if (player->poll_finished()) {
            events.write(frame->time, "song_finished", current_mood, current ? &*current : nullptr);
            finish_current(PlayOutcome::Finished);
            auto more = session.on_song_finished(frame->time);
            actions.insert(actions.end(), more.begin(), more.end());
        }
        // By index: an answer appends the actions that follow it, handled by the same cases.
        for (std::size_t k = 0; k < actions.size(); ++k) {
            const LiveAction a = actions[k];
            using Kind = LiveAction::Kind;
            switch (a.kind) {
            case Kind::MoodChanged:
                events.write(a.time, "mood_changed", a.emotion, nullptr,
                             {{"confidence", session.mood().confidence}});
                break;
            case Kind::Play:
            case Kind::Switch:
                finish_current(a.kind == Kind::Switch ? PlayOutcome::Switched : PlayOutcome::Finished);
                current = a.song;
                current_mood = a.emotion;
                player->play(*current);
                events.write(a.time, a.kind == Kind::Switch ? "switched" : "song_started", a.emotion, &*current);
                view.say(fmt::format("{} {} ({})", a.kind == Kind::Switch ? "switching to" : "playing",
                                     describe(*current), to_string(*a.emotion)));
                break;
            case Kind::Keep:
                events.write(a.time, "kept", a.emotion, current ? &*current : nullptr);
                break;
            case Kind::Ask: {
                player->pause();
                events.write(a.time, "asked", a.emotion);
                auto answer = ask_user(view, *a.emotion);
                if (!answer) answer = UserAnswer{*a.emotion, std::nullopt};  // stdin closed: keep to the mood
                if (answer->requested) {
                    auto& wanted = *answer->requested;
                    wanted.id = store.record_feedback(answer->feeling, wanted.title, wanted.artist);
                    if (auto stored = store.song(wanted.id)) wanted = *stored;
                }
                events.write(a.time, "answered", answer->feeling,
                             answer->requested ? &*answer->requested : nullptr);
                finish_current(PlayOutcome::Skipped);
                auto more = session.on_answer(frame->time, *answer);
                actions.insert(actions.end(), more.begin(), more.end());
                break;
            }
            case Kind::NoFace:
                events.write(a.time, "no_face");
                view.say("no face in sight; still looking");
                break;
            case Kind::FaceBack:
                events.write(a.time, "face_back");
                break;
            case Kind::NoSong:
                events.write(a.time, "no_song", a.emotion);
                view.say(fmt::format("no songs for {}: add some with `dangpli playlist add`", to_string(*a.emotion)));
                break;
            }
        }

        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - frame_start).count();
        fps = fps == 0.0 ? 1.0 / seconds : 0.9 * fps + 0.1 / seconds;
        const char* states[] = {"watching", "playing", "asking"};
        view.update({main_scores, session.mood(), faces.size(), fps, current ? describe(*current) : "",
                     states[static_cast<int>(session.state())]});
        if (args.preview) {
            cv::imshow("dangpli live", draw_faces(frame->image, faces));
            if ((cv::waitKey(1) & 0xFF) == 'q') break;
        }
    }
    player->stop();
    finish_current(PlayOutcome::Skipped);
    events.write(media_time, g_stop.load() ? "interrupted" : "ended");
    view.say(g_stop.load() ? "stopped; plays and feedback are saved" : "the source has ended");
    return g_stop.load() ? kInterrupted : kOk;
}

}  // namespace

void add_live_command(CLI::App& app, CommandRunner& run) {
    auto args = std::make_shared<LiveArgs>();
    auto* sub = app.add_subcommand("live", "Watch a face and play music that fits its mood");
    add_live_options(*sub, *args);
    // The config file is read when the command runs, so that its errors reach main's handlers.
    sub->callback([&run, args, sub] {
        run = [args, sub] {
            apply_live_config(*sub, *args);
            return run_live(*args);
        };
    });
}

}  // namespace dangpli::cli
