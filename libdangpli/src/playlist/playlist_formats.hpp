#pragma once
// Private: one reader and one writer per playlist format (playlist_csv.cpp, playlist_yaml.cpp,
// playlist_m3u.cpp); playlist_io.cpp picks one by format.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dangpli/playlist_io.hpp"

namespace dangpli::detail {

std::vector<PlaylistEntry> parse_csv(std::string_view text, const PlaylistReadOptions& options);
std::vector<PlaylistEntry> parse_yaml(std::string_view text, const PlaylistReadOptions& options);
std::vector<PlaylistEntry> parse_m3u(std::string_view text, const PlaylistReadOptions& options);

std::string write_csv(std::span<const Song> songs, std::optional<Emotion> only);
std::string write_yaml(std::span<const Song> songs, std::optional<Emotion> only);
std::string write_m3u(std::span<const Song> songs, std::optional<Emotion> only);

/// "unknown emotion 'x' (expected angry, disgust, ...)".
std::string unknown_emotion_message(std::string_view name);

}  // namespace dangpli::detail
