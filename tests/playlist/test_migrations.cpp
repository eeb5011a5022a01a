// Migrations: from an empty file, and from a version 1 store written with v1's own SQL (frozen here
// as it shipped, so that later edits to the migration code cannot make this test pass by accident).
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "dangpli/playlist_store.hpp"
#include "support.hpp"

using namespace dangpli;
using dangpli::test::TempDir;

namespace {

constexpr const char* kV1Schema = R"sql(
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
PRAGMA application_id = 1685089385;
PRAGMA user_version = 1;
)sql";

int user_version(const std::filesystem::path& p) {
    SQLite::Database db(p.string());
    return db.execAndGet("PRAGMA user_version").getInt();
}

}  // namespace

TEST_CASE("an empty file becomes a store at the current schema version") {
    TempDir tmp;
    auto path = tmp / "empty.db";
    dangpli::test::write_file(path, "");
    {
        PlaylistStore store(path);
        store.record_feedback(Emotion::Happy, "Happy", "Pharrell Williams");
    }
    CHECK(user_version(path) == PlaylistStore::kSchemaVersion);
    PlaylistStore again(path);  // opening a current store changes nothing
    CHECK(again.counts().feedback == 1);
    CHECK(user_version(path) == PlaylistStore::kSchemaVersion);
}

TEST_CASE("a version 1 store is upgraded to the current version and keeps its songs, tags, plays and markers") {
    TempDir tmp;
    auto path = tmp / "v1.db";
    {
        SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec(kV1Schema);
        db.exec("INSERT INTO songs (id, title, artist, uri, duration_ms, added_at) VALUES "
                "(1, '라일락', '아이유', NULL, 214000, 0), (2, 'That''s Life', 'Frank Sinatra', '/m/life.mp3', NULL, 0);"
                "INSERT INTO song_tags VALUES (1, 'happy', 1.0, 'imported'), (2, 'sad', 2.5, 'feedback');"
                "INSERT INTO plays (played_at, song_id, mood, outcome) VALUES (1000, 2, 'sad', 'skipped');"
                "INSERT INTO meta VALUES ('imported:default-playlists', '0');");
    }
    REQUIRE(user_version(path) == 1);

    PlaylistStore store(path);
    CHECK(user_version(path) == PlaylistStore::kSchemaVersion);
    auto c = store.counts();
    CHECK(c.songs == 2);
    CHECK(c.tags == 2);
    CHECK(c.plays == 1);
    CHECK(store.was_imported("default-playlists"));
    auto lilac = store.song(1);
    REQUIRE(lilac);
    CHECK(lilac->title == "라일락");
    CHECK(lilac->duration == std::chrono::milliseconds(214000));
    auto h = store.history();
    REQUIRE(h.size() == 1);
    CHECK(h[0].song.uri == "/m/life.mp3");
    CHECK(h[0].outcome == PlayOutcome::Skipped);
    // v2's table works on the upgraded file.
    store.record_feedback(Emotion::Sad, "That's Life", "Frank Sinatra");
    CHECK(store.song(2)->tags[0].weight == 3.5);
    CHECK(store.feedback().size() == 1);

    // v3's outcome works on the upgraded file, and the rebuilt plays table keeps its indexes.
    store.record_play(1, Emotion::Happy, PlayOutcome::Failed);
    CHECK(store.history().front().outcome == PlayOutcome::Failed);

    // v4's song analyses work on the upgraded file, beside the song's earlier tags.
    SongAnalysis analysis;
    analysis.seconds = 200;
    analysis.mood = {-0.5, -0.5};
    Song life;
    life.title = "That's Life";
    life.artist = "Frank Sinatra";
    CHECK(store.save_analysis(life, {"/m/life.mp3", 10, 20}, analysis,
                              std::vector<EmotionWeight>{{Emotion::Sad, 0.7}, {Emotion::Neutral, 0.4}}) == 2);
    CHECK(store.song(2)->tags.size() == 2);  // sad stays the user's; neutral is new and automatic
    CHECK(store.analyses().size() == 1);

    // v5's outcome works on the upgraded file; the earlier plays keep theirs.
    store.record_play(1, Emotion::Happy, PlayOutcome::Stopped);
    CHECK(store.history().front().outcome == PlayOutcome::Stopped);
    CHECK(store.history().back().outcome == PlayOutcome::Skipped);

    SQLite::Database db(path.string());
    CHECK(db.tableExists("feedback"));
    CHECK(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                        "('plays_by_song', 'plays_by_time')").getInt() == 2);
    CHECK(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'tags_by_emotion'").getInt() == 1);
}
