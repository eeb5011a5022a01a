#pragma once
/// \file
/// LiveLoop: the mood-and-music half of `dangpli live`, as one object a program drives with the
/// main face of each frame (a TraceFrame from MainFaceReader, or a line of a recorded trace). It
/// runs the LiveSession, draws songs (SongChooser), drives the Player and records plays and answers
/// in the PlaylistStore, and says what happened as LiveEvents. A live run and the replay of its
/// trace go through the same calls, so they give the same events.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dangpli/live_session.hpp"
#include "dangpli/live_trace.hpp"
#include "dangpli/player.hpp"
#include "dangpli/playlist_store.hpp"
#include "dangpli/song_chooser.hpp"

namespace dangpli {

/// Something that happened in the loop, for the program to show or log.
struct LiveEvent {
    /// What happened.
    enum class Kind {
        MoodChanged,   ///< the mood is now `emotion` (with `confidence`; `clear` as Mood::clear)
        SongStarted,   ///< `song` started (first song, the next one, or the user's answer)
        Kept,          ///< lift: a happy face keeps `song` going
        Switched,      ///< the mood moved the music on to `song`
        SongFinished,  ///< `song` ended by itself
        Asked,         ///< the music is paused: ask the user, then call LiveLoop::answer()
        Answered,      ///< the user's answer: `emotion` felt, `song` requested (if any)
        Unanswered,    ///< no answer came in time: the loop keeps to the mood it saw (`emotion`)
        NoFace,        ///< no face seen for a while
        FaceBack,      ///< a face again after NoFace
        NewPerson,     ///< another person is the main face, now confirmed; their mood is read afresh
        NoSong,        ///< nothing to play for `emotion`
        SongFailed,    ///< the player could not play `song` (`error`); the next try is `retry_in_s` later
        PlayerFailed,  ///< the player failed too many songs in a row (`error`): the loop plays no more
    };
    Kind kind;                       ///< what happened
    double time = 0.0;               ///< seconds on the frames' clock
    std::optional<Emotion> emotion;  ///< the mood it concerns
    std::optional<Song> song;        ///< the song it concerns
    float confidence = 0.0f;         ///< MoodChanged: the mood's support
    bool clear = false;              ///< MoodChanged: whether the mood leads clearly
    std::string error;               ///< SongFailed, PlayerFailed: why, in the player's words
    double retry_in_s = 0.0;         ///< SongFailed: seconds until the next song is tried
};

/// "mood_changed", "song_started", "kept", "switched", "song_finished", "asked", "answered",
/// "no_face", "face_back", "new_person", "no_song", "song_failed", "player_failed" (the names of
/// `--events` lines).
std::string_view to_string(LiveEvent::Kind kind);

/// Settings of a LiveLoop.
struct LiveLoopOptions {
    LiveSessionOptions session;               ///< policy, timings, how frames make a mood
    std::optional<std::uint64_t> seed;        ///< song draws; none: random (set it to replay a run exactly)
    std::size_t avoid_recent = 3;             ///< see SongChooser
    /// After a song fails, the next one is tried this many seconds later, twice as long after each
    /// further failure in a row, up to max_retry_s: a broken player is not asked on every frame.
    double first_retry_s = 1.0;
    double max_retry_s = 30.0;                ///< the longest wait between two failing songs
    /// Songs failed in a row before the loop gives up on the player (PlayerFailed) and plays
    /// nothing more; the mood is still followed and reported. > 0.
    int max_failed_songs = 5;
};

/// How much a frame counts towards the mood: faces under 80 px are upscaled by the aligner and
/// read less reliably, so they weigh less (down to 0.25 at 20 px).
float frame_weight(const Face& face);

/// The mood loop with its music. Not thread-safe: one loop per stream of frames.
/// Store and player are borrowed and must outlive the loop; the player's clock should be the
/// frames' clock (see PlayerOptions::now) so that songs end on it.
class LiveLoop {
public:
    /// Throws InputError for options out of range (see LiveSession; max_failed_songs < 1, retry
    /// times not positive).
    LiveLoop(PlaylistStore& store, Player& player, LiveLoopOptions options = {});

    /// One frame's main face (times non-decreasing). Carries out what follows (plays, switches,
    /// pauses to ask, records plays) and returns it as events, in order. After an Asked event the
    /// loop waits: call answer(). Throws StoreError when the store fails.
    ///
    /// A song the player cannot play (play() throws, or it ends with Player::last_error()) is
    /// recorded as failed and reported (SongFailed); the next song is tried after a growing wait
    /// (first_retry_s, doubling, up to max_retry_s on the frames' clock). After max_failed_songs
    /// failures in a row the loop reports PlayerFailed and never calls play() again; it no longer
    /// asks the user either (there is nothing to play), and the mood is still followed. A song whose
    /// file is gone fails by its path, without calling the player and without counting towards
    /// giving it up (the next is tried after first_retry_s). A failed song is drawn again only where
    /// its mood has no other (SongChooser::set_aside).
    std::vector<LiveEvent> observe(const TraceFrame& frame);
    /// The user's answer to Asked: their feeling is recorded (and the requested song, found or
    /// added, tagged with it), then it is played. Nothing unless asking(). A requested song the
    /// store refuses (invalid UTF-8, control characters) throws InputError before anything
    /// changed: the loop still waits for an answer.
    std::vector<LiveEvent> answer(double time, UserAnswer answer);
    /// Stops the player and records the current play as stopped (the session, not the song, ended),
    /// with the plays still unsaved, waiting for the store as long as its busy timeout says. Throws
    /// StoreError (StoreBusyError: still held; StoreFullError: its disk still full) when they cannot
    /// be saved, its message ending with how many plays of the run are lost.
    void stop();
    /// No more Asked events (nor pauses for them) from now on: nobody can answer.
    void stop_asking() { session_.stop_asking(); }

    /// An Asked event waits for answer().
    bool asking() const { return session_.state() == LiveSession::State::Asking; }
    /// The mood loop's state (mood, policy state).
    const LiveSession& session() const { return session_; }
    /// The song playing (or paused), if any.
    const std::optional<Song>& current_song() const { return current_; }
    /// True once the loop has given up on the player (PlayerFailed).
    bool player_failed() const { return player_failed_; }
    /// Plays kept in memory because another program held the store, or its disk was full: during
    /// the run the loop waits for it only briefly (kPlaySaveWait), so that frames keep coming and
    /// the music goes on, and saves them, in order and with their own times, at the next song's end
    /// or at stop().
    std::size_t unsaved_plays() const { return unsaved_plays_.size(); }
    /// True while the plays wait because the store's disk was full at the last try (else another
    /// program held the store).
    bool store_full() const { return store_full_; }
    /// How long a play's save waits for another program during the run before it is kept for later.
    static constexpr std::chrono::milliseconds kPlaySaveWait{200};

private:
    void carry_out(const std::vector<LiveAction>& actions, std::vector<LiveEvent>& out);
    void start(const LiveAction& action, std::vector<LiveEvent>& out);
    // `player_failed`: the player failed the song, which counts towards giving it up (a file gone does not).
    void fail_current(double time, const std::string& error, std::vector<LiveEvent>& out, bool player_failed = true);
    // Records the current play (if any) with the unsaved ones; `wait_fully` as save_plays().
    void finish_current(PlayOutcome outcome, bool wait_fully = false);
    // `wait_fully`: for the store's whole busy timeout, rethrowing StoreBusyError or StoreFullError; else
    // for kPlaySaveWait, keeping the plays for later on either.
    void save_plays(bool wait_fully);

    PlaylistStore& store_;
    Player& player_;
    SongChooser chooser_;
    LiveSession session_;
    std::optional<Song> current_;
    std::optional<Emotion> current_mood_;
    bool seen_someone_ = false;     // a confirmed main face was seen
    bool arrival_pending_ = false;  // a new person after someone else, not yet confirmed
    LiveLoopOptions options_;
    int failures_in_a_row_ = 0;
    std::optional<double> retry_at_;  // after a failed song: when to ask the session for the next
    bool player_failed_ = false;
    struct UnsavedPlay {
        std::int64_t song_id;
        std::optional<Emotion> mood;
        PlayOutcome outcome;
        Clock::time_point at;
    };
    std::vector<UnsavedPlay> unsaved_plays_;
    bool store_full_ = false;  // why the plays wait, at the last try
};

}  // namespace dangpli
