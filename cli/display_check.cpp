#include "display_check.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace dangpli::cli {
namespace {

constexpr int kConnectTimeoutMs = 2000;
constexpr int kX11TcpPortBase = 6000;  // display N listens on 6000 + N

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

// Waits for a non-blocking connect to finish; true when it did.
bool connected(int fd, const sockaddr* address, socklen_t length) {
    if (::connect(fd, address, length) == 0) return true;
    if (errno != EINPROGRESS) return false;
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, kConnectTimeoutMs) != 1) return false;
    int error = 0;
    socklen_t size = sizeof error;
    return ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0 && error == 0;
}

// Whether the peer of a connected socket speaks X11: it answers a connection setup request (no
// authorisation) with Failed (0), Success (1) or Authenticate (2). A bare connect proves nothing
// where a proxy or firewall accepts every connection.
bool speaks_x11(int fd) {
    const unsigned char setup[12] = {'l', 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0};  // little endian, protocol 11.0
    if (::send(fd, setup, sizeof setup, MSG_NOSIGNAL) != static_cast<ssize_t>(sizeof setup)) return false;
    pollfd p{fd, POLLIN, 0};
    unsigned char status = 0xFF;
    return ::poll(&p, 1, kConnectTimeoutMs) == 1 && ::recv(fd, &status, 1, 0) == 1 && status <= 2;
}

bool unix_socket_answers(const std::string& path, bool abstract) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::size_t offset = abstract ? 1 : 0;  // Linux's abstract name starts with a NUL byte
    std::memcpy(address.sun_path + offset, path.data(), std::min(path.size(), sizeof address.sun_path - 1 - offset));
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + offset + path.size());
    const bool ok = connected(fd, reinterpret_cast<const sockaddr*>(&address), length) && speaks_x11(fd);
    ::close(fd);
    return ok;
}

bool tcp_answers(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return false;
    bool ok = false;
    for (addrinfo* a = found; a && !ok; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        ok = connected(fd, a->ai_addr, a->ai_addrlen) && speaks_x11(fd);
        ::close(fd);
    }
    ::freeaddrinfo(found);
    return ok;
}

// DISPLAY is [host]:number[.screen]; an empty host or "unix" is the local socket.
bool x_server_answers(const std::string& display) {
    const auto colon = display.rfind(':');
    if (colon == std::string::npos) return false;
    const std::string host = display.substr(0, colon);
    const int number = std::atoi(display.c_str() + colon + 1);
    if (host.empty() || host == "unix") {
        const std::string path = "/tmp/.X11-unix/X" + std::to_string(number);
        return unix_socket_answers(path, false) || unix_socket_answers(path, true);
    }
    return tcp_answers(host, kX11TcpPortBase + number);
}

}  // namespace

std::optional<std::string> display_problem() {
    // QT_QPA_PLATFORM (offscreen, vnc, eglfs, ...) names a place to draw that needs no display.
    if (!env("QT_QPA_PLATFORM").empty()) return std::nullopt;
    // OpenCV's window is drawn through X: a Wayland desktop gives it XWayland's DISPLAY; a
    // WAYLAND_DISPLAY alone is no place to draw (Qt aborts the process).
    const std::string display = env("DISPLAY");
    if (display.empty())
        return "--preview needs an X display, and DISPLAY is not set (run it in a desktop session, "
               "where Wayland's is XWayland, or leave out --preview)";
    if (!x_server_answers(display))
        return "--preview cannot reach the X display '" + display +
               "' (DISPLAY): no X server answers there (leave out --preview, or fix DISPLAY)";
    return std::nullopt;
}

}  // namespace dangpli::cli
