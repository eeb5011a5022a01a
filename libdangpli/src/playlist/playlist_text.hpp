#pragma once
// Private helpers shared by the playlist readers and writers.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "dangpli/playlist_types.hpp"

namespace dangpli::detail {

/// Throws DataError("file:line: what").
[[noreturn]] void fail_at(std::string_view file, std::size_t line, std::string_view what);

/// Throws DataError naming the line and column of the first byte that is not valid UTF-8
/// (overlong forms, surrogates and code points past U+10FFFF count as invalid).
void check_utf8(std::string_view text, std::string_view file);

/// The first control character (a byte below 0x20, or DEL) in `s`; nullopt when it holds none.
std::optional<unsigned char> first_control_char(std::string_view s);

/// Without leading and trailing spaces, tabs and carriage returns.
std::string_view trim(std::string_view s);

/// The whole of `s` as a finite number ("inf", "nan", "1x" and "" are nullopt).
std::optional<double> parse_double(std::string_view s);
/// "215", "215.5", "3:35" or "1:02:03"; nullopt if it is none of these or negative.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view s);
/// Seconds as a duration: nullopt if negative, not finite or past 1e9 s (beyond that llround overflows).
std::optional<std::chrono::milliseconds> duration_from_seconds(double seconds);
/// Seconds, with up to three decimals ("215", "215.5").
std::string format_duration(std::chrono::milliseconds d);

/// A finite number > 0, or nullopt.
std::optional<double> parse_weight(std::string_view s);
/// Shortest text that reads back as the same double.
std::string format_weight(double w);
/// What a tag's source may be in a playlist file, for messages.
inline constexpr std::string_view kTagSourceNames = "imported, feedback or auto";
/// A tag's source as a playlist file spells it: in any case, as emotions are ("Auto"); nullopt if unknown.
std::optional<TagSource> parse_source_text(std::string_view s);

/// resolve_song_uri() (playlist_io.hpp) for a playlist's row: a Windows drive or network path is
/// fail_at(file, line), with how to export such a playlist instead.
std::optional<std::string> resolve_uri(std::string_view uri, const std::filesystem::path& base_dir,
                                       std::string_view file, std::size_t line);

}  // namespace dangpli::detail
