#pragma once
// The mood loop as pure logic: fed with (time, the main face's scores) and the user's answers, it
// says what to do with the music. No camera, terminal or player inside, so it is tested frame by frame.
//
// Policy `lift` (the seed service's loop): watch a window of frames, play the mood's playlist; after
// `recheck_after_s` of music look again: a happy face keeps the music going, anything else moves on
// to a song of the newly seen mood; after `songs_before_asking` songs without a happy face, pause and
// ask the user how they feel and what they want to hear. Policy `match`: follow the mood whenever a
// new one is stable.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dangpli/emotion_aggregator.hpp"
#include "dangpli/playlist_types.hpp"

namespace dangpli {

enum class MoodPolicy { Lift, Match };

struct LiveSessionOptions {
    MoodPolicy policy = MoodPolicy::Lift;
    double recheck_after_s = 10.0;   ///< seconds of a song before looking at the face again
    int songs_before_asking = 5;     ///< lift: songs in a row without a happy face, then ask; > 0
    double no_face_notice_s = 3.0;   ///< seconds without a face before saying so
    bool ask_user = true;            ///< false: never pause to ask (e.g. --no-ask)
    EmotionAggregatorOptions aggregation;
};

struct LiveAction {
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
    Kind kind;
    double time = 0.0;                ///< seconds, the clock of the frames
    std::optional<Emotion> emotion;   ///< the mood the action follows
    std::optional<Song> song;
};

/// What the user said when asked.
struct UserAnswer {
    Emotion feeling;
    std::optional<Song> requested;  ///< none: play something for `feeling`
};

class LiveSession {
public:
    /// The next song to play for a mood (e.g. from PlaylistStore::candidates); nullopt: none.
    using SongPicker = std::function<std::optional<Song>(Emotion)>;
    enum class State { Watching, Playing, Asking };

    /// Throws InputError for options out of range.
    LiveSession(LiveSessionOptions options, SongPicker pick_song);

    /// One analysed frame at `time` seconds (non-decreasing): the main face's scores, or none.
    std::vector<LiveAction> on_frame(double time, const std::optional<EmotionScores>& main_face);
    /// The current song ended by itself.
    std::vector<LiveAction> on_song_finished(double time);
    /// The user's answer to Ask.
    std::vector<LiveAction> on_answer(double time, const UserAnswer& answer);
    /// Another person is now the main face: their mood is read afresh (the music plays on).
    void on_new_person();

    State state() const { return state_; }
    const Mood& mood() const { return aggregator_.mood(); }
    int songs_without_smile() const { return songs_without_smile_; }

private:
    void start(std::vector<LiveAction>& out, LiveAction::Kind kind, double time, Emotion mood,
               std::optional<Song> song = std::nullopt);

    LiveSessionOptions options_;
    SongPicker pick_song_;
    EmotionAggregator aggregator_;
    State state_ = State::Watching;
    std::optional<Emotion> reported_mood_;
    std::optional<Emotion> playing_for_;
    double check_at_ = 0.0;
    double last_face_ = 0.0;
    bool face_missing_ = false;
    int songs_without_smile_ = 0;
};

}  // namespace dangpli
