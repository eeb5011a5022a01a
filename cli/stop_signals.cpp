#include "stop_signals.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "stderr_line.hpp"

namespace dangpli::cli {

void catch_stop_signals(std::initializer_list<int> signals, void (*handler)(int)) {
    for (const int sig : signals) {
        struct sigaction before {};
        if (::sigaction(sig, nullptr, &before) == 0 && before.sa_handler == SIG_IGN) continue;
        struct sigaction action {};
        action.sa_handler = handler;
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
