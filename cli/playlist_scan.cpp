// `dangpli playlist scan PATH...`: each song file is decoded and analysed on a worker thread; the
// main thread saves each song in one transaction and prints it, in input order.
#include "playlist_scan.hpp"

#include <sys/stat.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "dangpli/ascii_text.hpp"
#include "dangpli/audio_decoder.hpp"
#include "dangpli/error.hpp"
#include "dangpli/parallel_in_order.hpp"
#include "dangpli/listener_model.hpp"
#include "dangpli/playlist_store.hpp"
#include "dangpli/song_analysis.hpp"
#include "progress_bar.hpp"
#include "exit_codes.hpp"
#include "folder_walk.hpp"
#include "number_checks.hpp"
#include "path_option.hpp"
#include "playlist_open.hpp"
#include "usable_cpus.hpp"
#include "stderr_line.hpp"
#include "stop_signals.hpp"

namespace fs = std::filesystem;

namespace dangpli::cli {
namespace {

struct ScanArgs {
    std::vector<std::string> paths;
    std::string db;
    bool no_defaults = false;
    std::string format = "table";
    bool dry_run = false;
    bool no_segments = false;
    int jobs = usable_cpus();
};

// What a folder walk picks up; a file named on the command line is tried whatever its name.
const std::set<std::string> kAudioExtensions{".mp3", ".ogg", ".oga", ".opus", ".flac", ".wav", ".m4a", ".aac",
                                             ".mp4", ".wma", ".aif", ".aiff", ".ape", ".wv", ".mka", ".webm"};

std::string audio_extension_list() {
    std::string list;
    for (const std::string& ext : kAudioExtensions) list += (list.empty() ? "" : ", ") + ext.substr(1);
    return list;
}

bool audio_extension(const fs::path& p) {
    return kAudioExtensions.count(ascii_lower(p.extension().string())) > 0;
}

// The files to scan, each once, absolute; a PATH that is not there is a per-file error.
std::vector<std::string> collect(const std::vector<std::string>& paths, std::vector<std::string>& errors) {
    std::vector<std::string> files;
    std::set<std::string> seen;
    // A file reached again through a link (or a second hard link) is one recording: stored twice, it
    // had twice the chance in its mood's draws. Read once, under its own path rather than a link's.
    std::map<std::pair<dev_t, ino_t>, std::size_t> file_at;
    auto add = [&](const fs::path& p) {
        std::string abs = fs::absolute(p).lexically_normal().string();
        struct stat info {};
        if (::stat(abs.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
            const auto [it, first] = file_at.emplace(std::pair{info.st_dev, info.st_ino}, files.size());
            if (!first) {
                std::error_code ec;
                if (fs::is_symlink(files[it->second], ec) && !fs::is_symlink(abs, ec)) files[it->second] = abs;
                return;
            }
        }
        if (seen.insert(abs).second) files.push_back(std::move(abs));
    };
    for (const std::string& path : paths) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            const auto found = walk_folder(path, audio_extension);
            if (found.empty())  // a mistyped music folder is not a success
                errors.push_back(fmt::format("{}: no song files ({}) in this folder", path, audio_extension_list()));
            for (const WalkEntry& e : found) {
                if (e.problem.empty()) add(e.path);
                else errors.push_back(e.problem);
            }
        } else if (fs::exists(path, ec)) {
            add(path);
        } else {
            errors.push_back(fmt::format("{}: no such file or folder", path));
        }
    }
    return files;
}

std::optional<ScannedFile> file_stamp(const std::string& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) return std::nullopt;
    const auto mtime = fs::last_write_time(path, ec);
    if (ec) return std::nullopt;
    return ScannedFile{path, size, std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count()};
}

struct Scanned {
    Song song;  // title and artist from the file's tags, else its name
    std::string album;  // tells a second recording of one title and artist apart
    SongAnalysis analysis;
};
struct Unchanged {};
struct PassedOver {};  // a stop signal came before its turn
using Outcome = std::variant<Scanned, Unchanged, PassedOver, std::string /* one error line */>;

// Ctrl-C or SIGTERM: the songs in hand are finished and stored, the rest passed over.
std::atomic<bool> g_scan_stop{false};
extern "C" void on_scan_interrupt(int) { g_scan_stop.store(true); }

// A tag's text as a song's name: its control characters (a tab, a line break, a terminal's escape)
// as spaces, runs of them and the ends trimmed, and one longer than a store takes cut (at a
// character's start) with an ellipsis. A tagger's tab, or a tag of 1,200 bytes, refused the whole song.
std::string tag_text(const std::string& tag) {
    std::string text;
    for (const char c : tag) {
        const auto byte = static_cast<unsigned char>(c);
        const bool control = byte < 0x20 || byte == 0x7F;
        if (!control) text += c;
        else if (!text.empty() && text.back() != ' ') text += ' ';
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    if (text.size() > kLongestSongName) {
        const std::string_view ellipsis = "\u2026";
        std::size_t cut = kLongestSongName - ellipsis.size();
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // a continuation byte
        text.resize(cut);
        text += ellipsis;
    }
    return text;
}

Outcome scan_one(const std::string& path, const SongAnalysisOptions& options) {
    try {
        DecodedAudio audio = decode_audio(path);
        Scanned s;
        const std::string title = tag_text(audio.title);
        s.song.title = title.empty() ? fs::path(path).stem().string() : title;
        s.song.artist = tag_text(audio.artist);
        s.album = tag_text(audio.album);
        s.song.uri = path;
        try {
            s.analysis = analyse_song(audio, options);
        } catch (const DataError& e) {
            return fmt::format("{}: {}", path, e.what());
        }
        return s;
    } catch (const Error& e) {
        return std::string(e.what());
    } catch (const std::bad_alloc&) {
        return fmt::format("{}: out of memory while analysing it", path);
    }
}

nlohmann::ordered_json emotions_json(std::span<const EmotionWeight> tags) {
    auto list = nlohmann::ordered_json::array();
    for (const EmotionWeight& t : tags) list.push_back(to_string(t.emotion));
    return list;
}

// Divided by the whole number of units in one, not multiplied by the unit: -222 * 0.1 prints as
// -22.200000000000003, -222 / 10.0 as -22.2.
double rounded(double v, double unit) {
    const double per_one = std::round(1.0 / unit);
    return std::round(v * per_one) / per_one;
}

nlohmann::ordered_json song_json(const std::string& path, const Song& song, const SongAnalysis& a,
                                 std::span<const EmotionWeight> tags, bool unchanged) {
    auto segments = nlohmann::ordered_json::array();
    for (const SegmentAnalysis& s : a.segments)
        segments.push_back({{"start", rounded(s.start_seconds, 0.01)}, {"end", rounded(s.end_seconds, 0.01)},
                            {"type", s.type}, {"arousal", rounded(s.mood.arousal, 0.001)},
                            {"valence", rounded(s.mood.valence, 0.001)},
                            {"emotions", emotions_json(emotions_from_affinity(emotion_affinity(s.mood)))}});
    const AudioFeatures& f = a.features;
    nlohmann::ordered_json j{{"path", path}, {"title", song.title}, {"artist", song.artist},
                             {"seconds", rounded(a.seconds, 0.01)}, {"tempo_bpm", rounded(f.tempo_bpm, 0.1)},
                             {"loudness_lufs", rounded(f.loudness_lufs, 0.1)}, {"mode", f.minor ? "minor" : "major"},
                             {"key", key_name(f.key)}, {"arousal", rounded(a.mood.arousal, 0.001)},
                             {"valence", rounded(a.mood.valence, 0.001)}, {"emotions", emotions_json(tags)},
                             {"segments", std::move(segments)}};
    if (unchanged) j["unchanged"] = true;
    return j;
}

class ScanPrinter {
public:
    explicit ScanPrinter(const std::string& format) : format_(format) {}
    void song(const std::string& path, const Song& song, const SongAnalysis& a, std::span<const EmotionWeight> tags,
              bool unchanged) {
        constexpr auto kReplace = nlohmann::ordered_json::error_handler_t::replace;
        if (format_ == "table") {
            std::string names;
            for (const EmotionWeight& t : tags) names += fmt::format("{}{}", names.empty() ? "" : ",", to_string(t.emotion));
            fmt::print("{:>+6.2f} {:>+6.2f} {:<16} {:>5.0f} {:>6.1f} {:<3} {:<5} {}{}\n", a.mood.arousal, a.mood.valence,
                       names, a.features.tempo_bpm, a.features.loudness_lufs, key_name(a.features.key),
                       a.features.minor ? "minor" : "major", path, unchanged ? " (unchanged)" : "");
        } else {
            const std::string text = song_json(path, song, a, tags, unchanged).dump(-1, ' ', false, kReplace);
            if (format_ == "jsonl") fmt::print("{}\n", text);
            else fmt::print("{}\n{}", first_ ? "[" : ",", text);
        }
        first_ = false;
        std::fflush(stdout);
    }
    void begin() {
        if (format_ == "table") fmt::print("{:>6} {:>6} {:<16} {:>5} {:>6} {:<9} {}\n", "AROUS", "VALEN", "EMOTIONS", "BPM",
                                           "LUFS", "KEY", "PATH");
    }
    void end() {
        if (format_ == "json") fmt::print("{}]\n", first_ ? "[" : "\n");
        std::fflush(stdout);
    }

private:
    std::string format_;
    bool first_ = true;
};

// The store's scanned songs under the folders scanned whose file is gone (moved without its tags,
// renamed, deleted): said, since live would still draw them and a rescan alone cannot tell.
void tell_songs_gone(const std::vector<std::string>& paths, const std::vector<StoredAnalysis>& stored) {
    std::vector<std::string> folders;
    for (const std::string& path : paths)
        if (std::error_code ec; fs::is_directory(path, ec)) {
            std::string folder = fs::absolute(path).lexically_normal().string();
            if (!folder.ends_with('/')) folder += '/';
            folders.push_back(std::move(folder));
        }
    std::vector<const StoredAnalysis*> gone;
    for (const StoredAnalysis& s : stored) {
        std::error_code ec;
        const bool under = std::any_of(folders.begin(), folders.end(), [&](const std::string& f) { return s.file.path.starts_with(f); });
        if (under && !fs::exists(s.file.path, ec) && !ec) gone.push_back(&s);
    }
    if (gone.empty()) return;
    constexpr std::size_t kNamed = 3;
    std::string named, ids;
    for (std::size_t i = 0; i < gone.size(); ++i) {
        if (i < kNamed) named += fmt::format("{}{} ({})", i > 0 ? ", " : "", gone[i]->file.path, gone[i]->song_id);
        ids += fmt::format(" {}", gone[i]->song_id);
    }
    tell("dangpli: {} song(s) in the store have no file any more under the folders scanned: {}{} "
         "(`dangpli playlist remove{}`, or scan where they went)\n",
         gone.size(), named, gone.size() > kNamed ? fmt::format(" and {} more", gone.size() - kNamed) : "", ids);
}

int run_scan(const ScanArgs& args) {
    std::vector<std::string> errors;
    const std::vector<std::string> files = collect(args.paths, errors);
    for (const std::string& e : errors) tell("dangpli: {}\n", one_line(e));
    std::size_t failed = errors.size();

    std::optional<PlaylistStore> store;
    std::vector<StoredAnalysis> stored;
    ListenerModel model;
    if (!args.dry_run) {
        store.emplace(open_playlist_store(args.db, !args.no_defaults));
        stored = store->analyses();
        const auto examples = listener_examples(store->history(SIZE_MAX), store->feedback(SIZE_MAX));
        model = ListenerModel(stored, examples);
    }
    std::map<std::string, const StoredAnalysis*> by_path;
    for (const StoredAnalysis& s : stored) by_path.emplace(s.file.path, &s);
    std::vector<bool> skip(files.size(), false);
    std::vector<std::optional<ScannedFile>> stamps(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        stamps[i] = file_stamp(files[i]);
        auto it = by_path.find(files[i]);
        skip[i] = stamps[i] && it != by_path.end() && it->second->file.size == stamps[i]->size &&
                  it->second->file.mtime_ns == stamps[i]->mtime_ns;
    }

    SongAnalysisOptions options;
    options.segments = !args.no_segments;
    ScanPrinter printer(args.format);
    printer.begin();
    ProgressBar bar("scan");
    std::size_t scanned = 0, unchanged = 0;
    catch_stop_signals({SIGINT, SIGTERM, SIGHUP}, on_scan_interrupt);
    auto work = [&](std::size_t /*worker*/, std::size_t i) {
        if (g_scan_stop.load()) return Outcome(PassedOver{});
        return skip[i] ? Outcome(Unchanged{}) : scan_one(files[i], options);
    };
    std::size_t done = 0;
    parallel_in_order(files.size(), args.jobs, work, [&](std::size_t i, Outcome& o) {
        if (std::holds_alternative<PassedOver>(o)) return;
        bar.update(++done, files.size());
        if (auto* error = std::get_if<std::string>(&o)) {
            bar.finish();
            tell("dangpli: {}\n", one_line(*error));
            ++failed;
            return;
        }
        if (std::holds_alternative<Unchanged>(o)) {
            const StoredAnalysis& s = *by_path.at(files[i]);
            auto song = store->song(s.song_id);
            bar.finish();
            printer.song(files[i], song ? *song : Song{}, s.analysis, model.tags(s.analysis.features), true);
            ++unchanged;
            return;
        }
        auto& s = std::get<Scanned>(o);
        const std::vector<EmotionWeight> tags = model.tags(s.analysis.features);
        if (!stamps[i]) stamps[i] = ScannedFile{files[i], 0, 0};
        try {
            check_song(s.song);  // a dry run refuses what the store would (a name that is not UTF-8)
            if (store) {
                const std::int64_t id = store->save_analysis(s.song, *stamps[i], s.analysis, tags, s.album);
                if (auto saved = store->song(id)) s.song = *saved;  // a second "Intro" is stored as "Intro (album)"
            }
        } catch (const InputError& e) {
            bar.finish();
            tell("dangpli: {}\n", one_line(fmt::format("{}: {}", files[i], e.what())));
            ++failed;
            return;
        }
        bar.finish();
        printer.song(files[i], s.song, s.analysis, tags, false);
        ++scanned;
    });
    bar.finish();
    printer.end();
    std::size_t moved = 0;
    if (store) {
        // The listener's feedback moves the tags of every analysed song, not only this run's.
        const auto all = store->analyses();
        moved = store->replace_auto_tags(auto_tags(all, model));
        tell_songs_gone(args.paths, all);
    }
    if (g_scan_stop.load()) {
        tell("dangpli playlist scan: interrupted: {} of {} files done{}\n", done, files.size(),
             args.dry_run ? "" : ", and stored");
        return kInterrupted;
    }
    // "unchanged" counts files; the tags of an unchanged file's song may still move: said apart.
    if (args.format == "table")
        tell("{} scanned, {} unchanged, {} failed{}{}\n", scanned, unchanged, failed,
             moved > 0 ? fmt::format("; automatic tags moved on {} song(s)", moved) : "",
             args.dry_run ? " (dry run: nothing stored)" : "");
    if (failed > 0) return kSomeInputsFailed;
    return kOk;
}

}  // namespace

void add_playlist_scan_command(CLI::App* playlist, CommandRunner& run) {
    auto args = std::make_shared<ScanArgs>();
    auto* scan = playlist->add_subcommand("scan", "Tag song files by their sound (arousal, valence) as automatic tags");
    scan->add_option("PATH", args->paths, "Song files, or folders searched for them (mp3, ogg, opus, flac, wav, m4a, ...)")
        ->required();
    scan->add_option("--db", args->db, "The playlist database (default: the XDG data dir)")->check(non_empty_path());
    scan->add_flag("--no-defaults", args->no_defaults, "Do not import the default playlists into a new store");
    scan->add_option("--format", args->format, "table, json or jsonl")->transform(CLI::IsMember({"table", "json", "jsonl"}, CLI::ignore_case));
    scan->add_flag("--dry-run", args->dry_run, "Analyse and print, but neither open nor change the store");
    scan->add_flag("--no-segments", args->no_segments, "Measure each song as a whole, without structural segments");
    scan->add_option("--jobs,-j", args->jobs, "Songs analysed in parallel (default: the CPUs this process may run on)")
        ->check(in_range(NumberRange::at_least(1)));
    scan->footer("A song already in the store under this path, title and artist is updated; other files are added.\n"
                 "A second file with one title and artist (\"Intro\" on two albums) is stored as \"Intro (album)\".\n"
                 "An unchanged file (same size and modification time) is not analysed again.");
    // `dangpli playlist --db X scan ...`: the store named before the subcommand counts too.
    scan->callback([&run, args, playlist] {
        if (args->db.empty()) args->db = playlist->get_option("--db")->as<std::string>();
        if (playlist->get_option("--no-defaults")->count() > 0) args->no_defaults = true;
        run = [args] { return run_scan(*args); };
    });
}

}  // namespace dangpli::cli
