// A store the user cannot write (mode 0444, a read-only folder) still lists and exports; writing to
// it is refused with exit 5 and the file is left byte for byte. As root, permissions do not hold,
// so the commands then run as `nobody` (setpriv), as a user would meet them.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support.hpp"

using dangpli::test::run_cli;
using dangpli::test::run_command;
using dangpli::test::shell_quote;
using dangpli::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string unprivileged() { return ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : ""; }

dangpli::test::CommandResult as_user(const fs::path& db, const std::string& args) {
    return run_command(unprivileged() + shell_quote(dangpli::test::kCli.string()) + " playlist --db " +
                       shell_quote(db.string()) + " --no-defaults " + args);
}

// A store with a weighted song, written by an older schema's way of being (closed cleanly, WAL mode).
fs::path make_store(const TempDir& tmp) {
    const auto db = tmp / "store" / "p.db";
    fs::create_directories(db.parent_path());
    dangpli::test::write_file(tmp / "songs.csv", "title,artist,emotion,uri,duration,weight\nSunny,A,happy,/m/s.ogg,,2.5\n");
    REQUIRE(run_cli("playlist --db " + shell_quote(db.string()) + " --no-defaults import " +
                    shell_quote((tmp / "songs.csv").string())).exit_code == 0);
    fs::permissions(tmp.path(), fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    return db;
}

void check_reads_and_refuses_writes(const fs::path& db) {
    const std::string before = dangpli::test::read_file(db);
    auto list = as_user(db, "list --format json");
    INFO(list.err);
    REQUIRE(list.exit_code == 0);
    const auto songs = nlohmann::json::parse(list.out);
    REQUIRE(songs.size() == 1);
    CHECK(songs[0]["title"] == "Sunny");
    auto exported = as_user(db, "export --format m3u");
    CHECK(exported.exit_code == 0);
    CHECK(exported.out.find("#EXTDANGPLI-WEIGHT:happy=2.5") != std::string::npos);
    CHECK(as_user(db, "history").exit_code == 0);
    CHECK(as_user(db, "stats").exit_code == 0);
    auto add = as_user(db, "add Rain --emotion sad");
    CHECK(add.exit_code == 5);
    CHECK(add.err.find(db.filename().string()) != std::string::npos);
    // live refuses it before it starts: a song would play whose play could not be kept.
    auto live = run_command(unprivileged() + shell_quote(dangpli::test::kCli.string()) + " live --player silent --db " +
                            shell_quote(db.string()) + " --source " +
                            shell_quote((dangpli::test::kFacesDir).string()));
    INFO(live.err);
    CHECK(live.exit_code == 5);
    CHECK(live.err.find(db.filename().string()) != std::string::npos);
    CHECK(live.out.find("playing") == std::string::npos);
    CHECK(dangpli::test::read_file(db) == before);
}

}  // namespace

TEST_CASE("a store file of mode 0444 is listed and exported, and not written") {
    TempDir tmp;
    const auto db = make_store(tmp);
    fs::permissions(db.parent_path(), fs::perms::all);  // the folder is writable: only the file is not
    fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    check_reads_and_refuses_writes(db);
}

TEST_CASE("a store in a read-only folder is listed and exported, and not written") {
    TempDir tmp;
    const auto db = make_store(tmp);
    fs::permissions(db, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
    fs::permissions(db.parent_path(), fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                          fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
    check_reads_and_refuses_writes(db);
    fs::permissions(db.parent_path(), fs::perms::owner_all);  // so that the temp folder can be removed
}

TEST_CASE("a store made writable again after a read-only reader: the file in the way is named") {
    TempDir tmp;
    const auto db = make_store(tmp);
    fs::permissions(db.parent_path(), fs::perms::all);
    fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    REQUIRE(as_user(db, "stats").exit_code == 0);
    auto shm = db;
    shm += "-shm";
    // A reader that may not write the store leaves its shared-memory file as read-only as the store.
    REQUIRE(fs::exists(shm));
    fs::permissions(db, fs::perms::all);
    // Before: "attempt to write a readonly database" for every write, for ever, naming nothing.
    auto add = as_user(db, "add Rain --emotion sad");
    INFO(add.err);
    CHECK(add.exit_code == 5);
    CHECK(add.err.find(db.string() + "-wal and " + shm.string() + " are not writable") != std::string::npos);
    CHECK(add.err.find("remove them") != std::string::npos);
    fs::remove(shm);
    fs::remove(db.string() + "-wal");
    CHECK(as_user(db, "add Rain --emotion sad").exit_code == 0);
}

TEST_CASE("a writable store in a read-only folder: the folder is named, before any work") {
    TempDir tmp;
    const auto db = make_store(tmp);
    fs::permissions(db, fs::perms::all);
    fs::permissions(db.parent_path(), fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                          fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
    // Before: SQLite's bare "attempt to write a readonly database" (it keeps its journal beside the store).
    auto add = as_user(db, "add Rain --emotion sad");
    INFO(add.err);
    CHECK(add.exit_code == 5);
    CHECK(add.err.find("the folder " + db.parent_path().string() + " is not writable") != std::string::npos);
    CHECK(as_user(db, "list").exit_code == 0);
    fs::permissions(db.parent_path(), fs::perms::owner_all);
}
