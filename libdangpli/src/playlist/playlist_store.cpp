// PlaylistStore: opening, songs and tags. Plays, feedback and the recommender's queries are in
// playlist_store_log.cpp.
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <unordered_map>
#include <utility>

#include "playlist_schema.hpp"
#include "playlist_store_impl.hpp"
#include "playlist_text.hpp"

namespace dangpli {

using detail::to_millis;

std::filesystem::path default_store_path() {
    // XDG: a relative XDG_DATA_HOME is invalid and must be ignored.
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg && std::filesystem::path(xdg).is_absolute())
        return std::filesystem::path(xdg) / "dangpli" / "playlists.db";
    if (const char* home = std::getenv("HOME"); home && *home) {
        // A service user's HOME (/nonexistent on Debian) or a relative one would get a made-up tree
        // of folders, or one store per working folder.
        const std::filesystem::path folder(home);
        std::error_code ec;
        if (!folder.is_absolute() || !std::filesystem::is_directory(folder, ec))
            throw StoreError(fmt::format("no place for the playlist store: HOME ({}) is {} and XDG_DATA_HOME is not set "
                                         "(pass --db PATH)", home, folder.is_absolute() ? "no folder" : "not absolute"));
        return folder / ".local" / "share" / "dangpli" / "playlists.db";
    }
    throw StoreError("no place for the playlist store: neither XDG_DATA_HOME nor HOME is set (pass --db PATH)");
}

void PlaylistStore::Impl::fail(const SQLite::Exception& e) const {
    const auto message = fmt::format("{}: {}", path.string(), detail::store_failure_text(e));
    if (detail::held_by_another_program(e)) throw StoreBusyError(message);
    if (detail::out_of_room(e)) throw StoreFullError(message + " (is its disk full?)");
    throw StoreError(message);
}

std::vector<SongTag> PlaylistStore::Impl::tags_of(SQLite::Statement& q, std::int64_t song_id) const {
    q.reset();
    q.bind(1, song_id);
    std::vector<SongTag> tags;
    while (q.executeStep()) {
        auto source = parse_tag_source(q.getColumn(2).getString());
        tags.push_back({detail::read_emotion(q.getColumn(0)), q.getColumn(1).getDouble(),
                        source.value_or(TagSource::Imported)});
    }
    std::sort(tags.begin(), tags.end(), [](const SongTag& a, const SongTag& b) { return a.emotion < b.emotion; });
    return tags;
}

bool PlaylistStore::Impl::has_song(std::int64_t id) const {
    SQLite::Statement q(db, "SELECT 1 FROM songs WHERE id = ?1");
    q.bind(1, id);
    return q.executeStep();
}


namespace {

bool has_control_char(std::string_view s) { return detail::first_control_char(s).has_value(); }

}  // namespace

// The store checks itself: a program may skip the readers.
std::string detail::song_text_problem(std::string_view title, std::string_view artist) {
    try {
        detail::check_utf8(title, "title");
        detail::check_utf8(artist, "artist");
    } catch (const DataError&) {
        return "title or artist is not valid UTF-8";
    }
    if (detail::trim(title).empty()) return "missing title";
    if (has_control_char(title) || has_control_char(artist))
        return "title or artist holds a control character (a line break?)";
    if (title.size() > kLongestSongName || artist.size() > kLongestSongName)
        return fmt::format("title or artist longer than {} bytes", kLongestSongName);
    return {};
}

std::string detail::uri_problem(const std::optional<std::string>& uri) {
    if (!uri) return {};
    try {
        detail::check_utf8(*uri, "uri");
    } catch (const DataError&) {
        return "the uri is not valid UTF-8 (a file name in another encoding? rename the file)";
    }
    if (has_control_char(*uri)) return "the uri holds a control character (a line break?)";
    return {};
}

void check_song(const Song& song) {
    if (auto problem = detail::song_text_problem(song.title, song.artist); !problem.empty()) throw InputError(problem);
    if (auto problem = detail::uri_problem(song.uri); !problem.empty()) throw InputError(problem);
    for (const SongTag& t : song.tags)
        if (auto problem = detail::weight_problem(t.weight); !problem.empty()) throw InputError(problem);
}

std::string detail::weight_problem(double weight) {
    if (std::isfinite(weight) && weight > 0) return {};
    return fmt::format("bad weight {} (a number above 0)", weight);
}

namespace {

void validate(const PlaylistEntry& e, std::size_t index) {
    const std::string file = e.file.empty() ? "<entries>" : e.file;
    const std::size_t line = e.file.empty() ? index + 1 : e.line;
    if (auto problem = detail::song_text_problem(e.title, e.artist); !problem.empty()) detail::fail_at(file, line, problem);
    if (auto problem = detail::uri_problem(e.uri); !problem.empty()) detail::fail_at(file, line, problem);
    if (auto problem = detail::weight_problem(e.weight); !problem.empty()) detail::fail_at(file, line, problem);
}

ImportSummary merge_entries(SQLite::Database& db, std::span<const PlaylistEntry> entries, TagSource source) {
    using Change = detail::SongWriter::Change;
    detail::SongWriter writer(db);
    // Counted by song and by tag, not by row: a song on two rows is one song (new, or else changed).
    std::set<std::int64_t> songs_added, songs_changed;
    std::set<std::pair<std::int64_t, Emotion>> tags_added, tags_changed;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const PlaylistEntry& e = entries[i];
        validate(e, i);
        const auto song = writer.upsert(std::string(detail::trim(e.title)), std::string(detail::trim(e.artist)),
                                        e.uri, e.duration);
        if (song.change == Change::kAdded) songs_added.insert(song.id);
        if (song.change == Change::kChanged) songs_changed.insert(song.id);
        const auto tag = writer.merge_tag(song.id, e.emotion, e.weight, e.source.value_or(source));
        if (tag == Change::kAdded) tags_added.insert({song.id, e.emotion});
        if (tag == Change::kChanged) tags_changed.insert({song.id, e.emotion});
    }
    const auto not_in = [](const auto& changed, const auto& added) {
        return static_cast<std::size_t>(
            std::count_if(changed.begin(), changed.end(), [&](const auto& k) { return !added.contains(k); }));
    };
    return {entries.size(), songs_added.size(), tags_added.size(), not_in(songs_changed, songs_added),
            not_in(tags_changed, tags_added)};
}

}  // namespace

PlaylistStore::PlaylistStore(const std::filesystem::path& path) : PlaylistStore(path, Options{}) {}

PlaylistStore::PlaylistStore(const std::filesystem::path& path, Options options) {
    auto busy = std::make_unique<detail::BusyWait>(detail::BusyWait{options.busy_timeout, std::move(options.on_long_wait)});
    detail::BusyWait& wait = *busy;
    impl_ = std::make_unique<Impl>(Impl{path, std::move(busy), detail::open_store_database(path, wait, options.read_only)});
}

PlaylistStore::~PlaylistStore() = default;
PlaylistStore::PlaylistStore(PlaylistStore&&) noexcept = default;
PlaylistStore& PlaylistStore::operator=(PlaylistStore&&) noexcept = default;

const std::filesystem::path& PlaylistStore::path() const { return impl_->path; }

void PlaylistStore::set_busy_timeout(std::chrono::milliseconds timeout) { impl_->busy->timeout = timeout; }

std::chrono::milliseconds PlaylistStore::busy_timeout() const { return impl_->busy->timeout; }

ImportSummary PlaylistStore::import_entries(std::span<const PlaylistEntry> entries, TagSource source) {
    return impl_->guard([&] {
        SQLite::Transaction tx(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
        ImportSummary summary = merge_entries(impl_->db, entries, source);
        tx.commit();
        return summary;
    });
}

bool PlaylistStore::import_once(std::string_view marker, std::span<const PlaylistEntry> entries) {
    return impl_->guard([&] {
        SQLite::Transaction tx(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
        const std::string key = "imported:" + std::string(marker);
        SQLite::Statement done(impl_->db, "SELECT 1 FROM meta WHERE key = ?1");
        done.bind(1, key);
        if (done.executeStep()) return false;
        merge_entries(impl_->db, entries, TagSource::Imported);
        SQLite::Statement mark(impl_->db, "INSERT INTO meta (key, value) VALUES (?1, ?2)");
        mark.bind(1, key);
        mark.bind(2, std::to_string(to_millis(Clock::now())));
        mark.exec();
        tx.commit();
        return true;
    });
}

bool PlaylistStore::was_imported(std::string_view marker) const {
    return impl_->guard([&] {
        SQLite::Statement q(impl_->db, "SELECT 1 FROM meta WHERE key = ?1");
        q.bind(1, "imported:" + std::string(marker));
        return q.executeStep();
    });
}

PlaylistStore::Added PlaylistStore::add_song(const Song& song, ExistingTag existing) {
    return impl_->guard([&] {
        check_song(song);
        SQLite::Transaction tx(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
        detail::SongWriter writer(impl_->db);
        const auto row = writer.upsert(std::string(detail::trim(song.title)), std::string(detail::trim(song.artist)),
                                       song.uri, song.duration);
        for (const SongTag& t : song.tags) writer.merge_tag(row.id, t.emotion, t.weight, t.source, existing);
        tx.commit();
        return Added{row.id, row.change == detail::SongWriter::Change::kAdded};
    });
}

bool PlaylistStore::remove_song(std::int64_t id) {
    return impl_->guard([&] {
        SQLite::Statement q(impl_->db, "DELETE FROM songs WHERE id = ?1");
        q.bind(1, id);
        return q.exec() > 0;
    });
}

void PlaylistStore::set_tag(std::int64_t song_id, Emotion emotion, double weight, TagSource source) {
    if (auto problem = detail::weight_problem(weight); !problem.empty()) throw InputError(problem);
    impl_->guard([&] {
        SQLite::Transaction tx(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
        if (!impl_->has_song(song_id)) throw StoreError(fmt::format("{}: no song with id {}", path().string(), song_id));
        detail::SongWriter(impl_->db).merge_tag(song_id, emotion, weight, source, ExistingTag::Replace);
        tx.commit();
    });
}

bool PlaylistStore::remove_tag(std::int64_t song_id, Emotion emotion) {
    return impl_->guard([&] {
        SQLite::Statement q(impl_->db, "DELETE FROM song_tags WHERE song_id = ?1 AND emotion = ?2");
        q.bind(1, song_id);
        q.bind(2, std::string(to_string(emotion)));
        return q.exec() > 0;
    });
}

std::optional<Song> PlaylistStore::song(std::int64_t id) const {
    return impl_->guard([&]() -> std::optional<Song> {
        SQLite::Statement q(impl_->db, "SELECT id, title, artist, uri, duration_ms FROM songs WHERE id = ?1");
        q.bind(1, id);
        if (!q.executeStep()) return std::nullopt;
        Song s = detail::read_song(q);
        SQLite::Statement tags(impl_->db, "SELECT emotion, weight, source FROM song_tags WHERE song_id = ?1");
        s.tags = impl_->tags_of(tags, s.id);
        return s;
    });
}

std::vector<Song> PlaylistStore::find_songs(std::string_view reference) const {
    const std::string ref(detail::trim(reference));
    const auto is_number = [](std::string_view s) {
        return !s.empty() && s.size() < 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (ref.starts_with("id:") && is_number(std::string_view(ref).substr(3))) {
        auto s = song(std::stoll(ref.substr(3)));
        return s ? std::vector<Song>{*s} : std::vector<Song>{};
    }
    // A number is an id, and may be a title too ("22", "1999"): both are returned, so that the
    // caller can see the ambiguity rather than act on the id without a word.
    std::vector<Song> found;
    if (is_number(ref))
        if (auto s = song(std::stoll(ref))) found.push_back(*s);
    auto titled = impl_->guard([&] {
        SQLite::Statement q(impl_->db,
                            "SELECT id, title, artist, uri, duration_ms FROM songs "
                            "WHERE title = ?1 OR (artist || ' - ' || title) = ?1 COLLATE NOCASE ORDER BY artist, title");
        q.bind(1, ref);
        SQLite::Statement tags(impl_->db, "SELECT emotion, weight, source FROM song_tags WHERE song_id = ?1");
        std::vector<Song> rows;
        while (q.executeStep()) rows.push_back(detail::read_song(q));
        for (Song& s : rows) s.tags = impl_->tags_of(tags, s.id);
        return rows;
    });
    for (Song& s : titled)
        if (found.empty() || s.id != found.front().id) found.push_back(std::move(s));
    return found;
}

std::vector<Song> PlaylistStore::songs(std::optional<Emotion> emotion) const {
    return impl_->guard([&] {
        SQLite::Statement q(impl_->db,
                            "SELECT id, title, artist, uri, duration_ms FROM songs "
                            "WHERE ?1 IS NULL OR id IN (SELECT song_id FROM song_tags WHERE emotion = ?1) "
                            "ORDER BY artist, title, id");
        if (emotion) q.bind(1, std::string(to_string(*emotion)));
        else q.bind(1);
        std::vector<Song> found;
        std::unordered_map<std::int64_t, std::size_t> index;
        while (q.executeStep()) {
            index.emplace(q.getColumn(0).getInt64(), found.size());
            found.push_back(detail::read_song(q));
        }
        // One pass over all tags rather than one query per song.
        SQLite::Statement tags(impl_->db, "SELECT song_id, emotion, weight, source FROM song_tags");
        while (tags.executeStep()) {
            auto it = index.find(tags.getColumn(0).getInt64());
            if (it == index.end()) continue;
            auto source = parse_tag_source(tags.getColumn(3).getString());
            found[it->second].tags.push_back({detail::read_emotion(tags.getColumn(1)), tags.getColumn(2).getDouble(),
                                              source.value_or(TagSource::Imported)});
        }
        for (Song& s : found)
            std::sort(s.tags.begin(), s.tags.end(), [](const SongTag& a, const SongTag& b) { return a.emotion < b.emotion; });
        return found;
    });
}

}  // namespace dangpli
