#include "stop_signals.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <ctime>
#include <chrono>
#include <thread>

#include "stderr_line.hpp"

namespace dangpli::cli {

namespace {

std::atomic<void (*)(int)> g_command_handler{nullptr};
std::atomic<std::int64_t> g_first_stop_ms{-1};

std::int64_t monotonic_ms() {
    struct timespec now {};
    ::clock_gettime(CLOCK_MONOTONIC, &now);  // async-signal-safe
    return static_cast<std::int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

// The first stop signal asks the command to stop; a second Ctrl-C, SIGTERM or SIGHUP a second or more
// later ends the process at once, as if never caught: a command stuck in a write to a pipe nobody
// reads polls no flag. Sooner it is the same request twice (`timeout` signals the child and then its
// group). SIGPIPE comes again at every write to the gone reader: it only ever asks.
extern "C" void dangpli_cli_stop_signal(int sig) {
    const std::int64_t now = monotonic_ms();
    std::int64_t first = -1;
    if (!g_first_stop_ms.compare_exchange_strong(first, now) && sig != SIGPIPE && now - first >= 1000) {
        ::signal(sig, SIG_DFL);
        ::raise(sig);
        return;
    }
    if (auto* handler = g_command_handler.load()) handler(sig);
}

}  // namespace

void catch_stop_signals(std::initializer_list<int> signals, void (*handler)(int)) {
    g_command_handler.store(handler);
    for (const int sig : signals) {
        struct sigaction before {};
        if (::sigaction(sig, nullptr, &before) == 0 && before.sa_handler == SIG_IGN) continue;
        struct sigaction action {};
        action.sa_handler = dangpli_cli_stop_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;  // as std::signal: an interrupted read or write goes on; the flag is polled
        ::sigaction(sig, &action, nullptr);
    }
}

HeldFifo::~HeldFifo() {
    if (fd_ >= 0) ::close(fd_);
}

std::optional<HeldFifo> wait_for_fifo_reader(std::string_view option, const std::filesystem::path& path,
                                             const std::atomic<bool>& stop) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISFIFO(st.st_mode)) return HeldFifo();
    const auto since = std::chrono::steady_clock::now();
    bool said = false;
    while (!stop.load()) {
        // Without O_NONBLOCK this open would wait for the reader; with it, no reader is ENXIO.
        const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0) return HeldFifo(fd);
        if (errno != ENXIO && errno != EINTR) return HeldFifo();  // the output's own open names the problem
        if (!said && std::chrono::steady_clock::now() - since > std::chrono::seconds(1)) {
            tell("dangpli: {} {}: waiting for a program to read the FIFO (Ctrl-C to stop)\n", option, path.string());
            said = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return std::nullopt;
}

}  // namespace dangpli::cli
