#pragma once
// What plays the music. The mood loop decides; a Player only does what it is told and reports when
// a song has ended by itself.

#include <memory>
#include <string>

#include "dangpli/playlist_types.hpp"

namespace dangpli {

class Player {
public:
    virtual ~Player() = default;

    /// Stops whatever plays and starts `song` (its uri, or play_target(song) for a search).
    /// Throws Error with a message naming the song if it cannot be started at all.
    virtual void play(const Song& song) = 0;
    virtual void pause() = 0;
    virtual void resume() = 0;
    virtual void stop() = 0;
    /// True once after the current song ended by itself (not after stop() or play()); never blocks.
    virtual bool poll_finished() = 0;
    /// A short name for logs ("mpv", "command", "silent").
    virtual std::string name() const = 0;
};

}  // namespace dangpli
