#pragma once
// Private: opening a playlist database safely and migrating it to the current schema.

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

namespace dangpli::detail {

/// PRAGMA application_id of a dangpli store ("dpli"), so that another program's database is refused.
inline constexpr int kStoreApplicationId = 0x64706C69;

/// How a store's connection waits for another program's transaction: up to `timeout`, calling
/// `on_long_wait` once in each wait that passes a second. Must outlive the connection.
struct BusyWait {
    std::chrono::milliseconds timeout{10000};
    std::function<void()> on_long_wait;
    std::chrono::milliseconds waited{0};  // in the wait in progress
    bool said = false;                    // on_long_wait called in it
};

/// Opens `path` (creating it), refuses files that are not dangpli stores without writing to them,
/// then turns on foreign keys and WAL and applies the missing migrations in one transaction.
/// With `read_only`: opens an existing store for reading only (see PlaylistStore::Options).
/// Waits for other programs as `wait` says. Throws StoreError naming the path.
SQLite::Database open_store_database(const std::filesystem::path& path, BusyWait& wait, bool read_only = false);

/// Whether `e` is another program holding the store (busy or locked) past the busy timeout.
bool held_by_another_program(const SQLite::Exception& e);
// True where `e` says a write to the store's files failed: no room on its disk (SQLITE_FULL), or a
// write, sync or resize that failed outright (SQLITE_IOERR_WRITE and its kin), as a full disk gives
// for the WAL's index; never a failed read.
bool out_of_room(const SQLite::Exception& e);

/// SQLite's words for a failure, with what to do where another program holds the store (busy or
/// locked past the busy timeout): "database is locked (another program kept the store busy too long; try again)".
std::string store_failure_text(const SQLite::Exception& e);

}  // namespace dangpli::detail
