#pragma once
/// \file
/// Player: what plays the music. The mood loop decides; a Player only does what it is told and
/// reports when a song has ended by itself.

#include <memory>
#include <optional>
#include <string>

#include "dangpli/playlist_types.hpp"

namespace dangpli {

/// The interface of every player: SilentPlayer, CommandPlayer and MpvPlayer (make_player() picks
/// one by name). No player is thread-safe: use each from one thread. Destroying a player stops
/// its music.
class Player {
public:
    virtual ~Player() = default;

    /// Stops whatever plays and starts `song` (its uri, or play_target(song) for a search).
    /// Throws Error with a message naming the song if it cannot be started at all.
    virtual void play(const Song& song) = 0;
    /// Pauses the current song; nothing if nothing plays or it is paused already.
    virtual void pause() = 0;
    /// Resumes a paused song; nothing if it is not paused.
    virtual void resume() = 0;
    /// Stops the current song; its end is then not reported by poll_finished(). Nothing if
    /// nothing plays.
    virtual void stop() = 0;
    /// True once after the current song ended by itself (not after stop() or play()); never blocks.
    /// A song that could not be played (a program that is missing or fails, a uri mpv cannot
    /// open) also ends by itself: last_error() then says why.
    virtual bool poll_finished() = 0;
    /// Why the last song that ended by itself failed; none when it played to its end (or no song
    /// has ended yet). A player that cannot fail (SilentPlayer) always says none.
    virtual std::optional<std::string> last_error() const { return std::nullopt; }
    /// A short name for logs ("mpv", "command", "silent").
    virtual std::string name() const = 0;
    /// Whether play() opens the song's file: the mood loop then says a file that is gone by its
    /// path rather than the player's failure. SilentPlayer opens nothing.
    virtual bool opens_files() const { return true; }
};

}  // namespace dangpli
