#pragma once
// Private: the state behind PlaylistStore and the row <-> value helpers its two sources share
// (playlist_store.cpp: songs and tags; playlist_store_log.cpp: plays, feedback, queries;
// playlist_store_rows.cpp: these helpers).

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "dangpli/error.hpp"
#include "dangpli/playlist_store.hpp"
#include "playlist_schema.hpp"

namespace dangpli {

struct PlaylistStore::Impl {
    std::filesystem::path path;
    std::unique_ptr<detail::BusyWait> busy;  // the connection's busy handler points here: before db, outlives it
    SQLite::Database db;

    /// Runs `fn`, turning SQLite's exceptions into a StoreError that names the file.
    template <typename Fn>
    auto guard(Fn&& fn) const -> decltype(fn()) {
        try {
            return fn();
        } catch (const SQLite::Exception& e) {
            fail(e);
        }
    }
    [[noreturn]] void fail(const SQLite::Exception& e) const;

    /// A song's tags, in emotion order (statement prepared by the caller, reused per song).
    std::vector<SongTag> tags_of(SQLite::Statement& tag_query, std::int64_t song_id) const;
    bool has_song(std::int64_t id) const;
};

namespace detail {

/// What is wrong with a song's title and artist (bad UTF-8, empty title, control characters), or "".
std::string song_text_problem(std::string_view title, std::string_view artist);
/// "bad weight W (a number above 0)" for a tag weight that is not a finite number > 0, else "".
std::string weight_problem(double weight);
/// What is wrong with a song's uri (bad UTF-8, a control character), or "": every listing and
/// export writes it as UTF-8 text, one line.
std::string uri_problem(const std::optional<std::string>& uri);

inline std::int64_t to_millis(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline Clock::time_point from_millis(std::int64_t ms) {
    return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(ms)));
}
inline std::int64_t to_limit(std::size_t n) {
    constexpr auto max = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::int64_t>(n < max ? n : max);
}

/// Columns id, title, artist, uri, duration_ms starting at `first`.
Song read_song(SQLite::Statement& q, int first = 0);
Emotion read_emotion(const SQLite::Column& c);

/// Prepared statements for adding songs and tags inside one transaction.
class SongWriter {
public:
    explicit SongWriter(SQLite::Database& db);
    /// What upsert() and merge_tag() did to the row.
    enum class Change { kAdded, kChanged, kUnchanged };
    struct SongRow {
        std::int64_t id = 0;
        Change change = Change::kUnchanged;
    };
    /// The song's id and whether it is new or changed. A given uri or duration replaces the stored one.
    SongRow upsert(const std::string& title, const std::string& artist, const std::optional<std::string>& uri,
                   std::optional<std::chrono::milliseconds> duration);
    /// Adds the tag; a tag already there is treated as `existing` says (import's default: its
    /// weight raised to `weight`, an automatic tag made `source`'s).
    Change merge_tag(std::int64_t song_id, Emotion emotion, double weight, TagSource source,
                     PlaylistStore::ExistingTag existing = PlaylistStore::ExistingTag::KeepLarger);

private:
    SQLite::Database& db_;
    SQLite::Statement find_, insert_, update_, tag_insert_, tag_raise_, tag_replace_;
};

}  // namespace detail
}  // namespace dangpli
