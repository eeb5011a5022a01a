#pragma once
/// \file
/// LiveSession: the mood loop as pure logic. Fed with (time, the main face's scores) and the
/// user's answers, it says what to do with the music. No camera, terminal or player inside, so it
/// is tested frame by frame.
///
/// Policy `lift` (the seed service's loop): read the mood, play its playlist; after
/// `recheck_after_s` of music look again: a happy face keeps the music going, another clear mood
/// moves on to a song of that mood, and the mood the song was chosen for lets it play to its end;
/// after `songs_before_asking` songs without a happy face, ask the user how they feel and what they
/// want to hear (between songs where the last one ended, pausing it where the face moved on).
/// Policy `match`: follow a new clear mood. Neither policy cuts a song (moving on, switching or asking) before it has played
/// `min_play_s`, and a mood that is not clear (Mood::clear) changes nothing in the music.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dangpli/emotion_aggregator.hpp"
#include "dangpli/playlist_types.hpp"

namespace dangpli {

/// What the loop does with the music once it plays: `Lift` (look again every recheck_after_s,
/// keep a happy face's song and a song of the mood the face shows, move on to another clear mood's
/// once the song has played min_play_s, ask after songs_before_asking songs without a smile) or `Match` (switch when a clear mood differs from the one the song
/// was chosen for and the song has played min_play_s).
enum class MoodPolicy { Lift, Match };

/// "lift" or "match".
std::string_view to_string(MoodPolicy policy);
/// The policy named `name` (as to_string gives it); nullopt for anything else.
std::optional<MoodPolicy> parse_mood_policy(std::string_view name);
/// Every policy's name, for a program's option list.
std::vector<std::string> mood_policy_names();

/// Settings of a LiveSession. Times are seconds on the frames' clock.
struct LiveSessionOptions {
    MoodPolicy policy = MoodPolicy::Lift;  ///< see MoodPolicy
    double recheck_after_s = 10.0;   ///< lift: seconds of a song before looking at the face again; > 0
    /// Seconds a song plays at least before the face may cut it (either policy); >= 0. At 30 s
    /// the music changes at most twice a minute, whatever the face does.
    double min_play_s = 30.0;
    int songs_before_asking = 5;     ///< lift: songs in a row without a happy face, then ask; > 0
    double no_face_notice_s = 3.0;   ///< seconds without a face before saying so
    bool ask_user = true;            ///< false: never pause to ask (e.g. --no-ask)
    /// How frames make a mood. The first song starts once a full window (window_s) of face was seen
    /// and its mood is clear; a mood still unclear recheck_after_s later gets the neutral playlist.
    EmotionAggregatorOptions aggregation;
};

/// One thing for the caller to do or show, as returned (in order) by LiveSession's handlers.
struct LiveAction {
    /// What to do.
    enum class Kind {
        Play,         ///< start `song` (first song, the next after one finished, or the user's choice)
        Keep,         ///< the face is happy: keep the current song going
        Switch,       ///< stop the current song (outcome: switched by mood) and start `song`
        Ask,          ///< pause the music and ask the user how they feel and what they want to hear
        MoodChanged,  ///< the aggregated mood is now `emotion`
        NoFace,       ///< no face seen for a while
        FaceBack,     ///< a face again after NoFace
        NoSong,       ///< nothing to play for `emotion`
    };
    Kind kind;                        ///< what to do
    double time = 0.0;                ///< seconds, the clock of the frames
    std::optional<Emotion> emotion;   ///< the mood the action follows
    std::optional<Song> song;         ///< the song to start (Play, Switch); none otherwise
};

/// What the user said when asked.
struct UserAnswer {
    Emotion feeling;                ///< how they say they feel
    std::optional<Song> requested;  ///< none: play something for `feeling`
    bool unanswered = false;        ///< nobody answered in time: `feeling` is the mood the loop saw
};

/// The mood loop's state machine (see live_session.hpp for the two policies).
///
/// Feed it every analysed frame (on_frame), the end of each song (on_song_finished) and the
/// user's answers (on_answer); carry out the actions they return, in order. Times are seconds on
/// the caller's clock, non-decreasing (a camera's time since start, a video's position). The song
/// picker is called from inside these calls; whatever it throws (e.g. StoreError from
/// PlaylistStore::candidates) passes through them. Not thread-safe: one session per loop.
class LiveSession {
public:
    /// The next song to play for a mood (e.g. from PlaylistStore::candidates); nullopt: none.
    using SongPicker = std::function<std::optional<Song>(Emotion)>;
    /// `Watching`: no song chosen yet (at the start, or after an answer with nothing to play);
    /// `Playing`: a song was started; `Asking`: an Ask is waiting for on_answer().
    enum class State { Watching, Playing, Asking };

    /// Throws InputError for options out of range (recheck_after_s or songs_before_asking not
    /// positive, aggregation options as EmotionAggregator checks them) or an empty `pick_song`.
    LiveSession(LiveSessionOptions options, SongPicker pick_song);

    /// One analysed frame at `time` seconds (non-decreasing): the main face's scores, or none, and
    /// the frame's weight in the mood (see EmotionAggregator::push).
    /// Gives MoodChanged when the mood changes, the first Play once a full window was seen (and its
    /// mood clear, or recheck_after_s more: neutral), then
    /// Keep, Switch or Ask as the policy says; NoFace once no face was seen for no_face_notice_s
    /// and FaceBack when one returns. A face not `confirmed` (MainFaceTrackerOptions::confirm_after_s)
    /// counts towards the mood but is not yet a face in sight: no FaceBack, and the NoFace clock
    /// runs on. While Asking, faces do not count towards the mood.
    std::vector<LiveAction> on_frame(double time, const std::optional<EmotionScores>& main_face,
                                     float weight = 1.0f, bool confirmed = true);
    /// The current song ended by itself: Play the next one for the current mood (NoSong if there
    /// is none). Nothing unless Playing.
    std::vector<LiveAction> on_song_finished(double time);
    /// The user's answer to Ask: plays `answer.requested`, or a song picked for `answer.feeling`
    /// (NoSong and back to Watching if there is none), then reads the face afresh. The song an
    /// answer started plays to its end (the mood is still followed and reported; a new person
    /// lifts this); one started for an unanswered question is like any other.
    std::vector<LiveAction> on_answer(double time, const UserAnswer& answer);
    /// Another person is now the main face: their mood is read afresh (the music plays on, and may
    /// be cut by their mood even where an answer started it).
    void on_new_person();
    /// No Ask from now on, as with ask_user false: nobody can answer (the terminal's input ended).
    void stop_asking() { options_.ask_user = false; }

    /// Where the loop is.
    State state() const { return state_; }
    /// The aggregated mood of the frames seen so far.
    const Mood& mood() const { return aggregator_.mood(); }
    /// Lift: rechecks in a row that found no happy face (each moved on to another song) since
    /// the last happy one or answer; Ask comes when it reaches songs_before_asking.
    int songs_without_smile() const { return songs_without_smile_; }

private:
    void start(std::vector<LiveAction>& out, LiveAction::Kind kind, double time, Emotion mood,
               std::optional<Song> song = std::nullopt);
    // Lift: one more song without a smile; at songs_before_asking (and ask_user), Ask and true.
    bool no_smile_asks(std::vector<LiveAction>& out, double time, Emotion mood);
    void smiled();       // a clear happy face: the song playing is one with a smile, the count starts over
    void read_afresh();  // the mood is read from the next frames on, as from a first face

    LiveSessionOptions options_;
    SongPicker pick_song_;
    EmotionAggregator aggregator_;
    State state_ = State::Watching;
    std::optional<Emotion> reported_mood_;
    std::optional<Emotion> playing_for_;
    bool user_chose_ = false;  // the song playing was started by the user's answer: no mood cuts it
    double check_at_ = 0.0;
    double started_at_ = 0.0;
    /// After NoSong for an emotion, no song is looked for it again before this time (else every
    /// frame of that mood would ask again).
    std::optional<Emotion> no_song_for_;
    double no_song_until_ = 0.0;
    bool waiting_after_no_song(Emotion mood, double time) const { return mood == no_song_for_ && time < no_song_until_; }
    double last_face_ = 0.0;
    std::optional<double> full_window_at_;  // when the first full window of face was seen (Watching)
    bool face_missing_ = false;
    int songs_without_smile_ = 0;
    bool smiled_during_song_ = false;  // lift: a recheck found a happy face since the song started
};

}  // namespace dangpli
