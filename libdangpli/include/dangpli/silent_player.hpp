#pragma once
// A player that plays nothing: it logs what it is told and lets songs "end" after their duration.
// For tests, dry runs (`dangpli live --player silent`) and machines without audio.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "dangpli/player.hpp"

namespace dangpli {

/// Nothing is heard. Every call is logged as one line ("play: Artist - Title", "pause", "resume",
/// "stop", "finished: Artist - Title"). A song ends by itself once `Song::duration` of un-paused
/// play time has passed on the clock; a song without a duration never ends by itself.
/// Not thread-safe: use one player from one thread. Never throws from its Player methods
/// (except what the log callback throws).
class SilentPlayer : public Player {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    /// The time source; injectable so tests advance time without sleeping.
    using TimeSource = std::function<TimePoint()>;
    /// Receives each log line (no trailing newline).
    using Log = std::function<void(const std::string&)>;

    /// `log` may be empty (nothing logged); an empty `now` means std::chrono::steady_clock::now.
    explicit SilentPlayer(Log log = {}, TimeSource now = {});

    void play(const Song& song) override;
    void pause() override;
    void resume() override;
    void stop() override;
    bool poll_finished() override;
    std::string name() const override { return "silent"; }

    /// The song playing or paused now; none after stop() or once it has finished.
    const std::optional<Song>& current() const { return song_; }
    bool paused() const { return paused_at_.has_value(); }
    /// Un-paused play time of the current song (zero when there is none).
    std::chrono::milliseconds position() const;

private:
    void log(const std::string& line) const;

    Log log_;
    TimeSource now_;
    std::optional<Song> song_;
    TimePoint started_{};              // play() time, moved forward by each pause's length
    std::optional<TimePoint> paused_at_;
};

}  // namespace dangpli
