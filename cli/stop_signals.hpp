#pragma once
// How a long command (live, analyze, scan, train) learns that the user wants it to stop: a handler
// that only sets the command's flag, which the command polls between steps, so that what it writes
// ends whole; a second Ctrl-C, a second later, ends it at once. A signal ignored when dangpli started stays ignored (the POSIX convention):
// `nohup dangpli live` keeps playing when the terminal closes, and a script's background job keeps
// ignoring Ctrl-C.

#include <atomic>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace dangpli::cli {

/// Installs `handler` for each of `signals` that was not ignored when the process started. A second
/// SIGINT, SIGTERM or SIGHUP a second or more after the first stop signal ends the process at once
/// (exit 128 + signal).
void catch_stop_signals(std::initializer_list<int> signals, void (*handler)(int));

/// An output FIFO kept open for writing: its reader does not see the end of its input before the
/// output's own open has replaced this one. Closed when destroyed.
class HeldFifo {
public:
    explicit HeldFifo(int fd = -1) : fd_(fd) {}
    ~HeldFifo();
    HeldFifo(HeldFifo&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    HeldFifo& operator=(HeldFifo&&) = delete;
    HeldFifo(const HeldFifo&) = delete;
    HeldFifo& operator=(const HeldFifo&) = delete;

private:
    int fd_;
};

/// For an output that is a FIFO (`--events`, `--trace`): waits until a program reads it, saying so
/// once on stderr after a second, and returns it held open; none as soon as `stop` is set. (Opening a
/// FIFO for writing blocks in the kernel until a reader comes, and a signal could not end that wait.)
/// Anything but a FIFO is returned at once, holding nothing.
std::optional<HeldFifo> wait_for_fifo_reader(std::string_view option, const std::filesystem::path& path,
                                             const std::atomic<bool>& stop);

}  // namespace dangpli::cli
