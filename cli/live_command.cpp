// `dangpli live`: watch a face (camera, video or image folder), follow its mood, play music that fits.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <thread>
#include <utility>

#include <fmt/core.h>
#include <opencv2/highgui.hpp>

#include "analyze_annotate.hpp"
#include "commands.hpp"
#include "dangpli/error.hpp"
#include "dangpli/face_detector_factory.hpp"
#include "dangpli/image_analysis.hpp"
#include "dangpli/live_loop.hpp"
#include "dangpli/live_trace.hpp"
#include "dangpli/main_face_reader.hpp"
#include "dangpli/silent_player.hpp"
#include "display_check.hpp"
#include "exit_codes.hpp"
#include "live_args.hpp"
#include "live_events.hpp"
#include "live_player.hpp"
#include "live_question.hpp"
#include "live_source.hpp"
#include "live_view.hpp"
#include "output_paths.hpp"
#include "playlist_open.hpp"
#include "stderr_line.hpp"
#include "stop_signals.hpp"
#include "suspend_signal.hpp"

namespace dangpli::cli {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_interrupt(int) { g_stop.store(true); }

std::string describe(const Song& s) { return s.artist.empty() ? s.title : s.artist + " - " + s.title; }

// Writes an event line and, where a person should see it, a line in the terminal. `faces_in_view`:
// the frame's faces, main or not.
void report(const LiveEvent& e, EventLog& events, LiveView& view, std::size_t faces_in_view) {
    using Kind = LiveEvent::Kind;
    const Song* song = e.song ? &*e.song : nullptr;
    nlohmann::ordered_json extra = nlohmann::ordered_json::object();
    // Rounded as analyze's rows are: a float's further digits (0.61234569549560547) are noise.
    if (e.kind == Kind::MoodChanged) extra = {{"confidence", rounded_score(e.confidence)}, {"clear", e.clear}};
    if (e.kind == Kind::SongFailed) extra = {{"error", e.error}, {"retry_in", std::round(e.retry_in_s * 1000.0) / 1000.0}};
    if (e.kind == Kind::PlayerFailed) extra = {{"error", e.error}};
    events.write(e.time, std::string(to_string(e.kind)), e.emotion, song, extra);
    switch (e.kind) {
    case Kind::SongStarted:
    case Kind::Switched:
        view.say(fmt::format("{} {} ({})", e.kind == Kind::Switched ? "switching to" : "playing", describe(*e.song),
                             to_string(*e.emotion)));
        break;
    case Kind::NoFace:
        // A face in view that is not the user's (yet): "no face in sight" would be plainly wrong.
        view.say(faces_in_view == 0 ? std::string("no face in sight; still looking")
                                    : fmt::format("the face followed is out of sight ({} other face{} in view); still looking",
                                                  faces_in_view, faces_in_view == 1 ? "" : "s"));
        break;
    case Kind::NewPerson: view.say("someone new in view: their mood is read afresh"); break;
    case Kind::MoodChanged:
        // On a TTY the block shows it; plain lines (a log, a screen reader, TERM=dumb) must say it too.
        if (!view.interactive())
            view.say(fmt::format("mood: {} {:.1f}%{}", to_string(*e.emotion), 100.0 * static_cast<double>(e.confidence),
                                 e.clear ? "" : " (unclear)"));
        break;
    case Kind::NoSong:
        view.say(fmt::format("no songs for {}: add some with `dangpli playlist add`", to_string(*e.emotion)));
        break;
    case Kind::SongFailed:
        view.say(e.retry_in_s > 0.0
                     ? fmt::format("cannot play {}: {}; the next song in {:g} s", song ? describe(*song) : "the song",
                                   e.error, e.retry_in_s)
                     : fmt::format("cannot play {}: {}", song ? describe(*song) : "the song", e.error));
        break;
    case Kind::PlayerFailed:
        // Songs without a file play by search (the default playlists' all do): offline or without
        // yt-dlp each fails, and the player, which plays files, was blamed.
        // A player command that cannot play a search (ffplay) says so (CommandPlayer's words): the
        // player is the cause there, not the network.
        if (e.error.find("the song is a search") != std::string::npos)
            view.say(fmt::format("no song could be played: {}; music is off for the rest of this run. Use --player "
                                 "mpv, or give songs their files: `dangpli playlist add --uri FILE` or `dangpli "
                                 "playlist scan FOLDER`",
                                 e.error));
        else if (e.error.find("ytdl://") != std::string::npos)
            view.say(fmt::format("no song could be played: {}; a song without a file plays by search, which needs "
                                 "network and yt-dlp; music is off for the rest of this run. Give songs their files: "
                                 "`dangpli playlist add --uri FILE` or `dangpli playlist scan FOLDER`",
                                 e.error));
        else
            view.say(fmt::format("the player does not work: {}; music is off for the rest of this run. Check --player "
                                 "and --player-command",
                                 e.error));
        break;
    default: break;
    }
}

// Searches without a face between two turned looks (FaceDetectorOptions::tilt_retry_every).
constexpr int kLiveTiltRetryEvery = 10;

// Where the main face of each frame comes from: a camera or file through the vision pipeline,
// or a recorded trace (--replay), which skips it.
class MainFaceFeed {
public:
    explicit MainFaceFeed(const LiveArgs& args) {
        if (!args.replay.empty()) {
            trace_ = read_trace(args.replay);
            description_ = "the trace " + args.replay;
            // Like a file source, before anything is made: a run of no frames is an error, not an end.
            if (trace_.empty()) throw InputError(args.replay + ": a trace of no frames");
            return;
        }
        FaceDetectorOptions detector_options;
        detector_options.min_face_size = args.min_face;
        detector_options.min_face_fraction = 0.0f;  // a video's faces from --min-face up, whatever its size
        detector_options.tilt_retry_degrees = args.tilt_retry;
        // An empty room is searched on every 3rd frame; the turned look on every 10th of those
        // (once a second at 30 fps, every 2 s once the user is away) keeps its cost small while a
        // tilted head is still found within seconds.
        detector_options.tilt_retry_every = kLiveTiltRetryEvery;
        reader_.emplace(make_face_detector(args.detector, detector_options),
                        args.model.empty() ? EmotionClassifier::load_default() : EmotionClassifier(args.model),
                        main_face_reader_options(args));
        source_.emplace(args.source.empty() ? FrameSource::camera(args.camera) : FrameSource::file(args.source, args.fps));
        description_ = source_->describe();
        realtime_ = args.realtime && !source_->is_live();
    }

    /// The next frame's main face; nullopt at the end.
    std::optional<TraceFrame> next() {
        if (!reader_) {
            if (next_traced_ == trace_.size()) return std::nullopt;
            return trace_[next_traced_++];
        }
        auto frame = source_->next();
        if (!frame) return std::nullopt;
        if (realtime_)
            std::this_thread::sleep_until(wall_start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                            std::chrono::duration<double>(frame->time)));
        image_ = frame->image;
        last_ = reader_->read(frame->image, frame->time);
        return last_;
    }
    /// Moves the --realtime clock on by a time the run was stopped (Ctrl-Z) or waited for an answer:
    /// the video goes on from its frame, not racing through the time it was away.
    void paused_for(std::chrono::steady_clock::duration away) { wall_start_ += away; }
    /// The last camera or video frame with the main face drawn (empty when replaying).
    cv::Mat preview() const {
        std::vector<AnalyzedFace> shown;
        if (last_.main_face) shown.push_back({*last_.main_face, *last_.scores});
        return reader_ ? draw_faces(image_, shown) : cv::Mat();
    }
    const std::string& describe() const { return description_; }

private:
    std::vector<TraceFrame> trace_;
    std::size_t next_traced_ = 0;
    std::optional<MainFaceReader> reader_;
    std::optional<FrameSource> source_;
    bool realtime_ = false;
    std::chrono::steady_clock::time_point wall_start_ = std::chrono::steady_clock::now();
    cv::Mat image_;
    TraceFrame last_;
    std::string description_;
};

// What a run saw, for its last line.
struct Watched {
    long frames = 0;
    bool mood_read = false;
};

// Questions that went unanswered in a row before live stops asking for the run.
constexpr int kUnansweredBeforeGivingUp = 2;

// Reads frames until the source ends, Ctrl-C or 'q' in the preview; reports what happens and
// asks the user when the loop wants an answer.
Watched watch(MainFaceFeed& feed, LiveLoop& loop, Player& player, EventLog& events, std::optional<TraceWriter>& trace,
              LiveView& view, double& media_time, bool preview, double answer_wait) {
    // Frames per second as they came (the time between frames averaged, decoding and waiting
    // included): 1 / processing time said 239 fps for a 30 fps --realtime clip.
    double frame_interval = 0.0;
    std::optional<std::chrono::steady_clock::time_point> last_frame_at;
    std::optional<double> last_face_time;  // the frames' clock
    Watched watched;
    TerminalQuestion question(g_stop, answer_wait);
    int unanswered_in_a_row = 0;
    bool plays_waiting = false;
    while (!g_stop.load()) {
        if (suspend_requested()) {  // Ctrl-Z: the music stops with the program (a paused question's stays paused)
            const bool music = !loop.asking();
            if (music) player.pause();
            feed.paused_for(suspend_now());
            if (music) player.resume();
            last_frame_at.reset();  // the time away is no frame interval
        }
        const auto frame = feed.next();
        if (!frame) break;
        const auto frame_at = std::chrono::steady_clock::now();
        if (last_frame_at) {
            const double seconds = std::chrono::duration<double>(frame_at - *last_frame_at).count();
            frame_interval = frame_interval == 0.0 ? seconds : 0.9 * frame_interval + 0.1 * seconds;
        }
        last_frame_at = frame_at;
        if (frame->main_face) last_face_time = frame->time;
        ++watched.frames;
        media_time = frame->time;
        if (trace) trace->write(*frame);

        // By index: an answer appends the events that follow it.
        auto happened = loop.observe(*frame);
        for (std::size_t k = 0; k < happened.size(); ++k) {
            const LiveEvent e = happened[k];
            report(e, events, view, frame->faces);
            watched.mood_read |= e.kind == LiveEvent::Kind::MoodChanged;
            if (e.kind != LiveEvent::Kind::Asked) continue;
            const auto asked_at = std::chrono::steady_clock::now();
            auto answer = question.ask(view, *e.emotion);
            // A --realtime video waits with the question, as the music does: it raced to catch up.
            feed.paused_for(std::chrono::steady_clock::now() - asked_at);
            last_frame_at.reset();  // nor is the wait a frame interval
            if (g_stop.load()) break;  // Ctrl-C at the question: nothing was answered, no new song starts
            // No answer can come any more: the music is not paused again for a question nobody reads.
            // Nor after two questions in a row went unanswered (stdin held open under systemd or
            // cron): each stopped the music for --answer-wait, for as long as the service ran.
            unanswered_in_a_row = answer ? 0 : unanswered_in_a_row + 1;
            if (question.answers_ended()) {
                loop.stop_asking();
            } else if (unanswered_in_a_row >= kUnansweredBeforeGivingUp) {
                loop.stop_asking();
                view.say(fmt::format("{} questions in a row went unanswered: not asking again in this run",
                                     unanswered_in_a_row));
            }
            if (!answer) answer = UserAnswer{*e.emotion, std::nullopt, /*unanswered=*/true};  // keep to the mood
            std::vector<LiveEvent> more;
            try {
                more = loop.answer(frame->time, *answer);
            } catch (const InputError& refused) {
                // A request the store cannot keep (invalid UTF-8, control characters): nothing has
                // changed yet, so the feeling alone is the answer.
                view.say(fmt::format("cannot keep that song ({}); playing a song for {} instead", refused.what(),
                                     to_string(answer->feeling)));
                answer->requested.reset();
                more = loop.answer(frame->time, *answer);
            }
            happened.insert(happened.end(), more.begin(), more.end());
            last_frame_at.reset();  // the wait for the answer is no frame interval (fps read 0.5 after it)
        }

        // Said once each time plays start to wait for the store (another program holds it, its disk is
        // full), and when they are saved.
        if (const bool waiting = loop.unsaved_plays() > 0; waiting != plays_waiting) {
            plays_waiting = waiting;
            view.say(!waiting            ? "the plays that waited for the store are saved"
                     : loop.store_full() ? "the playlist store cannot be written (is its disk full?): plays are kept and saved when it can be"
                                         : "another program is holding the playlist store: plays are kept and saved when it lets go");
        }
        const char* states[] = {"watching", "playing", "asking"};
        const auto& song = loop.current_song();
        std::optional<double> face_gone_s;
        if (!frame->main_face && last_face_time) face_gone_s = frame->time - *last_face_time;
        view.update({loop.session().mood(), face_gone_s, frame->faces, frame_interval > 0.0 ? 1.0 / frame_interval : 0.0,
                     song ? describe(*song) : "",
                     loop.player_failed() ? "music off" : states[static_cast<int>(loop.session().state())]});
        // Standard output gone (a full disk, `>&-`): the run ends now, as every command does, not when
        // someone stops a camera that nobody can see report (main says it, exit 7). A reader gone is
        // SIGPIPE, an interruption.
        if (std::ferror(stdout) != 0 && !g_stop.load()) break;
        if (preview) {
            cv::imshow("dangpli live", feed.preview());
            if ((cv::waitKey(1) & 0xFF) == 'q') break;
        }
    }
    return watched;
}

// The run's last line. A source that ended before any mood was read says why nothing played (a
// still photo given as --source is a one-frame video).
std::string ending_line(const Watched& watched, double media_time) {
    if (g_stop.load()) return "stopped; plays and feedback are saved";
    if (watched.mood_read) return "the source has ended";
    return fmt::format("the source has ended after {} frame{} ({:.1f} s) without a mood read: a mood needs a face "
                       "in view for a few seconds (for photos, use dangpli analyze)",
                       watched.frames, watched.frames == 1 ? "" : "s", media_time);
}

// Before the store is opened or anything written: --events and --trace never replace what the run
// reads (its video, images or trace, models, config file, store, the default playlists a new store
// takes), nor each other.
void check_outputs(const LiveArgs& args) {
    const std::vector<NamedPath> outputs{{"--events", args.events}, {"--trace", args.trace}};
    auto inputs = model_files("--model", args.model.empty() ? EmotionClassifier::default_model_file()
                                                            : std::filesystem::path(args.model));
    for (auto& file : detector_model_files()) inputs.push_back(std::move(file));
    inputs.push_back({"--source", args.source});
    inputs.push_back({"--replay", args.replay});
    inputs.push_back({"the config file", live_config_file(args)});
    for (auto& file : store_files(args.db.empty() ? default_store_path() : std::filesystem::path(args.db)))
        inputs.push_back(std::move(file));
    for (auto& file : playlists_read_on_open(args.db, true)) inputs.push_back({"the default playlist", std::move(file)});
    refuse_outputs_over_inputs(outputs, inputs);
    refuse_outputs_inside(outputs, {"--source", args.source});
}

int run_live(const LiveArgs& args) {
    // Whatever ends the run from outside (Ctrl-C, kill, the terminal closing, the reader of its
    // output gone) ends it the same way: the play in progress saved, the events file closed; from the
    // start, so that a signal while the models load ends it so too (it killed the process, status 143).
    catch_stop_signals({SIGINT, SIGTERM, SIGHUP, SIGPIPE}, on_interrupt);
    catch_suspend_signal();
    if (args.preview) {
        if (auto problem = display_problem()) throw UsageError(*problem);
    }
    check_outputs(args);
    // The source, model and player before the store and the outputs: a mistyped --source or a libmpv
    // that cannot be loaded makes no new store and empties no events file.
    MainFaceFeed feed(args);
    double media_time = 0.0;  // the frames' clock: the player's songs end on it too
    std::unique_ptr<Player> player = make_live_player(args, [&media_time] { return media_time; });
    // An output FIFO with no reader yet: waited for, and a Ctrl-C meanwhile ends the run at once.
    auto events_reader = wait_for_fifo_reader("--events", args.events, g_stop);
    auto trace_reader = events_reader ? wait_for_fifo_reader("--trace", args.trace, g_stop) : std::nullopt;
    if (!events_reader || !trace_reader) {
        tell("dangpli: stopped before the run began\n");
        return kInterrupted;
    }
    // The trace before the store: one another run is writing is refused before a new store is made
    // (the old trace is emptied only at the first frame).
    std::optional<TraceWriter> trace;
    if (!args.trace.empty()) trace.emplace(args.trace);
    PlaylistStore store = open_playlist_store(args.db);
    EventLog events = args.events.empty() ? EventLog() : EventLog(args.events);
    events_reader.reset();  // the outputs' own opens hold their FIFOs now
    trace_reader.reset();
    LiveView view(stdout);
    LiveLoop loop(store, *player, live_loop_options(args));

    view.say(fmt::format("dangpli live: watching {}; {} policy, {} player; Ctrl-C to stop", feed.describe(),
                         args.policy, player->name()));
    // A file is read as fast as it decodes (a minute of video in seconds), and the rules count its
    // seconds: a player one hears would have its songs cut after a few real seconds, in silence.
    if (!args.source.empty() && !args.realtime && player->name() != SilentPlayer::kName)
        view.say("the video is read as fast as it decodes, and the player plays on the wall clock: add --realtime to hear the songs");
    events.write(0.0, "started", std::nullopt, nullptr, {{"source", feed.describe()}, {"policy", args.policy}});

    // Whatever stops the run (the source failing, a store error, the trace's disk full), the play in
    // progress is saved and the events file ends with `ended`; only a failed write of the events file
    // itself has nothing more to say there.
    Watched watched;
    // Stopping saves the play in progress, in the store that may be what failed (full, held by
    // another program): then its first error is the one to tell, and `ended` is still written.
    const auto stop_after_failure = [&loop] {
        try {
            loop.stop();
        } catch (const std::exception&) {
        }
    };
    try {
        watched = watch(feed, loop, *player, events, trace, view, media_time, args.preview, args.answer_wait);
    } catch (const WriteError& e) {
        stop_after_failure();
        // The trace's write failed, or the events file's own: then this one fails too, and is let go.
        try {
            events.write(media_time, "ended", std::nullopt, nullptr, {{"error", e.what()}});
        } catch (const std::exception&) {
        }
        throw;
    } catch (const std::exception& e) {
        stop_after_failure();
        events.write(media_time, "ended", std::nullopt, nullptr, {{"error", e.what()}});
        throw;
    }
    try {
        loop.stop();  // saves the last play: the store may be held by another program past its wait
    } catch (const WriteError&) {
        throw;  // the events file's own write: nothing more to say there
    } catch (const std::exception& e) {
        events.write(media_time, "ended", std::nullopt, nullptr, {{"error", e.what()}});
        throw;
    }
    if (trace) trace->close();
    view.say(ending_line(watched, media_time));
    // A stdout that could not be written fails the run (exit 7, said by main): its `ended` says so too.
    // A reader gone (SIGPIPE) stopped the run instead: that is an interruption.
    if (!g_stop.load() && (std::fflush(stdout) != 0 || std::ferror(stdout) != 0)) {
        events.write(media_time, "ended", std::nullopt, nullptr, {{"error", "cannot write to standard output"}});
        return kOk;  // main's check of stdout turns this into exit 7 with its line
    }
    events.write(media_time, g_stop.load() ? "interrupted" : "ended");
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
            // A replay runs in a blink on the trace's clock: nothing to hear unless a player is asked for.
            if (!args->replay.empty() && sub->count("--player") == 0) args->player = SilentPlayer::kName;
            return run_live(*args);
        };
    });
}

}  // namespace dangpli::cli
