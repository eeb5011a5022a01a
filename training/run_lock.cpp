#include "run_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "dangpli/error.hpp"

namespace dangpli::training {
namespace {

// The holder's process id, as it wrote it; empty when it cannot be read.
std::string read_holder(int fd) {
    std::array<char, 32> buffer{};
    const auto n = ::pread(fd, buffer.data(), buffer.size() - 1, 0);
    std::string text(buffer.data(), n > 0 ? static_cast<std::size_t>(n) : 0);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

}  // namespace

RunLock::RunLock(const std::filesystem::path& dir) {
    const auto path = dir / "train.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw WriteError(fmt::format("{}: cannot write ({})", path.string(), std::strerror(errno)));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        const auto holder = read_holder(fd_);
        ::close(fd_);
        if (error == EWOULDBLOCK)
            throw InputError(fmt::format("{}: another dangpli train{} is training this run; wait for it to end or stop it",
                                         dir.string(), holder.empty() ? "" : " (process " + holder + ")"));
        throw Error(fmt::format("{}: cannot lock ({})", path.string(), std::strerror(error)));
    }
    // Only a name for the message above (a failed write leaves none, and the message goes without): the
    // lock itself is what keeps a second trainer out, so a failed write stops nothing.
    const auto pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) == 0) (void)::pwrite(fd_, pid.data(), pid.size(), 0);
}

RunLock::~RunLock() { ::close(fd_); }  // closing the last descriptor drops the lock

}  // namespace dangpli::training
