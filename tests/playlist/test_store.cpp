#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "dangpli/error.hpp"
#include "dangpli/playlist_store.hpp"
#include "support.hpp"

using namespace dangpli;
using dangpli::test::TempDir;
namespace fs = std::filesystem;

namespace {

PlaylistEntry entry(std::string title, std::string artist, Emotion e, double weight = 1.0) {
    PlaylistEntry x;
    x.title = std::move(title);
    x.artist = std::move(artist);
    x.emotion = e;
    x.weight = weight;
    x.file = "test.csv";
    x.line = 2;
    return x;
}

}  // namespace

TEST_CASE("a new store is created with its folder, migrated, in WAL mode, and empty") {
    TempDir tmp;
    auto path = tmp / "a/b/playlists.db";
    {
        PlaylistStore store(path);
        CHECK(store.path() == path);
        auto c = store.counts();
        CHECK(c.songs == 0);
        CHECK(c.plays == 0);
        CHECK(c.feedback == 0);
    }
    SQLite::Database db(path.string());
    CHECK(db.execAndGet("PRAGMA user_version").getInt() == PlaylistStore::kSchemaVersion);
    CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

TEST_CASE("songs, tags and Unicode titles round-trip, and values are bound, not spliced") {
    TempDir tmp;
    PlaylistStore store(tmp / "s.db");
    Song lilac;
    lilac.title = "라일락";
    lilac.artist = "아이유";
    lilac.duration = std::chrono::milliseconds(214500);
    lilac.tags = {{Emotion::Happy, 2.0, TagSource::Imported}};
    auto added = store.add_song(lilac);
    CHECK(added.created);

    Song summer{0, "菊次郎の夏 Summer", "久石譲", std::string("/music/summer.flac"), std::nullopt,
                {{Emotion::Neutral, 1.0, TagSource::Auto}}};
    Song evil{0, "'); DROP TABLE songs; --", "Bobby \"Tables\"", std::nullopt, std::nullopt, {{Emotion::Angry, 1.0, TagSource::Feedback}}};
    auto summer_id = store.add_song(summer).id;
    store.add_song(evil);
    CHECK(store.counts().songs == 3);

    auto s = store.song(added.id);
    REQUIRE(s);
    CHECK(s->title == "라일락");
    CHECK(s->artist == "아이유");
    CHECK(s->duration == std::chrono::milliseconds(214500));
    REQUIRE(s->tags.size() == 1);
    CHECK(s->tags[0].weight == 2.0);
    CHECK(play_target(*s) == "ytdl://ytsearch1:아이유 라일락");
    CHECK(store.song(summer_id)->uri == "/music/summer.flac");
    CHECK(store.find_songs("'); DROP TABLE songs; --").size() == 1);
    CHECK(store.find_songs("久石譲 - 菊次郎の夏 Summer").front().id == summer_id);
    CHECK(store.find_songs(std::to_string(summer_id)).front().title == "菊次郎の夏 Summer");
    CHECK(store.find_songs("no such song").empty());
    // A number that is one song's id and another's title is both; id:N is the id alone.
    const auto numbered = store.add_song(Song{0, std::to_string(summer_id), "Taylor Swift", std::nullopt, std::nullopt,
                                              {{Emotion::Happy, 1.0, TagSource::Imported}}}).id;
    const auto both = store.find_songs(std::to_string(summer_id));
    REQUIRE(both.size() == 2);
    CHECK(both[0].id == summer_id);
    CHECK(both[1].id == numbered);
    REQUIRE(store.find_songs("id:" + std::to_string(summer_id)).size() == 1);
    CHECK(store.find_songs("id:" + std::to_string(numbered)).front().title == std::to_string(summer_id));
    CHECK(store.find_songs("id:99999").empty());
    CHECK(store.remove_song(numbered));

    SUBCASE("same title and artist (ASCII case aside) is the same song, and tags merge") {
        Song again{0, "라일락", "아이유", std::nullopt, std::nullopt, {{Emotion::Sad, 1.0, TagSource::Feedback}}};
        auto r = store.add_song(again);
        CHECK_FALSE(r.created);
        CHECK(r.id == added.id);
        CHECK(store.song(added.id)->tags.size() == 2);
        CHECK(store.add_song(Song{0, "'); drop table SONGS; --", "BOBBY \"TABLES\"", {}, {}, {}}).created == false);
        CHECK(store.counts().songs == 3);
    }
    SUBCASE("set and remove tags, and removing a song removes its tags and plays") {
        store.set_tag(added.id, Emotion::Happy, 0.5, TagSource::Feedback);
        CHECK(store.song(added.id)->tags[0].weight == 0.5);
        CHECK(store.song(added.id)->tags[0].source == TagSource::Feedback);
        CHECK(store.remove_tag(added.id, Emotion::Happy));
        CHECK_FALSE(store.remove_tag(added.id, Emotion::Happy));
        CHECK_THROWS_AS(store.set_tag(9999, Emotion::Happy, 1.0, TagSource::Feedback), StoreError);
        store.record_play(summer_id, Emotion::Neutral, PlayOutcome::Finished);
        CHECK(store.remove_song(summer_id));
        CHECK_FALSE(store.remove_song(summer_id));
        auto c = store.counts();
        CHECK(c.plays == 0);
        CHECK(c.tags == 1);  // only the angry tag of the third song is left
    }
    SUBCASE("an empty title or a bad weight is refused") {
        CHECK_THROWS_WITH_AS(store.add_song(Song{0, "  ", "x", {}, {}, {}}), "missing title", InputError);
        CHECK_THROWS_AS(store.add_song(Song{0, "x", "y", {}, {}, {{Emotion::Sad, 0.0, TagSource::Auto}}}), InputError);
        CHECK(store.counts().songs == 3);
    }
}

TEST_CASE("candidates are weighted and leave out the last N played, and history is newest first") {
    TempDir tmp;
    PlaylistStore store(tmp / "s.db");
    std::vector<PlaylistEntry> entries{entry("a", "x", Emotion::Sad, 1.0), entry("b", "x", Emotion::Sad, 3.0),
                                       entry("c", "x", Emotion::Sad, 2.0), entry("d", "x", Emotion::Happy)};
    store.import_entries(entries);
    auto all = store.candidates(Emotion::Sad);
    REQUIRE(all.size() == 3);
    CHECK(all[0].song.title == "b");
    CHECK(all[0].weight == 3.0);
    CHECK(all[1].song.title == "c");
    CHECK(all[2].song.title == "a");

    auto id = [&](const char* t) { return store.find_songs(t).front().id; };
    auto t0 = Clock::now() - std::chrono::hours(1);
    store.record_play(id("b"), Emotion::Sad, PlayOutcome::Finished, t0);
    store.record_play(id("d"), Emotion::Happy, PlayOutcome::Skipped, t0 + std::chrono::minutes(1));
    store.record_play(id("c"), std::nullopt, PlayOutcome::Switched, t0 + std::chrono::minutes(2));

    auto fresh = store.candidates(Emotion::Sad, 2);  // the last two plays: c and d
    REQUIRE(fresh.size() == 2);
    CHECK(fresh[0].song.title == "b");
    CHECK(fresh[1].song.title == "a");
    CHECK(store.candidates(Emotion::Sad, 3).size() == 1);
    CHECK(store.candidates(Emotion::Sad, 0).size() == 3);

    auto h = store.history(10);
    REQUIRE(h.size() == 3);
    CHECK(h[0].song.title == "c");
    CHECK_FALSE(h[0].mood.has_value());
    CHECK(h[0].outcome == PlayOutcome::Switched);
    CHECK(h[2].song.title == "b");
    CHECK(h[2].mood == Emotion::Sad);
    CHECK(std::chrono::abs(h[2].at - t0) < std::chrono::milliseconds(1));
    CHECK(store.history(1).size() == 1);
    CHECK_THROWS_AS(store.record_play(9999, std::nullopt, PlayOutcome::Finished), StoreError);

    auto c = store.counts();
    CHECK(c.per_emotion[static_cast<std::size_t>(label_of(Emotion::Sad))] == 3);
    CHECK(c.per_emotion[static_cast<std::size_t>(label_of(Emotion::Happy))] == 1);
}

TEST_CASE("feedback adds the song asked for, tags it with the feeling, and grows the weight") {
    TempDir tmp;
    PlaylistStore store(tmp / "s.db");
    auto id = store.record_feedback(Emotion::Sad, "난춘", "새소년");
    CHECK(store.record_feedback(Emotion::Sad, "난춘", "새소년") == id);
    auto s = store.song(id);
    REQUIRE(s);
    REQUIRE(s->tags.size() == 1);
    CHECK(s->tags[0].source == TagSource::Feedback);
    CHECK(s->tags[0].weight == 2.0);
    auto f = store.feedback();
    REQUIRE(f.size() == 2);
    CHECK(f[0].feeling == Emotion::Sad);
    CHECK(f[0].request == "새소년 - 난춘");
    CHECK(f[0].song_id == id);
    store.remove_song(id);
    CHECK_FALSE(store.feedback().front().song_id.has_value());  // the user's words stay
    CHECK_THROWS_AS(store.record_feedback(Emotion::Sad, " ", "x"), InputError);
    CHECK_THROWS_AS(store.record_feedback(Emotion::Sad, "two\nlines", "x"), InputError);
    CHECK_THROWS_AS(store.record_feedback(Emotion::Sad, "bad \xff utf-8", "x"), InputError);
}

TEST_CASE("an import is one transaction: a bad entry leaves the store unchanged") {
    TempDir tmp;
    PlaylistStore store(tmp / "s.db");
    std::vector<PlaylistEntry> good{entry("a", "x", Emotion::Sad), entry("b", "x", Emotion::Happy)};
    auto first = store.import_entries(good);
    CHECK(first.songs_added == 2);
    CHECK(first.tags_added == 2);
    auto again = store.import_entries(good);  // re-import: nothing new
    CHECK(again.songs_added == 0);
    CHECK(again.tags_added == 0);

    std::vector<PlaylistEntry> bad{entry("c", "x", Emotion::Sad), entry("a", "x", Emotion::Fear), entry("", "x", Emotion::Sad)};
    bad[2].line = 7;
    CHECK_THROWS_WITH_AS(store.import_entries(bad), "test.csv:7: missing title", DataError);
    auto c = store.counts();
    CHECK(c.songs == 2);
    CHECK(c.tags == 2);

    bad[2] = entry("tab\there", "x", Emotion::Sad);
    CHECK_THROWS_AS(store.import_entries(bad), DataError);
    bad[2] = entry("\xC3\x28", "x", Emotion::Sad);  // invalid UTF-8
    CHECK_THROWS_AS(store.import_entries(bad), DataError);
    CHECK(store.counts().songs == 2);
}

TEST_CASE("a re-import counts what it changed: a new uri or duration, a heavier weight, a scan's tag made its own") {
    TempDir tmp;
    PlaylistStore store(tmp / "s.db");
    std::vector<PlaylistEntry> entries{entry("a", "x", Emotion::Sad), entry("b", "x", Emotion::Happy)};
    entries[1].source = TagSource::Auto;
    store.import_entries(entries);
    auto same = store.import_entries(entries);
    CHECK(same.songs_changed == 0);
    CHECK(same.tags_changed == 0);

    entries[0].uri = "/music/a.ogg";
    entries[0].weight = 2.0;
    entries[1].source.reset();  // the importer's own now: the automatic tag becomes imported
    const auto changed = store.import_entries(entries);
    CHECK(changed.songs_added == 0);
    CHECK(changed.tags_added == 0);
    CHECK(changed.songs_changed == 1);
    CHECK(changed.tags_changed == 2);
    CHECK(store.find_songs("b").front().tags.at(0).source == TagSource::Imported);
    entries[0].weight = 1.0;  // a lighter weight never lowers a stored one
    const auto again = store.import_entries(entries);
    CHECK(again.songs_changed == 0);
    CHECK(again.tags_changed == 0);
    CHECK(store.find_songs("a").front().tags.at(0).weight == 2.0);

    // Counted by song and by tag, not by row: a new song on two rows is one new song, not also a changed one.
    std::vector<PlaylistEntry> twice{entry("c", "x", Emotion::Sad), entry("c", "x", Emotion::Sad, 3.0)};
    twice[1].uri = "/music/c.ogg";
    const auto fresh = store.import_entries(twice);
    CHECK(fresh.entries == 2);
    CHECK(fresh.songs_added == 1);
    CHECK(fresh.tags_added == 1);
    CHECK(fresh.songs_changed == 0);
    CHECK(fresh.tags_changed == 0);
    twice[0].duration = std::chrono::milliseconds(1000);
    twice[1].duration = std::chrono::milliseconds(2000);
    CHECK(store.import_entries(twice).songs_changed == 1);
}

TEST_CASE("add_song treats a tag the song has as asked: the larger weight, its own weight, or the given one") {
    TempDir tmp;
    PlaylistStore store(tmp / "s.db");
    const auto tagged = [](double weight, TagSource source) {
        return Song{0, "a", "x", std::nullopt, std::nullopt, {{Emotion::Sad, weight, source}}};
    };
    const auto sad = [&] { return store.find_songs("x - a").at(0).tags.at(0); };
    store.add_song(tagged(2.0, TagSource::Auto));
    CHECK_FALSE(store.add_song(tagged(1.0, TagSource::Auto)).created);
    CHECK(sad().weight == 2.0);  // import's merge: a lighter weight never lowers it
    store.add_song(tagged(1.0, TagSource::Feedback), PlaylistStore::ExistingTag::KeepWeight);
    CHECK(sad().weight == 2.0);
    CHECK(sad().source == TagSource::Feedback);  // a scan's tag became the user's: a rescan keeps it
    store.add_song(tagged(0.5, TagSource::Feedback), PlaylistStore::ExistingTag::Replace);
    CHECK(sad().weight == 0.5);
    store.add_song(tagged(3.0, TagSource::Feedback));
    CHECK(sad().weight == 3.0);
}

TEST_CASE("import_once imports a marker's entries only the first time") {
    TempDir tmp;
    PlaylistStore store(tmp / "s.db");
    std::vector<PlaylistEntry> defaults{entry("a", "x", Emotion::Sad)};
    CHECK_FALSE(store.was_imported("defaults"));
    CHECK(store.import_once("defaults", defaults));
    CHECK(store.was_imported("defaults"));
    store.remove_song(store.find_songs("a").front().id);
    CHECK_FALSE(store.import_once("defaults", defaults));
    CHECK(store.counts().songs == 0);  // what the user removed stays removed
}

TEST_CASE("a file that is not a dangpli store is refused and left byte for byte as it was") {
    TempDir tmp;
    SUBCASE("not a database at all") {
        auto path = tmp / "notes.db";
        std::string bytes = "these are my notes, not a database\n";
        bytes += std::string(5000, 'x');
        dangpli::test::write_file(path, bytes);
        try {
            PlaylistStore store(path);
            FAIL("expected StoreError");
        } catch (const StoreError& e) {
            std::string what = e.what();
            CHECK(what.find(path.string()) == 0);
            CHECK(what.find("not a database") != std::string::npos);
        }
        CHECK(dangpli::test::read_file(path) == bytes);
        CHECK_FALSE(std::filesystem::exists(tmp / "notes.db-wal"));
        CHECK_FALSE(std::filesystem::exists(tmp / "notes.db-journal"));
    }
    SUBCASE("another program's SQLite database") {
        auto path = tmp / "other.sqlite";
        {
            SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            db.exec("CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('https://example.org')");
        }
        auto before = dangpli::test::read_file(path);
        CHECK_THROWS_WITH_AS(PlaylistStore{path}, doctest::Contains("not a dangpli playlist store"), StoreError);
        CHECK(dangpli::test::read_file(path) == before);
    }
    SUBCASE("a store from a newer dangpli") {
        auto path = tmp / "future.db";
        {
            SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            db.exec("PRAGMA application_id = 1685089385; PRAGMA user_version = 99; CREATE TABLE songs (x)");
        }
        auto before = dangpli::test::read_file(path);
        CHECK_THROWS_WITH_AS(PlaylistStore{path}, doctest::Contains("newer dangpli"), StoreError);
        CHECK(dangpli::test::read_file(path) == before);
    }
}

TEST_CASE("a reader of a store another program holds waits, then says so: it never reads past the lock") {
    // In rollback-journal mode (another program may have switched it) a writer's lock made the reader
    // fall back to reading the file as immutable: a writer's uncommitted rows, some rows lost, exit 0.
    TempDir tmp;
    const auto path = tmp / "p.db";
    {
        PlaylistStore store(path);
        const std::vector<PlaylistEntry> songs{entry("Sunny", "A", Emotion::Happy)};
        store.import_entries(songs);
    }
    SQLite::Database other(path.string(), SQLite::OPEN_READWRITE);
    (void)other.execAndGet("PRAGMA journal_mode = DELETE");
    other.exec("BEGIN EXCLUSIVE");
    other.exec("UPDATE songs SET title = title || ' UNCOMMITTED'");
    PlaylistStore::Options reader;
    reader.read_only = true;
    reader.busy_timeout = std::chrono::milliseconds(200);
    try {
        PlaylistStore store(path, reader);
        FAIL("read past another program's lock: " << store.counts().songs << " songs");
    } catch (const StoreError& e) {
        CHECK(std::string(e.what()).find("another program kept the store busy too long; try again") != std::string::npos);
    }
    other.exec("ROLLBACK");
    PlaylistStore store(path, reader);  // once it lets go, the store reads as committed
    CHECK(store.counts().songs == 1);
}

TEST_CASE("a write that waits past a second for another program is said once per wait, then fails as before") {
    // 10 s of silence, then the error: a user at a terminal could not tell what the command waited for.
    TempDir tmp;
    const auto path = tmp / "p.db";
    int said = 0;
    PlaylistStore::Options options;
    options.busy_timeout = std::chrono::milliseconds(1300);
    options.on_long_wait = [&said] { ++said; };
    PlaylistStore store(path, options);
    const std::vector<PlaylistEntry> songs{entry("Sunny", "A", Emotion::Happy)};
    store.import_entries(songs);  // no wait: nothing said
    CHECK(said == 0);
    SQLite::Database other(path.string(), SQLite::OPEN_READWRITE);
    other.exec("BEGIN EXCLUSIVE");
    for (int attempt = 1; attempt <= 2; ++attempt) {
        CHECK_THROWS_WITH_AS(store.import_entries(std::vector<PlaylistEntry>{entry("Rain", "B", Emotion::Sad)}),
                             doctest::Contains("another program kept the store busy too long"), StoreError);
        CHECK(said == attempt);
    }
    other.exec("ROLLBACK");
    store.import_entries(std::vector<PlaylistEntry>{entry("Rain", "B", Emotion::Sad)});
    CHECK(store.counts().songs == 2);
    CHECK(said == 2);
}

TEST_CASE("an empty store file read without writing is named as one (another dangpli may be creating it)") {
    TempDir tmp;
    const auto path = tmp / "empty.db";
    test::write_file(path, "");
    PlaylistStore::Options reader;
    reader.read_only = true;
    CHECK_THROWS_WITH_AS(PlaylistStore(path, reader), doctest::Contains("empty.db: an empty file, no store yet"), StoreError);
    CHECK(std::filesystem::file_size(path) == 0);  // untouched
}

TEST_CASE("a store whose full path is past SQLite's limit is named so, not 'unable to open database file'") {
    TempDir tmp;
    fs::path folder = tmp.path();
    while (folder.string().size() < 520) folder /= std::string(100, 'p');
    fs::create_directories(folder);
    try {
        PlaylistStore store(folder / "s.db");
        FAIL("opened a store SQLite cannot open");
    } catch (const StoreError& e) {
        CHECK(std::string(e.what()).find("SQLite's limit is 511") != std::string::npos);
    }
}

TEST_CASE("default_store_path follows XDG_DATA_HOME, then HOME, but makes no HOME up") {
    TempDir tmp;
    const char* old_xdg = std::getenv("XDG_DATA_HOME");
    std::string saved = old_xdg ? old_xdg : "";
    std::string saved_home = std::getenv("HOME") ? std::getenv("HOME") : "";
    setenv("XDG_DATA_HOME", "/data/x", 1);
    CHECK(default_store_path() == "/data/x/dangpli/playlists.db");
    setenv("XDG_DATA_HOME", "relative/ignored", 1);
    setenv("HOME", tmp.path().c_str(), 1);
    CHECK(default_store_path() == tmp / ".local/share/dangpli/playlists.db");
    // A service user's HOME that is not there (Debian's /nonexistent), or a relative one: no store,
    // rather than a tree of folders made up for it or a store in every working folder.
    for (const char* home : {"/nonexistent/x", "relhome"}) {
        CAPTURE(home);
        setenv("HOME", home, 1);
        CHECK_THROWS_AS(default_store_path(), StoreError);
    }
    if (old_xdg) setenv("XDG_DATA_HOME", saved.c_str(), 1);
    else unsetenv("XDG_DATA_HOME");
    setenv("HOME", saved_home.c_str(), 1);
}
