#include "dangpli/playlist_io.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>


#include "core/utf16_text.hpp"
#include "dangpli/ascii_text.hpp"
#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"
#include "dangpli/output_file.hpp"
#include "playlist_formats.hpp"
#include "playlist_text.hpp"

namespace dangpli {

std::string_view to_string(PlaylistFormat f) {
    switch (f) {
        case PlaylistFormat::Csv: return "csv";
        case PlaylistFormat::Yaml: return "yaml";
        case PlaylistFormat::M3u: return "m3u";
    }
    return "?";
}

std::optional<PlaylistFormat> parse_playlist_format(std::string_view name) {
    std::string n = ascii_lower(name);
    if (n == "csv") return PlaylistFormat::Csv;
    if (n == "yaml" || n == "yml") return PlaylistFormat::Yaml;
    if (n == "m3u" || n == "m3u8") return PlaylistFormat::M3u;
    return std::nullopt;
}

std::optional<PlaylistFormat> playlist_format_of(const std::filesystem::path& file) {
    std::string ext = file.extension().string();
    if (ext.empty()) return std::nullopt;
    return parse_playlist_format(std::string_view(ext).substr(1));
}

std::vector<PlaylistEntry> parse_playlist(std::string_view text, PlaylistFormat format,
                                          const PlaylistReadOptions& options) {
    // Checked up front so that every reader can rely on valid UTF-8, and the message has a line.
    if (detail::utf16_text(text)) detail::fail_at(options.file_name, 1, detail::kUtf16Advice);
    detail::check_utf8(text, options.file_name);
    switch (format) {
        case PlaylistFormat::Csv: return detail::parse_csv(text, options);
        case PlaylistFormat::Yaml: return detail::parse_yaml(text, options);
        case PlaylistFormat::M3u: return detail::parse_m3u(text, options);
    }
    return {};
}

std::vector<PlaylistEntry> read_playlist(const std::filesystem::path& file, std::optional<PlaylistFormat> format,
                                         std::optional<Emotion> default_emotion) {
    std::string text;
    try {  // first, so that a folder or a device is named as such, not as a format to rename
        text = read_input_file(file, input_limits::kPlaylist, "a playlist file");
    } catch (const InputError& e) {  // the file's own fault: bad data, like a bad row
        throw DataError(e.what());
    }
    if (!format) format = playlist_format_of(file);
    if (!format)
        throw DataError(fmt::format("{}: unknown playlist format (name it .csv, .yaml or .m3u, or give the format)",
                                    file.string()));
    PlaylistReadOptions options;
    options.file_name = file.string();
    options.base_dir = std::filesystem::absolute(file).parent_path();
    options.default_emotion = default_emotion;
    return parse_playlist(text, *format, options);
}

std::string format_playlist(std::span<const Song> songs, PlaylistFormat format, std::optional<Emotion> only) {
    switch (format) {
        case PlaylistFormat::Csv: return detail::write_csv(songs, only);
        case PlaylistFormat::Yaml: return detail::write_yaml(songs, only);
        case PlaylistFormat::M3u: return detail::write_m3u(songs, only);
    }
    return {};
}

std::optional<std::chrono::milliseconds> parse_song_duration(std::string_view text) {
    return detail::parse_duration(text);
}

void write_file_atomically(const std::filesystem::path& file, std::string_view content) {
    write_output_file(file, content);
}

namespace detail {

std::string unknown_emotion_message(std::string_view name) {
    std::vector<std::string_view> names;
    for (Emotion e : kAllEmotions) names.push_back(to_string(e));
    return fmt::format("unknown emotion '{}' (expected {})", name, fmt::join(names, ", "));
}

}  // namespace detail
}  // namespace dangpli
