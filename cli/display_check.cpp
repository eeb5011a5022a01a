#include "display_check.hpp"

#include "x_authority.hpp"

#include <netdb.h>
#include <netinet/in.h>
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
#include <utility>

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

struct XAnswer {
    enum class Kind { None, Accepted, Refused } kind = Kind::None;
    std::string reason;  // the server's own words when it refused
};

std::uint16_t little_u16(const unsigned char* bytes) { return static_cast<std::uint16_t>(bytes[0] | bytes[1] << 8); }

void append_padded(std::string& request, std::string_view field) {
    request += field;
    request.append((4 - field.size() % 4) % 4, '\0');
}

// Reads up to `size` bytes within the connect timeout; fewer when the peer stops sending.
std::string receive(int fd, std::size_t size) {
    std::string got;
    char buffer[256];
    while (got.size() < size) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, kConnectTimeoutMs) != 1) break;
        const ssize_t n = ::recv(fd, buffer, std::min(sizeof buffer, size - got.size()), 0);
        if (n <= 0) break;
        got.append(buffer, static_cast<std::size_t>(n));
    }
    return got;
}

// Only printable ASCII of a server's reason reaches the user's one line.
std::string printable(std::string_view text) {
    std::string out;
    for (const char c : text)
        if (c >= ' ' && c <= '~' && out.size() < 200) out += c;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// Sends the X11 connection setup request with the cookie the toolkit would send, and reads the
// answer: Failed (0) and Authenticate (2) refuse with a reason, Success (1) accepts. A bare connect
// proves nothing where a proxy or firewall accepts every connection; an unauthenticated probe
// proves nothing where the server asks for a cookie (Qt would then abort).
XAnswer x11_setup(int fd, const std::optional<std::string>& cookie) {
    std::string request = {'l', 0, 11, 0, 0, 0};  // little endian, protocol 11.0
    const std::string_view name = cookie ? kMagicCookieName : std::string_view{};
    const std::string_view data = cookie ? std::string_view(*cookie) : std::string_view{};
    for (const std::size_t length : {name.size(), data.size()}) {
        request += static_cast<char>(length & 0xFF);
        request += static_cast<char>(length >> 8 & 0xFF);
    }
    request.append(2, '\0');
    append_padded(request, name);
    append_padded(request, data);
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) return {};
    const std::string head = receive(fd, 8);
    if (head.size() < 8) return {};
    const auto* bytes = reinterpret_cast<const unsigned char*>(head.data());
    const int status = bytes[0];
    if (status == 1) return {XAnswer::Kind::Accepted, {}};
    if (status != 0 && status != 2) return {};
    // Failed: byte 1 is the reason's length; Authenticate: the reason fills the additional data.
    const std::size_t additional = std::size_t{little_u16(bytes + 6)} * 4;
    const std::size_t length = status == 0 ? std::min<std::size_t>(bytes[1], additional) : additional;
    std::string reason = printable(receive(fd, std::min<std::size_t>(length, 4096)));
    return {XAnswer::Kind::Refused, reason.empty() ? "no reason given" : reason};
}

std::string host_name() {
    char name[256] = {};
    return ::gethostname(name, sizeof name - 1) == 0 ? name : "";
}

// The Xauthority address libxcb looks the cookie up by: a local socket, or TCP to a loopback
// address, is the Local family with this host's name; another server, its address bytes.
std::pair<XAuthFamily, std::string> auth_address_of_peer(int fd) {
    sockaddr_storage peer{};
    socklen_t size = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &size) != 0) return {XAuthFamily::Local, host_name()};
    if (peer.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(peer).sin_addr;
        const auto* b = reinterpret_cast<const char*>(&v4);
        if (static_cast<unsigned char>(b[0]) == 127) return {XAuthFamily::Local, host_name()};
        return {XAuthFamily::Internet, std::string(b, 4)};
    }
    if (peer.ss_family == AF_INET6) {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(peer).sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(&v6)) return {XAuthFamily::Local, host_name()};
        const auto* b = reinterpret_cast<const char*>(&v6);
        if (IN6_IS_ADDR_V4MAPPED(&v6)) return {XAuthFamily::Internet, std::string(b + 12, 4)};
        return {XAuthFamily::Internet6, std::string(b, 16)};
    }
    return {XAuthFamily::Local, host_name()};
}

XAnswer ask(int fd, const std::string& number) {
    const auto [family, address] = auth_address_of_peer(fd);
    return x11_setup(fd, x_authority_cookie(x_authority_file(), family, address, number));
}

XAnswer unix_socket_answer(const std::string& path, bool abstract, const std::string& number) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return {};
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::size_t offset = abstract ? 1 : 0;  // Linux's abstract name starts with a NUL byte
    std::memcpy(address.sun_path + offset, path.data(), std::min(path.size(), sizeof address.sun_path - 1 - offset));
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + offset + path.size());
    XAnswer answer;
    if (connected(fd, reinterpret_cast<const sockaddr*>(&address), length)) answer = ask(fd, number);
    ::close(fd);
    return answer;
}

XAnswer tcp_answer(const std::string& host, const std::string& number) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(kX11TcpPortBase + std::atoi(number.c_str()));
    if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) return {};
    XAnswer answer;
    for (addrinfo* a = found; a && answer.kind == XAnswer::Kind::None; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        if (connected(fd, a->ai_addr, a->ai_addrlen)) answer = ask(fd, number);
        ::close(fd);
    }
    ::freeaddrinfo(found);
    return answer;
}

// DISPLAY is [host]:number[.screen]; an empty host or "unix" is the local socket.
XAnswer x_server_answer(const std::string& display) {
    const auto colon = display.rfind(':');
    if (colon == std::string::npos) return {};
    const std::string host = display.substr(0, colon);
    const std::string number = std::to_string(std::atoi(display.c_str() + colon + 1));
    if (host.empty() || host == "unix") {
        const std::string path = "/tmp/.X11-unix/X" + number;
        XAnswer answer = unix_socket_answer(path, false, number);
        return answer.kind != XAnswer::Kind::None ? answer : unix_socket_answer(path, true, number);
    }
    return tcp_answer(host, number);
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
    const XAnswer answer = x_server_answer(display);
    if (answer.kind == XAnswer::Kind::None)
        return "--preview cannot reach the X display '" + display +
               "' (DISPLAY): no X server answers there (leave out --preview, or fix DISPLAY)";
    if (answer.kind == XAnswer::Kind::Refused)
        return "--preview: the X display '" + display + "' refused this program: " + answer.reason +
               " (its cookie is read from XAUTHORITY, else ~/.Xauthority; leave out --preview, or fix them)";
    return std::nullopt;
}

}  // namespace dangpli::cli
