#pragma once
// The options of `dangpli live`, from flags and from the YAML config file (flags win).

#include <cstdint>
#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>

#include "dangpli/live_loop.hpp"
#include "dangpli/main_face_reader.hpp"
#include "dangpli/player_factory.hpp"
#include "detector_option.hpp"

namespace dangpli::cli {

struct LiveArgs {
    int camera = 0;
    std::string source;          ///< video file or image folder; empty: the camera
    double fps = 30.0;           ///< for image folders
    bool realtime = false;       ///< pace a file source at its own speed
    std::string policy{to_string(LiveSessionOptions{}.policy)};
    std::string strategy{to_string(EmotionAggregatorOptions{}.strategy)};
    double window = 2.0;         ///< seconds of face that make a mood
    double hold = 1.0;           ///< seconds a new mood must lead before it is the mood
    double switch_margin = 0.10;
    double clear_margin = 0.05;
    double recheck_seconds = 10.0;
    double min_play = 30.0;      ///< match: seconds a song plays before the mood may switch it
    int songs_before_asking = 5;
    bool no_ask = false;
    double answer_wait = 60.0;  // seconds the question waits for a line before the run goes on
    std::string player = player_kinds().front();  ///< the best this build has (mpv where built with libmpv)
    std::string player_command = "mpv --no-video --really-quiet {}";
    std::string audio_output = "auto";
    std::string detector = default_detector_name();
    float min_face = 40.0f;
    float tilt_retry = FaceDetectorOptions{}.tilt_retry_degrees;
    std::string db;
    std::string model;
    std::string events;
    std::string trace;           ///< write the main face of every frame here (JSONL, no pixels)
    std::string replay;          ///< run the loop on a recorded trace instead of a camera or video
    std::int64_t seed = -1;      ///< song draws; < 0: random
    int redetect_every = 30;     ///< frames between full face detections while a face is tracked
    int classify_every = 2;      ///< classify every n-th frame
    std::string tta{to_string(MainFaceReaderOptions{}.tta)};  ///< views per classification
    bool preview = false;
    std::string config;          ///< the YAML file; default $XDG_CONFIG_HOME/dangpli/config.yaml
};

void add_live_options(CLI::App& sub, LiveArgs& args);

/// Fills every option not given as a flag from the `live:` section of the config file, if there is
/// one. Throws DataError ("file:line: ...") for a malformed file or an unknown key.
void apply_live_config(const CLI::App& sub, LiveArgs& args);

/// The config file live reads: --config, else the default one (which may not exist).
std::filesystem::path live_config_file(const LiveArgs& args);

LiveLoopOptions live_loop_options(const LiveArgs& args);
MainFaceReaderOptions main_face_reader_options(const LiveArgs& args);

}  // namespace dangpli::cli
