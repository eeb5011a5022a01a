#pragma once
/// \file
/// Reading and writing playlist files: CSV, YAML and M3U. Readers validate everything (UTF-8,
/// quoting, emotions, titles) and throw DataError("file:line: what is wrong") on the first bad row,
/// so that a caller can import all or nothing. Writers produce text the readers read back.
///
/// - CSV: a header row with the columns title, artist, emotion (required) and uri, duration, weight
///   (optional), in any order; RFC 4180 quoting; one row per (song, emotion).
/// - YAML: a map from emotion to a list of songs: `{title, artist, uri, duration, weight}`.
/// - M3U: `#EXTM3U`; `#EXTINF:seconds,artist - title`; `#EXTART:artist`;
///   `#EXTGRP:emotion,emotion`; then the uri, or the ytdl search for a song without one (mpv
///   plays it).
///
/// duration: seconds ("215", "215.5") or "m:ss" / "h:mm:ss". Relative local paths in uri are
/// resolved against the playlist file's folder.

#include <chrono>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dangpli/emotion.hpp"
#include "dangpli/playlist_types.hpp"

namespace dangpli {

/// The playlist file formats.
enum class PlaylistFormat { Csv, Yaml, M3u };

/// "csv", "yaml" or "m3u".
std::string_view to_string(PlaylistFormat f);
/// "csv", "yaml"/"yml", "m3u"/"m3u8", case-insensitive.
std::optional<PlaylistFormat> parse_playlist_format(std::string_view name);
/// From the file's extension (.csv, .yaml, .yml, .m3u, .m3u8).
std::optional<PlaylistFormat> playlist_format_of(const std::filesystem::path& file);

/// How parse_playlist() reads a text.
struct PlaylistReadOptions {
    std::string file_name = "<input>";        ///< used in error messages
    std::filesystem::path base_dir;           ///< relative local uris are resolved against it
    std::optional<Emotion> default_emotion;   ///< for CSV without an emotion column, M3U without `#EXTGRP`
};

/// A song's location as a user or a playlist gives it, as the store keeps it: empty (spaces trimmed)
/// or the ytdl search of a song: none (played by search); a file: URL of this machine
/// ("file:///music/a%20b.mp3", as VLC writes M3U lines): its path, percent-decoded; another URL
/// ("scheme:...", two letters or more): as is; a local path: made absolute against `base_dir` when relative, backslashes read as
/// separators in a path without a slash (as Windows players write them). Throws InputError for a
/// Windows drive or network path ("C:\\Music\\a.mp3", "file:///C:/...", "\\\\nas\\..."), which
/// cannot be opened here: "'C:\\Music\\a.mp3' is a Windows drive path, which cannot be opened here".
std::optional<std::string> resolve_song_uri(std::string_view uri, const std::filesystem::path& base_dir);

/// Parses playlist text. Throws DataError on the first bad row. Empty text gives no entries.
/// Thread-safe, like every function here (none keeps state).
std::vector<PlaylistEntry> parse_playlist(std::string_view text, PlaylistFormat format,
                                          const PlaylistReadOptions& options = {});

/// Reads a playlist file; the format comes from `format` or else the file's extension.
/// Throws DataError for a missing file, one that is no regular file or over
/// input_limits::kPlaylist, an unknown format or a bad row.
std::vector<PlaylistEntry> read_playlist(const std::filesystem::path& file,
                                         std::optional<PlaylistFormat> format = {},
                                         std::optional<Emotion> default_emotion = {});

/// Writes songs as playlist text: each song once per tag (only tags of `only` if given).
/// M3U lists each song once, its tags in `#EXTGRP`, its duration rounded to whole seconds; a song
/// without tags (listed when `only` is not given) reads back only with a default emotion.
std::string format_playlist(std::span<const Song> songs, PlaylistFormat format,
                            std::optional<Emotion> only = {});

/// A song's length as the readers take it: seconds ("215", "215.5") or "m:ss" / "h:mm:ss".
/// nullopt for anything else (a negative length, minutes or seconds past 59 after the first part).
std::optional<std::chrono::milliseconds> parse_song_duration(std::string_view text);

/// The same as write_output_file() (output_file.hpp), under its older name: whole or not at all,
/// links and devices kept. Throws WriteError naming the path when it cannot be written.
void write_file_atomically(const std::filesystem::path& file, std::string_view content);

}  // namespace dangpli
