// End-to-end: the built `dangpli playlist` on real files in a temp dir.
#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "support.hpp"

using dangpli::test::run_cli;
using dangpli::test::run_command;
using dangpli::test::shell_quote;
using dangpli::test::TempDir;

namespace {

// `dangpli playlist SUB --db DB --no-defaults ARGS`.
dangpli::test::CommandResult playlist(const std::filesystem::path& db, const std::string& sub, const std::string& args = {}) {
    return run_cli("playlist " + sub + " --db " + shell_quote(db.string()) + " --no-defaults " + args);
}

std::size_t song_count(const std::filesystem::path& db) {
    auto r = playlist(db, "stats", "--format json");
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out)["songs"].get<std::size_t>();
}

const std::string kCsv =
    "title,artist,emotion,uri\n"
    "라일락,아이유,happy,\n"
    "난춘,새소년,sad,\n"
    "\"That's Life\",Frank Sinatra,sad,/music/life.mp3\n"
    "生命の名前,久石譲,fear,\n";

}  // namespace

TEST_CASE("import, list, re-import without duplicates, and export to every format") {
    TempDir tmp;
    auto db = tmp / "p.db";
    dangpli::test::write_file(tmp / "songs.csv", kCsv);
    auto r = playlist(db, "import", shell_quote((tmp / "songs.csv").string()));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find("4 new songs") != std::string::npos);
    r = playlist(db, "import", shell_quote((tmp / "songs.csv").string()));
    CHECK(r.out.find("0 new songs, 0 new tags, 0 songs and 0 tags changed") != std::string::npos);
    CHECK(song_count(db) == 4);

    r = playlist(db, "list", "--emotion sad --format json");
    REQUIRE(r.exit_code == 0);
    auto sad = nlohmann::json::parse(r.out);
    REQUIRE(sad.size() == 2);
    CHECK(sad[0]["title"] == "That's Life");
    CHECK(sad[0]["uri"] == "/music/life.mp3");
    CHECK(sad[1]["title"] == "난춘");
    CHECK(sad[1]["play"] == "ytdl://ytsearch1:새소년 난춘");

    r = playlist(db, "list");
    CHECK(r.out.find("라일락") != std::string::npos);
    CHECK(r.out.starts_with("ID"));

    // Weights other than 1 survive every format's round trip (M3U keeps them in #EXTDANGPLI-WEIGHT).
    REQUIRE(playlist(db, "tag", shell_quote("Frank Sinatra - That's Life") + " sad --weight 2.5").exit_code == 0);
    REQUIRE(playlist(db, "tag", shell_quote("아이유 - 라일락") + " happy --weight 0.25").exit_code == 0);
    CHECK(playlist(db, "export", "--format csv").out.find("2.5") != std::string::npos);
    for (std::string ext : {"csv", "yaml", "m3u"}) {
        CAPTURE(ext);
        auto out = tmp / ("all." + ext);
        r = playlist(db, "export", "-o " + shell_quote(out.string()));
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        auto copy = tmp / ("copy-" + ext + ".db");
        r = playlist(copy, "import", shell_quote(out.string()));
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        CHECK(playlist(copy, "export", "--format csv").out == playlist(db, "export", "--format csv").out);
    }
    r = playlist(db, "export", "--emotion fear --format m3u");
    CHECK(r.out == "#EXTM3U\n#EXTENC:UTF-8\n#PLAYLIST:dangpli fear\n#EXTINF:-1,久石譲 - 生命の名前\n#EXTART:久石譲\n"
                   "#EXTGRP:fear\nytdl://ytsearch1:久石譲 生命の名前\n");
}

TEST_CASE("a bad row aborts the whole import with file:line, exit 3, and the store unchanged") {
    TempDir tmp;
    auto db = tmp / "p.db";
    dangpli::test::write_file(tmp / "good.csv", kCsv);
    REQUIRE(playlist(db, "import", shell_quote((tmp / "good.csv").string())).exit_code == 0);
    const std::string head = "title,artist,emotion\nNew Song,Someone,happy\n";
    struct Case {
        std::string name, body, message;
    };
    for (const Case& c : {Case{"emotion.csv", head + "x,y,bored\n", ":3: unknown emotion 'bored'"},
                          Case{"title.csv", head + ",y,sad\n", ":3: missing title"},
                          Case{"quote.csv", head + "\"x,y,sad\nz,w,sad\n", ":3: unterminated quoted field"},
                          Case{"utf8.csv", head + "x\xC0\xAF,y,sad\n", ":3: invalid UTF-8"},
                          Case{"bad.yaml", "happy:\n  - {title: ok}\n  - {artist: no title}\n", ":3: missing title"}}) {
        CAPTURE(c.name);
        auto file = tmp / c.name;
        dangpli::test::write_file(file, c.body);
        auto r = playlist(db, "import", shell_quote(file.string()));
        CHECK(r.exit_code == 3);
        CHECK(r.err.find(file.string() + c.message) != std::string::npos);
        CHECK(song_count(db) == 4);
    }
}

TEST_CASE("add, tag, remove and history from the command line") {
    TempDir tmp;
    auto db = tmp / "p.db";
    auto r = playlist(db, "add", "'Happy' --artist 'Pharrell Williams' --emotion happy --duration 3:53");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.starts_with("added 1: Pharrell Williams - Happy"));
    r = playlist(db, "add", "'happy' --artist 'pharrell williams' --emotion surprise");
    CHECK(r.out.starts_with("updated 1"));
    // A file that is not there is kept (a drive not mounted) but said at once, not first by live.
    r = playlist(db, "add", "'Typo' --emotion happy --uri " + shell_quote((tmp / "nothere.mp3").string()));
    CHECK(r.exit_code == 0);
    CHECK(r.err == "dangpli: note: " + (tmp / "nothere.mp3").string() + " does not exist (yet?); live skips the song until it does\n");
    REQUIRE(playlist(db, "remove", "Typo").exit_code == 0);
    // A mistyped emotion is named with the seven it could be, and the one most likely meant.
    r = playlist(db, "add", "'Lilac' --emotion happi");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown emotion 'happi'; did you mean happy? one of angry, disgust, fear, happy, sad, surprise, "
                     "neutral (see --help)") != std::string::npos);
    // Adding a song that is there again: a --weight given is set, up or down (a lower one was kept
    // in silence); without one, the tags keep theirs.
    REQUIRE(playlist(db, "add", "'Happy' --artist 'Pharrell Williams' --emotion happy --weight 3").exit_code == 0);
    REQUIRE(playlist(db, "add", "'Happy' --artist 'Pharrell Williams' --emotion happy --weight 0.25").exit_code == 0);
    CHECK(playlist(db, "list", "").out.find("happy:0.25") != std::string::npos);
    REQUIRE(playlist(db, "add", "'Happy' --artist 'Pharrell Williams' --emotion happy").exit_code == 0);
    CHECK(playlist(db, "list", "").out.find("happy:0.25") != std::string::npos);
    REQUIRE(playlist(db, "add", "'Happy' --artist 'Someone Else' --emotion sad").exit_code == 0);

    r = playlist(db, "tag", "Happy neutral");
    CHECK(r.exit_code == 3);  // two songs are called Happy
    CHECK(r.err.find("matches 2 songs") != std::string::npos);
    r = playlist(db, "tag", "'Pharrell Williams - Happy' neutral --weight 2");
    CHECK(r.exit_code == 0);
    // Tagging again without --weight keeps the weight given (it was reset to 1); --remove takes none.
    r = playlist(db, "tag", "'Pharrell Williams - Happy' neutral");
    CHECK(r.out == "tagged Pharrell Williams - Happy: neutral (weight 2)\n");
    CHECK(playlist(db, "tag", "'Pharrell Williams - Happy' neutral --remove --weight 3").exit_code == 2);
    // The table rounds a weight to three digits; the CSV listing keeps it whole.
    REQUIRE(playlist(db, "tag", "'Pharrell Williams - Happy' surprise --weight 0.5555997146115312").exit_code == 0);
    CHECK(playlist(db, "list", "").out.find("surprise:0.556") != std::string::npos);
    CHECK(playlist(db, "list", "--format csv").out.find("surprise:0.5555997146115312") != std::string::npos);
    // Rounded to a whole number it would read as another weight; in e-notation, as no number a user types.
    REQUIRE(playlist(db, "tag", "'Pharrell Williams - Happy' surprise --weight 0.9995").exit_code == 0);
    CHECK(playlist(db, "list", "").out.find("surprise:0.9995") != std::string::npos);
    REQUIRE(playlist(db, "tag", "'Pharrell Williams - Happy' surprise --weight 1234567.891").exit_code == 0);
    CHECK(playlist(db, "list", "").out.find("surprise:1234567.891") != std::string::npos);
    REQUIRE(playlist(db, "tag", "'Pharrell Williams - Happy' surprise --weight 1e25").exit_code == 0);
    CHECK(playlist(db, "list", "").out.find("surprise:1e+25") != std::string::npos);  // was 1000000000000000090...
    REQUIRE(playlist(db, "tag", "'Pharrell Williams - Happy' surprise --weight 0.0015").exit_code == 0);
    CHECK(playlist(db, "list", "").out.find("surprise:0.0015") != std::string::npos);  // three decimals read 0.002
    // strtod skipped a leading blank (' 1' was 1, '1 ' no number), and read 1e-400 as 0 ("must be more than 0").
    r = playlist(db, "tag", "'Pharrell Williams - Happy' surprise --weight ' 1'");
    CHECK(r.exit_code == 2);
    CHECK(r.err == "dangpli: --weight: ' 1' is not a number (see --help)\n");
    r = playlist(db, "tag", "'Pharrell Williams - Happy' surprise --weight 1e-400");
    CHECK(r.exit_code == 2);
    CHECK(r.err == "dangpli: --weight: '1e-400' is too near 0 to be held (it reads as 0) (see --help)\n");
    REQUIRE(playlist(db, "tag", "'Pharrell Williams - Happy' surprise --weight 2").exit_code == 0);
    CHECK(playlist(db, "list", "").out.find("surprise:2 ") != std::string::npos);
    // A mistyped command of playlist's is named as such (CLI11 said only that one is required).
    for (const std::string typo : {"lst", "untag"}) {
        r = run_cli("playlist --db " + shell_quote(db.string()) + " " + typo);
        CHECK(r.exit_code == 2);
        CHECK(r.err.starts_with("dangpli: unknown playlist command '" + typo + "' (did you mean " +
                                (typo == "lst" ? "list" : "tag") + "? the playlist commands: import, list"));
    }
    r = playlist(db, "list", "--format json");
    auto songs = nlohmann::json::parse(r.out);
    REQUIRE(songs.size() == 2);
    CHECK(songs[0]["tags"].size() == 3);
    CHECK(songs[0]["duration_s"] == 233.0);
    CHECK(playlist(db, "tag", "1 neutral --remove").exit_code == 0);
    // A song whose last tag goes has no row in any export: said, not dropped in silence.
    REQUIRE(playlist(db, "add", "Untagged --emotion fear").exit_code == 0);
    REQUIRE(playlist(db, "tag", "Untagged fear --remove").exit_code == 0);
    const auto exported = playlist(db, "export");
    CHECK(exported.exit_code == 0);
    CHECK(exported.out.find("Untagged") == std::string::npos);
    CHECK(exported.err == "dangpli: 1 song without an emotion not written (every format lists songs by emotion; tag "
                          "it to keep it)\n");
    REQUIRE(playlist(db, "remove", "Untagged").exit_code == 0);
    CHECK(playlist(db, "tag", "1 bored").exit_code == 2);  // not an emotion: a usage error
    // A value of add's that the store refuses is a usage error too, named: an empty title, one not
    // UTF-8, a bad duration, a title too long to be a song's (1001 bytes).
    const std::vector<std::string> bad_adds{"''", "\"$(printf 'a\\377b')\"", "x --duration abc", std::string(1001, 'H')};
    for (const std::string& bad : bad_adds) {
        CAPTURE(bad);
        r = playlist(db, "add", bad + " --emotion happy");
        CHECK(r.exit_code == 2);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        // Refused before the store opens: no store file is left behind.
        const auto fresh = tmp / "fresh.db";
        CHECK(playlist(fresh, "add", bad + " --emotion happy").exit_code == 2);
        CHECK_FALSE(std::filesystem::exists(fresh));
    }

    // An empty --db is a usage error (not the default store); no command creates a folder the user
    // named, a writer neither: a typo in it would start a store of its own.
    CHECK(run_cli("playlist --db '' list").exit_code == 2);
    const auto typo = tmp / "typo" / "x.db";
    for (const char* command : {"list", "add x --emotion happy"}) {
        CAPTURE(command);
        const auto refused = playlist(typo, command);
        CHECK(refused.exit_code == 5);
        CHECK(refused.err.find("no folder " + (tmp / "typo").string()) != std::string::npos);
        CHECK(std::count(refused.err.begin(), refused.err.end(), '\n') == 1);
        CHECK_FALSE(std::filesystem::exists(tmp / "typo"));
    }
    // A folder's name (a trailing '/'): said so, and no folder of that name made.
    const auto slash = playlist(tmp.path().string() + "/new.db/", "add x --emotion happy");
    CHECK(slash.exit_code == 5);
    CHECK(slash.err.find("names a folder (it ends with '/')") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(tmp / "new.db"));
    // A file where the folder should be: said so, by a reader and a writer (SQLite's words were
    // "unable to open database file"), and the file is left as it was.
    dangpli::test::write_file(tmp / "songs.csv", "title,artist,emotion\n");
    for (const char* command : {"list", "add x --emotion happy"}) {
        CAPTURE(command);
        const auto in_file = playlist(tmp / "songs.csv" / "p.db", command);
        CHECK(in_file.exit_code == 5);
        CHECK(in_file.err == "dangpli: playlist store: " + (tmp / "songs.csv/p.db").string() + ": " +
                                 (tmp / "songs.csv").string() + " is a file, not a folder\n");
    }
    CHECK(dangpli::test::read_file(tmp / "songs.csv") == "title,artist,emotion\n");

    CHECK(playlist(db, "remove", "'no such song'").exit_code == 3);
    r = playlist(db, "remove", "1");
    CHECK(r.exit_code == 0);
    CHECK(song_count(db) == 1);

    r = playlist(db, "history", "--format json");
    CHECK(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out).empty());

    // A relative --uri is made absolute against the folder it was typed in (live may run elsewhere),
    // its surrounding spaces trimmed; a URL is kept as it is.
    const auto relative = run_command("cd " + shell_quote(tmp.path().string()) + " && " +
                                      shell_quote(dangpli::test::kCli.string()) +
                                      " playlist --db p.db add Rel --emotion sad --uri ' music/../songs/a.mp3 '");
    REQUIRE_MESSAGE(relative.exit_code == 0, relative.err);
    REQUIRE(playlist(db, "add", "Web --emotion sad --uri https://example.org/a.mp3").exit_code == 0);
    // As import reads a playlist's uris: a Windows drive path cannot be opened here, a search is no file.
    const auto windows = playlist(db, "add", "Win --emotion sad --uri 'C:\\Music\\a.mp3'");
    CHECK(windows.exit_code == 2);
    CHECK(windows.err == "dangpli: playlist add: --uri 'C:\\Music\\a.mp3' is a Windows drive path, which cannot be "
                         "opened here\n");
    REQUIRE(playlist(db, "add", "Search --emotion sad --uri 'ytdl://ytsearch1:x y'").exit_code == 0);
    const auto uris = nlohmann::json::parse(playlist(db, "list", "--format json").out);
    CHECK(uris.size() == 4);
    for (const auto& song : uris) {
        if (song["title"] == "Search") CHECK(song["uri"].is_null());
        if (song["title"] == "Rel") CHECK(song["uri"] == (tmp / "songs/a.mp3").string());
        if (song["title"] == "Web") CHECK(song["uri"] == "https://example.org/a.mp3");
    }
}

TEST_CASE("'--' ends the options wherever it stands, and --db names one store") {
    TempDir tmp;
    const auto db = tmp / "p.db";
    // CLI11 took a '--' right after a list's values as the end of that list only: -x was read as an option.
    auto r = playlist(db, "add", "--emotion happy -- -x");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out == "added 1: -x\n");
    r = playlist(db, "add", "--emotion happy --emotion sad -- --help");
    CHECK(r.out == "added 2: --help\n");
    // ... and a file already given before it sent the words after it up to dangpli's options.
    r = playlist(db, "tag", "2 -- fear");
    CHECK(r.out == "tagged --help: fear (weight 1)\n");
    // Before the command and after it, --db named two stores, and the second won in silence.
    const auto other = tmp / "other.db";
    r = run_cli("playlist --db " + shell_quote(db.string()) + " stats --db " + shell_quote(other.string()));
    CHECK(r.exit_code == 2);
    CHECK(r.err == "dangpli: --db is given before and after 'stats': name one store (see --help)\n");
    CHECK_FALSE(std::filesystem::exists(other));
    CHECK(song_count(db) == 2);
}

TEST_CASE("two processes importing at once both succeed and nothing is lost") {
    TempDir tmp;
    auto db = tmp / "p.db";
    std::string a = "title,artist,emotion\n", b = a;
    for (int i = 0; i < 300; ++i) {
        a += "A song " + std::to_string(i) + ",Artist A,happy\n";
        b += "B song " + std::to_string(i) + ",Artist B,sad\n";
    }
    dangpli::test::write_file(tmp / "a.csv", a);
    dangpli::test::write_file(tmp / "b.csv", b);
    // With the default playlists too, so that two first uses race for the same new file.
    auto import = [&](const char* file) {
        return shell_quote(dangpli::test::kCli.string()) + " playlist import --db " + shell_quote(db.string()) + " " +
               shell_quote((tmp / file).string()) + " >/dev/null 2>>" + shell_quote((tmp / "err").string());
    };
    auto r = run_command("(" + import("a.csv") + "; echo A=$? >>" + shell_quote((tmp / "rc").string()) + ") & (" +
                         import("b.csv") + "; echo B=$? >>" + shell_quote((tmp / "rc").string()) + ") & wait");
    REQUIRE(r.exit_code == 0);
    auto rc = dangpli::test::read_file(tmp / "rc");
    CHECK_MESSAGE(rc.find("A=0") != std::string::npos, dangpli::test::read_file(tmp / "err"));
    CHECK_MESSAGE(rc.find("B=0") != std::string::npos, dangpli::test::read_file(tmp / "err"));

    auto stats = nlohmann::json::parse(run_cli("playlist stats --format json --db " + shell_quote(db.string())).out);
    auto per = stats["per_emotion"];
    CHECK(per["happy"].get<int>() >= 300);
    CHECK(per["sad"].get<int>() >= 300);
    auto defaults = nlohmann::json::parse(
        run_cli("playlist stats --format json --db " + shell_quote((tmp / "fresh.db").string())).out);
    CHECK(stats["songs"].get<int>() == 600 + defaults["songs"].get<int>());  // defaults imported once
}

TEST_CASE("a new store imports the default playlists: every emotion has songs") {
    TempDir tmp;
    auto r = run_cli("playlist stats --format json --db " + shell_quote((tmp / "p.db").string()));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.err.find("imported") != std::string::npos);
    auto per = nlohmann::json::parse(r.out)["per_emotion"];
    for (const char* e : {"angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"}) {
        CAPTURE(e);
        CHECK(per[e].get<int>() >= 5);
    }
    // Removing a default song does not bring it back.
    REQUIRE(run_cli("playlist remove --db " + shell_quote((tmp / "p.db").string()) + " 'Pharrell Williams - Happy'").exit_code == 0);
    r = run_cli("playlist stats --format json --db " + shell_quote((tmp / "p.db").string()));
    CHECK(r.err.empty());
    CHECK(nlohmann::json::parse(r.out)["per_emotion"]["happy"].get<int>() == per["happy"].get<int>() - 1);

    // A store made with --no-defaults has declined them for good: they never come with a later use.
    const auto mine = shell_quote((tmp / "mine.db").string());
    REQUIRE(run_cli("playlist add --no-defaults --db " + mine + " Mine --emotion happy").exit_code == 0);
    r = run_cli("playlist stats --format json --db " + mine);
    CHECK(r.err.empty());
    CHECK(nlohmann::json::parse(r.out)["songs"].get<int>() == 1);
    // The message counts the songs the import brought.
    const auto fresh = shell_quote((tmp / "fresh.db").string());
    r = run_cli("playlist stats --format json --db " + fresh);
    const auto all = nlohmann::json::parse(r.out)["songs"].get<int>();
    CHECK(r.err.find("imported " + std::to_string(all) + " default songs") != std::string::npos);
}

TEST_CASE("a file that is not a database: exit 5, a clear message, the file untouched") {
    TempDir tmp;
    auto path = tmp / "notes.txt";
    const std::string bytes = "SQLite format 2? no: just notes\n" + std::string(3000, '#');
    dangpli::test::write_file(path, bytes);
    auto r = run_cli("playlist list --db " + shell_quote(path.string()));
    CHECK(r.exit_code == 5);
    CHECK(r.err == "dangpli: playlist store: " + path.string() + ": file is not a database\n");
    CHECK(dangpli::test::read_file(path) == bytes);
    CHECK_FALSE(std::filesystem::exists(tmp / "notes.txt-wal"));
}

TEST_CASE("export -o never replaces the store; links and modes are kept; a full device is exit 7") {
    TempDir tmp;
    const auto db = tmp / "p.db";
    dangpli::test::write_file(tmp / "in.csv", kCsv);
    REQUIRE(playlist(db, "import", shell_quote((tmp / "in.csv").string())).exit_code == 0);
    const std::string store_bytes = dangpli::test::read_file(db);

    auto r = playlist(db, "export", "-o " + shell_quote(db.string()));
    CHECK(r.exit_code == 2);
    CHECK(r.err == "dangpli: --output " + db.string() + " is the same file as the store " + db.string() +
                       ": an output never replaces an input of the same run\n");
    std::filesystem::create_symlink(db, tmp / "link.db");
    CHECK(playlist(db, "export", "-o " + shell_quote((tmp / "link.db").string())).exit_code == 2);
    CHECK(dangpli::test::read_file(db) == store_bytes);
    CHECK(song_count(db) == 4);  // the store still opens

    // -o onto a link: the link stays, its target gets the playlist, the target's mode is kept.
    std::filesystem::create_directories(tmp / "music");
    dangpli::test::write_file(tmp / "music/mood.csv", "old");
    std::filesystem::permissions(tmp / "music/mood.csv", std::filesystem::perms::owner_read |
                                                             std::filesystem::perms::owner_write);
    std::filesystem::create_symlink("music/mood.csv", tmp / "mood.csv");
    r = playlist(db, "export", "-o " + shell_quote((tmp / "mood.csv").string()));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(std::filesystem::is_symlink(std::filesystem::symlink_status(tmp / "mood.csv")));
    CHECK(dangpli::test::read_file(tmp / "music/mood.csv").find("난춘,새소년,sad") != std::string::npos);
    CHECK((std::filesystem::status(tmp / "music/mood.csv").permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

    r = playlist(db, "export", "-o /dev/full");
    CHECK(r.exit_code == 7);
    CHECK(r.err == "dangpli: /dev/full: cannot write (write: No space left on device)\n");
    CHECK(playlist(db, "export", "-o /dev/null").exit_code == 0);
    CHECK(std::filesystem::is_character_file("/dev/null"));
}

TEST_CASE("list, export and stats to a full device are not a success") {
    TempDir tmp;
    const auto db = tmp / "p.db";
    dangpli::test::write_file(tmp / "in.csv", kCsv);
    REQUIRE(playlist(db, "import", shell_quote((tmp / "in.csv").string())).exit_code == 0);
    for (const std::string sub : {"list", "list --format json", "export", "stats"}) {
        CAPTURE(sub);
        // A subshell: run_command's own redirection of stdout would otherwise replace ours.
        auto r = run_command("(" + shell_quote(dangpli::test::kCli.string()) + " playlist " + sub + " --db " +
                             shell_quote(db.string()) + " --no-defaults > /dev/full)");
        CHECK(r.exit_code == 7);
        CHECK(r.err.rfind("dangpli: cannot write to standard output (", 0) == 0);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
}
