#include <doctest/doctest.h>

#include "dangpli/error.hpp"
#include "dangpli/playlist_io.hpp"
#include "dangpli/playlist_store.hpp"
#include "support.hpp"

using namespace dangpli;
using dangpli::test::TempDir;

namespace {

std::vector<PlaylistEntry> parse(std::string_view text, PlaylistFormat f, std::optional<Emotion> e = {}) {
    PlaylistReadOptions o;
    o.file_name = "list";
    o.base_dir = "/music";
    o.default_emotion = e;
    return parse_playlist(text, f, o);
}

// The error message of parsing `text`, or "" if it parses.
std::string error_of(std::string_view text, PlaylistFormat f, std::optional<Emotion> e = {}) {
    try {
        parse(text, f, e);
    } catch (const DataError& err) {
        return err.what();
    }
    return {};
}

std::vector<Song> sample_songs() {
    using std::chrono::milliseconds;
    return {
        Song{0, "라일락", "아이유", std::nullopt, milliseconds(214000), {{Emotion::Happy, 1.0, TagSource::Imported}}},
        Song{0, "菊次郎の夏", "久石譲", std::string("/music/夏.flac"), std::nullopt,
             {{Emotion::Fear, 1.0, TagSource::Imported}, {Emotion::Neutral, 2.5, TagSource::Imported}}},
        Song{0, "Title, with \"quotes\" - and a dash", "", std::string("https://example.org/a?b=1,2"),
             milliseconds(61000), {{Emotion::Surprise, 1.0, TagSource::Feedback}}},
        Song{0, "true", "123", std::nullopt, std::nullopt, {{Emotion::Angry, 0.5, TagSource::Auto}}},
    };
}

}  // namespace

TEST_CASE("CSV: header in any order, quoting, BOM, CRLF, relative paths, durations and weights") {
    auto rows = parse("\xEF\xBB\xBF" "Artist,Title,emotion,uri,duration,weight\r\n"
                      "아이유,라일락,happy,,3:34,\r\n"
                      "\r\n"
                      "\"Sinatra, Frank\", \"That's \"\"Life\"\"\" ,SAD,songs/life.mp3,185.5,2\r\n"
                      "x,\"two\nlines\",fear,https://e.org/x,,\n",
                      PlaylistFormat::Csv);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].title == "라일락");
    CHECK(rows[0].artist == "아이유");
    CHECK(rows[0].emotion == Emotion::Happy);
    CHECK_FALSE(rows[0].uri);
    CHECK(rows[0].duration == std::chrono::milliseconds(214000));
    CHECK(rows[0].line == 2);
    CHECK(rows[1].artist == "Sinatra, Frank");
    CHECK(rows[1].title == "That's \"Life\"");
    CHECK(rows[1].uri == "/music/songs/life.mp3");
    CHECK(rows[1].duration == std::chrono::milliseconds(185500));
    CHECK(rows[1].weight == 2.0);
    CHECK(rows[1].line == 4);
    CHECK(rows[2].title == "two\nlines");  // the store refuses it later; the reader keeps what is written
    CHECK(rows[2].uri == "https://e.org/x");
    CHECK(rows[2].line == 5);
}

TEST_CASE("CSV: each broken row names its file and line") {
    const auto csv = PlaylistFormat::Csv;
    CHECK(error_of("title,artist,emotion\na,b,happy\nc,d,bored\n", csv) ==
          "list:3: unknown emotion 'bored' (expected angry, disgust, fear, happy, sad, surprise, neutral)");
    CHECK(error_of("title,artist,emotion\n,b,happy\n", csv) == "list:2: missing title");
    CHECK(error_of("title,artist,emotion\na,b,\n", csv) == "list:2: missing emotion");
    CHECK(error_of("title,artist,emotion\na,b\n", csv) == "list:2: expected 3 fields, found 2");
    CHECK(error_of("title,artist,emotion\n\"a,b,happy\nc,d,sad\n", csv).starts_with("list:2: unterminated quoted field"));
    CHECK(error_of("title,artist,emotion\na\"x,b,happy\n", csv).starts_with("list:2: quote inside an unquoted field"));
    CHECK(error_of("title,artist,emotion\n\"a\"x,b,happy\n", csv).starts_with("list:2: text after a closing quote"));
    CHECK(error_of("title,artist,emotion\na,b,happy\n\xED\xA0\x80,b,sad\n", csv).starts_with("list:3: invalid UTF-8"));
    CHECK(error_of("title,artist,emotion\na,b,happy\nc\xFF,b,sad\n", csv).starts_with("list:3: invalid UTF-8 (byte 0xFF"));
    CHECK(error_of("title,artist,mood\n", csv).starts_with("list:1: unknown column 'mood'"));
    CHECK(error_of("title,emotion\n", csv).starts_with("list:1: missing column 'artist'"));
    CHECK(error_of("title,artist\n", csv).starts_with("list:1: missing column 'emotion'"));
    CHECK(error_of("title,artist\na,b\n", csv, Emotion::Sad).empty());
    CHECK(error_of("title,artist,emotion,duration\na,b,sad,3:75\n", csv) == "list:2: bad duration '3:75' (seconds, or m:ss)");
    CHECK(error_of("title,artist,emotion,weight\na,b,sad,-1\n", csv) == "list:2: bad weight '-1' (a number above 0)");
    CHECK(parse("", csv).empty());
}

TEST_CASE("YAML: emotion -> songs, with line numbers in errors") {
    auto rows = parse("happy:\n"
                      "  - {title: 라일락, artist: 아이유}\n"
                      "  - title: \"Happy\"\n"
                      "    artist: Pharrell Williams\n"
                      "    uri: happy.mp3\n"
                      "    duration: 233\n"
                      "fear:\n"
                      "  - title: 生命の名前\n"
                      "    weight: 0.5\n"
                      "sad: ~\n",
                      PlaylistFormat::Yaml);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].title == "라일락");
    CHECK(rows[1].uri == "/music/happy.mp3");
    CHECK(rows[1].duration == std::chrono::milliseconds(233000));
    CHECK(rows[1].line == 3);
    CHECK(rows[2].emotion == Emotion::Fear);
    CHECK(rows[2].artist.empty());
    CHECK(rows[2].weight == 0.5);

    const auto yaml = PlaylistFormat::Yaml;
    CHECK(error_of("happy:\n  - {title: a}\nbored:\n  - {title: b}\n", yaml).starts_with("list:3: unknown emotion 'bored'"));
    CHECK(error_of("happy:\n  - {title: a}\n  - {artist: b}\n", yaml) == "list:3: missing title");
    CHECK(error_of("happy:\n  - {title: a, titel: b}\n", yaml).starts_with("list:2: unknown key 'titel'"));
    CHECK(error_of("happy:\n  - {title: [a, b]}\n", yaml) == "list:2: 'title' must be a single value");
    CHECK(error_of("happy:\n  - {title: \"a}\n", yaml).starts_with("list:3: end of map flow not found"));  // where yaml-cpp notices
    CHECK(error_of("- a\n- b\n", yaml).starts_with("list:1: expected a map"));
    CHECK(error_of("happy:\n  - {title: \"\xC3\"}\n", yaml).starts_with("list:2: invalid UTF-8"));
    CHECK(parse("", yaml).empty());
    // Nothing read is dropped: a second document (yaml-cpp read the first only), a key given twice.
    CHECK(error_of("---\nhappy:\n  - {title: a}\n---\nsad:\n  - {title: c}\n", yaml) ==
          "list:5: a second YAML document (a playlist file holds one: merge them, or import each file)");
    CHECK(error_of("happy:\n  - {title: a}\n...\nsad:\n  - {title: c}\n", yaml).starts_with("list:4: a second YAML document"));
    CHECK(error_of("---\n---\nhappy:\n  - {title: a}\n", yaml).starts_with("list:3: a second YAML document"));
    CHECK(parse("happy:\n  - {title: a}\n---\n", yaml).size() == 1);  // an empty document after it loses nothing
    CHECK(error_of("happy:\n  - {title: a, artist: b,\n     title: z}\n", yaml) == "list:3: 'title' again in one song (first at line 2)");
    // An emotion given twice: its two lists were read as one.
    CHECK(error_of("happy:\n  - {title: a}\n# more\nhappy:\n  - {title: b}\n", yaml) == "list:4: 'happy' again (first at line 1)");
    // A ',' where a document starts: yaml-cpp 0.7's Load read an empty file (or dropped what followed)
    // and its LoadAll looped for ever, its memory growing (a fuzzer's find).
    CHECK(error_of(",happy:\n  - {title: a}\n", yaml) ==
          "list:1: a stray ',' where a document starts (YAML would drop it and all that follows)");
    CHECK(error_of("# happy songs\n , happy:\n  - {title: a}\n", yaml).starts_with("list:2: a stray ','"));
    CHECK(error_of("{happy: [{title: a}]},\nsad:\n  - {title: b}\n", yaml).starts_with("list:1: a stray ','"));
    CHECK(error_of("happy:\n  - {title: a}\n---\nsad: [\n", yaml).starts_with("list:5: a second YAML document"));
    // After a byte-order mark (Notepad's), the ',' is still the one quoted (its mark counts past the BOM).
    CHECK(error_of("\xEF\xBB\xBF,\nhappy: []\n", yaml).starts_with("list:1: a stray ','"));
    CHECK(error_of("\xEF\xBB\xBFhappy: [{title: A}]\n---\n,\n", yaml).starts_with("list:3: a stray ','"));
    // yaml-cpp's words were "unknown escape character: B" for a NUL and "bad file" for deep nesting.
    CHECK(error_of(std::string("happy:\n  - title: A\0B\n", 22), yaml) == "list:2: a NUL byte (YAML is text: a binary file?)");
    CHECK(error_of("happy: " + std::string(100000, '[') + std::string(100000, ']'), yaml)
              .starts_with("list:1: nested too deeply for a YAML reader"));
}

TEST_CASE("M3U: #EXTINF, #EXTART, #EXTGRP, #EXTDANGPLI-WEIGHT, bare paths and the search target") {
    auto rows = parse("#EXTM3U\n"
                      "#EXTINF:214,아이유 - 라일락\n"
                      "#EXTGRP:happy,sad\n"
                      "ytdl://ytsearch1:아이유 라일락\n"
                      "#EXTINF:-1,A - B - C\n"
                      "#EXTART:\n"
                      "#EXTGRP:fear\n"
                      "https://e.org/abc\n"
                      "songs/夏.flac\n",
                      PlaylistFormat::M3u, Emotion::Neutral);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].title == "라일락");
    CHECK(rows[0].artist == "아이유");
    CHECK_FALSE(rows[0].uri);
    CHECK(rows[0].duration == std::chrono::milliseconds(214000));
    CHECK(rows[1].emotion == Emotion::Sad);
    CHECK(rows[2].title == "A - B - C");
    CHECK(rows[2].artist.empty());
    CHECK(rows[2].line == 5);
    CHECK(rows[3].title == "夏");
    CHECK(rows[3].uri == "/music/songs/夏.flac");
    CHECK(rows[3].emotion == Emotion::Neutral);

    const auto m3u = PlaylistFormat::M3u;
    CHECK(error_of("#EXTM3U\n/a.mp3\n", m3u).starts_with("list:2: no emotion for this song"));
    CHECK(error_of("#EXTM3U\n#EXTGRP:bored\n/a.mp3\n", m3u).starts_with("list:2: unknown emotion 'bored'"));
    CHECK(error_of("#EXTM3U\n#EXTINF:abc,x\n/a.mp3\n", m3u, Emotion::Sad).starts_with("list:2: bad #EXTINF duration"));
    CHECK(error_of("#EXTM3U\n#EXTINF:1,x\n", m3u, Emotion::Sad).starts_with("list:2: #EXTINF without a uri"));
    // A control character in a uri is named on the uri's own line (it named the #EXTINF line), by its byte.
    CHECK(error_of("#EXTM3U\n#EXTINF:1,x\n#EXTGRP:sad\n\nfile\x01.mp3\n", m3u, Emotion::Sad) ==
          "list:5: the uri holds a control character (byte 0x01)");
    // Past 1e9 s, seconds * 1000 no longer fits a long long: once read back as a negative duration.
    CHECK(error_of("#EXTINF:1e19,x\n/a.mp3\n", m3u, Emotion::Sad).starts_with("list:1: bad #EXTINF duration '1e19'"));

    // Our weights line: per emotion of the entry, the others keep 1; bad ones name the line.
    auto weighted = parse("#EXTM3U\n#EXTGRP:happy,sad\n#EXTDANGPLI-WEIGHT:sad=2.5\n/a.mp3\n", m3u);
    REQUIRE(weighted.size() == 2);
    CHECK(weighted[0].weight == 1.0);
    CHECK(weighted[1].weight == 2.5);
    CHECK(error_of("#EXTM3U\n#EXTGRP:sad\n#EXTDANGPLI-WEIGHT:sad=-1\n/a.mp3\n", m3u).starts_with("list:3: bad weight '-1'"));
    // Nothing is dropped without a word: a weight for an emotion the song lacks, a song without its uri line.
    CHECK(error_of("#EXTM3U\n#EXTGRP:sad\n#EXTDANGPLI-WEIGHT:happy=2\n/a.mp3\n", m3u) ==
          "list:3: a weight for happy, which is not one of the song's emotions (sad)");
    CHECK(error_of("#EXTGRP:sad\n#EXTDANGPLI-WEIGHT:sad=2\n#EXTDANGPLI-WEIGHT:sad=3\n/a.mp3\n", m3u) ==
          "list:3: a second weight for sad (the first at line 2)");
    CHECK(error_of(std::string("\xFF\xFE#\0E\0", 6), m3u, Emotion::Sad) ==
          "list:1: UTF-16 text (as some Windows programs save it): save it as UTF-8");
    CHECK(error_of(std::string("t\0i\0t\0l\0e\0", 10), PlaylistFormat::Csv) ==
          "list:1: UTF-16 text (as some Windows programs save it): save it as UTF-8");
    // Windows exports: backslashes in a relative path are separators; a drive path cannot be opened here.
    PlaylistReadOptions windows;
    windows.file_name = "list";
    windows.base_dir = "/music";
    windows.default_emotion = Emotion::Sad;
    const auto relative = parse_playlist("#EXTM3U\r\nalbum\\sub\\a.mp3\r\n", m3u, windows);
    REQUIRE(relative.size() == 1);
    CHECK(relative[0].uri == "/music/album/sub/a.mp3");
    CHECK(error_of("#EXTM3U\r\n#EXTINF:1,x\r\nC:\\Users\\me\\Music\\y.mp3\r\n", m3u, Emotion::Sad)
              .starts_with("list:3: 'C:\\Users\\me\\Music\\y.mp3' is a Windows drive path"));
    // The same as file: URLs (as some players export them), and a network share (UNC).
    CHECK(error_of("#EXTM3U\nfile:///C:/Users/me/Music/y.mp3\n", m3u, Emotion::Sad)
              .starts_with("list:2: 'file:///C:/Users/me/Music/y.mp3' is a Windows drive path"));
    CHECK(error_of("#EXTM3U\nFILE:/d:/y.mp3\n", m3u, Emotion::Sad).starts_with("list:2: 'FILE:/d:/y.mp3' is a Windows drive path"));
    CHECK(error_of("#EXTM3U\n\\\\nas\\music\\y.mp3\n", m3u, Emotion::Sad)
              .starts_with("list:2: '\\\\nas\\music\\y.mp3' is a Windows network (UNC) path"));
    // A file: URL of this machine is its path, percent-decoded, as VLC and Rhythmbox write M3U lines (it
    // was kept as the URL: a title of %-escapes, and a scan of the file added it again beside).
    const auto url = parse_playlist("#EXTM3U\nfile:///music/%ED%95%9C%EA%B5%AD%20%EB%85%B8%EB%9E%98.ogg\n"
                                    "file://localhost/music/100%25%zz.mp3\nFILE:/music/line%0Abreak.mp3\n"
                                    "file://nas/music/z.mp3\n", m3u, windows);
    REQUIRE(url.size() == 4);
    CHECK(url[0].uri == "/music/한국 노래.ogg");
    CHECK(url[0].title == "한국 노래");
    CHECK(url[1].uri == "/music/100%%zz.mp3");  // an escape that is none stays as written
    CHECK(url[2].uri == "/music/line%0Abreak.mp3");  // so does a control character's
    CHECK(url[3].uri == "file://nas/music/z.mp3");  // another machine's file is a URL for the player
    CHECK(url[3].title == "z");
    // A Windows line's title is its file name, not the whole backslash path.
    CHECK(relative[0].title == "a");
    CHECK(error_of("#EXTDANGPLI-WEIGHT:happy=2\n/a.mp3\n", m3u, Emotion::Sad).starts_with("list:1: a weight for happy"));
    CHECK(error_of("#EXTM3U\n#EXTINF:1,x\n#EXTINF:2,y\n/b.mp3\n", m3u, Emotion::Sad) ==
          "list:3: #EXTINF again before the uri line of the song at line 2");
    CHECK(error_of("#EXTM3U\n#EXTGRP:sad\n#EXTDANGPLI-WEIGHT:glum=2\n/a.mp3\n", m3u)
              .starts_with("list:3: unknown emotion 'glum'"));
}

TEST_CASE("every format round-trips through a store") {
    for (PlaylistFormat format : {PlaylistFormat::Csv, PlaylistFormat::Yaml, PlaylistFormat::M3u}) {
        CAPTURE(to_string(format));
        TempDir tmp;
        PlaylistStore source(tmp / "a.db");
        for (const Song& s : sample_songs()) source.add_song(s);
        auto songs = source.songs();
        std::string text = format_playlist(songs, format);
        PlaylistReadOptions o;
        o.file_name = "export";
        auto entries = parse_playlist(text, format, o);

        PlaylistStore copy(tmp / "b.db");
        copy.import_entries(entries);
        auto back = copy.songs();
        REQUIRE(back.size() == songs.size());
        for (std::size_t i = 0; i < songs.size(); ++i) {
            CAPTURE(songs[i].title);
            CHECK(back[i].title == songs[i].title);
            CHECK(back[i].artist == songs[i].artist);
            CHECK(back[i].uri == songs[i].uri);
            CHECK(back[i].duration == songs[i].duration);
            REQUIRE(back[i].tags.size() == songs[i].tags.size());
            for (std::size_t t = 0; t < songs[i].tags.size(); ++t) {
                CHECK(back[i].tags[t].emotion == songs[i].tags[t].emotion);
                CHECK(back[i].tags[t].weight == songs[i].tags[t].weight);
                CHECK(back[i].tags[t].source == songs[i].tags[t].source);  // a scan's tag stays the scan's
            }
        }
        // Writing the copy gives the same text again.
        CHECK(format_playlist(back, format) == text);
    }
}

TEST_CASE("a tag's source reads back from each format; a bad one or one for an untagged emotion names file:line") {
    CHECK(parse("title,artist,emotion,source\nA,B,happy,auto\nC,D,sad,\n", PlaylistFormat::Csv)[0].source ==
          TagSource::Auto);
    CHECK_FALSE(parse("title,artist,emotion,source\nC,D,sad,\n", PlaylistFormat::Csv)[0].source);
    CHECK(error_of("title,artist,emotion,source\nA,B,happy,robot\n", PlaylistFormat::Csv) ==
          "list:2: bad source 'robot' (imported, feedback or auto)");
    CHECK(parse("happy:\n  - {title: A, source: feedback}\n", PlaylistFormat::Yaml)[0].source == TagSource::Feedback);
    CHECK(error_of("happy:\n  - {title: A,\n     source: robot}\n", PlaylistFormat::Yaml) ==
          "list:3: bad source 'robot' (imported, feedback or auto)");
    const auto m3u = parse("#EXTINF:-1,B - A\n#EXTGRP:happy,sad\n#EXTDANGPLI-SOURCE:sad=auto\na.mp3\n", PlaylistFormat::M3u);
    REQUIRE(m3u.size() == 2);
    CHECK_FALSE(m3u[0].source);
    CHECK(m3u[1].source == TagSource::Auto);
    CHECK(error_of("#EXTINF:-1,A\n#EXTGRP:happy\n#EXTDANGPLI-SOURCE:happy=me\na.mp3\n", PlaylistFormat::M3u) ==
          "list:3: bad source 'me' for happy (imported, feedback or auto)");
    CHECK(error_of("#EXTINF:-1,A\n#EXTGRP:happy\n#EXTDANGPLI-SOURCE:sad=auto\na.mp3\n", PlaylistFormat::M3u) ==
          "list:3: a source for sad, which is not one of the song's emotions (happy)");
    // In any case, as emotions are read; our own directive misspelt is refused, not skipped as a comment.
    CHECK(parse("title,artist,emotion,Source\nA,B,happy,AUTO\n", PlaylistFormat::Csv)[0].source == TagSource::Auto);
    CHECK(parse("#EXTINF:-1,A\n#EXTGRP:happy\n#EXTDANGPLI-SOURCE:happy=Feedback\na.mp3\n", PlaylistFormat::M3u)[0].source ==
          TagSource::Feedback);
    for (const std::string directive : {"#EXTDANGPLI-SOURCES", "#extdangpli-source"})
        CHECK(error_of("#EXTINF:-1,A\n" + directive + ":happy=auto\n#EXTGRP:happy\na.mp3\n", PlaylistFormat::M3u) ==
              "list:2: unknown directive '" + directive + "' (#EXTDANGPLI-WEIGHT or #EXTDANGPLI-SOURCE)");
    // An import gives its own source only where the file names none.
    TempDir tmp;
    PlaylistStore store(tmp / "s.db");
    store.import_entries(parse("title,artist,emotion,source\nA,B,happy,auto\nC,D,sad,\n", PlaylistFormat::Csv));
    const auto songs = store.songs();
    REQUIRE(songs.size() == 2);
    CHECK(songs[0].tags.at(0).source == TagSource::Auto);
    CHECK(songs[1].tags.at(0).source == TagSource::Imported);
}

TEST_CASE("an export filtered by emotion holds only that emotion, and M3U plays songs without a uri by search") {
    auto songs = sample_songs();
    auto m3u = format_playlist(songs, PlaylistFormat::M3u, Emotion::Fear);
    CHECK(m3u.starts_with("#EXTM3U\n"));
    CHECK(m3u.find("#EXTINF:-1,久石譲 - 菊次郎の夏\n#EXTART:久石譲\n#EXTGRP:fear\n/music/夏.flac\n") != std::string::npos);
    CHECK(m3u.find("라일락") == std::string::npos);
    auto all = format_playlist(songs, PlaylistFormat::M3u);
    CHECK(all.find("#EXTINF:214,아이유 - 라일락\n#EXTART:아이유\n#EXTGRP:happy\nytdl://ytsearch1:아이유 라일락\n") != std::string::npos);
    auto csv = format_playlist(songs, PlaylistFormat::Csv, Emotion::Neutral);
    CHECK(csv == "title,artist,emotion,uri,duration,weight,source\n菊次郎の夏,久石譲,neutral,/music/夏.flac,,2.5,imported\n");

    // A relative uri that starts with '#' ("#41 hit.mp3") would read back as a comment: it is written "./#41 hit.mp3".
    const std::vector<Song> hash{Song{0, "#41", "Dave Matthews Band", std::string("#41 hit.mp3"), std::nullopt,
                                      {{Emotion::Sad, 1.0, TagSource::Imported}}}};
    const std::string text = format_playlist(hash, PlaylistFormat::M3u);
    CHECK(text.find("\n./#41 hit.mp3\n") != std::string::npos);
    PlaylistReadOptions o;
    o.file_name = "list";
    o.base_dir = "/music";
    const auto back = parse_playlist(text, PlaylistFormat::M3u, o);
    REQUIRE(back.size() == 1);
    CHECK(back[0].uri == "/music/#41 hit.mp3");

    // A length with milliseconds keeps them (whole seconds would shorten the song on re-import).
    const std::vector<Song> short_song{Song{0, "Jingle", "", std::nullopt, std::chrono::milliseconds(8370),
                                            {{Emotion::Happy, 1.0, TagSource::Imported}}}};
    const std::string jingle = format_playlist(short_song, PlaylistFormat::M3u);
    CHECK(jingle.find("#EXTINF:8.37,Jingle\n") != std::string::npos);
    CHECK(parse(jingle, PlaylistFormat::M3u).at(0).duration == std::chrono::milliseconds(8370));
}

TEST_CASE("a uri that is not UTF-8 text is refused where it would enter the store") {
    Song song{0, "Café", "", std::string("/music/caf\xE9.mp3"), std::nullopt, {{Emotion::Happy, 1.0, TagSource::Imported}}};
    CHECK_THROWS_WITH_AS(check_song(song), doctest::Contains("the uri is not valid UTF-8"), InputError);
    song.uri = "/music/a\nb.mp3";
    CHECK_THROWS_WITH_AS(check_song(song), doctest::Contains("the uri holds a control character"), InputError);
    CHECK(error_of("title,artist,emotion,uri\nCafé,,happy,/m/caf\xE9.mp3\n", PlaylistFormat::Csv).starts_with("list:2:"));
}

TEST_CASE("files are written whole or not at all") {
    TempDir tmp;
    auto path = tmp / "out.m3u";
    dangpli::test::write_file(path, "old");
    write_file_atomically(path, "new content");
    CHECK(dangpli::test::read_file(path) == "new content");
    CHECK_THROWS_AS(write_file_atomically(tmp / "missing/dir/out.m3u", "x"), WriteError);
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(tmp.path())) ++files;
    CHECK(files == 1);  // no temp file left behind
}

TEST_CASE("read_playlist picks the format from the extension and names missing files") {
    TempDir tmp;
    dangpli::test::write_file(tmp / "a.yml", "sad:\n  - {title: 난춘, artist: 새소년}\n");
    auto rows = read_playlist(tmp / "a.yml");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].file == (tmp / "a.yml").string());
    dangpli::test::write_file(tmp / "a.txt", "sad,난춘\n");
    CHECK_THROWS_WITH_AS(read_playlist(tmp / "a.txt"), doctest::Contains("unknown playlist format"), DataError);
    // A folder is named as one, not as a file to rename .csv.
    std::filesystem::create_directory(tmp / "songs");
    CHECK_THROWS_WITH_AS(read_playlist(tmp / "songs"), doctest::Contains("songs: not a regular file (a directory)"), DataError);
    CHECK_THROWS_WITH_AS(read_playlist(tmp / "nope.csv"), doctest::Contains("nope.csv: no such file"), DataError);
    CHECK(parse_song_duration("1:02:03") == std::chrono::milliseconds(3723000));
    CHECK_FALSE(parse_song_duration("1:2"));
    CHECK_FALSE(parse_song_duration("-3"));
}

TEST_CASE("the default playlists parse and give every emotion songs") {
    auto dir = dangpli::test::kSourceDir / "data" / "playlists";
    std::array<std::size_t, kEmotionCount> per{};
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
        if (!playlist_format_of(f.path())) continue;
        for (const auto& e : read_playlist(f.path())) ++per[static_cast<std::size_t>(label_of(e.emotion))];
    }
    for (Emotion e : kAllEmotions) {
        CAPTURE(to_string(e));
        CHECK(per[static_cast<std::size_t>(label_of(e))] >= 5);
    }
}
