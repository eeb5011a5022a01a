// The schema of the playlist store, as an ordered list of migrations: migration i takes a store
// from user_version i to i + 1. Never edit a released step; add a new one.
#include "playlist_schema.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "dangpli/ascii_text.hpp"
#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"
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

// v3: a play may have failed (the player could not play the song). SQLite cannot change a CHECK
// constraint in place, so the plays table is rebuilt with its rows and indexes.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE plays_v3 (
    id        INTEGER PRIMARY KEY,
    played_at INTEGER NOT NULL,
    song_id   INTEGER NOT NULL REFERENCES songs(id) ON DELETE CASCADE,
    mood      TEXT CHECK (mood IN ('angry','disgust','fear','happy','sad','surprise','neutral')),
    outcome   TEXT NOT NULL CHECK (outcome IN ('finished','skipped','switched','failed'))
);
INSERT INTO plays_v3 (id, played_at, song_id, mood, outcome) SELECT id, played_at, song_id, mood, outcome FROM plays;
DROP TABLE plays;
ALTER TABLE plays_v3 RENAME TO plays;
CREATE INDEX plays_by_song ON plays(song_id);
CREATE INDEX plays_by_time ON plays(played_at);
)sql";

// v4: what `playlist scan` measured in a song file (one row per song; the file's size and mtime
// let a rescan skip it), and the mood of its structural segments.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE song_audio (
    song_id           INTEGER PRIMARY KEY REFERENCES songs(id) ON DELETE CASCADE,
    path              TEXT NOT NULL UNIQUE,
    file_size         INTEGER NOT NULL,
    file_mtime_ns     INTEGER NOT NULL,
    scanned_at        INTEGER NOT NULL,
    seconds           REAL NOT NULL,
    tempo_bpm         REAL NOT NULL,
    beat_confidence   REAL NOT NULL,
    onset_rate        REAL NOT NULL,
    loudness_lufs     REAL NOT NULL,
    loudness_range_lu REAL NOT NULL,
    key               INTEGER NOT NULL CHECK (key BETWEEN 0 AND 11),
    minor             INTEGER NOT NULL CHECK (minor IN (0, 1)),
    mode_strength     REAL NOT NULL,
    key_clarity       REAL NOT NULL,
    centroid_hz       REAL NOT NULL,
    rolloff_hz        REAL NOT NULL,
    flux              REAL NOT NULL,
    arousal           REAL NOT NULL CHECK (arousal BETWEEN -1 AND 1),
    valence           REAL NOT NULL CHECK (valence BETWEEN -1 AND 1)
);
CREATE TABLE song_segments (
    song_id   INTEGER NOT NULL REFERENCES songs(id) ON DELETE CASCADE,
    start_s   REAL NOT NULL,
    end_s     REAL NOT NULL,
    type      INTEGER NOT NULL,
    tempo_bpm REAL NOT NULL,
    loudness_lufs REAL NOT NULL,
    minor     INTEGER NOT NULL CHECK (minor IN (0, 1)),
    arousal   REAL NOT NULL CHECK (arousal BETWEEN -1 AND 1),
    valence   REAL NOT NULL CHECK (valence BETWEEN -1 AND 1),
    PRIMARY KEY (song_id, start_s)
) WITHOUT ROWID;
)sql";

// v5: a play may have been stopped (the session ended while it played; until v5 that was stored as
// skipped, which taught the listener model a dislike the user never showed). Rebuilt as in v3.
constexpr std::string_view kV5 = R"sql(
CREATE TABLE plays_v5 (
    id        INTEGER PRIMARY KEY,
    played_at INTEGER NOT NULL,
    song_id   INTEGER NOT NULL REFERENCES songs(id) ON DELETE CASCADE,
    mood      TEXT CHECK (mood IN ('angry','disgust','fear','happy','sad','surprise','neutral')),
    outcome   TEXT NOT NULL CHECK (outcome IN ('finished','skipped','switched','failed','stopped'))
);
INSERT INTO plays_v5 (id, played_at, song_id, mood, outcome) SELECT id, played_at, song_id, mood, outcome FROM plays;
DROP TABLE plays;
ALTER TABLE plays_v5 RENAME TO plays;
CREATE INDEX plays_by_song ON plays(song_id);
CREATE INDEX plays_by_time ON plays(played_at);
)sql";

// v6: until v6 a song's key and mode were measured at 22,050 Hz, below the rate qm-dsp's key detector
// needs (audio_features.cpp): a file's stamp is cleared so that its next scan measures it again.
constexpr std::string_view kV6 = R"sql(
UPDATE song_audio SET file_size = -1;
)sql";

constexpr std::array<std::string_view, 6> kMigrations{kV1, kV2, kV3, kV4, kV5, kV6};
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

// "file:" URI of a path, every byte but the unreserved ones and '/' percent-encoded.
std::string file_uri(const std::filesystem::path& path, bool immutable) {
    std::string uri = "file:";
    for (const char c : std::filesystem::absolute(path).string()) {
        const auto byte = static_cast<unsigned char>(c);
        if (is_ascii_alnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') uri += c;
        else uri += fmt::format("%{:02X}", byte);
    }
    return uri + (immutable ? "?mode=ro&immutable=1" : "?mode=ro");
}

// SQLite writes a WAL store through two files beside it, made in its folder when missing. One it may
// not write (a reader without write access leaves them 0444, as the store) or a folder it may not
// write failed every write with the bare "attempt to write a readonly database", naming neither;
// said here, before any work. (access() asks for the real user, as the tests' dropped one.)
void refuse_unwritable_companions(const std::filesystem::path& path) {
    auto wal = path, shm = path;
    wal += "-wal";
    shm += "-shm";
    bool all_there = true;
    std::vector<std::string> unwritable;
    for (const auto& companion : {wal, shm}) {
        if (::access(companion.c_str(), F_OK) != 0) all_there = false;
        else if (::access(companion.c_str(), W_OK) != 0) unwritable.push_back(companion.string());
    }
    if (!unwritable.empty()) {
        // A -wal with bytes in it holds commits not yet in the store: removing it would lose them.
        std::error_code ec;
        const bool wal_holds_changes = std::filesystem::file_size(wal, ec) > 0 && !ec;
        const char* them = unwritable.size() == 1 ? "it" : "them";
        refuse(path, fmt::format("cannot be written: {} {} not writable, left so by a reader without write access; {}",
                                 fmt::join(unwritable, " and "), unwritable.size() == 1 ? "is" : "are",
                                 wal_holds_changes ? fmt::format("make {} writable ({} holds changes not yet in the store: "
                                                                 "do not remove it)", them, wal.string())
                                                   : fmt::format("remove {} (no dangpli running on this store) or make {} "
                                                                 "writable", them, them)));
    }
    const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
    if (!all_there && ::access(folder.c_str(), W_OK) != 0)
        refuse(path, fmt::format("cannot be written (a read-only file, folder or medium): SQLite keeps its journal "
                                 "beside the store, and the folder {} is not writable ({})",
                                 folder.string(), std::strerror(errno)));
}

// SQLite's busy handler: sleeps 10 ms at a time until the wait's timeout, saying once when it passes a second.
int wait_for_store(void* arg, int count) {
    auto& wait = *static_cast<BusyWait*>(arg);
    if (count == 0) {
        wait.waited = std::chrono::milliseconds(0);
        wait.said = false;
    }
    if (wait.waited >= wait.timeout) return 0;
    constexpr std::chrono::milliseconds kStep{10};
    std::this_thread::sleep_for(kStep);
    wait.waited += kStep;
    if (!wait.said && wait.waited >= std::chrono::seconds(1) && wait.on_long_wait) {
        wait.said = true;
        wait.on_long_wait();
    }
    return 1;
}

// A connection whose waits for other programs go through wait_for_store.
void waiting_as(SQLite::Database& db, BusyWait& wait) { sqlite3_busy_handler(db.getHandle(), wait_for_store, &wait); }

// Nothing is created, switched to WAL or migrated: the file cannot be written. A plain read-only
// open first, which sees other processes' writes; a WAL store in a folder we cannot write has no
// shared-memory file to read through, so it is then read as immutable (no one can change it
// without write access either). Never for a store another program holds: read as immutable, it
// showed a writer's uncommitted rows and lost others.
SQLite::Database open_read_only(const std::filesystem::path& path, BusyWait& wait) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) refuse(path, "no playlist store here");
    // What a reader sees while another dangpli creates the store; it was "made by an older dangpli".
    if (std::filesystem::file_size(path, ec) == 0 && !ec)
        refuse(path, "an empty file, no store yet (another program may be creating it: try again)");
    for (const bool immutable : {false, true}) {
        if (immutable) {
            // Its last commits may wait in the -wal file, which only a writer can apply: read without
            // them, the store would look as it was before them.
            auto wal = path;
            wal += "-wal";
            if (std::filesystem::file_size(wal, ec) > 0 && !ec)
                refuse(path, fmt::format("its latest changes are in {}, which only a user who can write the store can "
                                         "apply: run any dangpli playlist command there once with write access",
                                         wal.string()));
        }
        try {
            SQLite::Database db(file_uri(path, immutable), SQLite::OPEN_READONLY | SQLite::OPEN_URI);
            waiting_as(db, wait);
            check_is_store(db, path);
            // v2 added the feedback table the readers need; v3 and v5 changed only what may be written;
            // v4's song_audio is read only by `playlist scan`, which writes.
            if (db.execAndGet("PRAGMA user_version").getInt() < 2)
                refuse(path, "made by an older dangpli: open it once with write access to upgrade it");
            return db;
        } catch (const SQLite::Exception& e) {
            if (immutable || held_by_another_program(e)) refuse(path, store_failure_text(e));
        }
    }
    refuse(path, "cannot be read");
}

}  // namespace

SQLite::Database open_store_database(const std::filesystem::path& path, BusyWait& wait, bool read_only) {
    std::error_code ec;
    // SQLite opens no file whose full path is longer (SQLITE_MAX_PATHNAME): its words were only
    // "unable to open database file".
    constexpr std::size_t kLongestSqlitePath = 512;
    if (const auto full = std::filesystem::absolute(path, ec).string(); full.size() >= kLongestSqlitePath)
        refuse(path, fmt::format("its full path is {} bytes, SQLite's limit is {}: give a store in a folder nearer the root",
                                 full.size(), kLongestSqlitePath - 1));
    // SQLite would open a FIFO or a device and fail later with "disk I/O error" (or block).
    if (std::filesystem::exists(path, ec)) {
        try {
            check_input_file(path, std::numeric_limits<std::uintmax_t>::max(), "a playlist store");
        } catch (const InputError& e) {
            throw StoreError(e.what());
        }
    }
    // SQLite says only "unable to open database file" where a file stands in the folder's place.
    for (auto folder = path.parent_path(); !folder.empty() && folder != folder.parent_path(); folder = folder.parent_path())
        if (std::filesystem::exists(folder, ec)) {
            if (!std::filesystem::is_directory(folder, ec))
                refuse(path, fmt::format("{} is a file, not a folder", folder.string()));
            break;
        }
    if (read_only) return open_read_only(path, wait);
    if (path.has_parent_path() && !std::filesystem::exists(path.parent_path(), ec)) {
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) refuse(path, fmt::format("cannot create its folder ({})", ec.message()));
    }
    refuse_unwritable_companions(path);
    try {
        SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        waiting_as(db, wait);
        check_is_store(db, path);
        // SQLite opens a file it may not write read-only without a word, and a writer would then
        // fail at its first write (live: after a song has played); said here, before any work.
        if (sqlite3_db_readonly(db.getHandle(), "main") == 1)
            refuse(path, "cannot be written (a read-only file, folder or medium)");
        db.exec("PRAGMA foreign_keys = ON");
        enable_wal(db);
        migrate(db);
        return db;
    } catch (const SQLite::Exception& e) {
        refuse(path, store_failure_text(e));
    }
}

bool held_by_another_program(const SQLite::Exception& e) {
    const int code = e.getErrorCode() & 0xFF;  // the primary code of an extended one
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

bool out_of_room(const SQLite::Exception& e) {
    // A full disk is SQLITE_FULL where a write falls short, and one of these where a write fails
    // outright (the WAL's index, a file at its size limit); a read that fails (IOERR_READ, a failing
    // disk) is no lack of room.
    if ((e.getErrorCode() & 0xFF) == SQLITE_FULL) return true;
    switch (e.getExtendedErrorCode()) {
    case SQLITE_IOERR_WRITE:
    case SQLITE_IOERR_FSYNC:
    case SQLITE_IOERR_DIR_FSYNC:
    case SQLITE_IOERR_TRUNCATE:
    case SQLITE_IOERR_SHMSIZE: return true;
    default: return false;
    }
}

std::string store_failure_text(const SQLite::Exception& e) {
    return held_by_another_program(e) ? std::string(e.what()) + " (another program kept the store busy too long; try again)"
                                      : e.what();
}

}  // namespace dangpli::detail
