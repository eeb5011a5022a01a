#pragma once
// The player `dangpli live` uses, chosen by --player.

#include <functional>
#include <memory>

#include "dangpli/player.hpp"
#include "live_args.hpp"

namespace dangpli::cli {

/// `media_seconds` is the frames' clock: the silent player ends songs on it, so that a video run
/// faster than real time still hears whole songs on its own timeline.
std::unique_ptr<Player> make_live_player(const LiveArgs& args, std::function<double()> media_seconds);

}  // namespace dangpli::cli
