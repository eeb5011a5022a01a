#include "playlist_open.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <system_error>
#include <vector>

#include "dangpli/data_dirs.hpp"
#include "dangpli/error.hpp"
#include "dangpli/playlist_io.hpp"
#include "stderr_line.hpp"

namespace dangpli::cli {

std::optional<std::filesystem::path> default_playlists_dir() {
    std::error_code ec;
    if (const char* env = std::getenv("DANGPLI_DATA_DIR"); env && *env) {
        auto dir = std::filesystem::path(env) / "playlists";
        if (std::filesystem::is_directory(dir, ec)) return dir;
        return std::nullopt;
    }
    std::vector<std::filesystem::path> candidates;
    if (auto installed = installed_data_dir()) candidates.push_back(*installed / "playlists");
    candidates.push_back(std::filesystem::path(DANGPLI_SOURCE_DIR) / "data" / "playlists");
    for (const auto& dir : candidates)
        if (std::filesystem::is_directory(dir, ec)) return dir;
    return std::nullopt;
}

namespace {

// The default playlists in `dir`, sorted: its files in a playlist format.
std::vector<std::filesystem::path> default_playlist_files(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.is_regular_file() && playlist_format_of(entry.path())) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

// The store's note that it took the defaults, the same for every version of them: a store takes
// them once, and what the user removed afterwards stays removed.
constexpr std::string_view kDefaultsMarker = "default-playlists";

// How the commands open a store: a wait past a second for another program's transaction is said,
// once per wait (it was 10 s of silence, 20 for a reader, before the error).
PlaylistStore::Options store_options(const std::filesystem::path& path, bool read_only) {
    PlaylistStore::Options options;
    options.read_only = read_only;
    options.on_long_wait = [shown = path.string(), seconds = options.busy_timeout.count() / 1000] {
        tell("dangpli: {}: another program is writing the store; waiting for it (up to {} s)\n", shown, seconds);
    };
    return options;
}

// The store as it is, for a reader that cannot write it; the writable open's error when it is
// not readable either (that error says what is wrong with the file).
std::optional<PlaylistStore> open_for_reading(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    try {
        return PlaylistStore(path, store_options(path, true));
    } catch (const StoreError&) {
        return std::nullopt;
    }
}

// The store at `path`, made with the default playlists (once) where it is new.
PlaylistStore open_for_writing(const std::filesystem::path& path, bool import_defaults) {
    PlaylistStore store(path, store_options(path, false));
    if (store.was_imported(kDefaultsMarker)) return store;
    if (!import_defaults) {  // declined for good: a store made without the defaults never takes them later
        store.import_once(kDefaultsMarker, {});
        return store;
    }
    auto dir = default_playlists_dir();
    if (!dir) {
        if (const char* env = std::getenv("DANGPLI_DATA_DIR"); env && *env)
            tell("dangpli: default playlists not found: DANGPLI_DATA_DIR names {}, which holds no "
                 "playlists folder; the store starts empty\n", env);
        else
            tell("dangpli: default playlists not found (set DANGPLI_DATA_DIR); the store starts empty\n");
        return store;
    }
    std::vector<PlaylistEntry> entries;
    for (const auto& file : default_playlist_files(*dir)) {
        auto more = read_playlist(file);
        entries.insert(entries.end(), more.begin(), more.end());
    }
    const auto songs_before = store.counts().songs;
    if (store.import_once(kDefaultsMarker, entries))
        tell("dangpli: new playlist store {}: imported {} default songs from {}\n", store.path().string(),
             store.counts().songs - songs_before, dir->string());
    return store;
}

}  // namespace

PlaylistStore open_playlist_store(const std::filesystem::path& db, bool import_defaults, StoreUse use) {
    const std::filesystem::path path = db.empty() ? default_store_path() : db;
    // No folders are made for a store the user named: a typo in a folder would otherwise get folders
    // and a store of its own, and the songs added would seem lost. A new store in an existing folder,
    // or the default store (its folders made on first use), is made as on any first use.
    if (!db.empty() && db.filename().empty())
        throw StoreError(fmt::format("{}: names a folder (it ends with '/'); --db names the store's file, e.g. "
                                     "{}playlists.db", db.string(), db.string()));
    std::error_code ec;
    const auto folder = std::filesystem::path(db).parent_path();
    if (!db.empty() && !folder.empty() && !std::filesystem::exists(folder, ec))
        throw StoreError(fmt::format("{}: no folder {} (create it first; dangpli makes folders only for its default "
                                     "store)", db.string(), folder.string()));
    if (use == StoreUse::ReadWrite) return open_for_writing(path, import_defaults);
    try {  // a reader takes the store as it is where it cannot be written
        return open_for_writing(path, import_defaults);
    } catch (const StoreError&) {
        if (auto store = open_for_reading(path)) return std::move(*store);
        throw;
    }
}

std::vector<std::filesystem::path> playlists_read_on_open(const std::filesystem::path& db, bool import_defaults) {
    if (!import_defaults) return {};
    const auto dir = default_playlists_dir();
    if (!dir) return {};
    const auto files = default_playlist_files(*dir);
    std::error_code ec;
    const std::filesystem::path path = db.empty() ? default_store_path() : db;
    if (!std::filesystem::exists(path, ec)) return files;
    try {
        if (PlaylistStore(path, store_options(path, true)).was_imported(kDefaultsMarker)) return {};
    } catch (const StoreError&) {  // opening it for the run will say what is wrong with it
    }
    return files;
}

}  // namespace dangpli::cli
