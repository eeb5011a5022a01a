#include "suspend_signal.hpp"

#include <atomic>
#include <csignal>

namespace dangpli::cli {
namespace {

std::atomic<bool> g_suspend{false};

extern "C" void on_suspend_signal(int) { g_suspend.store(true); }

}  // namespace

void catch_suspend_signal() {
    struct sigaction before {};
    if (::sigaction(SIGTSTP, nullptr, &before) == 0 && before.sa_handler == SIG_IGN) return;
    struct sigaction action {};
    action.sa_handler = on_suspend_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGTSTP, &action, nullptr);
}

bool suspend_requested() { return g_suspend.exchange(false); }

std::chrono::steady_clock::duration suspend_now() {
    const auto stopped_at = std::chrono::steady_clock::now();
    ::raise(SIGSTOP);  // returns once the shell continues the job (SIGCONT)
    return std::chrono::steady_clock::now() - stopped_at;
}

}  // namespace dangpli::cli
