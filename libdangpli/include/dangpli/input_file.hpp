#pragma once
/// \file
/// Opening input files safely: regular files only, and no larger than their kind of file can
/// reasonably be, so that a FIFO, a device (`/dev/zero`) or a runaway file neither blocks a
/// command nor fills its memory. Every reader of a user-named file goes through here.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace dangpli {

/// The largest input file accepted per kind of file, in bytes (documented in the README's
/// "Limits and special files"). A larger file is refused before it is read.
namespace input_limits {
/// One mebibyte, the unit of the limits below.
inline constexpr std::uintmax_t kMiB = 1024 * 1024;
/// An image file (what it decodes to is bounded separately, by the pixels its header declares).
inline constexpr std::uintmax_t kImage = 256 * kMiB;
/// A FER2013 CSV dataset or FER+ votes file, plain or gzip (FER2013 is 290 MiB of text); also
/// the most text its decompression may give.
inline constexpr std::uintmax_t kDataset = 1024 * kMiB;
/// A playlist file to import (CSV, YAML, M3U).
inline constexpr std::uintmax_t kPlaylist = 16 * kMiB;
/// A model card, or the config file (YAML).
inline constexpr std::uintmax_t kSmallYaml = kMiB;
/// A network's weights (ONNX, Caffe).
inline constexpr std::uintmax_t kModel = 1024 * kMiB;
/// A `--trace` record read by `--replay` (about 0.3 KiB a frame: ten hours at 30 fps).
inline constexpr std::uintmax_t kTrace = 4096 * kMiB;
/// A song `playlist scan` decodes (twenty minutes of 24-bit 96 kHz stereo WAV is 0.65 GiB).
inline constexpr std::uintmax_t kSong = 1024 * kMiB;
}  // namespace input_limits

/// Checks, without opening it, that `path` is a regular file (links followed) of at most
/// `max_bytes`. For files a third-party library opens itself (a video, a database).
/// Throws InputError, one line naming the file: "PATH: no such file", "PATH: not a regular file
/// (a FIFO)", "PATH: 3.0 GiB, more than a playlist file may have (16.0 MiB)"; `what` names the
/// kind of file ("a playlist file").
void check_input_file(const std::filesystem::path& path, std::uintmax_t max_bytes, std::string_view what);

/// A regular file opened for reading: checked with check_input_file(), then opened without
/// blocking and checked again on the open descriptor, so a file swapped for a FIFO in between
/// cannot block either. Not thread-safe; movable, not copyable.
class InputFile {
public:
    /// Throws InputError as check_input_file(), or "PATH: cannot open (Permission denied)".
    InputFile(const std::filesystem::path& path, std::uintmax_t max_bytes, std::string_view what);
    /// Closes the file unless release() handed it over.
    ~InputFile();
    /// Takes over `other`'s open file; `other` then holds none.
    InputFile(InputFile&& other) noexcept;
    InputFile& operator=(InputFile&&) = delete;
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    /// The whole content. Throws InputError when a read fails or the file has grown past the limit.
    std::string read_all();
    /// Hands the open descriptor to the caller (e.g. to gzdopen), who then closes it.
    int release();

private:
    std::filesystem::path path_;
    std::uintmax_t max_bytes_;
    std::string what_;
    int fd_ = -1;
};

/// InputFile(path, max_bytes, what).read_all(): the whole of a bounded regular file.
std::string read_input_file(const std::filesystem::path& path, std::uintmax_t max_bytes, std::string_view what);

}  // namespace dangpli
