#include "live_player.hpp"

#include <chrono>

#include "dangpli/player_factory.hpp"

namespace dangpli::cli {

std::unique_ptr<Player> make_live_player(const LiveArgs& args, std::function<double()> media_seconds) {
    PlayerOptions options;
    options.now = [media_seconds = std::move(media_seconds)] {
        return SilentPlayer::TimePoint(std::chrono::duration_cast<SilentPlayer::TimePoint::duration>(
            std::chrono::duration<double>(media_seconds())));
    };
    // A dry run hears songs end as a user would, searches and bare titles included.
    options.silent_unknown_length = SilentPlayer::kCommonSongLength;
    options.command.command = args.player_command;
    options.audio_output = args.audio_output;
    return make_player(args.player, options);
}

}  // namespace dangpli::cli
