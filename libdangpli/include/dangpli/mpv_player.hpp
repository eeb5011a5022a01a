#pragma once
/// \file
/// MpvPlayer: a player on libmpv, in the library dangpli::player (built with it where libmpv is
/// found; DANGPLI_HAVE_MPV is 1 there). Plays local files, URLs and "ytdl://ytsearch1:..." searches.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dangpli/player.hpp"

struct mpv_handle;

namespace dangpli {

/// Settings of an MpvPlayer, passed to mpv as options before it starts.
struct MpvPlayerOptions {
    std::string audio_output = "auto";  ///< mpv's "ao": "auto", "pulse", "alsa", "null" (tests), ...
    bool ytdl = true;                   ///< let mpv resolve search targets and URLs with yt-dlp
    std::optional<int> volume;          ///< percent, 0..130 (mpv's volume-max; above 100 amplifies); none keeps 100
};

/// One embedded mpv core, video off, no config files, no terminal output.
///
/// libmpv needs LC_NUMERIC to be "C": the constructor sets it (process-wide, other categories
/// untouched) if it is not. A program that calls setlocale(LC_ALL, "") afterwards must set
/// LC_NUMERIC back to "C" before using the player again.
///
/// Ends of songs are read by draining mpv's event queue in poll_finished() (no thread of ours).
/// poll_finished() is true once when the current song ended by itself: at its end (mpv's EOF),
/// or because it could not be played (missing file, undecodable, search failed). In the second
/// case last_error() says why; after a normal end last_error() is empty. play() itself only
/// throws when mpv refuses the command; a file that cannot be opened is reported this way
/// because mpv opens files asynchronously.
///
/// Not thread-safe: use one player from one thread (libmpv itself is thread-safe, our state is not).
class MpvPlayer : public Player {
public:
    /// Its kind, as make_player() takes it and name() returns it.
    static constexpr std::string_view kName = "mpv";

    /// Throws Error if libmpv cannot be loaded (the first MpvPlayer loads it), if the mpv core
    /// cannot be created or initialised, or if it refuses an option value (e.g. a volume out of
    /// range). An unknown audio output is not refused here: mpv falls back to the next it finds,
    /// and a song it cannot play at all ends with last_error().
    explicit MpvPlayer(MpvPlayerOptions options = {});
    ~MpvPlayer() override;
    MpvPlayer(const MpvPlayer&) = delete;
    MpvPlayer& operator=(const MpvPlayer&) = delete;

    /// Loads play_target(song) in place of whatever plays, unpaused; drops the events still
    /// queued about earlier songs. Throws Error naming the song when mpv refuses the command.
    void play(const Song& song) override;
    /// Sets mpv's "pause" property; errors are ignored.
    void pause() override;
    /// Clears mpv's "pause" property; errors are ignored.
    void resume() override;
    /// mpv's "stop" command: the song is unloaded and its end is not reported by poll_finished().
    void stop() override;
    /// Drains mpv's event queue without waiting; true once after the current song ended by itself
    /// (see the class), also when mpv shut down while playing.
    bool poll_finished() override;
    std::string name() const override { return std::string(kName); }

    /// Why the last song that ended by itself failed; none after a normal end.
    std::optional<std::string> last_error() const override { return last_error_; }
    /// Seconds into the current song (mpv's "time-pos"); none while nothing is loaded.
    std::optional<double> position() const;
    /// mpv's "pause" property (false if it cannot be read).
    bool paused() const;

private:
    void set_flag(const char* property, bool value);

    mpv_handle* ctx_ = nullptr;
    // The playlist entries of the current song, [first_id_, last_id_] (a search may be redirected
    // into new entries); 0 while nothing plays, -1 until mpv tells us the id.
    std::int64_t first_id_ = 0;
    std::int64_t last_id_ = 0;
    std::string target_;
    std::optional<std::string> last_error_;
};

}  // namespace dangpli
