// libFuzzer target: the `live:` section of the config file (apply_live_config), with no flag on
// the command line. Whatever it accepts stays inside the flags' own ranges.

#include "fuzz_support.hpp"

#include "live_args.hpp"

#include <cmath>

namespace {

bool within(double value, double low, double high) { return std::isfinite(value) && value >= low && value <= high; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static dangpli::fuzz::MemoryFile file("config.yaml");
    CLI::App app;
    dangpli::cli::LiveArgs args;
    dangpli::cli::add_live_options(app, args);
    app.parse(std::vector<std::string>{});
    args.config = file.hold(data, size).string();
    try {
        dangpli::cli::apply_live_config(app, args);
        // The ranges of the flags (cli/live_args.cpp), as the README documents them.
        const bool kept = within(args.window, 0.1, 600) && within(args.hold, 0, 600) &&
                          within(args.switch_margin, 0, 0.99) && within(args.clear_margin, 0, 0.99) &&
                          within(args.recheck_seconds, 0.1, 3600) && within(args.min_play, 0, 3600) &&
                          within(args.songs_before_asking, 1, 100) && within(args.redetect_every, 1, 100000) &&
                          within(args.classify_every, 1, 100) && within(args.camera, 0, 1000) &&
                          std::isfinite(args.min_face) && args.min_face >= 0;
        if (!kept) std::abort();
    } catch (const dangpli::Error& e) {
        dangpli::fuzz::check_refusal(e);
    }
    return 0;
}
