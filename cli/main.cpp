// dangpli: read the emotion on a face and play music that fits.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <opencv2/core/version.hpp>

#include "commands.hpp"
#include "dangpli/error.hpp"
#include "exit_codes.hpp"

namespace {

int report(const char* kind, const std::exception& e, int code) {
    fmt::print(stderr, "dangpli: {}{}\n", kind, e.what());
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace dangpli::cli;
    CLI::App app{"dangpli (당플리): reads the emotion on a face and plays music that fits"};
    app.set_version_flag("--version", fmt::format("dangpli {} (OpenCV {})", DANGPLI_VERSION, CV_VERSION));
    app.require_subcommand(1);

    CommandRunner run;
    add_live_command(app, run);
    add_analyze_command(app, run);
    add_playlist_command(app, run);
    add_eval_command(app, run);
#ifdef DANGPLI_HAVE_TRAINER
    add_train_command(app, run);
#endif

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kUsage;
    }

    try {
        return run ? run() : kUsage;
    } catch (const dangpli::InputError& e) {
        return report("", e, kBadInput);
    } catch (const dangpli::DataError& e) {
        return report("", e, kBadInput);
    } catch (const dangpli::ModelError& e) {
        return report("model error: ", e, kModelError);
    } catch (const dangpli::StoreError& e) {
        return report("playlist store: ", e, kStoreError);
    } catch (const std::exception& e) {
        return report("", e, kFailure);
    }
}
