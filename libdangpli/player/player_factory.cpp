#include "dangpli/player_factory.hpp"

#include "dangpli/error.hpp"
#if DANGPLI_HAVE_MPV
#include "dangpli/mpv_player.hpp"
#endif

namespace dangpli {

bool mpv_available() { return DANGPLI_HAVE_MPV != 0; }

std::vector<std::string> player_kinds() {
    std::vector<std::string> kinds;
    if (mpv_available()) kinds.emplace_back("mpv");
    kinds.emplace_back("command");
    kinds.emplace_back("silent");
    return kinds;
}

std::unique_ptr<Player> make_player(const std::string& kind, const PlayerOptions& options) {
    if (kind == "silent") return std::make_unique<SilentPlayer>(options.log, options.now);
    if (kind == "command") return std::make_unique<CommandPlayer>(options.command);
    if (kind == "mpv") {
#if DANGPLI_HAVE_MPV
        MpvPlayerOptions mpv;
        mpv.audio_output = options.audio_output;
        mpv.ytdl = options.ytdl;
        return std::make_unique<MpvPlayer>(mpv);
#else
        throw InputError(
            "player 'mpv' is not in this build (libmpv was not found when it was built): install "
            "libmpv-dev and rebuild, or use --player command");
#endif
    }
    throw InputError("unknown player '" + kind + "' (expected mpv, command or silent)");
}

}  // namespace dangpli
