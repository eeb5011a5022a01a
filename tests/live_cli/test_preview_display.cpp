// `dangpli live --preview` asks whether a window can open before OpenCV tries (Qt aborts the whole
// process when it cannot reach the display): no display, a display where nothing answers, something
// that is no X server, and an X server that asks for the Xauthority cookie the toolkit would show.
// The X servers here are sockets in this process speaking just the connection setup.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <future>
#include <string>

#include "support.hpp"

using dangpli::test::shell_quote;
using dangpli::test::TempDir;
namespace test = dangpli::test;

namespace {

// A TCP socket listening on 127.0.0.1:6000+N for a free display number N.
struct FakeDisplay {
    int listener = -1;
    int number = -1;
    FakeDisplay() {
        listener = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(listener >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        for (int n = 60; n < 99 && number < 0; ++n) {
            address.sin_port = htons(static_cast<std::uint16_t>(6000 + n));
            if (::bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) number = n;
        }
        REQUIRE(number >= 0);
        REQUIRE(::listen(listener, 4) == 0);
    }
    ~FakeDisplay() { ::close(listener); }
    FakeDisplay(const FakeDisplay&) = delete;
    FakeDisplay& operator=(const FakeDisplay&) = delete;
    std::string display() const { return "127.0.0.1:" + std::to_string(number); }
};

std::string read_exactly(int fd, std::size_t size) {
    std::string got;
    char buffer[256];
    while (got.size() < size) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 10000) != 1) break;
        const ssize_t n = ::read(fd, buffer, std::min(sizeof buffer, size - got.size()));
        if (n <= 0) break;
        got.append(buffer, static_cast<std::size_t>(n));
    }
    return got;
}

std::size_t padded(std::size_t n) { return (n + 3) / 4 * 4; }

// Answers one connection setup as an X server that lets in only a client showing `cookie`
// (MIT-MAGIC-COOKIE-1), and returns the cookie the client showed.
std::string serve_one_setup(int listener, const std::string& cookie) {
    pollfd p{listener, POLLIN, 0};
    if (::poll(&p, 1, 20000) != 1) return "(no connection)";
    const int client = ::accept(listener, nullptr, nullptr);
    if (client < 0) return "(no connection)";
    const std::string head = read_exactly(client, 12);
    std::string shown = "(no request)";
    if (head.size() == 12 && head[0] == 'l') {
        const auto u16 = [&](std::size_t at) {
            return static_cast<std::size_t>(static_cast<unsigned char>(head[at]) |
                                            static_cast<unsigned char>(head[at + 1]) << 8);
        };
        const std::string name = read_exactly(client, padded(u16(6))).substr(0, u16(6));
        const std::string data = read_exactly(client, padded(u16(8))).substr(0, u16(8));
        shown = name == "MIT-MAGIC-COOKIE-1" ? data : "";
    }
    std::string reply;
    if (shown == cookie) {
        reply = std::string{1, 0, 11, 0, 0, 0, 0, 0};  // Success, protocol 11.0, no more data
    } else {
        const std::string reason = "Authorization required, but no authorization protocol specified";
        reply = std::string{0, static_cast<char>(reason.size()), 11, 0, 0, 0};
        const std::size_t words = padded(reason.size()) / 4;
        reply += static_cast<char>(words & 0xFF);
        reply += static_cast<char>(words >> 8);
        reply += reason + std::string(padded(reason.size()) - reason.size(), '\0');
    }
    (void)::write(client, reply.data(), reply.size());
    ::close(client);
    return shown;
}

std::string counted(const std::string& text) {
    return std::string{static_cast<char>(text.size() >> 8), static_cast<char>(text.size() & 0xFF)} + text;
}

// One Xauthority entry as xauth writes it: Local family (256), this host's name, display number.
std::string xauthority_entry(int number, const std::string& cookie) {
    char host[256] = {};
    REQUIRE(::gethostname(host, sizeof host - 1) == 0);
    return std::string{1, 0} + counted(host) + counted(std::to_string(number)) + counted("MIT-MAGIC-COOKIE-1") +
           counted(cookie);
}

test::CommandResult preview(const TempDir& dir, const std::string& env) {
    return test::run_command("env -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM " + env + " " +
                             shell_quote(test::kCli.string()) + " live --preview --player silent --db " +
                             shell_quote((dir / "s.db").string()) + " --source " + shell_quote(dir.path().string()));
}

}  // namespace

TEST_CASE("--preview without a display is one line and exit 2, before any window (no abort)") {
    TempDir dir;
    test::write_file(dir / "frame.jpg", "not read");
    const auto r = preview(dir, "-u DISPLAY");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--preview needs an X display") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    // A stale WAYLAND_DISPLAY alone: OpenCV's window is drawn through X (XWayland's DISPLAY); Qt aborted.
    const auto wayland = preview(dir, "-u DISPLAY WAYLAND_DISPLAY=wayland-9");
    CHECK(wayland.exit_code == 2);
    CHECK(wayland.err.find("--preview needs an X display") != std::string::npos);
}

TEST_CASE("--preview with a DISPLAY where no X server answers is one line and exit 2 (Qt would abort)") {
    TempDir dir;
    test::write_file(dir / "frame.jpg", "not read");
    for (const std::string display : {":97", "unix:97.0", "127.0.0.1:97"}) {
        const auto r = preview(dir, "DISPLAY=" + display);
        INFO(display, ": ", r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("--preview cannot reach the X display '" + display + "'") != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    // Something accepts the connection but is no X server (a proxy, a firewall, another service):
    // a listening socket that never answers. A bare connect took it for a display; Qt then aborted.
    const FakeDisplay silent;
    const auto r = preview(dir, "DISPLAY=" + silent.display());
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--preview cannot reach the X display '" + silent.display() + "'") != std::string::npos);
}

TEST_CASE("--preview shows the X server the Xauthority cookie the toolkit would; a refusal is one line with its reason") {
    TempDir dir;
    test::write_file(dir / "frame.jpg", "not read");  // no frame to show: no window opens after the check
    const FakeDisplay server;
    const std::string cookie = "\x01\x23\x45\x67\x89\xab\xcd\xef\x10\x32\x54\x76\x98\xba\xdc\xfe";
    // Before: the probe showed no cookie, this server refused it and the probe still took it for a
    // display (Qt, showing its cookie or not, then aborted where the server refused it too).
    SUBCASE("no Xauthority file, or no entry for this display: refused, with the server's reason") {
        test::write_file(dir / "other", xauthority_entry(server.number + 1, cookie));
        REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);  // read without a writer, it would hang
        for (const std::string& env : {"XAUTHORITY=" + shell_quote((dir / "missing").string()),
                                      "XAUTHORITY=" + shell_quote((dir / "other").string()),
                                      "XAUTHORITY=" + shell_quote((dir / "fifo").string())}) {
            auto shown = std::async(std::launch::async, serve_one_setup, server.listener, cookie);
            const auto r = preview(dir, env + " DISPLAY=" + server.display());
            INFO(env, ": ", r.err);
            CHECK(shown.get().empty());
            CHECK(r.exit_code == 2);
            CHECK(r.err.find("--preview: the X display '" + server.display() +
                             "' refused this program: Authorization required, but no authorization protocol "
                             "specified (its cookie is read from XAUTHORITY") != std::string::npos);
            CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        }
    }
    SUBCASE("the cookie for this display, found among others in XAUTHORITY or ~/.Xauthority: let in") {
        const std::string file = xauthority_entry(server.number + 1, "another cookie") +
                                 xauthority_entry(server.number, cookie);
        test::write_file(dir / "xauth", file);
        test::write_file(dir / ".Xauthority", file);
        for (const std::string& env : {"XAUTHORITY=" + shell_quote((dir / "xauth").string()),
                                      "-u XAUTHORITY HOME=" + shell_quote(dir.path().string())}) {
            auto shown = std::async(std::launch::async, serve_one_setup, server.listener, cookie);
            const auto r = preview(dir, env + " DISPLAY=" + server.display());
            INFO(env, ": ", r.err);
            CHECK(shown.get() == cookie);
            CHECK(r.err.find("--preview") == std::string::npos);
            CHECK(r.err.find("frame.jpg") != std::string::npos);  // it went on to read the source
        }
    }
}
