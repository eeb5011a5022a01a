// `dangpli train RUN_DIR`: trains (or resumes) an emotion model in a run folder; `--export` writes ONNX.
#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "commands.hpp"
#include "dangpli/emotion_classifier.hpp"
#include "dangpli/error.hpp"
#include "dangpli/face_analyzer.hpp"
#include "dangpli/model_card.hpp"
#include "dangpli/shell_word.hpp"
#include "exit_codes.hpp"
#include "model_export.hpp"
#include "number_checks.hpp"
#include "output_paths.hpp"
#include "path_option.hpp"
#include "stop_signals.hpp"
#include "stderr_line.hpp"
#include "train_config.hpp"
#include "trainer.hpp"

namespace fs = std::filesystem;

namespace dangpli::cli {
namespace {

std::atomic<bool> g_stop{false};
// Said at once: a stop that lands in a validation pass took effect only after it (10-15 s of silence).
extern "C" void on_stop_signal(int) {
    if (g_stop.exchange(true)) return;
    static constexpr char kLine[] = "\ndangpli train: stopping; an epoch being validated is finished and kept first\n";
    (void)!::write(STDERR_FILENO, kLine, sizeof kLine - 1);  // async-signal-safe, unlike stdio
}

// libtorch allocates and frees every batch's activations, blocks of a few MB. glibc hands blocks
// that large back to the kernel (munmap) and gets them back as fresh zeroed pages on the next batch:
// 74,000 page faults a second and 14% of the CPU time of a ResNet run on this project's machine.
// Kept in the heap they are reused: the faults stop and the run trains about 18% more images a
// second (190 -> 224 img/s). The process is ours, so the setting is made here, not in the library.
void keep_large_blocks_in_heap() {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

// The run folder's own steps (a checkpoint's rename, a copy into init/) fail in std::filesystem's words
// and as any failure (exit 6): said as every output that cannot be written, path first, exit 7.
template <class Step>
decltype(auto) as_write_error(Step&& step) {
    try {
        return step();
    } catch (const fs::filesystem_error& e) {
        throw WriteError(fmt::format("{}: cannot write ({})", e.path1().string(), e.code().message()));
    }
}

std::string hms(double seconds) {
    auto s = static_cast<long>(seconds);
    return fmt::format("{}:{:02d}:{:02d}", s / 3600, (s / 60) % 60, s % 60);
}

struct TrainArgs {
    std::string run_dir;
    training::TrainConfig config;
    std::string data;
    int until_epoch = 0;
    int threads = 0;
    std::string export_path;
    std::string model_name;
    std::pair<float, float> blur_sigma{0.3f, 1.2f}, gamma{1.0f, 1.0f};
    std::pair<int, int> jpeg_quality{30, 90};
    // config.yaml's keys each recipe flag sets, and those the command line gave (even at their defaults;
    // also what decides a mix weight's default).
    std::vector<std::pair<const CLI::Option*, std::vector<std::string>>> recipe_flags;
    std::set<std::string> given_settings;
};

// Records the config.yaml keys `option` sets, so that a resume sees the flag given at its default value.
CLI::Option* sets(TrainArgs& args, CLI::Option* option, std::vector<std::string> keys) {
    args.recipe_flags.emplace_back(option, std::move(keys));
    return option;
}

// The export and its card never replace what the run reads (its data, a model it started from)
// or keeps (its config, state, log, checkpoints, best model, and its copies of --init-from and the teachers).
void check_export(const training::TrainingRun& run, const TrainArgs& a) {
    const fs::path dir = a.run_dir, onnx = a.export_path;
    if (onnx.extension() != ".onnx")
        throw UsageError(fmt::format("--export {}: give a .onnx path (its card is written beside it as .yaml)",
                                     a.export_path));
    check_output_path("--export", onnx);  // no folders made for a typo, as for every other output
    const std::vector<NamedPath> outputs{{"--export", onnx}, {"--export's card", ModelCard::card_path_for(onnx)}};
    const auto& c = run.config();
    auto inputs = model_files("the run's --init-from", c.init_from);
    for (const auto& teacher : c.teachers)
        for (auto& file : model_files("the run's --teacher", teacher)) inputs.push_back(std::move(file));
    for (const auto& [option, path] : {std::pair{"the run's --data", c.train_data}, {"the run's --val-data", c.val_data},
                                       {"the run's --ferplus-votes", c.ferplus_votes},
                                       {"the run's --aligned-data", c.aligned_data}})
        inputs.push_back({option, path});
    // Every file of the run: `--export RUN/data-fingerprints.onnx` wrote its card over the run's fingerprints.
    for (const std::string_view entry : training::TrainingRun::kRunEntries) inputs.push_back({"the run's", dir / entry});
    // Nor the models the commands load by default (with a user's own install they are writable): a
    // typo in the path would change what live, eval and analyze read, without a word.
    for (const auto& [role, name] : {std::pair{"the default model (live, eval)", EmotionClassifier::kDefaultModelName},
                                     std::pair{"analyze's default model", kDefaultAnalyzerModel}}) {
        try {
            for (auto& file : model_files(role, EmotionClassifier::bundled_model_file(name))) inputs.push_back(std::move(file));
        } catch (const ModelError&) {  // not installed: nothing to protect
        }
    }
    refuse_outputs_over_inputs(outputs, inputs);
    for (const char* folder : {"best", "checkpoints", "init", "teachers"})
        refuse_outputs_inside(outputs, {"the run's", dir / folder});
}

// The run's configuration the command line asks for: its flags over TrainConfig's defaults.
training::TrainConfig recipe(const TrainArgs& a) {
    auto config = a.config;
    if (!a.data.empty() && config.train_data.empty()) config.train_data = a.data;
    if (a.threads > 0) config.threads = a.threads;  // a new run records what it was asked for
    auto& f = config.augment.framing;
    std::tie(f.blur_sigma_min, f.blur_sigma_max) = a.blur_sigma;
    std::tie(f.gamma_min, f.gamma_max) = a.gamma;
    std::tie(f.jpeg_quality_min, f.jpeg_quality_max) = a.jpeg_quality;
    // A mix weight defaults to 0.5 where its source is given and the weight is not.
    if (!config.ferplus_votes.empty() && !a.given_settings.contains("ferplus_mix")) config.ferplus_mix = 0.5;
    if (!config.teachers.empty() && !a.given_settings.contains("teacher_mix")) config.teacher_mix = 0.5;
    return config;
}

int run_train(const TrainArgs& a) {
    using namespace training;
    if (!a.export_path.empty()) {
        // An export reads the run as it is: a recipe or schedule flag beside it would be ignored in silence.
        if (!a.given_settings.empty() || a.until_epoch > 0)
            throw UsageError("--export writes the run's best model as it is: leave out the training flags (resume "
                             "the run first to train it further)");
        auto run = TrainingRun::open(a.run_dir);
        if (a.threads > 0) run.set_threads(a.threads);  // for its evaluation: a speed setting, as in training
        check_export(run, a);
        auto card = export_model(run, a.export_path, a.model_name);
        fmt::print("wrote {} and its card {}\n", a.export_path, card.string());
        return kOk;
    }
    keep_large_blocks_in_heap();
    const auto config = recipe(a);
    std::optional<TrainingRun> resumed;
    if (TrainingRun::exists(a.run_dir)) {
        resumed = TrainingRun::open(a.run_dir);
        // A run's recipe is fixed at its start: a changed flag would otherwise be ignored without a word.
        const auto changed =
            settings_changed_on_resume(config, recipe(TrainArgs{}), resumed->config(), a.given_settings);
        if (!changed.empty())
            throw UsageError(fmt::format("{}: a run keeps the recipe it started with, but this command line changes "
                                         "{}; leave those out to resume, or give a new run folder",
                                         a.run_dir, fmt::join(changed, ", ")));
    }
    if (!resumed) {
        try {
            check_recipe(config);  // the flags' values, before any file is read
        } catch (const InputError& e) {
            throw UsageError(e.what());
        }
        // A run folder inside a class-folder dataset would have its files read as the dataset's.
        for (const auto& data : {NamedPath{"--data", config.train_data}, NamedPath{"--val-data", config.val_data}})
            refuse_outputs_inside({{"the run folder", a.run_dir}}, data);
        if (auto problem = new_run_folder_problem(a.run_dir); !problem.empty()) throw UsageError(problem);
    }
    // Before the run is made: Ctrl-C while a large teacher is copied left a half-made folder.
    catch_stop_signals({SIGINT, SIGTERM, SIGHUP}, on_stop_signal);
    auto run = resumed ? std::move(*resumed) : as_write_error([&] { return TrainingRun::create(a.run_dir, config); });
    if (a.threads > 0) run.set_threads(a.threads);  // a speed setting, not part of the schedule
    // Its lines are progress: a reader of them that goes away (`2>&1 | head`, a tee that died) loses the
    // lines, not the run, as a closed or full stderr does.
    std::signal(SIGPIPE, SIG_IGN);
    const bool tty = isatty(fileno(stderr)) != 0;
    TrainHooks hooks;
    hooks.stop = &g_stop;
    // After the data is read and the run locked: a refusal is the one line the user sees.
    hooks.on_warning = [](const std::string& line) { tell("dangpli train: warning: {}\n", line); };
    hooks.on_start = [&] {
        tell("dangpli train: {} in {}, {} of {} epochs done\n", run.config().architecture, a.run_dir,
             run.epochs_done(), run.config().epochs);
    };
    auto last_line = std::chrono::steady_clock::now();
    hooks.on_progress = [tty, &last_line](const TrainProgress& p) {
        auto line = fmt::format("epoch {}/{} {:5.1f}%  {:.0f} img/s  loss {:.3f}  ETA {}", p.epoch, p.epochs,
                                100.0 * static_cast<double>(p.batch) / static_cast<double>(p.batches),
                                p.images_per_second, p.running_loss, hms(p.eta_seconds));
        if (tty) {
            tell("\r{:<78}", line);
        } else if (std::chrono::steady_clock::now() - last_line > std::chrono::seconds(30)) {
            last_line = std::chrono::steady_clock::now();
            tell("{}\n", line);
        }
    };
    hooks.on_epoch = [tty](const EpochReport& r) {
        tell("{}epoch {}/{}: lr {:.4f}  train loss {:.3f} acc {:.2f}%  val loss {:.3f} acc {:.2f}%{}  {:.0f}s\n",
             tty ? "\r" : "", r.epoch, r.epochs, r.learning_rate, r.train_loss, 100 * r.train_accuracy,
             r.validation.loss, 100 * r.validation.accuracy(),
             r.averaged ? fmt::format("  averaged acc {:.2f}%", 100 * r.averaged->accuracy()) : std::string{},
             r.seconds);
    };
    try {
        as_write_error([&] { run.train(hooks, a.until_epoch); });
    } catch (const std::exception& e) {
        if (!resumed) run.discard_if_unstarted();  // a new run whose data fails to load leaves nothing
        // A full disk mid-run: the epochs done are kept, and the run goes on from them.
        if (dynamic_cast<const WriteError*>(&e) && TrainingRun::exists(a.run_dir) && run.epochs_done() > 0)
            throw WriteError(fmt::format("{}; the run keeps its {} epoch{} done: resume with `dangpli train {}` once it "
                                         "can be written", e.what(), run.epochs_done(), run.epochs_done() == 1 ? "" : "s",
                                         shell_word(a.run_dir)));
        throw;
    }
    if (g_stop.load()) {
        tell("\ndangpli train: stopped; resume with `dangpli train {}`\n", shell_word(a.run_dir));
        return kInterrupted;
    }
    tell("dangpli train: {} of {} epochs done, best validation accuracy {:.2f}% (epoch {})\n",
         run.epochs_done(), run.config().epochs, 100 * run.best_accuracy(), run.best_epoch());
    return kOk;
}

// The optimiser and its schedule, fixed when the run is created.
void add_schedule_options(CLI::App& sub, TrainArgs& args) {
    auto& c = args.config;
    sets(args, sub.add_option("--arch", c.architecture, "Network architecture: channels per stage in the man page")
            ->transform(CLI::IsMember(training::emotion_net_architectures(), CLI::ignore_case))
            ->capture_default_str(), {"architecture"});
    sets(args, sub.add_option("--epochs", c.epochs, "Length of the schedule (fixed at the start)")
            ->check(in_range(NumberRange::at_least(1)))
            ->capture_default_str(), {"epochs"});
    sets(args, sub.add_option("--batch", c.batch_size, "Batch size")
            ->check(in_range(NumberRange::at_least(1)))
            ->capture_default_str(), {"batch_size"});
    sets(args, sub.add_option("--lr", c.learning_rate, "Peak learning rate")
            ->check(in_range(NumberRange::positive()))
            ->capture_default_str(), {"learning_rate"});
    sets(args, sub.add_option("--warmup", c.warmup_epochs, "Warm-up epochs")
            ->check(in_range(NumberRange::at_least(0)))
            ->capture_default_str(), {"warmup_epochs"});
    sets(args, sub.add_option("--weight-decay", c.weight_decay, "Weight decay")
            ->check(in_range(NumberRange::at_least(0)))
            ->capture_default_str(), {"weight_decay"});
    sets(args, sub.add_option("--label-smoothing", c.label_smoothing, "Label smoothing")
            ->check(in_range(NumberRange::between(0, 0.9)))
            ->capture_default_str(), {"label_smoothing"});
}

// The random views trained on (framing, blur, gamma, JPEG), fixed when the run is created.
void add_augmentation_options(CLI::App& sub, TrainArgs& args) {
    const NumberRange probability = NumberRange::between(0, 1);
    auto& a = args.config.augment;
    sets(args, sub.add_option("--erase", a.erase_probability, "Random-erasing probability")
            ->check(in_range(probability))
            ->capture_default_str(), {"augment.erase_probability"});
    sets(args, sub.add_option("--rotation", a.max_rotation_deg, "Random rotation, +-degrees")
            ->check(in_range(NumberRange::between(0, 180)))
            ->capture_default_str(), {"augment.max_rotation_deg"});
    sets(args, sub.add_option("--scale", a.max_scale_change, "Random zoom, factor in 1 +- this")
            ->check(in_range(NumberRange::between(0, 0.9)))
            ->capture_default_str(), {"augment.max_scale_change"});
    sets(args, sub.add_option("--shift", a.max_shift_px, "Random shift, +- pixels per axis")
            ->check(in_range(NumberRange::at_least(0)))
            ->capture_default_str(), {"augment.max_shift_px"});
    sets(args, sub.add_option("--blur", a.framing.blur_probability, "Gaussian-blur probability")
            ->check(in_range(probability))
            ->capture_default_str(), {"augment.blur_probability"});
    sets(args, sub.add_option("--blur-sigma", args.blur_sigma, "Blur sigma range MIN MAX, pixels")
            ->check(in_range(NumberRange::positive()))
            ->capture_default_str(), {"augment.blur_sigma_min", "augment.blur_sigma_max"});
    sets(args, sub.add_option("--gamma", args.gamma, "Gamma range MIN MAX, log-uniform (1 1 = off)")
            ->check(in_range(NumberRange::positive()))
            ->capture_default_str(), {"augment.gamma_min", "augment.gamma_max"});
    sets(args, sub.add_option("--jpeg", a.framing.jpeg_probability, "JPEG re-encoding probability")
            ->check(in_range(probability))
            ->capture_default_str(), {"augment.jpeg_probability"});
    sets(args, sub.add_option("--jpeg-quality", args.jpeg_quality, "JPEG quality range MIN MAX")
            ->check(in_range(NumberRange::between(1, 100)))
            ->capture_default_str(), {"augment.jpeg_quality_min", "augment.jpeg_quality_max"});
}

}  // namespace

void add_train_command(CLI::App& app, CommandRunner& run) {
    const NumberRange probability = NumberRange::between(0, 1);
    auto args = std::make_shared<TrainArgs>();
    auto& a = *args;
    auto* sub = app.add_subcommand("train", "Train (or resume) an emotion model in a run folder");
    sub->add_option("RUN_DIR", a.run_dir, "Run folder: created on the first call, resumed afterwards")
        ->required()
        ->check(non_empty_path());
    auto& c = a.config;
    sets(a, sub->add_option("--data", a.data, "fer2013.csv(.gz) or class-folder tree (Training split for training)"),
         {"train_data"});
    sets(a, sub->add_option("--val-data", c.val_data, "Validation data (default: --data, PublicTest split)"),
         {"val_data"});
    sets(a, sub->add_option("--train-split", c.train_split, "Split to train on")->capture_default_str(),
         {"train_split"});
    sets(a, sub->add_option("--val-split", c.val_split, "Split to select on")->capture_default_str(), {"val_split"});
    add_schedule_options(*sub, a);
    add_augmentation_options(*sub, a);
    sets(a, sub->add_option("--ferplus-votes", c.ferplus_votes,
                            "FER+ votes file lined up row for row with --data (a CSV): soft targets"),
         {"ferplus_votes"});
    sets(a, sub->add_option("--ferplus-mix", c.ferplus_mix,
                            "Target = (1-W) one-hot(label) + W votes, W in [0,1] (default 0.5 with --ferplus-votes)")
                ->check(in_range(probability)),
         {"ferplus_mix"});
    sets(a, sub->add_option("--teacher", c.teachers,
                            "Exported model(s) (.onnx, card beside) reading each training view as the student sees "
                            "it (online distillation; repeat or list several: their mean)"),
         {"teachers"});
    sets(a, sub->add_option("--teacher-mix", c.teacher_mix,
                            "Target = (1-W) label target + W teacher's probabilities, W in [0,1] (default 0.5 with "
                            "--teacher)")
                ->check(in_range(probability)),
         {"teacher_mix"});
    sets(a, sub->add_option("--mixup", c.mixup_alpha,
                            "Blend each batch with a shuffled copy of itself, targets too: Beta(ALPHA, ALPHA) "
                            "weights (0.2 is usual; 0 = off)")
                ->check(in_range(NumberRange::between(0, 10)))
                ->capture_default_str(),
         {"mixup_alpha"});
    sets(a, sub->add_option("--swa-epochs", c.swa_epochs, "Last N epochs at --swa-lr, their weights averaged (SWA)")
                ->check(in_range(NumberRange::at_least(0)))
                ->capture_default_str(),
         {"swa_epochs"});
    sets(a, sub->add_option("--swa-lr", c.swa_lr, "Constant learning rate of the SWA epochs")
                ->check(in_range(NumberRange::positive()))
                ->capture_default_str(),
         {"swa_lr"});
    sets(a, sub->add_option("--aligned-data", c.aligned_data,
                            "The --data rows re-cut by the product's detector and aligner (tools/align_fer2013)"),
         {"aligned_data"});
    sets(a, sub->add_option("--aligned-mix", c.aligned_mix, "Chance that a training view starts from the aligned crop")
                ->check(in_range(probability))
                ->capture_default_str(),
         {"aligned_mix"});
    sets(a, sub->add_option("--init-from", c.init_from,
                            "Start from a finished run's best model, or an exported model.onnx (a warm restart)"),
         {"init_from"});
    // Up to 2^53 - 1: read as a number, a larger one (or -1 wrapped round) would not be the seed stored.
    sets(a, sub->add_option("--seed", c.seed, "Random seed")
                ->check(in_range(NumberRange::between(0, 9007199254740991.0)))
                ->capture_default_str(), {"seed"});
    sub->add_option("--threads", a.threads, "Torch threads (default 2; may change on resume)")
        ->check(in_range(NumberRange::between(1, 1024)));
    sets(a, sub->add_option("--limit", c.limit, "Use only N samples of each split, spread evenly over it (smoke runs)")
                ->check(in_range(NumberRange::at_least(0))),
         {"limit"});
    sub->add_option("--until-epoch", a.until_epoch, "Stop after this epoch (resume later)")
        ->check(in_range(NumberRange::at_least(1)));
    sub->add_option("--export", a.export_path, "Write the best model as ONNX (+ model card) and exit");
    sub->add_option("--name", a.model_name, "Model name for the card (default: the file's stem)");
    sub->callback([&run, args] {
        for (const auto& [option, keys] : args->recipe_flags)
            if (option->count() > 0) args->given_settings.insert(keys.begin(), keys.end());
        run = [args] { return run_train(*args); };
    });
}

}  // namespace dangpli::cli
