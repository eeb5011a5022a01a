#include "playlist_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/utf8_text.hpp"
#include "dangpli/ascii_text.hpp"
#include "dangpli/error.hpp"
#include "dangpli/playlist_io.hpp"
#include "dangpli/playlist_types.hpp"

namespace dangpli::detail {

void fail_at(std::string_view file, std::size_t line, std::string_view what) {
    throw DataError(fmt::format("{}:{}: {}", file, line, what));
}

namespace {

bool is_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<double> parse_double(std::string_view s) {
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

void check_utf8(std::string_view text, std::string_view file) {
    std::size_t line = 1, line_start = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\n') {
            ++line;
            line_start = ++i;
            continue;
        }
        std::size_t len = utf8_sequence_length(text, i);
        if (len == 0)
            fail_at(file, line, fmt::format("invalid UTF-8 (byte 0x{:02X} at byte {} of the line)",
                                            static_cast<unsigned char>(text[i]), i - line_start + 1));
        i += len;
    }
}

std::string_view trim(std::string_view s) {
    constexpr std::string_view space = " \t\r";
    auto first = s.find_first_not_of(space);
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(space) - first + 1);
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view s) {
    s = trim(s);
    // "[[h:]m:]s": every part before the last is whole; those after the first are below 60.
    std::vector<std::string_view> parts;
    for (std::size_t colon; (colon = s.find(':')) != std::string_view::npos; s.remove_prefix(colon + 1))
        parts.push_back(s.substr(0, colon));
    parts.push_back(s);
    if (parts.size() > 3) return std::nullopt;
    double seconds = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        bool last = i + 1 == parts.size();
        if (parts[i].empty() || !(parts[i][0] >= '0' && parts[i][0] <= '9')) return std::nullopt;
        if (!last && !is_digits(parts[i])) return std::nullopt;
        if (i > 0 && (parts[i].size() < 2 || !(parts[i][1] >= '0' && parts[i][1] <= '9'))) return std::nullopt;
        auto v = parse_double(parts[i]);
        if (!v || (i > 0 && *v >= 60)) return std::nullopt;
        seconds = seconds * 60 + *v;
    }
    return duration_from_seconds(seconds);
}

std::optional<std::chrono::milliseconds> duration_from_seconds(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e9) return std::nullopt;
    return std::chrono::milliseconds(std::llround(seconds * 1000.0));
}

std::string format_duration(std::chrono::milliseconds d) {
    const auto ms = d.count();
    if (ms % 1000 == 0) return fmt::format("{}", ms / 1000);
    std::string text = fmt::format("{}.{:03}", ms / 1000, ms % 1000);
    while (text.back() == '0') text.pop_back();
    return text;
}

std::optional<TagSource> parse_source_text(std::string_view s) { return parse_tag_source(ascii_lower(trim(s))); }

std::optional<double> parse_weight(std::string_view s) {
    s = trim(s);
    auto v = parse_double(s);
    if (!v || *v <= 0) return std::nullopt;
    return v;
}

std::string format_weight(double w) { return fmt::format("{}", w); }

std::optional<unsigned char> first_control_char(std::string_view s) {
    for (const char c : s)
        if (const auto byte = static_cast<unsigned char>(c); byte < 0x20 || byte == 0x7F) return byte;
    return std::nullopt;
}

std::optional<std::string> resolve_uri(std::string_view uri, const std::filesystem::path& base_dir,
                                       std::string_view file, std::size_t line) {
    // Named here, on the uri's own line: the store's check names the song's first line (an M3U's
    // #EXTINF), and "a line break?" was no help for a NUL.
    if (const auto byte = first_control_char(uri))
        fail_at(file, line, fmt::format("the uri holds a control character (byte 0x{:02X})", *byte));
    try {
        return resolve_song_uri(uri, base_dir);
    } catch (const InputError& e) {  // a Windows path: the one thing resolve_song_uri() refuses
        fail_at(file, line, fmt::format("{} (export the playlist with paths relative to it, and copy the music "
                                        "beside it)", e.what()));
    }
}

}  // namespace dangpli::detail

namespace dangpli {
namespace {

// The local path of a file: URL ("file:///music/a%20b.mp3", "file://localhost/...", "file:/..."), as
// VLC, Rhythmbox and Strawberry write M3U lines: percent-decoded, so that the store keeps the path a
// scan finds the file under. None for another host's file, or another scheme.
std::optional<std::string> file_url_path(std::string_view uri) {
    if (uri.size() < 6 || ascii_lower(uri.substr(0, 5)) != "file:") return std::nullopt;
    std::string_view rest = uri.substr(5);
    if (rest.starts_with("//")) {
        rest.remove_prefix(2);
        const std::size_t slash = rest.find('/');
        const std::string_view host = rest.substr(0, slash);
        if (slash == std::string_view::npos || (!host.empty() && ascii_lower(host) != "localhost")) return std::nullopt;
        rest.remove_prefix(slash);
    }
    if (!rest.starts_with('/')) return std::nullopt;
    const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string path;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        const int byte = rest[i] == '%' && i + 2 < rest.size() && hex(rest[i + 1]) >= 0 && hex(rest[i + 2]) >= 0
                             ? hex(rest[i + 1]) * 16 + hex(rest[i + 2]) : -1;
        if (byte >= 0x20 && byte != 0x7F) {
            path += static_cast<char>(byte);
            i += 2;
        } else {
            path += rest[i];  // a '%' that starts no escape, or one of a control character, stays as written
        }
    }
    return path;
}

}  // namespace

std::optional<std::string> resolve_song_uri(std::string_view uri, const std::filesystem::path& base_dir) {
    using detail::trim;
    uri = trim(uri);
    if (uri.empty() || uri.starts_with(kSearchPrefix)) return std::nullopt;
    // Windows paths, bare or as file: URLs (file:///C:/...): none opens here.
    std::string_view local = uri;
    for (const std::string_view prefix : {"file:///", "file://", "file:/"})
        if (local.size() > prefix.size() && ascii_lower(local.substr(0, prefix.size())) == prefix) {
            local.remove_prefix(prefix.size());
            break;
        }
    const bool drive = local.size() >= 3 && is_ascii_alpha(local[0]) && local[1] == ':' &&
                       (local[2] == '\\' || local[2] == '/');
    if (drive || uri.starts_with("\\\\"))
        throw InputError(fmt::format("'{}' is a Windows {} path, which cannot be opened here", uri,
                                     drive ? "drive" : "network (UNC)"));
    const std::optional<std::string> file_path = file_url_path(uri);
    if (file_path) uri = *file_path;
    // A path with backslashes and no slash was written on Windows ("music\\sub\\a.mp3").
    std::string separators;
    if (uri.find('\\') != std::string_view::npos && uri.find('/') == std::string_view::npos) {
        separators = std::string(uri);
        std::replace(separators.begin(), separators.end(), '\\', '/');
        uri = separators;
    }
    // A scheme of two or more letters is a URL; "C:" would be a drive letter, not a scheme.
    auto colon = uri.find(':');
    if (colon != std::string_view::npos && colon >= 2 &&
        is_ascii_alpha(uri[0]) &&
        std::all_of(uri.begin(), uri.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
            return is_ascii_alnum(c) || c == '+' || c == '-' || c == '.';
        }))
        return std::string(uri);
    std::filesystem::path p{std::u8string(uri.begin(), uri.end())};
    if (p.is_relative() && !base_dir.empty()) p = (base_dir / p).lexically_normal();
    auto u8 = p.u8string();
    return std::string(u8.begin(), u8.end());
}

}  // namespace dangpli
