#pragma once
/// \file
/// The exceptions the library throws. Each message is one line a user can act on:
/// which file, line or value, and what was expected. The CLI maps each kind to an exit code.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dangpli {

/// `text` as one line of a message: control characters (line breaks, tabs, terminal escapes) and
/// bytes that are no UTF-8 (a Latin-1 file name) are shown as C escapes (`\n`, `\t`, `\x1B`,
/// `\xFF`), and a text over `max_bytes` keeps its start and its end
/// around " ... " (cut between UTF-8 characters). Messages quote what users give them, and that
/// can be anything.
std::string one_line(std::string_view text, std::size_t max_bytes = 1000);

/// Base of every dangpli exception. Thrown as itself for failures that are none of the kinds
/// below, e.g. a player that cannot start a song (`dangpli` exits with 6). Every message is made
/// one line by one_line(), whatever it quotes.
class Error : public std::runtime_error {
public:
    /// The message, made one line.
    explicit Error(const std::string& what) : std::runtime_error(one_line(what)) {}
    /// The message, made one line.
    explicit Error(const char* what) : Error(std::string(what)) {}
};

/// The caller passed an unusable argument: empty image, wrong depth, too many pixels, bad option
/// (`dangpli` exits with 3).
class InputError : public Error {
public:
    using Error::Error;
};

/// A model file or its card is missing, corrupt or does not match what the code expects
/// (`dangpli` exits with 4).
class ModelError : public Error {
public:
    using Error::Error;
};

/// A data file (CSV, YAML, image tree) is malformed, missing or empty. The message starts with
/// "file:line: " where a line is to blame, else with "file: " (`dangpli` exits with 3).
class DataError : public Error {
public:
    using Error::Error;
};

/// The playlist database could not be opened, migrated or written (`dangpli` exits with 5).
class StoreError : public Error {
public:
    using Error::Error;
};

/// The store stayed held by another program (busy or locked) past the busy timeout: the same
/// operation may succeed later.
class StoreBusyError : public StoreError {
public:
    using StoreError::StoreError;
};

/// A write to the store's files failed: no room on its disk (SQLite's SQLITE_FULL), or a write, sync
/// or resize that failed outright (SQLITE_IOERR_WRITE and its kin, which a full disk gives too). The same operation may succeed
/// once space is freed.
class StoreFullError : public StoreError {
public:
    using StoreError::StoreError;
};

/// An output could not be written: a full disk or device, a read-only or missing folder, a folder
/// where a file was expected. The message names the path and the system's reason; a file written
/// with write_output_file() is then left as it was (`dangpli` exits with 7).
class WriteError : public Error {
public:
    using Error::Error;
};

}  // namespace dangpli
