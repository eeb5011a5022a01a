#include "dangpli/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "dangpli/error.hpp"

namespace fs = std::filesystem;

namespace dangpli {

namespace {

// Throws WriteError for `shown` (the path the caller gave) with the current errno.
[[noreturn]] void fail(const fs::path& shown, std::string_view step, int error = errno) {
    throw WriteError(fmt::format("{}: cannot write ({}: {})", shown.string(), step, std::strerror(error)));
}

// The descriptor N of this process that `path` names (/dev/stdout, /dev/fd/N, /proc/self/fd/N), if
// it names one. Such a name is a link to whatever the descriptor holds: followed, `-o /dev/stdout >>
// log.txt` renamed a new file over log.txt (and reopened, it would be truncated or written from 0).
std::optional<int> own_descriptor(const fs::path& path) {
    const fs::path folder = path.parent_path().lexically_normal();
    const std::string name = path.filename().string();
    if (name.empty() || name.size() > 9 || name.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    if (folder != "/dev/fd" && folder != "/proc/self/fd" && folder != "/proc/thread-self/fd" &&
        folder != fs::path(fmt::format("/proc/{}/fd", ::getpid())))
        return std::nullopt;
    return std::stoi(name);
}

// The file a symlink chain ends at (which may not exist yet); `path` itself when it is no link.
// Done by hand, since fs::canonical refuses a link whose target does not exist yet. A descriptor of
// this process (own_descriptor) ends the chain: it is where the bytes go.
fs::path follow_links(const fs::path& shown, fs::path path) {
    for (int hops = 0; hops < 40; ++hops) {  // 40: Linux's own limit (MAXSYMLINKS)
        std::error_code ec;
        if (own_descriptor(path) || !fs::is_symlink(fs::symlink_status(path, ec))) return path;
        const fs::path target = fs::read_symlink(path, ec);
        if (ec) fail(shown, "read the link", ec.value());
        path = target.is_absolute() ? target : path.parent_path() / target;
    }
    fail(shown, "follow the link", ELOOP);
}

// Writes all of `bytes` to `fd`, retrying short writes and signals. Returns errno, 0 on success.
int write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno;
        if (n == 0) return EIO;  // a device that takes nothing would loop forever
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return 0;
}

// Devices and FIFOs cannot be renamed over; replacing them would destroy them (as root, /dev/null).
void write_through(const fs::path& shown, const fs::path& target, std::string_view bytes) {
    const int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail(shown, "open");
    if (const int error = write_all(fd, bytes); error != 0) {
        ::close(fd);
        fail(shown, "write", error);
    }
    if (::close(fd) != 0) fail(shown, "close");
}

void replace_atomically(const fs::path& shown, const fs::path& target, const struct stat* existing,
                        std::string_view bytes) {
    const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::random_device random;
    fs::path tmp;
    int fd = -1;
    // The temp name is the name and 14 bytes more: a name that long is cut, as the folder's limit on
    // a name (255 bytes) would refuse it.
    const std::string name = target.filename().string().substr(0, 200);
    for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
        tmp = dir / fmt::format(".{}.tmp-{:08x}", name, random());
        // 0666: the umask then gives a new file the mode any other program's new file would get.
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) fail(shown, "create a temp file beside it");
    }
    if (fd < 0) fail(shown, "create a temp file beside it");
    auto abandon = [&](std::string_view step, int error) {
        ::close(fd);
        ::unlink(tmp.c_str());
        fail(shown, step, error);
    };
    if (existing != nullptr) {
        // The new file is the old one's: its owner and group where this user may give them (root
        // writing another user's file made it root's, and with mode 0640 its owner could no longer
        // read it); elsewhere no set-id bits on new content, as a write by another user clears them.
        mode_t mode = existing->st_mode & 07777;
        if ((existing->st_uid != ::geteuid() || existing->st_gid != ::getegid()) &&
            ::fchown(fd, existing->st_uid, existing->st_gid) != 0)
            mode &= ~static_cast<mode_t>(S_ISUID | S_ISGID);
        if (::fchmod(fd, mode) != 0) abandon("keep its mode", errno);
    }
    if (const int error = write_all(fd, bytes); error != 0) abandon("write", error);
    // fsync before rename: otherwise a crash can leave the new name pointing at an empty file.
    if (::fsync(fd) != 0) abandon("flush to disk", errno);
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(tmp.c_str());
        fail(shown, "close", error);
    }
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
        const int error = errno;
        ::unlink(tmp.c_str());
        fail(shown, "rename the temp file over it", error);
    }
    sync_folder(dir);  // the rename itself reaches the disk with the folder
}

}  // namespace

fs::path final_link_target(const fs::path& path) { return follow_links(path, path); }

void sync_folder(const fs::path& folder) noexcept {
    if (const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
        (void)::fsync(fd);
        ::close(fd);
    }
}

bool names_own_descriptor(const fs::path& path) { return own_descriptor(follow_links(path, path)).has_value(); }

void write_output_file(const fs::path& path, std::string_view bytes) {
    const fs::path target = follow_links(path, path);
    if (const auto fd = own_descriptor(target)) {  // written where the descriptor stands, as the shell set it
        if (const int error = write_all(*fd, bytes); error != 0) fail(path, "write", error);
        return;
    }
    struct stat info {};
    if (::stat(target.c_str(), &info) != 0) {
        if (errno != ENOENT) fail(path, "read its attributes");
        replace_atomically(path, target, nullptr, bytes);
    } else if (S_ISDIR(info.st_mode)) {
        throw WriteError(fmt::format("{}: cannot write (it is a folder)", path.string()));
    } else if (S_ISREG(info.st_mode)) {
        replace_atomically(path, target, &info, bytes);
    } else {
        write_through(path, target, bytes);
    }
}

void write_output_files(std::span<const OutputFileContent> files) {
    struct Before {
        fs::path target;
        bool existed = false;
        std::optional<std::string> bytes;  // a regular file's, to put back
    };
    // Every target resolved and read before the first write: a link loop or an unreadable old file
    // found at the second output left the first one replaced.
    std::vector<Before> before_all;
    for (const auto& file : files) {
        Before before{follow_links(file.path, file.path), false, std::nullopt};
        struct stat info {};
        if (own_descriptor(before.target)) {
            before.existed = true;  // written through, like a device: cannot be put back
        } else if (::stat(before.target.c_str(), &info) == 0) {
            before.existed = true;
            if (S_ISREG(info.st_mode)) {
                std::ifstream in(before.target, std::ios::binary);
                std::string old((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
                if ((!in.is_open() || in.bad()) && files.size() > 1)
                    throw WriteError(fmt::format("{}: cannot read it to put it back should a later output fail; "
                                                 "make it readable or remove it", file.path.string()));
                if (in.is_open() && !in.bad()) before.bytes = std::move(old);
            }
        }
        before_all.push_back(std::move(before));
    }
    std::vector<Before> written;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& file = files[i];
        Before& before = before_all[i];
        try {
            write_output_file(file.path, file.bytes);
        } catch (const WriteError&) {
            for (auto it = written.rbegin(); it != written.rend(); ++it) {
                if (!it->existed) {
                    ::unlink(it->target.c_str());
                } else if (it->bytes) {
                    try {
                        write_output_file(it->target, *it->bytes);
                    } catch (const WriteError&) {
                        // The first failure is the one to report; this file keeps the new bytes.
                    }
                }
            }
            throw;
        }
        written.push_back(std::move(before));
    }
}

}  // namespace dangpli
