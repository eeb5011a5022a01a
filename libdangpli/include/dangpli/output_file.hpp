#pragma once
/// \file
/// write_output_file(): the one way libdangpli and `dangpli` write an output file, whole or not at
/// all, without ever turning a link or a device into a regular file.

#include <filesystem>
#include <span>
#include <string_view>

namespace dangpli {

/// Writes `bytes` to `path`, whole or not at all.
///
/// - A regular file, or a name not taken yet, is written to a temp file in the same folder, which
///   is flushed to disk (fsync), closed and renamed over `path`: a reader sees the old file or the
///   whole new one, never a part. An existing file keeps its permission bits and, where this user may
///   give them, its owner and group (elsewhere it loses set-id bits); a new one gets 0666 less the umask.
/// - A symbolic link is followed: its final target is replaced as above and the link stays a link.
/// - An existing file that is not regular (a character device such as /dev/null or /dev/full, a
///   FIFO, a socket) is written through directly, every write and the close checked.
/// - A descriptor of this process (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N) is written
///   to where it stands (`--csv /dev/stdout >> log` appends to log), never reopened or replaced.
///
/// Throws WriteError naming `path` and the system's reason (e.g. "No space left on device") when
/// any step fails, or when `path` is a folder; the temp file is then removed and a regular file
/// at `path` is left as it was. Thread-safe for distinct paths.
void write_output_file(const std::filesystem::path& path, std::string_view bytes);

/// Flushes `folder`'s entries (a rename, a new name) to disk with fsync. Best effort: a folder that
/// cannot be opened or synced (some network file systems) is passed over; never throws.
void sync_folder(const std::filesystem::path& folder) noexcept;

/// One file of a run's outputs, for write_output_files().
struct OutputFileContent {
    std::filesystem::path path;  ///< where it goes, as the user named it
    std::string_view bytes;      ///< all of its content
};

/// Writes the outputs of one run (a model and its card, a report and its tables) all or none: each
/// as write_output_file() does, in order. When one fails, those written before it are put back as
/// they were (a regular file's old bytes, a new file removed) and its WriteError is thrown. A device
/// or FIFO written through cannot be put back. Every path is resolved, and every old file read,
/// before the first write: a path that cannot be resolved (a link loop), or an old file of two or
/// more outputs that cannot be read back, throws WriteError with nothing written.
void write_output_files(std::span<const OutputFileContent> files);

/// The file a chain of symbolic links ends at, which may not exist yet; `path` itself when it is no
/// link. Throws WriteError naming `path` for a loop or an unreadable link.
std::filesystem::path final_link_target(const std::filesystem::path& path);

/// Whether `path`, through its links, names a descriptor of this process (/dev/stdout, /dev/stderr,
/// /dev/fd/N, /proc/self/fd/N): a file opened there is the descriptor's file reopened, so a writer
/// appends (truncated, `>> log` would lose the log). Throws WriteError as final_link_target().
bool names_own_descriptor(const std::filesystem::path& path);

}  // namespace dangpli
