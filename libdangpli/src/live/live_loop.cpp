#include "dangpli/live_loop.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/core.h>

#include "dangpli/error.hpp"

namespace dangpli {

std::string_view to_string(LiveEvent::Kind kind) {
    using Kind = LiveEvent::Kind;
    switch (kind) {
    case Kind::MoodChanged: return "mood_changed";
    case Kind::SongStarted: return "song_started";
    case Kind::Kept: return "kept";
    case Kind::Switched: return "switched";
    case Kind::SongFinished: return "song_finished";
    case Kind::Asked: return "asked";
    case Kind::Answered: return "answered";
    case Kind::Unanswered: return "unanswered";
    case Kind::NoFace: return "no_face";
    case Kind::FaceBack: return "face_back";
    case Kind::NewPerson: return "new_person";
    case Kind::NoSong: return "no_song";
    case Kind::SongFailed: return "song_failed";
    case Kind::PlayerFailed: return "player_failed";
    }
    return "?";
}

namespace {

LiveEvent event(LiveEvent::Kind kind, double time, std::optional<Emotion> emotion = std::nullopt,
                std::optional<Song> song = std::nullopt) {
    LiveEvent e{kind, time, emotion, std::move(song), 0.0f, false, {}, 0.0};
    return e;
}

}  // namespace

float frame_weight(const Face& face) {
    const float side = std::min(face.box.width, face.box.height);
    return std::clamp(side / 80.0f, 0.25f, 1.0f);
}

LiveLoop::LiveLoop(PlaylistStore& store, Player& player, LiveLoopOptions options)
    : store_(store),
      player_(player),
      chooser_(store, options.seed, options.avoid_recent),
      session_(options.session, [this](Emotion e) {
          // Plays another program kept out of the store count as recent: the chooser reads the store's.
          std::vector<std::int64_t> unsaved;
          for (const UnsavedPlay& play : unsaved_plays_) unsaved.push_back(play.song_id);
          return chooser_.choose(e, current_ ? std::optional(current_->id) : std::nullopt, unsaved);
      }),
      options_(options) {
    if (options.max_failed_songs < 1 || !(options.first_retry_s > 0.0) || !(options.max_retry_s >= options.first_retry_s))
        throw InputError(fmt::format("live loop: max_failed_songs ({}) must be at least 1 and the retry times "
                                     "({} s, {} s) positive, the first no longer than the longest",
                                     options.max_failed_songs, options.first_retry_s, options.max_retry_s));
}

void LiveLoop::finish_current(PlayOutcome outcome, bool wait_fully) {
    if (current_) unsaved_plays_.push_back({current_->id, current_mood_, outcome, Clock::now()});
    current_.reset();
    save_plays(wait_fully);
}

void LiveLoop::save_plays(bool wait_fully) {
    // Another program holding the store (a database browser with unsaved edits) froze the frames
    // for the whole busy timeout at every song's end, then failed the run.
    if (unsaved_plays_.empty()) return;
    const auto full_wait = store_.busy_timeout();
    struct RestoreWait {
        PlaylistStore& store;
        std::chrono::milliseconds wait;
        ~RestoreWait() { store.set_busy_timeout(wait); }
    } restore{store_, full_wait};
    if (!wait_fully) store_.set_busy_timeout(std::min(full_wait, kPlaySaveWait));
    try {
        while (!unsaved_plays_.empty()) {
            const UnsavedPlay& play = unsaved_plays_.front();
            // A song removed from the store while it played (`playlist remove` in another shell) has
            // no play to keep: recording it failed the run (exit 5) at the next song.
            if (store_.song(play.song_id)) store_.record_play(play.song_id, play.mood, play.outcome, play.at);
            unsaved_plays_.erase(unsaved_plays_.begin());
        }
    } catch (const StoreError& e) {
        // Held by another program, or a full disk: both may let go later. Anything else fails the run.
        const bool for_later = dynamic_cast<const StoreBusyError*>(&e) || dynamic_cast<const StoreFullError*>(&e);
        if (!for_later) throw;
        store_full_ = dynamic_cast<const StoreFullError*>(&e) != nullptr;
        if (!wait_fully) return;  // kept for the next try
        // The last chance: the plays lived only in memory, so the message says what is lost.
        const auto lost = fmt::format("{} ({} play{} of this run could not be saved)", e.what(), unsaved_plays_.size(),
                                      unsaved_plays_.size() == 1 ? "" : "s");
        if (store_full_) throw StoreFullError(lost);
        throw StoreBusyError(lost);
    }
    store_full_ = false;
}

std::vector<LiveEvent> LiveLoop::observe(const TraceFrame& frame) {
    std::vector<LiveEvent> out;
    if (frame.main_face && frame.new_person && !asking()) {
        session_.on_new_person();  // before anyone is confirmed too: false faces' readings never add up
        arrival_pending_ = seen_someone_;
    }
    // Someone new is announced once confirmed; a "face" the detector saw for a moment never is.
    bool arrived = false;
    if (frame.main_face && frame.confirmed) {
        arrived = arrival_pending_;
        if (arrived) out.push_back(event(LiveEvent::Kind::NewPerson, frame.time));
        arrival_pending_ = false;
        seen_someone_ = true;
    }
    std::optional<EmotionScores> scores = frame.main_face ? frame.scores : std::nullopt;
    const float weight = frame.main_face ? frame_weight(*frame.main_face) : 1.0f;
    auto actions = session_.on_frame(frame.time, scores, weight, frame.confirmed);
    // The face followed did not come back: someone else came, said as new_person, not face_back.
    if (arrived)
        std::erase_if(actions, [](const LiveAction& a) { return a.kind == LiveAction::Kind::FaceBack; });
    carry_out(actions, out);
    if (!asking() && player_.poll_finished()) {
        if (auto error = player_.last_error()) {
            fail_current(frame.time, *error, out);
        } else {
            failures_in_a_row_ = 0;
            out.push_back(event(LiveEvent::Kind::SongFinished, frame.time, current_mood_, current_));
            finish_current(PlayOutcome::Finished);
            carry_out(session_.on_song_finished(frame.time), out);
        }
    }
    // The back-off after a failed song is over: the session moves on as if it had ended.
    if (retry_at_ && frame.time >= *retry_at_ && !asking()) {
        retry_at_.reset();
        carry_out(session_.on_song_finished(frame.time), out);
    }
    return out;
}

void LiveLoop::fail_current(double time, const std::string& error, std::vector<LiveEvent>& out, bool player_failed) {
    LiveEvent failed = event(LiveEvent::Kind::SongFailed, time, current_mood_, current_);
    failed.error = error;
    // A song played by search that failed: the songs with files go first from now on. A song that
    // failed comes back only where its mood has no other: a file gone was drawn again and again.
    if (current_ && !current_->uri) chooser_.prefer_files();
    if (current_) chooser_.set_aside(current_->id);
    finish_current(PlayOutcome::Failed);
    if (!player_failed) {
        failed.retry_in_s = options_.first_retry_s;
        retry_at_ = time + failed.retry_in_s;
        out.push_back(failed);
        return;
    }
    ++failures_in_a_row_;
    if (failures_in_a_row_ >= options_.max_failed_songs) {
        player_failed_ = true;
        retry_at_.reset();
        out.push_back(failed);
        LiveEvent gave_up = event(LiveEvent::Kind::PlayerFailed, time);
        gave_up.error = fmt::format("{} songs failed in a row; the last: {}", failures_in_a_row_, error);
        out.push_back(gave_up);
        return;
    }
    failed.retry_in_s = std::min(options_.max_retry_s, options_.first_retry_s * std::pow(2.0, failures_in_a_row_ - 1));
    retry_at_ = time + failed.retry_in_s;
    out.push_back(failed);
}

std::vector<LiveEvent> LiveLoop::answer(double time, UserAnswer answer) {
    std::vector<LiveEvent> out;
    if (!asking()) return out;
    if (answer.requested) {
        auto& wanted = *answer.requested;
        wanted.id = store_.record_feedback(answer.feeling, wanted.title, wanted.artist);
        if (auto stored = store_.song(wanted.id)) wanted = *stored;
    } else if (!answer.unanswered) {
        store_.record_feeling(answer.feeling);  // an answer without a song is an answer all the same
    }
    out.push_back(event(answer.unanswered ? LiveEvent::Kind::Unanswered : LiveEvent::Kind::Answered, time,
                        answer.feeling, answer.requested));
    // An answer is the user's say about the song that played; a question nobody answered is the
    // session moving on by itself, as on a mood it saw (a skip would teach the store a rejection):
    // the next song replaces it as a switch, in the events as in the store.
    auto actions = session_.on_answer(time, answer);
    const auto next = std::find_if(actions.begin(), actions.end(),
                                   [](const LiveAction& a) { return a.kind == LiveAction::Kind::Play; });
    if (answer.unanswered && current_ && next != actions.end())
        next->kind = LiveAction::Kind::Switch;  // start() ends the song as switched
    else
        finish_current(answer.unanswered ? PlayOutcome::Switched : PlayOutcome::Skipped);
    carry_out(actions, out);
    return out;
}

void LiveLoop::stop() {
    player_.stop();
    finish_current(PlayOutcome::Stopped, /*wait_fully=*/true);
}

void LiveLoop::start(const LiveAction& a, std::vector<LiveEvent>& out) {
    if (player_failed_) return;  // the player was given up on: nothing plays any more
    finish_current(a.kind == LiveAction::Kind::Switch ? PlayOutcome::Switched : PlayOutcome::Finished);
    current_ = a.song;
    current_mood_ = a.emotion;
    retry_at_.reset();
    out.push_back(event(a.kind == LiveAction::Kind::Switch ? LiveEvent::Kind::Switched : LiveEvent::Kind::SongStarted,
                        a.time, a.emotion, current_));
    // A file moved or deleted since it was added is said by its path: a player program only says
    // that it failed ("exited with status 1"), and mpv after a while.
    if (player_.opens_files() && current_->uri && current_->uri->starts_with('/')) {
        std::error_code ec;
        if (!std::filesystem::exists(*current_->uri, ec) && !ec)
            return fail_current(a.time, fmt::format("{}: no such file (moved or deleted since it was added?)", *current_->uri),
                                out, false);
    }
    try {
        player_.play(*current_);
    } catch (const Error& e) {
        fail_current(a.time, e.what(), out);
    }
}

void LiveLoop::carry_out(const std::vector<LiveAction>& actions, std::vector<LiveEvent>& out) {
    using Kind = LiveAction::Kind;
    for (const LiveAction& a : actions) {
        switch (a.kind) {
        case Kind::MoodChanged: {
            const Mood& m = session_.mood();
            out.push_back({LiveEvent::Kind::MoodChanged, a.time, a.emotion, std::nullopt, m.confidence, m.clear, {}, 0.0});
            break;
        }
        case Kind::Play:
        case Kind::Switch: start(a, out); break;
        case Kind::Keep: out.push_back(event(LiveEvent::Kind::Kept, a.time, a.emotion, current_)); break;
        case Kind::Ask:
            if (player_failed_) {
                // Nothing could be played for the answer: the loop answers for the user and goes on.
                carry_out(session_.on_answer(a.time, UserAnswer{a.emotion.value_or(Emotion::Neutral), std::nullopt}), out);
                break;
            }
            player_.pause();
            out.push_back(event(LiveEvent::Kind::Asked, a.time, a.emotion));
            break;
        case Kind::NoFace: out.push_back(event(LiveEvent::Kind::NoFace, a.time)); break;
        case Kind::FaceBack: out.push_back(event(LiveEvent::Kind::FaceBack, a.time)); break;
        case Kind::NoSong: out.push_back(event(LiveEvent::Kind::NoSong, a.time, a.emotion)); break;
        }
    }
}

}  // namespace dangpli
