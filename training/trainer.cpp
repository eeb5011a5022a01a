#include "trainer.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <fstream>
#include <numeric>
#include <numbers>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_set>

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dangpli/emotion.hpp"
#include "dangpli/error.hpp"
#include "dangpli/model_card.hpp"
#include "dangpli/output_file.hpp"
#include "data_fingerprint.hpp"
#include "ferplus_votes.hpp"
#include "mixup.hpp"
#include "onnx_import.hpp"
#include "run_lock.hpp"
#include "run_state.hpp"
#include "soft_target.hpp"
#include "teacher.hpp"
#include "weight_average.hpp"

namespace dangpli::training {
namespace fs = std::filesystem;
namespace {

fs::path checkpoint_dir(const fs::path& dir, int epoch) {
    return dir / "checkpoints" / fmt::format("epoch-{:03d}", epoch);
}

// The epoch whose weights a best/model.pt holds, kept in the archive itself: state.yaml, written after
// it, cannot say which weights a reader beside the trainer got.
constexpr const char* kEpochKey = "dangpli_epoch";

void save_module(torch::nn::Module& m, const fs::path& path, std::optional<int> epoch = std::nullopt) {
    torch::serialize::OutputArchive archive;
    m.save(archive);
    if (epoch) archive.write(kEpochKey, torch::tensor(static_cast<int64_t>(*epoch)));
    std::ostringstream bytes;
    archive.save_to(bytes);
    write_output_file(path, bytes.str());
}

// Runs `read` on the archive at `path`. libtorch's errors carry a C++ backtrace: the user gets one line
// naming the file instead, since a damaged or half-copied run folder is bad input, not a crash.
template <class Read>
void read_archive(const fs::path& path, Read&& read) {
    if (std::error_code ec; !fs::is_regular_file(path, ec))
        throw DataError(path.string() + ": missing; this run folder is incomplete (copied in part?)");
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path.string());
        read(archive);
    } catch (const c10::Error& e) {
        const std::string why = e.what_without_backtrace();
        throw DataError(fmt::format("{}: cannot be read as this run's ({})", path.string(),
                                    why.substr(0, why.find('\n'))));
    }
}

void load_module(torch::nn::Module& m, const fs::path& path) {
    read_archive(path, [&m](torch::serialize::InputArchive& archive) { m.load(archive); });
}

// As load_module(); returns the epoch the archive records (none in runs trained before it did).
std::optional<int> load_module_epoch(torch::nn::Module& m, const fs::path& path) {
    std::optional<int> epoch;
    read_archive(path, [&](torch::serialize::InputArchive& archive) {
        m.load(archive);
        if (torch::Tensor t; archive.try_read(kEpochKey, t) && t.numel() == 1) epoch = static_cast<int>(t.item<int64_t>());
    });
    return epoch;
}

at::CPUGeneratorImpl* torch_generator() {
    return at::check_generator<at::CPUGeneratorImpl>(at::detail::getDefaultCPUGenerator());
}

void save_checkpoint(const fs::path& dir, int epoch, EmotionNet& net, torch::optim::SGD& optimizer,
                     const std::mt19937_64& rng) {
    auto tmp = dir / "checkpoints" / "incoming";
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    save_module(net, tmp / "model.pt");
    {
        torch::serialize::OutputArchive archive;
        optimizer.save(archive);
        archive.write("torch_rng", at::Tensor(torch_generator()->get_state()));
        std::ostringstream bytes;
        archive.save_to(bytes);
        write_output_file(tmp / "optimizer.pt", bytes.str());  // checked, like every other write
    }
    std::ostringstream rng_text;
    rng_text << rng;
    write_output_file(tmp / "rng.txt", rng_text.str());
    auto final_dir = checkpoint_dir(dir, epoch);
    fs::remove_all(final_dir);
    fs::rename(tmp, final_dir);
    sync_folder(dir / "checkpoints");  // the new name on disk before state.yaml counts the epoch done
}

void load_checkpoint(const fs::path& dir, int epoch, EmotionNet& net, torch::optim::SGD& optimizer,
                     std::mt19937_64& rng) {
    auto ckpt = checkpoint_dir(dir, epoch);
    load_module(net, ckpt / "model.pt");
    read_archive(ckpt / "optimizer.pt", [&optimizer](torch::serialize::InputArchive& archive) {
        optimizer.load(archive);
        torch::Tensor rng_state;
        archive.read("torch_rng", rng_state);
        torch_generator()->set_state(*rng_state.unsafeGetTensorImpl());
    });
    // Without the generator's state the run would go on, but not as it would have gone unstopped.
    std::ifstream in(ckpt / "rng.txt");
    if (!(in >> rng))
        throw DataError((ckpt / "rng.txt").string() + ": missing or unreadable; this run cannot resume exactly");
}

// Older checkpoints than the previous one are not needed for resuming.
void prune_checkpoints(const fs::path& dir, int keep_from_epoch) {
    for (int e = keep_from_epoch - 1; e >= 1; --e) {
        auto d = checkpoint_dir(dir, e);
        if (!fs::exists(d)) break;
        fs::remove_all(d);
    }
}

void rewrite_log_up_to(const fs::path& log, int epochs_done) {
    const std::string header =
        "epoch,learning_rate,train_loss,train_accuracy,val_loss,val_accuracy,seconds,averaged_val_accuracy\n";
    std::string kept = header;
    if (std::ifstream in(log); in) {
        std::string line;
        std::getline(in, line);
        for (int number = 2; std::getline(in, line); ++number) {
            if (line.empty()) continue;
            // The run's own file, but a file a person may have edited: a row that does not start with
            // its epoch is named, never read as some other epoch.
            int epoch = 0;
            const auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), epoch);
            if (error != std::errc{} || end == line.data() + line.size() || *end != ',' || epoch < 1)
                throw DataError(fmt::format("{}:{}: not an epoch's row ('{}'): mend or remove the line to resume",
                                            log.string(), number, line.substr(0, 60)));
            if (epoch <= epochs_done) kept += line + "\n";
        }
    }
    write_output_file(log, kept);
}

// With `votes_path`, each face also gets its FER+ vote distribution (rows checked for alignment);
// with `origins`, the kept faces' origins are added to it.
FaceSet load_set(const std::string& path, const std::string& split_name, int limit, const std::string& votes_path = {},
                 std::set<std::string>* origins = nullptr) {
    auto split = parse_fer2013_split(split_name);
    if (!split) throw DataError("unknown split '" + split_name + "' (Training, PublicTest, PrivateTest)");
    auto samples = load_fer2013(path, split);
    const auto rows = limited_rows(samples.size(), static_cast<std::size_t>(std::max(limit, 0)));
    if (origins)
        for (const std::size_t row : rows) origins->insert(samples[row].origin);
    std::vector<VoteDistribution> votes;
    if (!votes_path.empty()) {
        const auto all_votes = votes_for(samples, load_ferplus_votes(votes_path), path);
        for (const std::size_t row : rows) votes.push_back(all_votes[row]);
    }
    auto set = to_face_set(std::move(samples), static_cast<std::size_t>(std::max(limit, 0)));
    set.votes = std::move(votes);
    return set;
}

// The best epoch is chosen, and the card's accuracy measured, on the validation faces: training faces
// among them would make both say nothing about new faces. A class-folder file whose name names no split
// (Training_*, PublicTest_*) is in every split, so a tree of one's own photos meets this.
void check_held_out(const TrainConfig& c, const std::set<std::string>& train, const std::set<std::string>& val) {
    std::size_t shared = 0;
    for (const auto& origin : val) shared += train.contains(origin);
    if (shared > 0)
        throw DataError(fmt::format("{}, {}: {} of its {} faces are training faces too ({}, {}), so the best epoch "
                                    "and the card's accuracy would say nothing of new faces; give --val-data with "
                                    "other faces, or name the files by split (Training_*, PublicTest_*)",
                                    c.val_data, c.val_split, shared, val.size(), c.train_data, c.train_split));
}

// By the faces themselves, where their files differ: a copy of the training data, or its .gz twin, or
// the same split named again. FER2013 itself holds 280 of its 3,589 PublicTest faces in Training too,
// pixel for pixel, so only a validation set mostly of training faces is refused.
void check_held_out_by_pixels(const TrainConfig& c, const FaceSet& train, const FaceSet& val) {
    std::unordered_set<std::uint64_t> training_faces;
    for (const auto& face : train.faces) training_faces.insert(face_hash(face));
    const auto shared = static_cast<std::size_t>(std::count_if(
        val.faces.begin(), val.faces.end(), [&](const cv::Mat& face) { return training_faces.contains(face_hash(face)); }));
    if (2 * shared > val.size())
        throw DataError(fmt::format("{}, {}: {} of its {} faces are training faces too, pixel for pixel ({}, {}), so "
                                    "the best epoch and the card's accuracy would say nothing of new faces; give "
                                    "--val-data with other faces", c.val_data, c.val_split, shared, val.size(),
                                    c.train_data, c.train_split));
}

// A class no training face is labelled with is one the model learns never to say (a folder tree of
// one's own photos without a disgust/ folder): worth a line, not a refusal (votes or a teacher may
// still teach it, and a model of fewer moods is a choice).
std::vector<std::string> classes_without_faces(const FaceSet& set) {
    std::array<std::size_t, kEmotionCount> counts{};
    for (const auto label : set.labels) ++counts.at(static_cast<std::size_t>(label));
    std::vector<std::string> missing;
    for (std::size_t i = 0; i < kEmotionCount; ++i)
        if (counts[i] == 0) missing.emplace_back(to_string(kAllEmotions[i]));
    return missing;
}

// The aligned faces of `set`'s rows, checked to be the same rows (count and labels).
std::vector<cv::Mat> load_aligned(const TrainConfig& c, const FaceSet& set) {
    auto aligned = load_set(c.aligned_data, c.train_split, c.limit);
    if (aligned.size() != set.size() || aligned.labels != set.labels)
        throw DataError(c.aligned_data + ": its " + c.train_split + " rows are not " + c.train_data +
                        "'s (made by align_fer2013 from another file?)");
    return std::move(aligned.faces);
}

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::size_t batches_of(const TrainConfig& c, const FaceSet& set) {
    const auto batch = static_cast<std::size_t>(c.batch_size);
    return (set.size() + batch - 1) / batch;
}

// The label targets of `rows` (votes mixed in where the set has them, smoothed), [B, 7].
torch::Tensor label_targets(const std::vector<int64_t>& labels, const std::vector<std::size_t>& rows,
                            const FaceSet& set, const TrainConfig& c) {
    auto soft = torch::empty({static_cast<int64_t>(rows.size()), 7});
    const VoteDistribution no_votes{};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto t = soft_target(labels[i], set.votes.empty() ? no_votes : set.votes[rows[i]], c.ferplus_mix,
                             c.label_smoothing);
        std::copy(t.begin(), t.end(), soft.data_ptr<float>() + i * 7);
    }
    return soft;
}

// The loss of one batch: cross-entropy on the labels (smoothed), or on soft targets that mix in the
// FER+ votes when the set has them, blended as the views were (mixup), and the teacher's
// probabilities for these views (`taught`, [B, 7]) when there is one.
torch::Tensor batch_loss(const torch::Tensor& logits, const torch::Tensor& target, const std::vector<int64_t>& labels,
                         const std::vector<std::size_t>& rows, const FaceSet& set, const TrainConfig& c,
                         const torch::Tensor& taught, const Blend& blend) {
    if (set.votes.empty() && !taught.defined() && !blend.blended())
        return torch::nn::functional::cross_entropy(
            logits, target, torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(c.label_smoothing));
    auto soft = blend.apply(label_targets(labels, rows, set, c));
    // The teacher read the blended views themselves: its opinion needs no blending.
    if (taught.defined()) soft = (1.0 - c.teacher_mix) * soft + c.teacher_mix * taught;
    return soft_cross_entropy(logits, soft);
}

// Where a run keeps its copy of teacher `index`: a folder of its own, so that the card's `model:`
// still names the file beside it.
fs::path teacher_copy(const fs::path& dir, std::size_t index, const std::string& original) {
    return dir / "teachers" / std::to_string(index) / fs::path(original).filename();
}

std::vector<fs::path> teacher_copies(const fs::path& dir, const TrainConfig& c) {
    std::vector<fs::path> copies;
    for (std::size_t i = 0; i < c.teachers.size(); ++i) copies.push_back(teacher_copy(dir, i, c.teachers[i]));
    return copies;
}

// Throughput and time left, for TrainHooks::on_progress (every 500 ms at most). The rate is this
// epoch's so far: an average over the whole call would carry a pause (a suspended laptop, a stopped
// process) into every later estimate; validation's few seconds an epoch are left out of the ETA.
class ProgressMeter {
public:
    ProgressMeter(const TrainConfig& c, std::size_t faces, std::size_t batches)
        : epochs_(c.epochs), batch_size_(static_cast<std::size_t>(c.batch_size)), faces_(faces), batches_(batches) {}

    void batch_done(const TrainHooks& hooks, int epoch, std::size_t b, std::size_t images, double loss_sum) {
        if (epoch != epoch_) {  // timing starts after the epoch's first batch, which is not counted
            epoch_ = epoch;
            start_ = Clock::now();
            images_ = 0;
            return;
        }
        images_ += images;
        if (!hooks.on_progress || Clock::now() - last_report_ <= std::chrono::milliseconds(500)) return;
        last_report_ = Clock::now();
        TrainProgress p;
        p.epoch = epoch;
        p.epochs = epochs_;
        p.batch = b + 1;
        p.batches = batches_;
        p.images_per_second = static_cast<double>(images_) / seconds_since(start_);
        p.running_loss = loss_sum / static_cast<double>((b + 1) * batch_size_);
        const double remaining =
            static_cast<double>(static_cast<std::size_t>(epochs_ - epoch + 1) * faces_ - (b + 1) * batch_size_);
        p.eta_seconds = remaining / std::max(1.0, p.images_per_second);
        hooks.on_progress(p);
    }

private:
    int epochs_;
    std::size_t batch_size_, faces_, batches_;
    int epoch_ = 0;
    Clock::time_point start_ = Clock::now();
    Clock::time_point last_report_ = Clock::now() - std::chrono::seconds(10);
    std::size_t images_ = 0;
};

// What one epoch of SGD adds up.
struct EpochTotals {
    double loss_sum = 0.0;       // summed over the faces
    int64_t correct = 0;         // on the augmented views trained on
    double learning_rate = 0.0;  // at the last batch
};

// One epoch of SGD over the training set in a fresh random order.
struct EpochTrainer {
    const TrainConfig& config;
    const TrainHooks& hooks;
    EmotionNet& net;
    torch::optim::SGD& optimizer;
    std::mt19937_64& rng;
    const FaceSet& set;
    const Teacher* teacher;  // null without one
    ProgressMeter progress;

    // nullopt when hooks.stop was set: the epoch is lost.
    std::optional<EpochTotals> run(int epoch) {
        const std::size_t batch = static_cast<std::size_t>(config.batch_size);
        const std::size_t batches = batches_of(config, set);
        std::vector<std::size_t> order(set.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::shuffle(order.begin(), order.end(), rng);
        net.train();
        EpochTotals totals;
        for (std::size_t b = 0; b < batches; ++b) {
            if (hooks.stop && hooks.stop->load()) return std::nullopt;
            const std::vector<std::size_t> rows(order.begin() + static_cast<std::ptrdiff_t>(b * batch),
                                                order.begin() + static_cast<std::ptrdiff_t>(std::min(set.size(), (b + 1) * batch)));
            totals.learning_rate =
                learning_rate_at(config, epoch - 1 + static_cast<double>(b) / static_cast<double>(batches));
            step(rows, totals);
            // A diverged run reads every face alike (NaN) from here on and would still be exported as its best.
            if (!std::isfinite(totals.loss_sum))
                throw Error(fmt::format("epoch {}, batch {} of {}: the training loss is no longer a number (the run "
                                        "diverged at learning rate {:g}); start a new run with a lower --lr",
                                        epoch, b + 1, batches, totals.learning_rate));
            progress.batch_done(hooks, epoch, b, rows.size(), totals.loss_sum);
        }
        return totals;
    }

private:
    void step(const std::vector<std::size_t>& rows, EpochTotals& totals) {
        std::vector<int64_t> labels(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) labels[i] = set.labels[rows[i]];
        auto x = random_batch(set, rows, net.input_side(), config.augment, rng, config.aligned_mix);
        const Blend blend = draw_blend(config.mixup_alpha, rows.size(), rng);
        x = blend.apply(x);
        auto target = torch::tensor(labels, torch::kInt64);
        for (auto& group : optimizer.param_groups())
            static_cast<torch::optim::SGDOptions&>(group.options()).lr(totals.learning_rate);
        const torch::Tensor taught = teacher ? teacher->probabilities(x) : torch::Tensor();
        auto logits = net.forward(x);
        torch::Tensor loss = batch_loss(logits, target, labels, rows, set, config, taught, blend);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        totals.loss_sum += loss.item<double>() * static_cast<double>(rows.size());
        totals.correct += logits.argmax(1).eq(target).sum().item<int64_t>();
    }
};

// Saves `net` as best/model.pt when `result` beats the best so far, and notes it in `state`.
void keep_if_best(const fs::path& dir, EmotionNet& net, const Evaluation& result, int epoch, RunState& state) {
    // The first epoch is the best so far whatever it scored (a smoke run's may read no face right).
    if (state.best_epoch > 0 && result.accuracy() <= state.best_accuracy) return;
    fs::create_directories(dir / "best");
    save_module(net, dir / "best" / "model.pt", epoch);
    state.best_accuracy = result.accuracy();
    state.best_epoch = epoch;
}

void append_log_row(const fs::path& log_path, const EpochReport& r) {
    std::ofstream log(log_path, std::ios::app);
    log << fmt::format("{},{:.6f},{:.5f},{:.5f},{:.5f},{:.5f},{:.1f},{}\n", r.epoch, r.learning_rate, r.train_loss,
                       r.train_accuracy, r.validation.loss, r.validation.accuracy(), r.seconds,
                       r.averaged ? fmt::format("{:.5f}", r.averaged->accuracy()) : std::string{});
    // A lost row must stop the run: state.yaml, written next, would count the epoch as logged.
    if (!log.flush()) throw WriteError(log_path.string() + ": cannot append the epoch's row");
}

}  // namespace

double learning_rate_at(const TrainConfig& c, double epoch) {
    const int decay_end = c.epochs - std::max(0, c.swa_epochs);
    if (epoch >= decay_end) return c.swa_lr;
    // Linear warm-up; the small offset keeps the very first step's rate above zero.
    if (epoch < c.warmup_epochs) return c.learning_rate * (epoch + 1.0 / 64) / c.warmup_epochs;
    const double progress = (epoch - c.warmup_epochs) / std::max(1e-9, decay_end - c.warmup_epochs);
    return 0.5 * c.learning_rate * (1.0 + std::cos(std::numbers::pi * std::min(1.0, progress)));
}

namespace {

// A run folder copied in part, checked before a resume can lose anything: a state.yaml gone beside
// trained checkpoints read as a new run (epoch 1 again, the last checkpoint deleted), and a best
// model gone or damaged was found only by the export, after the run.
void check_state_matches_files(const fs::path& dir, const RunState& state, const std::string& architecture) {
    std::error_code ec;
    if (state.epochs_done == 0 && !fs::exists(dir / "state.yaml", ec))
        for (const auto& entry : fs::directory_iterator(dir / "checkpoints", ec))
            if (entry.path().filename().string().starts_with("epoch-"))
                throw DataError(fmt::format("{}: missing, but {} holds a trained epoch; this run folder is incomplete "
                                            "(copied in part?): restore state.yaml, or start a new run",
                                            (dir / "state.yaml").string(), entry.path().string()));
    if (state.best_epoch > 0) {
        auto best = make_emotion_net(architecture);
        load_module(*best, dir / "best" / "model.pt");  // names the file where it is missing or damaged
    }
}

// Only the run's own entries: the folder may have held the user's files before the run was made.
// Never throws: it runs on the way out of a failure, whose error is the one to tell.
void remove_run_entries(const fs::path& dir) noexcept {
    std::error_code ec;
    for (const std::string_view name : TrainingRun::kRunEntries) fs::remove_all(dir / name, ec);
    fs::remove(dir, ec);  // fails, as it should, where other files remain
}

// Before an epoch is computed, not after: a folder the trainer cannot write would lose the epoch.
void check_run_folder_writable(const fs::path& dir) {
    for (const fs::path& folder : {dir, dir / "checkpoints", dir / "best"})
        if (std::error_code ec; fs::exists(folder, ec) && ::access(folder.c_str(), W_OK) != 0)
            throw WriteError(fmt::format("{}: cannot write ({})", folder.string(), std::strerror(errno)));
}

}  // namespace

void check_run_data(const TrainConfig& config, RunData whose) {
    for (const auto& [what, data] : {std::pair{"training data", config.train_data},
                                     {"validation data", config.val_data}, {"aligned data", config.aligned_data}}) {
        std::error_code ec;
        if (data.empty() || fs::exists(data, ec)) continue;
        // config.yaml keeps paths as given, relative to the folder the run was made in.
        if (whose == RunData::kSaved && fs::path(data).is_relative())
            throw DataError(fmt::format("{}: no such file or directory from {} (the run's {}, a relative path: "
                                        "run from the folder the run was made in)",
                                        data, fs::current_path(ec).string(), what));
        throw DataError(data + ": no such file or directory");
    }
}

TrainingRun::TrainingRun(fs::path dir, TrainConfig config) : dir_(std::move(dir)), config_(std::move(config)) {}

bool TrainingRun::exists(const fs::path& dir) { return fs::exists(dir / "config.yaml"); }

std::string new_run_folder_problem(const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) return dir.string() + ": is a file, not a run folder";
    // The run writes config.yaml, log.csv, best/, ...: a folder holding the user's files is not one.
    // A lone train.lock is another trainer making its run here (its lock says so) or one's failed start.
    const auto only_lock = [&] {
        std::vector<fs::path> names;
        for (auto it = fs::directory_iterator(dir, ec); it != fs::directory_iterator() && names.size() < 2; ++it)
            names.push_back(it->path().filename());
        return names == std::vector<fs::path>{"train.lock"};
    };
    if (fs::is_directory(dir, ec) && !fs::is_empty(dir, ec) && !TrainingRun::exists(dir) && !only_lock())
        return dir.string() + ": a folder that holds files but no training run (no config.yaml): give a new or empty "
                              "folder";
    return {};
}

TrainingRun TrainingRun::create(const fs::path& dir, const TrainConfig& config) {
    if (exists(dir)) throw DataError(dir.string() + ": holds a training run already; resume it instead");
    if (auto problem = new_run_folder_problem(dir); !problem.empty()) throw InputError(problem);
    (void)make_emotion_net(config.architecture);  // rejects an unknown architecture before any file is made
    check_recipe(config);
    // The data is read only once training starts: a missing file must not leave a run folder behind.
    check_run_data(config, RunData::kAsked);
    if (!config.ferplus_votes.empty()) (void)load_ferplus_votes(config.ferplus_votes);  // a bad file fails here
    if (!config.teachers.empty())  // a teacher that cannot teach this network fails here
        (void)Teacher({config.teachers.begin(), config.teachers.end()}, make_emotion_net(config.architecture)->input_side());
    std::shared_ptr<EmotionNet> onnx_start;
    if (config.init_from_onnx()) {
        onnx_start = make_emotion_net(config.architecture);
        import_onnx_weights(*onnx_start, config.init_from);  // a file that does not fit fails here
    } else if (!config.init_from.empty()) {
        if (std::error_code ec; !fs::is_directory(config.init_from, ec))
            throw InputError(fmt::format("--init-from {}: {}", config.init_from,
                                         fs::exists(config.init_from, ec)
                                             ? "give a finished run's folder or an exported .onnx model (its card beside it)"
                                             : "no such file or folder"));
        auto parent = open(config.init_from);
        if (parent.config().architecture != config.architecture)
            throw InputError(fmt::format("--init-from {}: a {} run cannot start a {} run", config.init_from,
                                         parent.config().architecture, config.architecture));
        if (!fs::exists(fs::path(config.init_from) / "best" / "model.pt"))
            throw DataError(config.init_from + ": has no best model to start from");
        for (const auto* name : {"state.yaml", "log.csv"})  // copied below: said before anything is made
            if (!fs::exists(fs::path(config.init_from) / name))
                throw DataError(fmt::format("{}: missing; --init-from takes a whole run folder",
                                            (fs::path(config.init_from) / name).string()));
    }
    fs::create_directories(dir);
    auto lock = std::make_shared<RunLock>(dir);  // before anything else is written
    if (exists(dir)) throw DataError(dir.string() + ": holds a training run already; resume it instead");
    // A copy that fails or a full disk part way left a folder that refused the same command again
    // ("holds files but no training run").
    try {
        fs::create_directories(dir / "checkpoints");
        if (onnx_start) {
            fs::create_directories(dir / "init");
            fs::copy_file(config.init_from, dir / "init" / "model.onnx", fs::copy_options::overwrite_existing);
            const auto card = fs::path(config.init_from).replace_extension(".yaml");
            if (fs::exists(card)) fs::copy_file(card, dir / "init" / "model.yaml", fs::copy_options::overwrite_existing);
            save_module(*onnx_start, dir / "init" / "model.pt");  // batch norms calibrated when training starts
        } else if (!config.init_from.empty()) {
            const fs::path parent = config.init_from;
            fs::create_directories(dir / "init");
            for (const auto* name : {"config.yaml", "state.yaml", "log.csv"})
                fs::copy_file(parent / name, dir / "init" / name, fs::copy_options::overwrite_existing);
            fs::copy_file(parent / "best" / "model.pt", dir / "init" / "model.pt", fs::copy_options::overwrite_existing);
        }
        for (std::size_t i = 0; i < config.teachers.size(); ++i) {
            const fs::path model = config.teachers[i], copy = teacher_copy(dir, i, config.teachers[i]);
            fs::create_directories(copy.parent_path());
            fs::copy_file(model, copy, fs::copy_options::overwrite_existing);
            fs::copy_file(ModelCard::card_path_for(model), ModelCard::card_path_for(copy),
                          fs::copy_options::overwrite_existing);
        }
        auto c = config;
        if (c.val_data.empty()) c.val_data = c.train_data;
        save_train_config(c, dir / "config.yaml");
        rewrite_log_up_to(dir / "log.csv", 0);
        TrainingRun run(dir, c);
        run.lock_ = std::move(lock);
        return run;
    } catch (...) {
        remove_run_entries(dir);
        throw;
    }
}

TrainingRun TrainingRun::open(const fs::path& dir) {
    if (!exists(dir)) throw DataError(dir.string() + ": no training run here (config.yaml missing)");
    const auto path = dir / "config.yaml";
    auto config = load_train_config(path);
    try {  // edited or damaged by hand: a zero batch divided by zero, 100,000 threads ran away
        check_recipe(config, RecipeSource::kConfigFile);
    } catch (const InputError& e) {  // "batch_size 0: give at least 1 (as --batch)": the key comes first
        const std::string what = e.what();
        const int line = line_of_setting(path, what.substr(0, what.find(' ')));
        throw DataError(path.string() + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + what);
    }
    return TrainingRun(dir, std::move(config));
}

int TrainingRun::epochs_done() const { return read_run_state(dir_).epochs_done; }
double TrainingRun::best_accuracy() const { return read_run_state(dir_).best_accuracy; }
int TrainingRun::best_epoch() const { return read_run_state(dir_).best_epoch; }
double TrainingRun::seconds_trained() const { return read_run_state(dir_).seconds_trained; }

void TrainingRun::discard_if_unstarted() {
    if (!lock_ || epochs_done() > 0) return;
    remove_run_entries(dir_);
    lock_.reset();
}

std::shared_ptr<EmotionNet> TrainingRun::load_network(const std::string& which) const {
    if (which == "best") return load_best().net;
    auto net = make_emotion_net(config_.architecture);
    const fs::path path = checkpoint_dir(dir_, read_run_state(dir_).epochs_done) / "model.pt";
    if (!fs::exists(path)) throw DataError(path.string() + ": no trained model yet");
    load_module(*net, path);
    net->eval();
    return net;
}

TrainingRun::BestModel TrainingRun::load_best(double wait_seconds) const {
    const auto give_up = Clock::now() + std::chrono::duration<double>(wait_seconds);
    for (;;) {
        BestModel best{make_emotion_net(config_.architecture), read_run_state(dir_)};
        const fs::path path = dir_ / "best" / "model.pt";
        if (!fs::exists(path)) throw DataError(path.string() + ": no trained model yet");
        const auto epoch = load_module_epoch(*best.net, path);
        best.net->eval();
        if (!epoch || *epoch == best.state.best_epoch) return best;
        if (*epoch < best.state.best_epoch)
            throw DataError(fmt::format("{}: holds epoch {}'s weights, but state.yaml names epoch {} as the best "
                                        "(a best/ folder from another time?)", path.string(), *epoch,
                                        best.state.best_epoch));
        if (Clock::now() > give_up)
            throw DataError(fmt::format("{}: holds epoch {}'s weights, but state.yaml still names epoch {} as the "
                                        "best after {:.0f} s", path.string(), *epoch, best.state.best_epoch,
                                        wait_seconds));
        std::this_thread::sleep_for(std::chrono::milliseconds(250));  // the trainer is ending that epoch
    }
}

void TrainingRun::train(const TrainHooks& hooks, int until_epoch) {
    // create()'s lock goes when training ends, and stays where it fails, for discard_if_unstarted().
    struct ReleasedOnReturn {
        std::shared_ptr<RunLock>& lock;
        const int exceptions = std::uncaught_exceptions();
        ~ReleasedOnReturn() {
            if (std::uncaught_exceptions() == exceptions) lock.reset();
        }
    } release_created_lock{lock_};
    const int last_epoch = until_epoch > 0 ? std::min(until_epoch, config_.epochs) : config_.epochs;
    if (read_run_state(dir_).epochs_done >= last_epoch) return;  // nothing to train: no lock (the run may be read-only)
    std::optional<RunLock> own_lock;  // where create() took none
    if (!lock_) own_lock.emplace(dir_);
    check_run_folder_writable(dir_);
    auto state = read_run_state(dir_);  // again, now that no other trainer can write it
    if (state.epochs_done >= last_epoch) return;
    torch::set_num_threads(config_.threads);
    check_run_data(config_, RunData::kSaved);

    // The order of these steps fixes every random draw: a resumed run repeats them exactly.
    torch::manual_seed(config_.seed);
    auto net = make_emotion_net(config_.architecture);
    if (state.epochs_done == 0 && !config_.init_from.empty()) load_module(*net, dir_ / "init" / "model.pt");
    torch::optim::SGD optimizer(net->parameters(), torch::optim::SGDOptions(config_.learning_rate)
                                                       .momentum(config_.momentum)
                                                       .nesterov(true)
                                                       .weight_decay(config_.weight_decay));
    std::mt19937_64 rng(config_.seed);
    check_state_matches_files(dir_, state, config_.architecture);
    if (state.epochs_done > 0) load_checkpoint(dir_, state.epochs_done, *net, optimizer, rng);
    to_channels_last(*net);
    rewrite_log_up_to(dir_ / "log.csv", state.epochs_done);
    std::shared_ptr<EmotionNet> average;  // the running weight average, in the SWA epochs
    if (state.averaged > 0) {
        average = make_emotion_net(config_.architecture);
        load_module(*average, checkpoint_dir(dir_, state.epochs_done) / "average.pt");
    }

    // A new run's recipe is checked for held-out validation faces; a resumed one cannot change it.
    const bool new_run = state.epochs_done == 0;
    std::set<std::string> train_origins, val_origins;
    FaceSet train_set = load_set(config_.train_data, config_.train_split, config_.limit,
                                 config_.uses_votes() ? config_.ferplus_votes : std::string{},
                                 new_run ? &train_origins : nullptr);
    const FaceSet val_set = load_set(config_.val_data, config_.val_split, config_.limit, {},
                                     new_run ? &val_origins : nullptr);
    if (new_run) {
        check_held_out(config_, train_origins, val_origins);
        check_held_out_by_pixels(config_, train_set, val_set);
    }
    if (const auto missing = classes_without_faces(train_set); new_run && !missing.empty() && hooks.on_warning)
        hooks.on_warning(fmt::format("{}, {}: no face labelled {}; the model will hardly ever say {}",
                                     config_.train_data, config_.train_split, fmt::join(missing, ", "),
                                     missing.size() == 1 ? "it" : "them"));
    if (config_.aligned_mix > 0.0) train_set.aligned = load_aligned(config_, train_set);
    std::string train_files = config_.train_data;  // the faces' files, and those of their votes and crops
    if (config_.uses_votes()) train_files += ", " + config_.ferplus_votes;
    if (config_.aligned_mix > 0.0) train_files += ", " + config_.aligned_data;
    check_data_fingerprints(dir_, {{"training data", train_files, fingerprint(train_set)},
                                   {"validation data", config_.val_data, fingerprint(val_set)}});
    if (state.epochs_done == 0 && config_.init_from_onnx()) calibrate_folded_batch_norm(*net, train_set);

    std::optional<Teacher> teacher;
    if (config_.uses_teachers()) teacher.emplace(teacher_copies(dir_, config_), net->input_side());
    EpochTrainer trainer{config_, hooks, *net, optimizer, rng, train_set, teacher ? &*teacher : nullptr,
                         ProgressMeter(config_, train_set.size(), batches_of(config_, train_set))};
    if (hooks.on_start) hooks.on_start();
    for (int epoch = state.epochs_done + 1; epoch <= last_epoch; ++epoch) {
        const auto epoch_start = Clock::now();
        const auto totals = trainer.run(epoch);
        if (!totals) return;  // stopped: the last checkpoint stays the resume point
        EpochReport report;
        report.epoch = epoch;
        report.epochs = config_.epochs;
        report.learning_rate = totals->learning_rate;
        report.train_loss = totals->loss_sum / static_cast<double>(train_set.size());
        report.train_accuracy = static_cast<double>(totals->correct) / static_cast<double>(train_set.size());
        report.validation = evaluate(*net, val_set);
        report.seconds = seconds_since(epoch_start);

        save_checkpoint(dir_, epoch, *net, optimizer, rng);
        keep_if_best(dir_, *net, report.validation, epoch, state);
        if (epoch > config_.epochs - config_.swa_epochs) {
            if (!average) average = make_emotion_net(config_.architecture);  // the first snapshot replaces it
            add_to_average(*average, *net, state.averaged++);
            recompute_batch_norm(*average, train_set);
            report.averaged = evaluate(*average, val_set);
            save_module(*average, checkpoint_dir(dir_, epoch) / "average.pt");  // part of the epoch's checkpoint
            keep_if_best(dir_, *average, *report.averaged, epoch, state);
            report.seconds = seconds_since(epoch_start);
        }
        state.epochs_done = epoch;
        state.seconds_trained += report.seconds;
        append_log_row(dir_ / "log.csv", report);
        write_run_state(dir_, state);
        prune_checkpoints(dir_, epoch);
        if (hooks.on_epoch) hooks.on_epoch(report);
    }
}

}  // namespace dangpli::training
