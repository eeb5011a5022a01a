// dangpli: read the emotion on a face and play music that fits.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <optional>
#include <string_view>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <opencv2/core/utility.hpp>

#include "commands.hpp"
#include "dangpli/emotion_classifier.hpp"
#include "dangpli/error.hpp"
#include "dangpli/face_analyzer.hpp"
#include "dangpli/model_card.hpp"
#include "dangpli/mtcnn_detector.hpp"
#include "dangpli/yunet_detector.hpp"
#include "dangpli/version.hpp"
#include "exit_codes.hpp"
#include "library_logs.hpp"
#include "nearest_word.hpp"
#include "option_words.hpp"
#include "standard_streams.hpp"
#include "stderr_line.hpp"
#include "trainer_program.hpp"

namespace {

using dangpli::cli::did_you_mean;
using dangpli::cli::tell;

// What a bug report needs: our version, the models this installation would load, OpenCV's version.
std::string version_text() {
    std::string text = fmt::format("dangpli {}\n", dangpli::version());
    // live and eval read the first, analyze the second
    for (const auto& [role, name] : {std::pair{"emotion model", dangpli::EmotionClassifier::kDefaultModelName},
                                     std::pair{"analyze's emotion model", dangpli::kDefaultAnalyzerModel}}) {
        try {
            const auto model = dangpli::EmotionClassifier::bundled_model_file(name);
            // Loaded, so that the line says that it loads and what runs it (XNNPACK or cv::dnn).
            const dangpli::EmotionClassifier classifier(model);
            const auto& card = classifier.card();
            text += fmt::format("{}: {} ({}", role, card.name, card.architecture);
            if (card.reported_accuracy >= 0)
                text += fmt::format(", FER2013 PublicTest {:.2f}%", 100 * card.reported_accuracy);
            text += fmt::format(", runs on {}) {}\n", classifier.engine(), model.string());
            if (const auto why = classifier.why_not_xnnpack(); !why.empty())
                text += fmt::format("  not on XNNPACK: {}\n", why);
        } catch (const dangpli::Error& e) {
            text += fmt::format("{}: not usable: {}\n", role, e.what());
        }
    }
    try {
        text += fmt::format("face detector {}: MTCNN (P-Net, R-Net, O-Net) {}\n", dangpli::MtcnnDetector::kName,
                            dangpli::MtcnnModelPaths::find().pnet_caffemodel.parent_path().string());
    } catch (const dangpli::Error& e) {
        text += fmt::format("face detector {}: not found: {}\n", dangpli::MtcnnDetector::kName, e.what());
    }
    try {
        text += fmt::format("face detector {}: YuNet {}\n", dangpli::YunetDetector::kName,
                            dangpli::YunetDetector::find_model().string());
    } catch (const dangpli::Error& e) {
        text += fmt::format("face detector {}: not found: {}\n", dangpli::YunetDetector::kName, e.what());
    }
    return text + fmt::format("OpenCV {}", cv::getVersionString());
}

int report(const char* kind, const std::exception& e, int code) {
    tell("dangpli: {}{}\n", kind, e.what());
    return code;
}

// Runs the chosen command and maps what it throws to the exit-code table (exit_codes.hpp).
// `stdout_error` gets the errno of a print to stdout that threw, for finish_stdout's message.
int run_command(const dangpli::cli::CommandRunner& run, int& stdout_error) {
    using namespace dangpli::cli;
    try {
        return run ? run() : kUsage;
    } catch (const UsageError& e) {
        return report("", e, kUsage);
    } catch (const dangpli::WriteError& e) {
        return report("", e, kWriteError);
    } catch (const dangpli::InputError& e) {
        return report("", e, kBadInput);
    } catch (const dangpli::DataError& e) {
        return report("", e, kBadInput);
    } catch (const dangpli::ModelError& e) {
        return report("model error: ", e, kModelError);
    } catch (const dangpli::StoreError& e) {
        return report("playlist store: ", e, kStoreError);
    } catch (const std::bad_alloc&) {
        // "std::bad_alloc" said nothing a user could act on (a memory limit: ulimit -v, a container's).
        tell("dangpli: out of memory (a memory limit such as `ulimit -v` may be too low for this run)\n");
        return kFailure;
    } catch (const std::system_error& e) {
        // fmt::print throws this when stdout's buffer cannot be written; finish_stdout says so.
        if (std::ferror(stdout) != 0) {
            stdout_error = e.code().value();
            return kWriteError;
        }
        return report("", e, kFailure);
    } catch (const std::exception& e) {
        return report("", e, kFailure);
    }
}

// Output to a full disk or device fails late, at the final flush of stdout's buffer: checked
// here, once for every command, so that a run whose results were lost never exits 0.
// A failed write whose errno is lost (a flush along the way) is still reported, without a reason.
int finish_stdout(int code, int earlier_error) {
    const bool flushed = std::fflush(stdout) == 0;
    const int error = flushed ? earlier_error : errno;
    if (flushed && std::ferror(stdout) == 0) return code;
    // A run stopped by a signal cannot always write the rest: its reader went away (SIGPIPE, `| head
    // -1`) or its terminal closed (SIGHUP). That is how it stopped, said by exit status 130.
    if (code == dangpli::cli::kInterrupted) return code;
    tell("dangpli: cannot write to standard output ({})\n",
         error != 0 ? std::strerror(error) : "a write failed");
    return dangpli::cli::kWriteError;
}

std::vector<std::string> name_list(const std::vector<CLI::App*>& commands) {
    std::vector<std::string> names;
    for (const auto* command : commands) names.push_back(command->get_name());
    return names;
}

std::string names_of(const std::vector<CLI::App*>& commands) {
    std::string names;
    for (const auto& name : name_list(commands)) names += (names.empty() ? "" : ", ") + name;
    return names;
}

// `dangpli help [COMMAND...]` as `dangpli [COMMAND...] --help`, the word users try first; `help TYPO`
// as `TYPO`, whose line names the command meant. Ends in a null pointer, as argv does (the trainer
// program is exec'd with it).
std::vector<char*> help_as_option(CLI::App& app, int argc, char** argv) {
    static std::string help = "--help";
    std::vector<char*> words(argv, argv + argc);
    if (argc >= 2 && std::string_view(argv[1]) == "help") {
        words.erase(words.begin() + 1);
        const auto commands = app.get_subcommands([](const CLI::App*) { return true; });
        // Only a word that is no command is left to the unknown-command line: `help --verbose live` asks
        // for help too, and without --help it ran live.
        const bool typo = argc > 2 && argv[2][0] != '-' &&
                          std::none_of(commands.begin(), commands.end(),
                                       [&](const CLI::App* command) { return command->check_name(argv[2]); });
        if (!typo) words.push_back(help.data());
    }
    words.push_back(nullptr);
    return words;
}

// "unknown playlist command 'lst' (...)" where a command with commands of its own (playlist) was given
// a word that is none of them: CLI11 would say only that a subcommand is required.
std::optional<std::string> unknown_subcommand_line(CLI::App& app, int argc, char** argv, bool none_given) {
    if (argc < 2) return std::nullopt;
    CLI::App* command = nullptr;
    for (auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        if (sub->check_name(argv[1])) command = sub;
    if (command == nullptr) return std::nullopt;
    const auto subcommands = command->get_subcommands([](const CLI::App*) { return true; });
    if (subcommands.empty()) return std::nullopt;
    for (int i = 2; i < argc; ++i) {
        const std::string word = argv[i];
        if (word.starts_with("-")) {  // an option of the command; its value, if it takes one, is skipped
            const auto* option = command->get_option_no_throw(word.substr(0, word.find('=')));
            if (option != nullptr && word.find('=') == std::string::npos && option->get_items_expected_min() > 0) ++i;
            continue;
        }
        for (const auto* sub : subcommands)
            if (sub->check_name(word)) return std::nullopt;
        return fmt::format("unknown {0} command '{1}' ({2}the {0} commands: {3}; see `dangpli {0} --help`)",
                           command->get_name(), word, did_you_mean(word, name_list(subcommands)), names_of(subcommands));
    }
    if (!none_given) return std::nullopt;
    return fmt::format("{0} needs one of its commands: {1} (see `dangpli {0} --help`)", command->get_name(),
                       names_of(subcommands));
}

// "--version" given with anything but --verbose ("dangpli analyze --version", "--version --bogus"),
// said as such; nullopt otherwise. `dangpli train --version` is the trainer program's own (the models
// it finds). Words after "--" are names, not options.
std::optional<std::string> version_not_alone(int argc, char** argv) {
    std::vector<std::string_view> others;
    bool version = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view word = argv[i];
        if (word == "--") break;
        if (word == "--version") version = true;
        else if (word != "--verbose" && !(word == "train" && others.empty())) others.push_back(word);
    }
    if (!version || others.empty()) return std::nullopt;
    return fmt::format("--version stands alone; it was given with '{}'", others.front());
}

}  // namespace

int main(int argc, char** argv) {
    using namespace dangpli::cli;
    hold_closed_standard_streams();  // before anything opens a file
    CLI::App app{"dangpli (당플리): reads the emotion on a face and plays music that fits"};
    app.set_version_flag("--version", version_text, "Print the version, the models in use and OpenCV's version");
    app.require_subcommand(1);
    // A usage error is one line, like every other error (CLI11 adds a second "Run with --help").
    app.failure_message([](const CLI::App*, const CLI::Error& e) {
        return fmt::format("dangpli: {} (see --help)\n", e.what());
    });
    bool verbose = false;
    app.add_flag("--verbose", verbose, "Show the log lines of the libraries underneath (OpenCV, FFmpeg, camera drivers)");
    // Options the command does not know go up to this one: `dangpli live --verbose` works as
    // `dangpli --verbose live` (set before the commands are added, which inherit it).
    app.fallthrough();
    // The libraries' own warnings (a missing camera, a codec, a damaged JPEG) would reach the
    // terminal before our one clear line; they are shown only when asked for.
    set_library_logs(false);

    // A file-size limit (ulimit -f) would kill the process mid-write; ignored, the write fails
    // with EFBIG instead and is reported like a full disk (exit 7).
    std::signal(SIGXFSZ, SIG_IGN);

    CommandRunner run;
    [[maybe_unused]] CLI::App* train = nullptr;
    app.name("dangpli");  // usage lines read as the command the user typed, not the path it was run by
#ifdef DANGPLI_TRAINER_PROGRAM
    add_train_command(app, run);  // dangpli-train: the same command line as `dangpli train`
#else
    add_live_command(app, run);
    add_analyze_command(app, run);
    add_playlist_command(app, run);
    add_eval_command(app, run);
#ifdef DANGPLI_BIN_TO_TRAINER
    train = add_train_forwarder(app);
#endif
#endif
    // Bare `dangpli` lists the commands (with exit 2: no command is a usage error).
    if (argc == 1) {
        std::cout << app.help();
        return finish_stdout(kUsage, 0);
    }
    std::vector<char*> given = help_as_option(app, argc, argv);
    argc = static_cast<int>(given.size()) - 1;
    argv = given.data();
    // Words CLI11 would misread in silence (`--no-ask=0` read as the flag, `--csv=` taking the next word).
    const OptionWords words = read_option_words(app, argc, argv);
    if (words.misread) {
        tell("dangpli: {} (see --help)\n", *words.misread);
        return kUsage;
    }

    // CLI11 answers --version wherever it stands, after an unknown option or command too (exit 0).
    if (auto alone = version_not_alone(argc, argv)) {
        tell("dangpli: {} (see --help)\n", *alone);
        return kUsage;
    }

    try {
        app.parse(static_cast<int>(words.argv.size()), words.argv.data());
    } catch (const CLI::CallForHelp& e) {
        return finish_stdout(app.exit(e, std::cout, standard_error()), 0);
    } catch (const CLI::CallForAllHelp& e) {
        return finish_stdout(app.exit(e, std::cout, standard_error()), 0);
    } catch (const CLI::CallForVersion& e) {
        return finish_stdout(app.exit(e, std::cout, standard_error()), 0);
    } catch (const CLI::ParseError& e) {
        // CLI11 would say only that a command is required.
        const auto commands = app.get_subcommands([](const CLI::App*) { return true; });
        const bool is_command = argc > 1 && std::any_of(commands.begin(), commands.end(),
                                                        [&](const CLI::App* sub) { return sub->check_name(argv[1]); });
        if (argc > 1 && argv[1][0] != '-' && !is_command) {
            tell("dangpli: unknown command '{}' ({}the commands: {}; see --help)\n", argv[1],
                 did_you_mean(argv[1], name_list(commands)), names_of(commands));
            return kUsage;
        }
        // Before the command, a mistyped option of dangpli's own (--versio) would read as no command given.
        for (int i = 1; i < argc && argv[i][0] == '-'; ++i) {
            const std::string word = std::string(argv[i]).substr(0, std::string_view(argv[i]).find('='));
            if (word != "-" && word != "--" && app.get_option_no_throw(word) == nullptr) {
                tell("dangpli: unknown option '{}' (before a command: --help, --version, --verbose; "
                     "see --help)\n", word);
                return kUsage;
            }
        }
        const bool required = dynamic_cast<const CLI::RequiredError*>(&e) != nullptr;
        if (auto unknown = unknown_subcommand_line(app, argc, argv, required)) {
            tell("dangpli: {}\n", *unknown);
            return kUsage;
        }
        app.exit(e, std::cout, standard_error());
        return kUsage;
    }

#ifdef DANGPLI_BIN_TO_TRAINER
    if (train->parsed()) return run_trainer_program(argv);
#endif
    set_library_logs(verbose);
    int stdout_error = 0;
    const int code = run_command(run, stdout_error);
    return finish_stdout(code, stdout_error);
}
