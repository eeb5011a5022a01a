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

// The store as it is, for a reader that cannot write it; the writable open's error when it is
// not readable either (that error says what is wrong with the file).
std::optional<PlaylistStore> open_for_reading(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    try {
        return PlaylistStore(path, PlaylistStore::Options{.read_only = true});
    } catch (const StoreError&) {
        return std::nullopt;
    }
}

}  // namespace

PlaylistStore open_playlist_store(const std::filesystem::path& db, bool import_defaults, StoreUse use) {
    const std::filesystem::path path = db.empty() ? default_store_path() : db;
    if (use == StoreUse::ReadOnly) {
        std::error_code ec;
        // A command that only reads makes no folders for a store the user named (a typo in a folder
        // would otherwise get folders and a store of defaults); a new store in an existing folder, or
        // the default store, is made as on any first use.
        const auto folder = std::filesystem::path(db).parent_path();
        if (!db.empty() && !folder.empty() && !std::filesystem::exists(folder, ec))
            throw StoreError(fmt::format("{}: no folder {} (a command that only reads creates none)", db.string(),
                                         folder.string()));
        try {
            return open_playlist_store(path, import_defaults, StoreUse::ReadWrite);
        } catch (const StoreError&) {
            if (auto store = open_for_reading(path)) return std::move(*store);
            throw;
        }
    }
    PlaylistStore store(path);
    constexpr std::string_view kMarker = "default-playlists";
    if (store.was_imported(kMarker)) return store;
    if (!import_defaults) {  // declined for good: a store made without the defaults never takes them later
        store.import_once(kMarker, {});
        return store;
    }
    auto dir = default_playlists_dir();
    if (!dir) {
        if (const char* env = std::getenv("DANGPLI_DATA_DIR"); env && *env)
            fmt::print(stderr, "dangpli: default playlists not found: DANGPLI_DATA_DIR names {}, which holds no "
                               "playlists folder; the store starts empty\n", env);
        else
            fmt::print(stderr, "dangpli: default playlists not found (set DANGPLI_DATA_DIR); the store starts empty\n");
        return store;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(*dir))
        if (entry.is_regular_file() && playlist_format_of(entry.path())) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::vector<PlaylistEntry> entries;
    for (const auto& file : files) {
        auto more = read_playlist(file);
        entries.insert(entries.end(), more.begin(), more.end());
    }
    // The marker is the same for every version of the defaults: a store takes them once, and what
    // the user removed afterwards stays removed.
    const auto songs_before = store.counts().songs;
    if (store.import_once(kMarker, entries))
        fmt::print(stderr, "dangpli: new playlist store {}: imported {} default songs from {}\n", store.path().string(),
                   store.counts().songs - songs_before, dir->string());
    return store;
}

}  // namespace dangpli::cli
