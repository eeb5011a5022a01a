// `dangpli playlist`: the song store behind the recommendations (import, list, add, remove, tag,
// export, history, stats; scan is in playlist_scan.cpp). Every subcommand takes --db PATH; the store defaults to the XDG data dir.
#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "dangpli/error.hpp"
#include "dangpli/output_file.hpp"
#include "dangpli/playlist_io.hpp"
#include "dangpli/playlist_store.hpp"
#include "exit_codes.hpp"
#include "nearest_word.hpp"
#include "number_checks.hpp"
#include "output_paths.hpp"
#include "path_option.hpp"
#include "playlist_open.hpp"
#include "playlist_output.hpp"
#include "playlist_scan.hpp"
#include "stderr_line.hpp"

namespace fs = std::filesystem;

namespace dangpli::cli {
namespace {

struct PlaylistArgs {
    std::string db;
    bool no_defaults = false;
    std::string file;
    std::string emotion;
    std::vector<std::string> emotions;
    std::string format;
    std::string output;
    std::string title, artist, uri, duration;
    std::optional<double> tag_weight;  // add's and tag's --weight: without it, a tag the song has keeps its weight
    bool untag = false;
    std::vector<std::string> songs;
    std::string song;
    std::size_t limit = 20;
};

const CLI::Validator kEmotionName(
    [](std::string& s) {
        if (parse_emotion(s)) return std::string{};
        std::vector<std::string> names;
        for (Emotion e : kAllEmotions) names.emplace_back(to_string(e));
        return fmt::format("unknown emotion '{}'; {}one of {}", s, did_you_mean(s, names), fmt::join(names, ", "));
    },
    "angry|disgust|fear|happy|sad|surprise|neutral");

// A bad length is a usage error (exit 2), found before the store is opened.
const CLI::Validator kSongDuration(
    [](std::string& s) {
        return parse_song_duration(s) ? std::string{} : "'" + s + "' is not a length (seconds >= 0, or m:ss)";
    },
    "SECONDS|M:SS");

std::optional<Emotion> emotion_of(const std::string& name) {
    return name.empty() ? std::nullopt : parse_emotion(name);
}

ListingFormat output_format(const std::string& name) {
    if (name == "json") return ListingFormat::Json;
    if (name == "csv") return ListingFormat::Csv;
    return ListingFormat::Table;
}

PlaylistStore open(const PlaylistArgs& a, StoreUse use = StoreUse::ReadWrite) {
    return open_playlist_store(a.db, !a.no_defaults, use);
}

// A user's reference to one song: an id, a title, or "artist - title".
Song resolve(const PlaylistStore& store, const std::string& reference) {
    auto found = store.find_songs(reference);
    if (found.empty())
        throw InputError(fmt::format("no song matches '{}' (see `dangpli playlist list`; an id works too)", reference));
    if (found.size() > 1) {
        std::string which;
        for (const Song& s : found) which += fmt::format("{}{} ({})", which.empty() ? "" : ", ", s.id, display_name(s));
        throw InputError(fmt::format("'{}' matches {} songs: {}; use id:N for one of them", reference, found.size(), which));
    }
    return found.front();
}

int run_import(const PlaylistArgs& a) {
    std::optional<PlaylistFormat> format;
    if (!a.format.empty()) format = parse_playlist_format(a.format);
    // Read and check the whole file before the store is touched; the import is then one transaction.
    auto entries = read_playlist(a.file, format, emotion_of(a.emotion));
    PlaylistStore store = open(a);
    ImportSummary s = store.import_entries(entries);
    fmt::print("imported {} entries from {}: {} new songs, {} new tags, {} songs and {} tags changed\n", s.entries, a.file,
               s.songs_added, s.tags_added, s.songs_changed, s.tags_changed);
    return kOk;
}

int run_list(const PlaylistArgs& a) {
    PlaylistStore store = open(a, StoreUse::ReadOnly);
    auto songs = store.songs(emotion_of(a.emotion));
    print_songs(stdout, songs, output_format(a.format));
    return kOk;
}

int run_add(const PlaylistArgs& a) {
    Song song;
    song.title = a.title;
    song.artist = a.artist;
    // A relative file path is made absolute, as import makes a playlist's: live may run elsewhere.
    try {
        song.uri = resolve_song_uri(a.uri, fs::current_path());
    } catch (const InputError& e) {
        throw UsageError(fmt::format("playlist add: --uri {}", e.what()));
    }
    if (!a.duration.empty()) {
        song.duration = parse_song_duration(a.duration);
        if (!song.duration) throw UsageError(fmt::format("bad --duration '{}' (seconds, or m:ss)", a.duration));
    }
    for (const auto& name : a.emotions) song.tags.push_back({*parse_emotion(name), a.tag_weight.value_or(1.0), TagSource::Feedback});
    try {  // before the store opens: a refused song creates no store
        check_song(song);
    } catch (const InputError& e) {  // every field came from the command line: a bad value
        throw UsageError(fmt::format("playlist add: {}", e.what()));
    }
    PlaylistStore store = open(a);
    // A --weight given is the user's word for the song's tags; without one, a tag it has keeps its weight.
    const PlaylistStore::Added added =
        store.add_song(song, a.tag_weight ? PlaylistStore::ExistingTag::Replace : PlaylistStore::ExistingTag::KeepWeight);
    auto stored = store.song(added.id);
    fmt::print("{} {}: {}\n", added.created ? "added" : "updated", added.id, stored ? display_name(*stored) : song.title);
    // Kept (a music drive not mounted now), but said: a typo was found only when live skipped the song.
    std::error_code ec;
    if (song.uri && song.uri->starts_with('/') && !fs::exists(*song.uri, ec) && !ec)
        tell("dangpli: note: {} does not exist (yet?); live skips the song until it does\n", one_line(*song.uri));
    return kOk;
}

int run_remove(const PlaylistArgs& a) {
    PlaylistStore store = open(a);
    std::vector<Song> doomed;
    for (const auto& ref : a.songs) doomed.push_back(resolve(store, ref));  // all found before any is removed
    for (const Song& s : doomed)
        if (store.remove_song(s.id)) fmt::print("removed {}: {}\n", s.id, display_name(s));
    return kOk;
}

int run_tag(const PlaylistArgs& a) {
    PlaylistStore store = open(a);
    Song s = resolve(store, a.song);
    Emotion e = *parse_emotion(a.emotion);
    if (a.untag) {
        bool had = store.remove_tag(s.id, e);
        fmt::print("{} {}: {}\n", had ? "untagged" : "was not tagged", display_name(s), to_string(e));
    } else {
        double weight = a.tag_weight.value_or(1.0);
        if (!a.tag_weight)  // re-confirming a tag does not undo the weight the user gave it
            for (const SongTag& t : s.tags)
                if (t.emotion == e) weight = t.weight;
        store.set_tag(s.id, e, weight, TagSource::Feedback);
        fmt::print("tagged {}: {} (weight {})\n", display_name(s), to_string(e), weight);
    }
    return kOk;
}

int run_export(const PlaylistArgs& a) {
    std::optional<PlaylistFormat> format;
    if (!a.format.empty()) format = parse_playlist_format(a.format);
    else if (!a.output.empty()) format = playlist_format_of(a.output);
    const bool to_stdout = a.output.empty() || a.output == "-";
    if (!to_stdout) {
        // The store is more than its file while it is open: SQLite keeps a journal or WAL beside it.
        const fs::path db = a.db.empty() ? default_store_path() : fs::path(a.db);
        auto inputs = store_files(db);
        for (auto& file : playlists_read_on_open(db, !a.no_defaults)) inputs.push_back({"the default playlist", std::move(file)});
        refuse_outputs_over_inputs({{"--output", a.output}}, inputs);
    }
    PlaylistStore store = open(a, StoreUse::ReadOnly);
    auto songs = store.songs(emotion_of(a.emotion));
    std::string text = format_playlist(songs, format.value_or(PlaylistFormat::Csv), emotion_of(a.emotion));
    if (to_stdout) fmt::print("{}", text);
    else write_output_file(a.output, text);
    // Every format lists songs by emotion: a song whose last tag was removed has no row to go in.
    const auto untagged = std::count_if(songs.begin(), songs.end(), [](const Song& s) { return s.tags.empty(); });
    if (untagged > 0)
        tell("dangpli: {} song{} without an emotion not written (every format lists songs by emotion; "
             "tag {} to keep {})\n",
             untagged, untagged == 1 ? "" : "s", untagged == 1 ? "it" : "them", untagged == 1 ? "it" : "them");
    return kOk;
}

int run_history(const PlaylistArgs& a) {
    PlaylistStore store = open(a, StoreUse::ReadOnly);
    auto plays = store.history(a.limit);
    print_history(stdout, plays, output_format(a.format));
    return kOk;
}

int run_stats(const PlaylistArgs& a) {
    PlaylistStore store = open(a, StoreUse::ReadOnly);
    print_counts(stdout, store.counts(), output_format(a.format));
    return kOk;
}

}  // namespace

void add_playlist_command(CLI::App& app, CommandRunner& run) {
    auto args = std::make_shared<PlaylistArgs>();
    auto* playlist = app.add_subcommand("playlist", "Songs tagged with emotions: import, list, add, remove, tag, export, history, stats, scan");
    playlist->require_subcommand(1);
    playlist->footer("The store is one SQLite file: $XDG_DATA_HOME/dangpli/playlists.db (or ~/.local/share/...).\n"
                     "A new store first imports the default playlists (the installation's share/dangpli/playlists,\n"
                     "data/playlists in a build tree, or $DANGPLI_DATA_DIR/playlists).");

    auto common = [&](CLI::App* sub) {
        sub->add_option("--db", args->db, "The playlist database (default: the XDG data dir)")
            ->check(non_empty_path());
        sub->add_flag("--no-defaults", args->no_defaults, "Do not import the default playlists into a new store");
    };
    common(playlist);
    auto on_run = [&run, args](CLI::App* sub, int (*fn)(const PlaylistArgs&)) {
        sub->callback([&run, args, fn] { run = [args, fn] { return fn(*args); }; });
    };
    const std::string formats = "csv|yaml|m3u";

    auto* import = playlist->add_subcommand("import", "Import a playlist file (CSV, YAML or M3U), all rows or none");
    import->add_option("FILE", args->file, "CSV title,artist,emotion[,uri,duration,weight,source]; YAML {emotion: [{title, artist, uri, duration, weight, source}]}; M3U")
        ->required();
    import->add_option("--format", args->format, "File format (default: from the extension)")
        ->transform(CLI::IsMember({"csv", "yaml", "yml", "m3u", "m3u8"}, CLI::ignore_case));
    import->add_option("--emotion", args->emotion, "Emotion for rows that name none (M3U without #EXTGRP)")->check(kEmotionName);
    common(import);
    on_run(import, run_import);

    auto* list = playlist->add_subcommand("list", "List the songs, with their emotions");
    list->add_option("--emotion", args->emotion, "Only songs tagged with this emotion")->check(kEmotionName);
    list->add_option("--format", args->format, "table, json or csv")->transform(CLI::IsMember({"table", "json", "csv"}, CLI::ignore_case));
    common(list);
    on_run(list, run_list);

    auto* add = playlist->add_subcommand("add", "Add a song (or more emotions to a song already there)");
    add->add_option("TITLE", args->title, "Song title")->required();
    add->add_option("--artist", args->artist, "Artist");
    add->add_option("--uri", args->uri, "Local file or URL (default: played by search)");
    add->add_option("--duration", args->duration, "Length: seconds or m:ss")->check(kSongDuration);
    add->add_option("--emotion", args->emotions, "Emotion the song fits (repeat for more)")->required()->check(kEmotionName);
    add->add_option("--weight", args->tag_weight, "Relative chance among the songs of an emotion (default 1; given, it replaces the weight of a tag the song already has)")
        ->check(in_range(NumberRange::positive()));
    common(add);
    on_run(add, run_add);

    auto* remove = playlist->add_subcommand("remove", "Remove songs, with their tags and plays");
    remove->add_option("SONG", args->songs, "Song id, title, or \"artist - title\"")->required();
    common(remove);
    on_run(remove, run_remove);

    auto* tag = playlist->add_subcommand("tag", "Tag a song with an emotion (or --remove the tag)");
    tag->add_option("SONG", args->song, "Song id, title, or \"artist - title\"")->required();
    tag->add_option("EMOTION", args->emotion, "Emotion")->required()->check(kEmotionName);
    auto* tag_weight = tag->add_option("--weight", args->tag_weight,
                                       "Relative chance among the songs of the emotion (default: the tag's own, else 1)")
                           ->check(in_range(NumberRange::positive()));
    tag->add_flag("--remove", args->untag, "Remove the tag instead")->excludes(tag_weight);
    common(tag);
    on_run(tag, run_tag);

    auto* exp = playlist->add_subcommand("export", "Write the songs as CSV, YAML or M3U (M3U plays in mpv, VLC, ...)");
    exp->add_option("--emotion", args->emotion, "Only songs tagged with this emotion")->check(kEmotionName);
    exp->add_option("--format", args->format, formats + " (default: from -o's extension, else csv)")
        ->transform(CLI::IsMember({"csv", "yaml", "yml", "m3u", "m3u8"}, CLI::ignore_case));
    exp->add_option("-o,--output", args->output, "Write to this file (whole or not at all) instead of stdout")
        ->check(non_empty_path());
    common(exp);
    on_run(exp, run_export);

    auto* history = playlist->add_subcommand("history", "What was played, newest first");
    history->add_option("-n,--limit", args->limit, "How many plays (default 20)")
        ->check(in_range(NumberRange::at_least(1)));
    history->add_option("--format", args->format, "table, json or csv")->transform(CLI::IsMember({"table", "json", "csv"}, CLI::ignore_case));
    common(history);
    on_run(history, run_history);

    auto* stats = playlist->add_subcommand("stats", "How many songs per emotion, plays and feedback");
    stats->add_option("--format", args->format, "table or json")->transform(CLI::IsMember({"table", "json"}, CLI::ignore_case));
    common(stats);
    on_run(stats, run_stats);

    add_playlist_scan_command(playlist, run);
    // `playlist --db A stats --db B` named two stores, and the second won in silence.
    playlist->callback([playlist] {
        for (const auto* sub : playlist->get_subcommands())
            if (playlist->count("--db") > 0 && sub->count("--db") > 0)
                throw CLI::ValidationError(fmt::format("--db is given before and after '{}': name one store", sub->get_name()));
    });
}

}  // namespace dangpli::cli
