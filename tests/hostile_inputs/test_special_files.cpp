// Inputs that are no regular file (FIFOs, devices), too large, or not readable: every command
// refuses them with one line naming the file, at once, and a folder that cannot be read is said.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>

#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"
#include "dangpli/media_content.hpp"
#include "dangpli/video_turn.hpp"
#include "hostile_files.hpp"

using namespace dangpli;
using test::lines_of;
using test::run_cli_bounded;
using test::shell_quote;
using test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string quoted(const fs::path& p) { return shell_quote(p.string()); }

void make_fifo(const fs::path& p) { REQUIRE(::mkfifo(p.c_str(), 0644) == 0); }

// One line on stderr, naming the file and saying what it is; not killed by `timeout` (124).
void refused_in_one_line(const test::CommandResult& r, const std::string& path, const std::string& says) {
    INFO(r.err);
    CHECK(r.exit_code != 124);
    CHECK(test::lines_of(r.err).size() == 1);
    CHECK(r.err.find(path + ": ") != std::string::npos);
    CHECK(r.err.find(says) != std::string::npos);
}

}  // namespace

TEST_CASE("class: inputs must be regular files (or stdin as -) - FIFOs and devices are refused, never read") {
    TempDir dir;
    const auto db = quoted(dir / "store.db");
    REQUIRE(test::run_cli("playlist --db " + db + " list").exit_code == 0);  // its first-use line said now
    const auto fifo_jpg = dir / "f.jpg", fifo_csv = dir / "f.csv", fifo_mp4 = dir / "f.mp4";
    make_fifo(fifo_jpg);
    make_fifo(fifo_csv);
    make_fifo(fifo_mp4);

    // analyze: a failed input of a batch (exit 1); the FIFO is not opened, so nothing blocks.
    auto r = run_cli_bounded("analyze " + quoted(fifo_jpg));
    refused_in_one_line(r, fifo_jpg.string(), "not a regular file (a FIFO)");
    CHECK(r.exit_code == 1);
    r = run_cli_bounded("analyze /dev/zero");
    refused_in_one_line(r, "/dev/zero", "not a regular file (a character device)");
    CHECK(r.exit_code == 1);
    // A FIFO named like an image inside a folder is refused by name too, not skipped.
    fs::create_directory(dir / "photos");
    fs::copy_file(test::kFacesDir / "neutral.jpeg", dir / "photos/a.jpeg");
    make_fifo(dir / "photos/b.jpg");
    r = run_cli_bounded("analyze --format jsonl " + quoted(dir / "photos"));
    refused_in_one_line(r, (dir / "photos/b.jpg").string(), "a FIFO");
    CHECK(r.exit_code == 1);
    CHECK(lines_of(r.out).size() == 2);
    CHECK(test::analysed_rows(r.out) == 1);
    // Paths from stdin: /dev/zero as stdin is one endless "line", refused within a path's length.
    r = test::run_command("timeout 60 sh -c 'exec \"$0\" analyze - < /dev/zero' " + shell_quote(test::kCli.string()));
    refused_in_one_line(r, "-", "longer than 4096 bytes");
    CHECK(r.exit_code == 3);

    // eval, playlist import, live: bad input (exit 3).
    r = run_cli_bounded("eval --dataset " + quoted(fifo_csv));
    refused_in_one_line(r, fifo_csv.string(), "a FIFO");
    CHECK(r.exit_code == 3);
    r = run_cli_bounded("eval --dataset /dev/zero");
    refused_in_one_line(r, "/dev/zero", "a character device");
    CHECK(r.exit_code == 3);
    r = run_cli_bounded("playlist --db " + db + " import /dev/zero --format csv");
    refused_in_one_line(r, "/dev/zero", "a character device");
    CHECK(r.exit_code == 3);
    r = run_cli_bounded("playlist --db " + db + " import " + quoted(fifo_csv));
    refused_in_one_line(r, fifo_csv.string(), "a FIFO");
    CHECK(r.exit_code == 3);
    r = run_cli_bounded("live --player silent --db " + db + " --source " + quoted(fifo_mp4));
    refused_in_one_line(r, fifo_mp4.string(), "a FIFO");
    CHECK(r.exit_code == 3);
    // playlist scan: a song of a batch (exit 1), named alone or found in a folder.
    fs::create_directory(dir / "songs");
    const auto fifo_mp3 = dir / "songs/f.mp3";
    make_fifo(fifo_mp3);
    r = run_cli_bounded("playlist scan --db " + db + " --format jsonl " + quoted(dir / "songs"));
    refused_in_one_line(r, fifo_mp3.string(), "not a regular file (a FIFO)");
    CHECK(r.exit_code == 1);
    r = run_cli_bounded("playlist scan --db " + db + " --format jsonl /dev/zero");
    refused_in_one_line(r, "/dev/zero", "not a regular file (a character device)");
    CHECK(r.exit_code == 1);
    r = run_cli_bounded("live --player silent --db " + db + " --config /dev/zero --source " + quoted(fifo_mp4));
    refused_in_one_line(r, "/dev/zero", "a character device");
    CHECK(r.exit_code == 3);

    // The playlist store (--db): a store that cannot be opened (exit 5), named, not SQLite's
    // "disk I/O error" after it opened the FIFO.
    const auto fifo_db = dir / "f.db";
    make_fifo(fifo_db);
    for (const std::string& command : {std::string("list"), "import " + quoted(test::kSourceDir / "data/playlists/happy.yaml")}) {
        r = run_cli_bounded("playlist --db " + quoted(fifo_db) + " " + command);
        refused_in_one_line(r, fifo_db.string(), "not a regular file (a FIFO)");
        CHECK(r.exit_code == 5);
    }
    r = run_cli_bounded("live --player silent --db /dev/zero --source " + quoted(test::kFacesDir / "neutral.jpeg"));
    refused_in_one_line(r, "/dev/zero", "a character device");
    CHECK(r.exit_code == 5);
}

TEST_CASE("the library's readers of a video's header pass over a FIFO at once (FFmpeg waited for a writer)") {
    TempDir dir;
    const auto fifo = dir / "f.mp4";
    make_fifo(fifo);
    // Run beside the test: a reader that blocks is let go by a writer that opens and closes the FIFO.
    const auto within_10_s = [&](auto read) {
        auto result = std::async(std::launch::async, read);
        const bool in_time = result.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
        if (!in_time)
            if (const int writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK); writer >= 0) ::close(writer);
        return in_time && result.get();
    };
    CHECK(within_10_s([&] { return media_content_of(fifo) == MediaContent::Unknown; }));
    CHECK(within_10_s([&] { return !VideoTurn::of_file(fifo).turns(); }));
    CHECK(media_content_of(dir.path()) == MediaContent::Unknown);
    CHECK(media_content_of(dir / "missing.mp4") == MediaContent::Unknown);
}

TEST_CASE("class: each kind of input file has a size limit, checked before it is read") {
    TempDir dir;
    REQUIRE(test::run_cli("playlist --db " + quoted(dir / "s.db") + " list").exit_code == 0);
    // Sparse files: their size is real to stat() and read(), without using the disk.
    const auto playlist = dir / "huge.csv";
    test::write_file(playlist, "title,artist,emotion\n");
    fs::resize_file(playlist, input_limits::kPlaylist + 1);
    auto r = run_cli_bounded("playlist --db " + quoted(dir / "s.db") + " import " + quoted(playlist));
    refused_in_one_line(r, playlist.string(), "more than a playlist file may have (16.0 MiB)");
    CHECK(r.exit_code == 3);

    const auto image = dir / "huge.jpg";
    test::write_file(image, test::read_file(test::kFacesDir / "neutral.jpeg"));
    fs::resize_file(image, input_limits::kImage + 1);
    r = run_cli_bounded("analyze " + quoted(image));
    refused_in_one_line(r, image.string(), "more than an image file may have (256.0 MiB)");
    CHECK(r.exit_code == 1);

    const auto song = dir / "huge.flac";
    test::write_file(song, "fLaC");
    fs::resize_file(song, input_limits::kSong + 1);
    r = run_cli_bounded("playlist scan --db " + quoted(dir / "s.db") + " --format jsonl " + quoted(song));
    refused_in_one_line(r, song.string(), "more than a song may have (1.0 GiB)");
    CHECK(r.exit_code == 1);

    const auto config = dir / "config.yaml";
    test::write_file(config, "live: {policy: match}\n");
    fs::resize_file(config, input_limits::kSmallYaml + 1);
    r = run_cli_bounded("live --player silent --db " + quoted(dir / "s.db") + " --config " + quoted(config) +
                        " --source " + quoted(image));
    refused_in_one_line(r, config.string(), "more than a config file may have (1.0 MiB)");
    CHECK(r.exit_code == 3);

    // A path with a NUL byte names no file; the system would read it up to the NUL (another file).
    test::write_file(dir / "x", "a file named x");
    CHECK_THROWS_WITH_AS(InputFile(fs::path((dir / "x").string() + std::string("\0.jpg", 5)), 200, "a test file"),
                         doctest::Contains("a path with a NUL byte"), InputError);
    // The library's own reader holds a file that grows past its limit while it is read to it.
    const auto growing = dir / "growing.txt";
    test::write_file(growing, std::string(100, 'x'));
    InputFile file(growing, 200, "a test file");
    test::write_file(growing, std::string(300, 'x'));
    CHECK_THROWS_AS(file.read_all(), InputError);
}

TEST_CASE("class: a folder or file that cannot be read is reported, never skipped in silence") {
    const auto as_user = test::unprivileged_prefix();
    if (!as_user) {
        MESSAGE("skipped: running as root, and root cannot run the CLI as nobody here (chmod 000 does not stop root)");
        return;
    }
    TempDir dir;
    fs::permissions(dir.path(), fs::perms::all);  // nobody may walk it
    const auto photos = dir / "photos";
    fs::create_directories(photos / "locked");
    fs::create_directories(photos / "open");
    fs::copy_file(test::kFacesDir / "neutral.jpeg", photos / "open/a.jpeg");
    fs::copy_file(test::kFacesDir / "neutral.jpeg", photos / "locked/b.jpeg");
    fs::copy_file(test::kFacesDir / "neutral.jpeg", photos / "open/unreadable.jpeg");
    fs::permissions(photos / "locked", fs::perms::none);
    fs::permissions(photos / "open/unreadable.jpeg", fs::perms::none);

    const auto r = test::run_command(*as_user + shell_quote(test::kCli.string()) + " analyze --format jsonl " +
                                     quoted(photos));
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(lines_of(r.out).size() == 3);  // a.jpeg, and the error rows of the other two
    CHECK(test::analysed_rows(r.out) == 1);
    CHECK(lines_of(r.err).size() == 2);
    CHECK(r.err.find((photos / "locked").string() + ": cannot read the directory: Permission denied") !=
          std::string::npos);
    CHECK(r.err.find((photos / "open/unreadable.jpeg").string() + ": cannot open (Permission denied)") !=
          std::string::npos);

    // eval on a class-folder tree with a locked class: the dataset is broken (exit 3), said by name.
    fs::create_directories(dir / "tree/happy");
    fs::create_directories(dir / "tree/sad");
    fs::copy_file(test::kFacesDir / "neutral.jpeg", dir / "tree/happy/a.jpeg");
    fs::permissions(dir / "tree/sad", fs::perms::none);
    const auto e = test::run_command(*as_user + shell_quote(test::kCli.string()) + " eval --dataset " +
                                     quoted(dir / "tree"));
    INFO(e.err);
    CHECK(e.exit_code == 3);
    CHECK(e.err.find((dir / "tree/sad").string() + ": cannot be read") != std::string::npos);
    fs::permissions(photos / "locked", fs::perms::owner_all);  // so that TempDir can remove it
    fs::permissions(dir / "tree/sad", fs::perms::owner_all);
}

TEST_CASE("class: a link to a folder is walked like the folder; a loop of links ends, and no photo is read twice") {
    TempDir dir;
    fs::create_directories(dir / "library/real");
    fs::create_directories(dir / "walk");
    fs::copy_file(test::kFacesDir / "neutral.jpeg", dir / "library/real/a.jpeg");
    fs::create_directory_symlink("../library/real", dir / "walk/linked");  // a photo library linked in
    fs::create_directory_symlink("../library/real", dir / "walk/second");  // the same folder again
    fs::create_directory_symlink("..", dir / "library/real/up");           // a link back up: a loop
    // Before: a linked folder was passed over in silence (exit 0, its photos never read).
    const auto r = test::run_cli("analyze --format jsonl " + quoted(dir / "walk"));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    const auto rows = lines_of(r.out);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].find("\"path\":\"" + (dir / "walk/linked/a.jpeg").string() + "\"") != std::string::npos);
}
