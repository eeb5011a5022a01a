#pragma once
// Private: opening a playlist database safely and migrating it to the current schema.

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace dangpli::detail {

/// PRAGMA application_id of a dangpli store ("dpli"), so that another program's database is refused.
inline constexpr int kStoreApplicationId = 0x64706C69;

/// Opens `path` (creating it), refuses files that are not dangpli stores without writing to them,
/// then turns on foreign keys and WAL and applies the missing migrations in one transaction.
/// With `read_only`: opens an existing store for reading only (see PlaylistStore::Options).
/// Throws StoreError naming the path.
SQLite::Database open_store_database(const std::filesystem::path& path, std::chrono::milliseconds busy_timeout,
                                     bool read_only = false);

/// SQLite's words for a failure, with what to do where another program holds the store (busy or
/// locked past the busy timeout): "database is locked (another program kept the store busy too long; try again)".
std::string store_failure_text(const SQLite::Exception& e);

}  // namespace dangpli::detail
