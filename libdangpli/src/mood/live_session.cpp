#include "dangpli/live_session.hpp"

#include <algorithm>
#include <array>

#include "core/enum_names.hpp"
#include "dangpli/error.hpp"

namespace dangpli {
namespace {

constexpr std::array kAllPolicies{MoodPolicy::Lift, MoodPolicy::Match};

}  // namespace

std::string_view to_string(MoodPolicy policy) { return policy == MoodPolicy::Match ? "match" : "lift"; }

std::optional<MoodPolicy> parse_mood_policy(std::string_view name) {
    return detail::parse_name(kAllPolicies, name);
}

std::vector<std::string> mood_policy_names() { return detail::names_of(kAllPolicies); }

LiveSession::LiveSession(LiveSessionOptions options, SongPicker pick_song)
    : options_(options), pick_song_(std::move(pick_song)), aggregator_(options.aggregation) {
    if (options_.recheck_after_s <= 0.0) throw InputError("live session: recheck_after_s must be positive");
    if (options_.songs_before_asking <= 0) throw InputError("live session: songs_before_asking must be positive");
    if (!(options_.min_play_s >= 0.0)) throw InputError("live session: min_play_s must be >= 0");
    if (!pick_song_) throw InputError("live session: no song picker");
}

void LiveSession::start(std::vector<LiveAction>& out, LiveAction::Kind kind, double time, Emotion mood,
                        std::optional<Song> song) {
    if (!song) song = pick_song_(mood);
    if (!song) {
        out.push_back({LiveAction::Kind::NoSong, time, mood, std::nullopt});
        // Try again a recheck interval later; a playing song plays on meanwhile.
        no_song_for_ = mood;
        no_song_until_ = time + options_.recheck_after_s;
        check_at_ = std::max(check_at_, no_song_until_);
        return;
    }
    out.push_back({kind, time, mood, std::move(song)});
    state_ = State::Playing;
    playing_for_ = mood;
    user_chose_ = false;
    started_at_ = time;
    smiled_during_song_ = false;
    check_at_ = time + options_.recheck_after_s;
}

std::vector<LiveAction> LiveSession::on_frame(double time, const std::optional<EmotionScores>& main_face,
                                              float weight, bool confirmed) {
    std::vector<LiveAction> out;
    if (main_face && confirmed) {
        last_face_ = time;
        if (face_missing_) {
            face_missing_ = false;
            out.push_back({LiveAction::Kind::FaceBack, time, std::nullopt, std::nullopt});
        }
    } else if (!face_missing_ && time - last_face_ >= options_.no_face_notice_s) {
        face_missing_ = true;
        out.push_back({LiveAction::Kind::NoFace, time, std::nullopt, std::nullopt});
    }
    if (!main_face) return out;
    if (state_ == State::Asking) return out;  // the user is being asked: the face waits

    const Mood& mood = aggregator_.push(time, *main_face, weight);
    if (!mood.emotion) return out;
    if (mood.emotion != reported_mood_) {
        reported_mood_ = mood.emotion;
        out.push_back({LiveAction::Kind::MoodChanged, time, mood.emotion, std::nullopt});
    }
    const Emotion now = *mood.emotion;

    if (state_ == State::Watching) {
        // The seed read a full window of frames before choosing the first playlist. An unclear mood
        // (a near tie) would choose by noise: a clear one is waited for, a recheck interval at most,
        // then a face that stays unreadable gets the neutral playlist (the commonest face's).
        if (mood.seconds < options_.aggregation.window_s) return out;
        if (!full_window_at_) full_window_at_ = time;
        const bool waited = time - *full_window_at_ >= options_.recheck_after_s;
        if (!mood.clear && !waited) return out;
        const Emotion first = mood.clear ? now : Emotion::Neutral;
        if (!waiting_after_no_song(first, time)) start(out, LiveAction::Kind::Play, time, first);
        return out;
    }
    if (options_.policy == MoodPolicy::Match) {
        if (mood.clear && now != playing_for_ && !user_chose_ && time - started_at_ >= options_.min_play_s &&
            !waiting_after_no_song(now, time))
            start(out, LiveAction::Kind::Switch, time, now);
        return out;
    }
    // An unclear mood is no reason to change anything: look again on the next frames.
    if (time < check_at_ || !mood.clear) return out;
    if (now == Emotion::Happy) {
        smiled();
        check_at_ = time + options_.recheck_after_s;
        out.push_back({LiveAction::Kind::Keep, time, now, std::nullopt});
        return out;
    }
    // A song of the mood the face still shows fits it: cut, it would give way to another song of the
    // same mood, and a steady face that is not happy (neutral, the commonest) heard 30 s of each song.
    // It plays to its end, which counts it as a song without a smile.
    if (now == playing_for_) {
        check_at_ = time + options_.recheck_after_s;
        return out;
    }
    // Moving on (or asking, which pauses the music) cuts the song: like match, lift lets it play
    // min_play_s first (looking again on each frame until then), so a face that is not happy does
    // not change the song at every recheck.
    if (time - started_at_ < options_.min_play_s || user_chose_) return out;
    if (no_smile_asks(out, time, now)) return out;
    start(out, LiveAction::Kind::Switch, time, now);
    return out;
}

bool LiveSession::no_smile_asks(std::vector<LiveAction>& out, double time, Emotion mood) {
    if (++songs_without_smile_ < options_.songs_before_asking || !options_.ask_user) return false;
    state_ = State::Asking;
    out.push_back({LiveAction::Kind::Ask, time, mood, std::nullopt});
    return true;
}

std::vector<LiveAction> LiveSession::on_song_finished(double time) {
    std::vector<LiveAction> out;
    if (state_ != State::Playing || !playing_for_) return out;
    // The next song follows a clear mood; an unclear one changes nothing in the music, so the mood the
    // last song was chosen for goes on (an unreadable face kept its neutral music for one song only).
    const Mood& now = aggregator_.mood();
    const Emotion mood = now.clear && now.emotion ? *now.emotion : *playing_for_;
    // A face clearly happy as the song ends smiled at it: no question "you have not smiled".
    if (now.clear && now.emotion == Emotion::Happy) smiled();
    // Lift asks between songs where it can: the song that ended without a smile counts.
    if (options_.policy == MoodPolicy::Lift && !smiled_during_song_ && no_smile_asks(out, time, mood)) return out;
    start(out, LiveAction::Kind::Play, time, mood);
    return out;
}

// The new face's mood is read afresh; the mood shown changes only when it differs (a mood_changed
// to the same mood would count as a change where nothing on the screen moved).
void LiveSession::on_new_person() {
    read_afresh();
    user_chose_ = false;  // someone else's face: the song is no longer the one its listener chose
}

void LiveSession::read_afresh() {
    aggregator_.reset();
    full_window_at_.reset();
}

void LiveSession::smiled() {
    songs_without_smile_ = 0;
    smiled_during_song_ = true;
}

std::vector<LiveAction> LiveSession::on_answer(double time, const UserAnswer& answer) {
    std::vector<LiveAction> out;
    songs_without_smile_ = 0;
    read_afresh();  // after the conversation; the mood shown stays until another is read
    start(out, LiveAction::Kind::Play, time, answer.feeling, answer.requested);
    if (state_ == State::Asking) state_ = State::Watching;  // nothing to play for that feeling
    // The user's own say outweighs the camera for one song: the face that made us ask still reads as
    // before, and cut the song they had just named after min_play_s. An unanswered question is no say.
    user_chose_ = state_ == State::Playing && !answer.unanswered;
    return out;
}

}  // namespace dangpli
