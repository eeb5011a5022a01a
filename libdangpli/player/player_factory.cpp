#include "dangpli/player_factory.hpp"

#include "dangpli/error.hpp"
#include "dangpli/mpv_player.hpp"  // its kName; the class itself is there only where DANGPLI_HAVE_MPV

namespace dangpli {

bool mpv_available() { return DANGPLI_HAVE_MPV != 0; }

std::vector<std::string> player_kinds() {
    std::vector<std::string> kinds;
    if (mpv_available()) kinds.emplace_back(MpvPlayer::kName);
    kinds.emplace_back(CommandPlayer::kName);
    kinds.emplace_back(SilentPlayer::kName);
    return kinds;
}

std::unique_ptr<Player> make_player(const std::string& kind, const PlayerOptions& options) {
    if (kind == SilentPlayer::kName) return std::make_unique<SilentPlayer>(options.log, options.now, options.silent_unknown_length);
    if (kind == CommandPlayer::kName) return std::make_unique<CommandPlayer>(options.command);
    if (kind == MpvPlayer::kName) {
#if DANGPLI_HAVE_MPV
        MpvPlayerOptions mpv;
        mpv.audio_output = options.audio_output;
        mpv.ytdl = options.ytdl;
        return std::make_unique<MpvPlayer>(mpv);
#else
        throw InputError("player '" + kind + "' is not in this build (libmpv was not found when it was built): "
                         "install libmpv-dev and rebuild, or use --player " + std::string(CommandPlayer::kName));
#endif
    }
    std::string expected;  // this build's kinds, as player_kinds() lists them
    for (const auto& k : player_kinds()) expected += (expected.empty() ? "" : ", ") + k;
    throw InputError("unknown player '" + kind + "' (expected " + expected + ")");
}

}  // namespace dangpli
