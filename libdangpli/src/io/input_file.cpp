#include "dangpli/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/core.h>

#include "dangpli/error.hpp"

namespace dangpli {
namespace {

std::string human_size(std::uintmax_t bytes) {
    if (bytes < 1024) return fmt::format("{} bytes", bytes);
    if (bytes < input_limits::kMiB) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
    if (bytes < 1024 * input_limits::kMiB)
        return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / static_cast<double>(input_limits::kMiB));
    return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / static_cast<double>(1024 * input_limits::kMiB));
}

std::string_view kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a plain file";
}

// The one rule, on what stat() or fstat() said.
void check_status(const std::filesystem::path& path, const struct stat& st, std::uintmax_t max_bytes,
                  std::string_view what) {
    if (!S_ISREG(st.st_mode))
        throw InputError(fmt::format("{}: not a regular file ({}); expected {}", path.string(), kind_of(st.st_mode),
                                     what));
    const auto size = static_cast<std::uintmax_t>(st.st_size);
    if (size > max_bytes)
        throw InputError(fmt::format("{}: {}, more than {} may have ({})", path.string(), human_size(size), what,
                                     human_size(max_bytes)));
}

}  // namespace

void check_input_file(const std::filesystem::path& path, std::uintmax_t max_bytes, std::string_view what) {
    // The system reads a path up to its first NUL: "x\0.jpg" (from Python, say) would open the file x.
    if (const auto nul = path.native().find('\0'); nul != std::string::npos)
        throw InputError(fmt::format("{}\\0...: a path with a NUL byte in it (no file has such a name)",
                                     path.native().substr(0, nul)));
    if (path.empty()) throw InputError("'': an empty file name, no file");  // was ": no such file"
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw InputError(errno == ENOENT ? fmt::format("{}: no such file", path.string())
                                         : fmt::format("{}: cannot read ({})", path.string(), std::strerror(errno)));
    check_status(path, st, max_bytes, what);
}

InputFile::InputFile(const std::filesystem::path& path, std::uintmax_t max_bytes, std::string_view what)
    : path_(path), max_bytes_(max_bytes), what_(what) {
    check_input_file(path, max_bytes, what);
    // O_NONBLOCK: opening a FIFO put there since the check returns at once instead of waiting
    // for a writer; fstat() below then refuses it.
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd_ < 0) throw InputError(fmt::format("{}: cannot open ({})", path.string(), std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
        const int error = errno;
        ::close(fd_);
        throw InputError(fmt::format("{}: cannot read ({})", path.string(), std::strerror(error)));
    }
    try {
        check_status(path, st, max_bytes, what);
    } catch (...) {
        ::close(fd_);
        throw;
    }
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
}

InputFile::~InputFile() {
    if (fd_ >= 0) ::close(fd_);
}

InputFile::InputFile(InputFile&& other) noexcept
    : path_(std::move(other.path_)), max_bytes_(other.max_bytes_), what_(std::move(other.what_)),
      fd_(std::exchange(other.fd_, -1)) {}

int InputFile::release() { return std::exchange(fd_, -1); }

std::string InputFile::read_all() {
    std::string content;
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n == 0) return content;
        if (n < 0) {
            if (errno == EINTR) continue;
            throw InputError(fmt::format("{}: cannot read ({})", path_.string(), std::strerror(errno)));
        }
        content.append(buffer, static_cast<std::size_t>(n));
        // A file that grows while it is read is held to the same limit.
        if (content.size() > max_bytes_)
            throw InputError(fmt::format("{}: more than {} may have ({}); it grew while read", path_.string(),
                                         what_, human_size(max_bytes_)));
    }
}

std::string read_input_file(const std::filesystem::path& path, std::uintmax_t max_bytes, std::string_view what) {
    return InputFile(path, max_bytes, what).read_all();
}

}  // namespace dangpli
