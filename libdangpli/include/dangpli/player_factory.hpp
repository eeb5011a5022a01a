#pragma once
/// \file
/// The player factory: make_player() makes a player by name ("silent", "command", "mpv": each
/// class's kName), in dangpli::player; player_kinds() lists them, so that a program
/// never spells them. That target always exists; it contains the libmpv player only where libmpv
/// was found at build time.

#include <memory>
#include <string>
#include <vector>

#include "dangpli/command_player.hpp"
#include "dangpli/player.hpp"
#include "dangpli/silent_player.hpp"

namespace dangpli {

/// The settings of every kind; each kind reads only its own.
struct PlayerOptions {
    SilentPlayer::Log log;                ///< "silent": where its lines go (empty: nowhere)
    SilentPlayer::TimeSource now;         ///< "silent": its clock (empty: steady_clock)
    /// "silent": the play time of a song without a duration (none: such a song never ends itself)
    std::optional<std::chrono::milliseconds> silent_unknown_length;
    CommandPlayerOptions command;         ///< "command": the command line template
    std::string audio_output = "auto";    ///< "mpv": mpv's "ao" ("null" plays into nothing)
    bool ytdl = true;                     ///< "mpv": resolve searches and URLs with yt-dlp
};

/// True where this build has the libmpv player (DANGPLI_HAVE_MPV).
bool mpv_available();

/// The kinds make_player() accepts in this build, best first ("mpv" only where available).
std::vector<std::string> player_kinds();

/// A new player of `kind` ("silent", "command" or "mpv"), made from its part of `options`.
/// Throws InputError for an unknown kind, or for "mpv" in a build without libmpv (the message
/// says to rebuild with libmpv-dev or to use "command"); the players' own constructors may throw Error.
std::unique_ptr<Player> make_player(const std::string& kind, const PlayerOptions& options = {});

}  // namespace dangpli
