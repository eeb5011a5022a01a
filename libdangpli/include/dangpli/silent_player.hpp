#pragma once
/// \file
/// SilentPlayer: a player that plays nothing: it logs what it is told and lets songs "end" after
/// their duration. For tests, dry runs (`dangpli live --player silent`) and machines without audio.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "dangpli/player.hpp"

namespace dangpli {

/// A Player that plays nothing, for tests and dry runs.
///
/// Nothing is heard. Every call is logged as one line ("play: Artist - Title", "pause", "resume",
/// "stop", "finished: Artist - Title"). A song ends by itself once `Song::duration` of un-paused
/// play time has passed on the clock. A song without a duration (a search, a bare title) ends
/// after `unknown_length` when one is given, so that a dry run sees songs end and the next one
/// chosen as a user would hear; without it, such a song never ends by itself.
/// Not thread-safe: use one player from one thread. Never throws from its Player methods
/// (except what the log callback throws).
class SilentPlayer : public Player {
public:
    /// Its kind, as make_player() takes it and name() returns it.
    static constexpr std::string_view kName = "silent";

    /// A point on the player's clock (steady_clock's type, whatever the time source).
    using TimePoint = std::chrono::steady_clock::time_point;
    /// The time source; injectable so tests advance time without sleeping.
    using TimeSource = std::function<TimePoint()>;
    /// Receives each log line (no trailing newline).
    using Log = std::function<void(const std::string&)>;

    /// A common song's length: what `dangpli live --player silent` takes for a song without a duration.
    static constexpr std::chrono::seconds kCommonSongLength{210};

    /// `log` may be empty (nothing logged); an empty `now` means std::chrono::steady_clock::now;
    /// `unknown_length` is the play time of a song without a duration (none: it never ends itself).
    /// Throws InputError for an `unknown_length` that is not positive.
    explicit SilentPlayer(Log log = {}, TimeSource now = {},
                          std::optional<std::chrono::milliseconds> unknown_length = std::nullopt);

    /// Logs "play: ..." and starts counting the song's play time from now; replaces any song.
    void play(const Song& song) override;
    /// Logs "pause" and stops the play time; nothing else if nothing plays or it is paused already.
    void pause() override;
    /// Logs "resume" and lets the play time run again (the pause does not count).
    void resume() override;
    /// Logs "stop" and forgets the song.
    void stop() override;
    /// True once, logging "finished: ...", when the current song's duration (or the unknown length)
    /// has been played.
    bool poll_finished() override;
    std::string name() const override { return std::string(kName); }
    bool opens_files() const override { return false; }

    /// The song playing or paused now; none after stop() or once it has finished.
    const std::optional<Song>& current() const { return song_; }
    /// True between pause() and resume() (or the next play(), stop() or reported end).
    bool paused() const { return paused_at_.has_value(); }
    /// Un-paused play time of the current song (zero when there is none).
    std::chrono::milliseconds position() const;

private:
    void log(const std::string& line) const;

    Log log_;
    TimeSource now_;
    std::optional<std::chrono::milliseconds> unknown_length_;
    std::optional<Song> song_;
    TimePoint started_{};              // play() time, moved forward by each pause's length
    std::optional<TimePoint> paused_at_;
};

}  // namespace dangpli
