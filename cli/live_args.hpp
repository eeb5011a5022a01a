#pragma once
// The options of `dangpli live`, from flags and from the YAML config file (flags win).

#include <string>

#include <CLI/CLI.hpp>

#include "dangpli/live_session.hpp"

namespace dangpli::cli {

struct LiveArgs {
    int camera = 0;
    std::string source;          ///< video file or image folder; empty: the camera
    double fps = 30.0;           ///< for image folders
    bool realtime = false;       ///< pace a file source at its own speed
    std::string policy = "lift";
    std::string strategy = "mean";
    std::size_t window = 20;
    double recheck_seconds = 10.0;
    int songs_before_asking = 5;
    bool no_ask = false;
    std::string player = "mpv";
    std::string player_command = "mpv --no-video --really-quiet {}";
    std::string audio_output = "auto";
    float min_face = 40.0f;
    std::string db;
    std::string model;
    std::string events;
    bool preview = false;
    std::string config;          ///< the YAML file; default $XDG_CONFIG_HOME/dangpli/config.yaml
};

void add_live_options(CLI::App& sub, LiveArgs& args);

/// Fills every option not given as a flag from the `live:` section of the config file, if there is
/// one. Throws DataError ("file:line: ...") for a malformed file or an unknown key.
void apply_live_config(const CLI::App& sub, LiveArgs& args);

LiveSessionOptions live_session_options(const LiveArgs& args);

}  // namespace dangpli::cli
