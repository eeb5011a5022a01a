// `dangpli playlist scan` end to end: real files, a real store, the built program; then `live`
// playing a scanned song by its path.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "support.hpp"
#include "synth_songs.hpp"

using dangpli::test::run_cli;
using dangpli::test::run_command;
using dangpli::test::shell_quote;
using dangpli::test::TempDir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::vector<json> json_lines(const std::string& text) {
    std::vector<json> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(json::parse(line));
    return lines;
}

// The store named before the subcommand, as the other playlist subcommands take it.
std::string scan(const std::filesystem::path& db, const std::string& args) {
    return "playlist --db " + shell_quote(db.string()) + " --no-defaults scan " + args;
}

}  // namespace

TEST_CASE("scan tags songs by their sound, reports a bad file in one line, and keeps the user's tags") {
    TempDir dir;
    const auto music = dir / "music";
    std::filesystem::create_directories(music / "sub");
    const auto& songs = dangpli::test::four_songs();
    std::filesystem::copy_file(songs.energetic_major, music / "energetic.wav");
    dangpli::test::encode(songs.slow_minor, "ogg", "Grey Rain", "The Drones");
    std::filesystem::copy_file(std::filesystem::path(songs.slow_minor).replace_extension("ogg"), music / "sub" / "calm.ogg");
    dangpli::test::write_file(music / "broken.mp3", std::string(3000, '\x55'));
    dangpli::test::write_file(music / "notes.txt", "not a song, and not looked at");
    const auto db = dir / "store.db";

    const auto dry = run_cli(scan(db, "--dry-run --format jsonl -j 2 " + shell_quote(music.string())));
    INFO(dry.err);
    CHECK(dry.exit_code == 1);  // one file failed, the others were scanned
    CHECK_FALSE(std::filesystem::exists(db));
    const auto errors = std::count(dry.err.begin(), dry.err.end(), '\n');
    CHECK(errors == 1);
    CHECK(dry.err.find((music / "broken.mp3").string() + ": not an audio file") != std::string::npos);
    CHECK(dry.err.find("[mp3") == std::string::npos);  // FFmpeg's reason only, not its log lines
    const auto lines = json_lines(dry.out);
    REQUIRE(lines.size() == 2);
    const json& energetic = lines[0];
    const json& calm = lines[1];
    CHECK(energetic["path"] == (music / "energetic.wav").string());
    CHECK(energetic["title"] == "energetic");
    CHECK(calm["title"] == "Grey Rain");
    CHECK(calm["artist"] == "The Drones");
    for (const char* key : {"path", "title", "artist", "seconds", "tempo_bpm", "loudness_lufs", "mode", "key", "arousal",
                            "valence", "emotions", "segments"})
        CHECK(calm.contains(key));
    CHECK(energetic["mode"] == "major");
    CHECK(calm["mode"] == "minor");
    // Rounded numbers print as such: -222 * 0.1 printed as -22.200000000000003.
    for (const std::string& line : {lines[0].dump(), lines[1].dump()}) {
        CAPTURE(line);
        CHECK(line.find("0000000") == std::string::npos);
        CHECK(line.find("9999999") == std::string::npos);
    }
    CHECK(energetic["arousal"].get<double>() > calm["arousal"].get<double>());
    CHECK(energetic["valence"].get<double>() > calm["valence"].get<double>());
    CHECK(energetic["emotions"][0] == "happy");
    CHECK(calm["emotions"][0] == "sad");

    // Stored: automatic tags; the user then says the calm song is a happy one.
    auto stored = run_cli(scan(db, shell_quote(music.string())));
    CHECK(stored.exit_code == 1);
    CHECK(stored.out.find("happy") != std::string::npos);
    auto listed = run_cli("playlist list --db " + shell_quote(db.string()) + " --format json");
    REQUIRE(listed.exit_code == 0);
    CHECK(listed.out.find("\"auto\"") != std::string::npos);
    REQUIRE(run_cli("playlist tag --db " + shell_quote(db.string()) + " 'Grey Rain' happy").exit_code == 0);

    // A rescan skips the unchanged files and keeps the user's tag.
    const auto again = run_cli(scan(db, "--format jsonl " + shell_quote(music.string())));
    CHECK(again.exit_code == 1);
    const auto again_lines = json_lines(again.out);
    REQUIRE(again_lines.size() == 2);
    CHECK(again_lines[0]["unchanged"] == true);
    const auto happy = run_cli("playlist list --db " + shell_quote(db.string()) + " --emotion happy --format json");
    CHECK(happy.out.find("Grey Rain") != std::string::npos);
    const auto sad = run_cli("playlist list --db " + shell_quote(db.string()) + " --emotion sad --format json");
    CHECK(sad.out.find("Grey Rain") != std::string::npos);  // its automatic tag is still there beside

    // A store of schema 5 measured keys at too low a rate: opened by this build, its files are measured again.
    {
        SQLite::Database store(db.string(), SQLite::OPEN_READWRITE);
        store.exec("PRAGMA user_version = 5");
    }
    const auto remeasured = json_lines(run_cli(scan(db, "--format jsonl " + shell_quote(music.string()))).out);
    REQUIRE(remeasured.size() == 2);
    CHECK_FALSE(remeasured[0].contains("unchanged"));
    CHECK_FALSE(remeasured[1].contains("unchanged"));

    // A song whose file is gone from the folder is said, with its id, rather than kept in silence.
    std::filesystem::remove(music / "energetic.wav");
    const auto gone = run_cli(scan(db, shell_quote(music.string())));
    CHECK(gone.err.find("dangpli: 1 song(s) in the store have no file any more under the folders scanned: " +
                        (music / "energetic.wav").string() + " (") != std::string::npos);
    CHECK(gone.err.find("`dangpli playlist remove ") != std::string::npos);

    const auto missing = run_cli(scan(db, shell_quote((dir / "nothing-here").string())));
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("nothing-here: no such file or folder") != std::string::npos);

    // A folder without songs is named, not a silent success.
    std::filesystem::create_directories(dir / "songless");
    dangpli::test::write_file(dir / "songless/readme.txt", "no songs here");
    const auto songless = run_cli(scan(db, "--dry-run " + shell_quote((dir / "songless").string())));
    CHECK(songless.exit_code == 1);
    CHECK(songless.err.find("songless: no song files (") != std::string::npos);
}

TEST_CASE("scan: a folder it cannot open is named, and the folders beside it are still scanned") {
    TempDir dir;
    const auto music = dir / "music";
    std::filesystem::create_directories(music / "zz");
    std::filesystem::copy_file(dangpli::test::four_songs().energetic_major, music / "zz/song.wav");
    // Folders nested past PATH_MAX (4096 bytes) cannot be opened by their path, even by root: "aa"
    // sorts, and is walked, first. Made one level at a time, relative to the last (mkdirat).
    std::filesystem::create_directories(music / "aa");
    int folder = ::open((music / "aa").c_str(), O_DIRECTORY | O_CLOEXEC);
    REQUIRE(folder >= 0);
    const std::string level(200, 'd');
    for (int depth = 0; depth < 25; ++depth) {
        REQUIRE(::mkdirat(folder, level.c_str(), 0755) == 0);
        const int inner = ::openat(folder, level.c_str(), O_DIRECTORY | O_CLOEXEC);
        ::close(folder);
        folder = inner;
        REQUIRE(folder >= 0);
    }
    const std::string song = dangpli::test::read_file(music / "zz/song.wav");
    const int deep = ::openat(folder, "deep.wav", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    ::close(folder);
    REQUIRE(deep >= 0);
    CHECK(::write(deep, song.data(), song.size()) == static_cast<ssize_t>(song.size()));
    ::close(deep);
    const auto r = run_cli(scan(dir / "s.db", "--dry-run --format jsonl " + shell_quote(music.string())));
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(": cannot read the directory: File name too long") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    const auto lines = json_lines(r.out);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["path"] == (music / "zz/song.wav").string());
    // analyze's walk is the same one.
    std::filesystem::copy_file(dangpli::test::kSharedDir / "data/faces/neutral.jpeg", music / "zz/face.jpeg");
    const auto a = run_cli("analyze --format jsonl " + shell_quote(music.string()));
    CHECK(a.exit_code == 1);
    CHECK(a.err.find(": cannot read the directory: File name too long") != std::string::npos);
    CHECK(a.out.find("face.jpeg") != std::string::npos);
    CHECK(run_command("rm -rf " + shell_quote((music / "aa").string())).exit_code == 0);  // TempDir's remove_all cannot

    // A dry run refuses what the real scan would: a name (the title) that is not UTF-8.
    std::filesystem::create_directories(dir / "latin1");
    std::filesystem::copy_file(music / "zz/song.wav", dir / "latin1" / "caf\xe9.wav");
    const auto latin = run_cli(scan(dir / "s.db", "--dry-run --format jsonl " + shell_quote((dir / "latin1").string())));
    CHECK(latin.exit_code == 1);
    CHECK(latin.err.find("not valid UTF-8") != std::string::npos);
    CHECK(json_lines(latin.out).empty());
}

TEST_CASE("scan and analyze pass over hidden entries of a folder (a stick's trash, macOS's ._ companions); scan reads a linked song once") {
    TempDir dir;
    const auto stick = dir / "stick";
    std::filesystem::create_directories(stick / "Music");
    std::filesystem::create_directories(stick / ".Trash-1000/files");
    std::filesystem::copy_file(dangpli::test::four_songs().energetic_major, stick / "Music/song.wav");
    std::filesystem::copy_file(dangpli::test::four_songs().slow_minor, stick / ".Trash-1000/files/deleted.wav");
    // AppleDouble: a header, not audio; it failed every scan of the folder (exit 1).
    dangpli::test::write_file(stick / "Music/._song.wav", std::string("\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X", 16) + std::string(4000, '\0'));
    const auto r = run_cli(scan(dir / "s.db", "--dry-run --format jsonl " + shell_quote(stick.string())));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    const auto lines = json_lines(r.out);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["path"] == (stick / "Music/song.wav").string());
    // A link to a song already found is that song, read once (it was stored as a second song).
    std::filesystem::create_symlink("song.wav", stick / "Music/link to song.wav");
    const auto linked = run_cli(scan(dir / "s.db", "--dry-run --format jsonl " + shell_quote(stick.string())));
    REQUIRE(json_lines(linked.out).size() == 1);
    CHECK(json_lines(linked.out)[0]["path"] == (stick / "Music/song.wav").string());  // not the link, which sorts first
    // A hidden file named by the user is theirs to read.
    const auto named = run_cli(scan(dir / "s.db", "--dry-run --format jsonl " + shell_quote((stick / ".Trash-1000/files/deleted.wav").string())));
    CHECK(named.exit_code == 0);
    CHECK(json_lines(named.out).size() == 1);
    // analyze's walk is the same one: a thumbnail cache beside the photos is not read.
    std::filesystem::create_directories(stick / "Photos/.thumbnails");
    std::filesystem::copy_file(dangpli::test::kSharedDir / "data/faces/neutral.jpeg", stick / "Photos/face.jpeg");
    std::filesystem::copy_file(dangpli::test::kSharedDir / "data/faces/neutral.jpeg", stick / "Photos/.thumbnails/face.jpeg");
    const auto a = run_cli("analyze --format jsonl " + shell_quote((stick / "Photos").string()));
    CHECK(a.exit_code == 0);
    CHECK(json_lines(a.out).size() == 1);
}

TEST_CASE("scan: Ctrl-C finishes the songs in hand and stores them, ends the JSON whole, and says how far it got") {
    // It died at once: no line, a JSON array left open (bb47b M11).
    TempDir dir;
    std::filesystem::create_directories(dir / "music");
    for (int i = 0; i < 60; ++i)
        std::filesystem::copy_file(dangpli::test::four_songs().slow_major, dir / "music" / fmt::format("song {:02}.wav", i));
    const auto r = dangpli::test::run_command("timeout --preserve-status -s INT 3 " + shell_quote(dangpli::test::kCli.string()) +
                                              " " + scan(dir / "s.db", "--format json -j 1 " + shell_quote((dir / "music").string())));
    INFO(r.err);
    CHECK(r.exit_code == 130);
    const json rows = json::parse(r.out);  // throws on a cut array
    REQUIRE(rows.is_array());
    CHECK(rows.size() < 60);
    CHECK(r.err.find("dangpli playlist scan: interrupted: " + std::to_string(rows.size()) + " of 60 files done, and stored\n") !=
          std::string::npos);
    const auto listed = run_cli("playlist list --db " + shell_quote((dir / "s.db").string()) + " --format json");
    CHECK(listed.out.find("song 00") != std::string::npos);
}

TEST_CASE("scan: a second recording of one title and artist ('Intro' on two albums) is kept apart by album, "
          "folder or file name") {
    TempDir dir;
    const auto& songs = dangpli::test::four_songs();
    struct Recording {
        const char* folder;
        const char* name;
        const char* album;
        std::filesystem::path wav;
    };
    // Scanned in path order: a/ first, then b/'s two files; only a/'s is tagged with its album.
    for (const Recording& r : {Recording{"a", "01-intro", "Wings", songs.energetic_major},
                               Recording{"b", "01-intro", "", songs.slow_minor},
                               Recording{"b", "09-intro", "", songs.slow_major}}) {
        const auto wav = dir / "music" / r.folder / (std::string(r.name) + ".wav");
        std::filesystem::create_directories(wav.parent_path());
        std::filesystem::copy_file(r.wav, wav);
        dangpli::test::encode(wav, "mp3", "Intro", "BTS", r.album);
        std::filesystem::remove(wav);
    }
    const auto db = dir / "s.db";
    const auto music = dir / "music";
    for (int round = 0; round < 2; ++round) {  // a rescan neither flips a song to another file nor renames it
        CAPTURE(round);
        const auto r = run_cli(scan(db, "--format jsonl " + shell_quote(music.string())));
        INFO(r.err);
        CHECK(r.exit_code == 0);
        if (round == 0) {
            std::vector<std::string> printed;
            for (const json& line : json_lines(r.out)) printed.push_back(line["title"].get<std::string>());
            CHECK(printed == std::vector<std::string>{"Intro", "Intro (b)", "Intro (09-intro)"});
        }
        const auto list = run_cli("playlist --db " + shell_quote(db.string()) + " list --format json");
        std::map<std::string, std::string> uri_of_title;
        for (const json& song : json::parse(list.out)) uri_of_title[song["title"]] = song["uri"];
        CHECK(uri_of_title == std::map<std::string, std::string>{
                                  {"Intro", (music / "a/01-intro.mp3").string()},
                                  {"Intro (b)", (music / "b/01-intro.mp3").string()},
                                  {"Intro (09-intro)", (music / "b/09-intro.mp3").string()}});
    }
    // Another album's "Intro" takes its album's name.
    std::filesystem::create_directories(dir / "more/c");
    std::filesystem::copy_file(songs.slow_minor, dir / "more/c/intro.wav");
    dangpli::test::encode(dir / "more/c/intro.wav", "mp3", "Intro", "BTS", "Love Yourself");
    std::filesystem::remove(dir / "more/c/intro.wav");
    const auto r = run_cli(scan(db, "--format jsonl " + shell_quote((dir / "more").string())));
    REQUIRE(r.exit_code == 0);
    CHECK(json_lines(r.out).at(0)["title"] == "Intro (Love Yourself)");
}

TEST_CASE("live plays a scanned song by its file path") {
    TempDir dir;
    const auto song = dir / "energetic.wav";
    std::filesystem::copy_file(dangpli::test::four_songs().energetic_major, song);
    const auto db = dir / "store.db";
    REQUIRE(run_cli(scan(db, shell_quote(song.string()))).exit_code == 0);

    // A minute of a happy face, as `live --trace` would have recorded it.
    std::string trace;
    for (int i = 0; i < 600; ++i)
        trace += fmt::format("{{\"t\":{},\"faces\":1,\"box\":[10,10,80,80],\"score\":0.99,"
                             "\"scores\":[0.01,0.01,0.01,0.94,0.01,0.01,0.01]}}\n", i * 0.1);
    dangpli::test::write_file(dir / "trace.jsonl", trace);
    // No default playlists (an empty data dir): the happy song live finds is the scanned one.
    std::filesystem::create_directories(dir / "data");
    const auto r = run_command("DANGPLI_DATA_DIR=" + shell_quote((dir / "data").string()) + " " +
                               shell_quote(dangpli::test::kCli.string()) + " live --replay " +
                               shell_quote((dir / "trace.jsonl").string()) + " --db " + shell_quote(db.string()) +
                               " --no-ask --player silent");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("playing energetic (happy)") != std::string::npos);

    // What was played is the scanned song, whose play target is its file.
    const auto history = run_cli("playlist history --no-defaults --db " + shell_quote(db.string()) + " --format json");
    REQUIRE(history.exit_code == 0);
    const json plays = json::parse(history.out);
    REQUIRE(!plays.empty());
    const auto songs = run_cli("playlist list --no-defaults --db " + shell_quote(db.string()) + " --format json");
    const json listed = json::parse(songs.out);
    REQUIRE(listed.size() == 1);
    CHECK(plays[0]["song_id"] == listed[0]["id"]);
    CHECK(listed[0]["uri"] == song.string());
}

TEST_CASE("scan: a tag holding a tab or a line break is read with spaces for them, not a reason to refuse the song") {
    // A tagger's tab in a title refused the whole song ("title or artist holds a control character").
    TempDir dir;
    fs::create_directories(dir / "music");
    const auto made = run_command("ffmpeg -nostdin -v error -y -f lavfi -i sine=frequency=440:duration=12 -metadata "
                                  "title=\"$(printf 'Tab\\there\\n')\" -metadata artist=\"$(printf 'The\\033[2JBand')\" " +
                                  shell_quote((dir / "music/tab.mp3").string()));
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    const std::string db = shell_quote((dir / "s.db").string());
    const auto scanned = run_cli("playlist --db " + db + " --no-defaults scan " + shell_quote((dir / "music").string()));
    INFO(scanned.err);
    CHECK(scanned.exit_code == 0);
    const auto songs = json::parse(run_cli("playlist --db " + db + " list --format json").out);
    REQUIRE(songs.size() == 1);
    CHECK(songs[0].at("title") == "Tab here");
    CHECK(songs[0].at("artist") == "The [2JBand");

    // A title past the store's 1000 bytes is cut at a character's start, not a reason to refuse the song.
    std::string long_title;
    for (int i = 0; i < 400; ++i) long_title += "\xea\xb0\x80";  // 가, three bytes each
    fs::create_directories(dir / "long");
    REQUIRE(run_command("ffmpeg -nostdin -v error -y -f lavfi -i sine=frequency=440:duration=12 -metadata title=" +
                        shell_quote(long_title) + " " + shell_quote((dir / "long/long.mp3").string())).exit_code == 0);
    const auto cut = json_lines(run_cli("playlist --db " + db + " scan --format jsonl " + shell_quote((dir / "long").string())).out);
    REQUIRE(cut.size() == 1);
    const std::string title = cut[0].at("title");
    CHECK(title.size() <= 1000);
    CHECK(title.ends_with("\xea\xb0\x80\xe2\x80\xa6"));  // whole characters, then an ellipsis
}
