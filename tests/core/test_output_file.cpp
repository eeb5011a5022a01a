// write_output_file: whole or not at all, modes kept, links kept as links, devices written through.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "dangpli/error.hpp"
#include "dangpli/output_file.hpp"
#include "support.hpp"

using namespace dangpli;
using test::TempDir;

namespace fs = std::filesystem;

namespace {

std::size_t entries_in(const fs::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}

std::string message_of(const fs::path& path, std::string_view bytes) {
    try {
        write_output_file(path, bytes);
    } catch (const WriteError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("a new file and a replaced one hold exactly the bytes, with no temp file left behind") {
    TempDir tmp;
    write_output_file(tmp / "new.txt", "first");
    CHECK(test::read_file(tmp / "new.txt") == "first");
    const std::string big(3 << 20, 'x');  // several write() calls' worth
    write_output_file(tmp / "new.txt", big);
    CHECK(test::read_file(tmp / "new.txt") == big);
    write_output_file(tmp / "empty.txt", "");
    CHECK(fs::file_size(tmp / "empty.txt") == 0);
    CHECK(entries_in(tmp.path()) == 2);
}

TEST_CASE("an existing file keeps its permission bits") {
    TempDir tmp;
    test::write_file(tmp / "private.csv", "old");
    fs::permissions(tmp / "private.csv", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    write_output_file(tmp / "private.csv", "new");
    CHECK(test::read_file(tmp / "private.csv") == "new");
    CHECK((fs::status(tmp / "private.csv").permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
}

TEST_CASE("a symlink stays a link and its target is replaced, even a target not there yet") {
    TempDir tmp;
    fs::create_directories(tmp / "real");
    test::write_file(tmp / "real/target.csv", "old");
    fs::create_symlink("real/target.csv", tmp / "link.csv");  // relative, as users make them
    write_output_file(tmp / "link.csv", "new");
    CHECK(fs::is_symlink(fs::symlink_status(tmp / "link.csv")));
    CHECK(test::read_file(tmp / "real/target.csv") == "new");

    fs::create_symlink(tmp / "real/later.csv", tmp / "dangling.csv");
    write_output_file(tmp / "dangling.csv", "made");
    CHECK(fs::is_symlink(fs::symlink_status(tmp / "dangling.csv")));
    CHECK(test::read_file(tmp / "real/later.csv") == "made");
}

TEST_CASE("devices are written through, never replaced; a full one is an error naming it") {
    write_output_file("/dev/null", "discarded");
    CHECK(fs::is_character_file("/dev/null"));
    const std::string message = message_of("/dev/full", "lost");
    CHECK(message == "/dev/full: cannot write (write: No space left on device)");
    CHECK(fs::is_character_file("/dev/full"));
}

TEST_CASE("a missing folder or a folder in the way: WriteError naming the path, nothing changed") {
    TempDir tmp;
    CHECK(message_of(tmp / "no/such/out.csv", "x") ==
          (tmp / "no/such/out.csv").string() + ": cannot write (create a temp file beside it: No such file or directory)");
    fs::create_directories(tmp / "folder");
    CHECK(message_of(tmp / "folder", "x") == (tmp / "folder").string() + ": cannot write (it is a folder)");
    CHECK(fs::is_directory(tmp / "folder"));
    CHECK(entries_in(tmp.path()) == 1);
}

TEST_CASE("a descriptor's name (/dev/stdout, /proc/self/fd/N) is written where it stands, never replaced") {
    // `eval --csv /dev/stdout >> log.txt`: the name led, through /proc/self/fd/1, to log.txt, over
    // which a new file was renamed: the log was lost.
    TempDir tmp;
    test::write_file(tmp / "log.txt", "old line\n");
    const int fd = ::open((tmp / "log.txt").c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    REQUIRE(fd >= 0);
    struct stat before {};
    REQUIRE(::stat((tmp / "log.txt").c_str(), &before) == 0);
    write_output_file("/proc/self/fd/" + std::to_string(fd), "new line\n");
    write_output_file("/dev/fd/" + std::to_string(fd), "and another\n");
    ::close(fd);
    CHECK(test::read_file(tmp / "log.txt") == "old line\nnew line\nand another\n");
    struct stat after {};
    REQUIRE(::stat((tmp / "log.txt").c_str(), &after) == 0);
    CHECK(after.st_ino == before.st_ino);
    CHECK(entries_in(tmp.path()) == 1);
}

TEST_CASE("a name as long as a folder takes (255 bytes) is written: the temp name beside it is cut") {
    TempDir tmp;
    const std::string name = std::string(251, 'a') + ".txt";
    write_output_file(tmp / name, "whole");
    CHECK(test::read_file(tmp / name) == "whole");
    CHECK(entries_in(tmp.path()) == 1);
}

TEST_CASE("a rewritten file keeps its owner and group where this user may give them") {
    // Root rewriting another user's 0640 file made it root's: its owner could no longer read it.
    if (::geteuid() != 0) return;  // only root can make a file of another user here
    TempDir tmp;
    test::write_file(tmp / "theirs.csv", "old");
    REQUIRE(::chown((tmp / "theirs.csv").c_str(), 65534, 65534) == 0);
    fs::permissions(tmp / "theirs.csv", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    write_output_file(tmp / "theirs.csv", "new");
    struct stat info {};
    REQUIRE(::stat((tmp / "theirs.csv").c_str(), &info) == 0);
    CHECK(info.st_uid == 65534);
    CHECK(info.st_gid == 65534);
    CHECK((info.st_mode & 07777) == 0640);
    CHECK(test::read_file(tmp / "theirs.csv") == "new");
}

TEST_CASE("write_output_files: all or none, a later path that cannot be resolved included") {
    TempDir tmp;
    const fs::path report = tmp / "report.csv", table = tmp / "table.csv", loop = tmp / "loop";
    test::write_file(report, "old report\n");
    fs::create_symlink(loop, loop);  // a link to itself: it cannot be resolved
    const std::string first = "new report\n", second = "rows\n";
    SUBCASE("a link loop in the second path: the first keeps its old bytes") {
        const OutputFileContent files[] = {{report, first}, {loop, second}};
        CHECK_THROWS_AS(write_output_files(files), WriteError);
        CHECK(test::read_file(report) == "old report\n");
    }
    SUBCASE("a failing second write puts the first back and removes a new one") {
        const OutputFileContent files[] = {{table, second}, {report, first}, {tmp / "missing" / "x.csv", second}};
        CHECK_THROWS_AS(write_output_files(files), WriteError);
        CHECK(test::read_file(report) == "old report\n");
        CHECK_FALSE(fs::exists(table));
    }
    SUBCASE("all written") {
        const OutputFileContent files[] = {{report, first}, {table, second}};
        write_output_files(files);
        CHECK(test::read_file(report) == first);
        CHECK(test::read_file(table) == second);
    }
}
