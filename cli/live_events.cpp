#include "live_events.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <utility>

#include <fmt/core.h>

#include "dangpli/error.hpp"

namespace dangpli::cli {
namespace {

// Writes all of `line` to `fd`, going on after short writes and signals. Returns errno, 0 on success.
int write_all(int fd, const std::string& line) {
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = ::write(fd, line.data() + done, line.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return n < 0 ? errno : ENOSPC;
        done += static_cast<std::size_t>(n);
    }
    return 0;
}

// Appending; with read access too where the file is (or will be) a regular one, so that write()
// can look at its last byte. A FIFO stays write-only: opened for reading as well it would not wait
// for its reader.
int open_for_appending(const std::filesystem::path& path) {
    struct stat st {};
    const bool regular = ::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode);
    int fd = regular ? ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666) : -1;
    if (fd < 0) fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    return fd;
}

}  // namespace

EventLog::EventLog(const std::filesystem::path& path) : path_(path), fd_(open_for_appending(path)) {
    if (fd_ < 0)
        throw WriteError(fmt::format("{}: cannot open the events file for writing ({})", path.string(), std::strerror(errno)));
}

EventLog::~EventLog() {
    if (fd_ >= 0) ::close(fd_);
}

EventLog::EventLog(EventLog&& other) noexcept : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

EventLog& EventLog::operator=(EventLog&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        path_ = std::move(other.path_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

void EventLog::write(double time, const std::string& event, std::optional<Emotion> emotion, const Song* song,
                     nlohmann::ordered_json extra) {
    if (fd_ < 0) return;
    nlohmann::ordered_json j;
    j["t"] = std::round(time * 1000.0) / 1000.0;
    j["event"] = event;
    if (emotion) j["emotion"] = to_string(*emotion);
    if (song) j["song"] = {{"id", song->id}, {"title", song->title}, {"artist", song->artist}};
    for (auto& [key, value] : extra.items()) j[key] = value;
    auto line = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    // Unbuffered, so a script tailing the file sees each event at once. A failed write stops the
    // run rather than leaving a log with events silently missing, and the part of the line that
    // did get out is cut off again, so that every line of the file is whole JSON. (A device such
    // as /dev/full cannot be cut: there is nothing in it to keep whole.)
    struct stat before {};
    const bool regular = ::fstat(fd_, &before) == 0 && S_ISREG(before.st_mode);
    // A file whose last line was cut (a full disk, a kill, another program) gets its own line end
    // first, so that this event is not glued onto it.
    char last = '\n';
    if (regular && before.st_size > 0 && ::pread(fd_, &last, 1, before.st_size - 1) == 1 && last != '\n')
        line.insert(line.begin(), '\n');
    const int error = write_all(fd_, line);
    if (error == 0) return;
    if (regular) (void)::ftruncate(fd_, before.st_size);
    throw WriteError(fmt::format("{}: cannot write the event ({})", path_.string(), std::strerror(error)));
}

}  // namespace dangpli::cli
