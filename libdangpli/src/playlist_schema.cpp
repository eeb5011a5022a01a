// The schema of the playlist store, as an ordered list of migrations: migration i takes a store
// from user_version i to i + 1. Never edit a released step; add a new one.
#include "playlist_schema.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include <array>
#include <string>
#include <string_view>
#include <system_error>

#include "dangpli/error.hpp"
#include "dangpli/playlist_store.hpp"

namespace dangpli::detail {
namespace {

// v1: songs, their emotion tags, plays, and a key/value table for one-time imports.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE songs (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL COLLATE NOCASE CHECK (length(title) > 0),
    artist      TEXT NOT NULL COLLATE NOCASE DEFAULT '',
    uri         TEXT,
    duration_ms INTEGER CHECK (duration_ms IS NULL OR duration_ms >= 0),
    added_at    INTEGER NOT NULL,
    UNIQUE (title, artist)
);
CREATE TABLE song_tags (
    song_id INTEGER NOT NULL REFERENCES songs(id) ON DELETE CASCADE,
    emotion TEXT NOT NULL CHECK (emotion IN ('angry','disgust','fear','happy','sad','surprise','neutral')),
    weight  REAL NOT NULL DEFAULT 1.0 CHECK (weight > 0),
    source  TEXT NOT NULL CHECK (source IN ('imported','feedback','auto')),
    PRIMARY KEY (song_id, emotion)
) WITHOUT ROWID;
CREATE TABLE plays (
    id        INTEGER PRIMARY KEY,
    played_at INTEGER NOT NULL,
    song_id   INTEGER NOT NULL REFERENCES songs(id) ON DELETE CASCADE,
    mood      TEXT CHECK (mood IN ('angry','disgust','fear','happy','sad','surprise','neutral')),
    outcome   TEXT NOT NULL CHECK (outcome IN ('finished','skipped','switched'))
);
CREATE INDEX plays_by_song ON plays(song_id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
)sql";

// v2: what users told us (the seed's UserSong table), and indexes for the recommender's queries.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE feedback (
    id       INTEGER PRIMARY KEY,
    given_at INTEGER NOT NULL,
    feeling  TEXT NOT NULL CHECK (feeling IN ('angry','disgust','fear','happy','sad','surprise','neutral')),
    song_id  INTEGER REFERENCES songs(id) ON DELETE SET NULL,
    request  TEXT NOT NULL
);
CREATE INDEX feedback_by_song ON feedback(song_id);
CREATE INDEX plays_by_time ON plays(played_at);
CREATE INDEX tags_by_emotion ON song_tags(emotion);
)sql";

constexpr std::array<std::string_view, 2> kMigrations{kV1, kV2};
static_assert(kMigrations.size() == PlaylistStore::kSchemaVersion);

[[noreturn]] void refuse(const std::filesystem::path& path, std::string_view why) {
    throw StoreError(fmt::format("{}: {}", path.string(), why));
}

// Reads only: a file we refuse must stay byte for byte as it was.
void check_is_store(SQLite::Database& db, const std::filesystem::path& path) {
    const int version = db.execAndGet("PRAGMA user_version").getInt();
    const int app = db.execAndGet("PRAGMA application_id").getInt();
    const int objects = db.execAndGet("SELECT count(*) FROM sqlite_master").getInt();
    if (app != kStoreApplicationId && (app != 0 || version != 0 || objects != 0))
        refuse(path, "an SQLite database of another program, not a dangpli playlist store (left untouched)");
    if (version > PlaylistStore::kSchemaVersion)
        refuse(path, fmt::format("made by a newer dangpli (schema version {}, this build knows up to {})", version,
                                 PlaylistStore::kSchemaVersion));
}

void enable_wal(SQLite::Database& db) {
    if (db.execAndGet("PRAGMA journal_mode").getString() == "wal") return;
    // Some file systems (no shared memory) refuse WAL; the store then works in rollback mode.
    (void)db.execAndGet("PRAGMA journal_mode = WAL");
}

void migrate(SQLite::Database& db) {
    if (db.execAndGet("PRAGMA user_version").getInt() == PlaylistStore::kSchemaVersion) return;
    // IMMEDIATE: a second process opening the same new file waits here, then sees it migrated.
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    int version = db.execAndGet("PRAGMA user_version").getInt();
    for (auto step = static_cast<std::size_t>(version); step < kMigrations.size(); ++step)
        db.exec(std::string(kMigrations[step]));
    // PRAGMA takes no bound parameters; both values are our own constants.
    db.exec(fmt::format("PRAGMA application_id = {}", kStoreApplicationId));
    db.exec(fmt::format("PRAGMA user_version = {}", PlaylistStore::kSchemaVersion));
    tx.commit();
}

}  // namespace

SQLite::Database open_store_database(const std::filesystem::path& path, std::chrono::milliseconds busy_timeout) {
    std::error_code ec;
    if (path.has_parent_path() && !std::filesystem::exists(path.parent_path(), ec)) {
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) refuse(path, fmt::format("cannot create its folder ({})", ec.message()));
    }
    try {
        SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, static_cast<int>(busy_timeout.count()));
        check_is_store(db, path);
        db.exec("PRAGMA foreign_keys = ON");
        enable_wal(db);
        migrate(db);
        return db;
    } catch (const SQLite::Exception& e) {
        refuse(path, e.what());
    }
}

}  // namespace dangpli::detail
