#pragma once
// `dangpli playlist scan`: songs tagged by their sound (decode, measure, place on the mood plane,
// store as automatic tags, then let the listener's feedback shift them).

#include <CLI/CLI.hpp>

#include "commands.hpp"

namespace dangpli::cli {

/// Adds `scan` under `playlist`.
void add_playlist_scan_command(CLI::App* playlist, CommandRunner& run);

}  // namespace dangpli::cli
