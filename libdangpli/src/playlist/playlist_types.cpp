#include "dangpli/playlist_types.hpp"

#include <array>
#include <ctime>

#include <fmt/chrono.h>
#include <fmt/core.h>

namespace dangpli {
namespace {

constexpr std::array<std::string_view, 3> kTagSources{"imported", "feedback", "auto"};
constexpr std::array<std::string_view, 5> kOutcomes{"finished", "skipped", "switched", "failed", "stopped"};

template <typename E, std::size_t N>
std::optional<E> find_name(const std::array<std::string_view, N>& names, std::string_view name) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == name) return static_cast<E>(i);
    return std::nullopt;
}

}  // namespace

std::string iso_utc(Clock::time_point t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    const auto seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", tm, ms % 1000);
}

std::string_view to_string(TagSource s) { return kTagSources.at(static_cast<std::size_t>(s)); }
std::string_view to_string(PlayOutcome o) { return kOutcomes.at(static_cast<std::size_t>(o)); }
std::optional<TagSource> parse_tag_source(std::string_view name) { return find_name<TagSource>(kTagSources, name); }
std::optional<PlayOutcome> parse_play_outcome(std::string_view name) { return find_name<PlayOutcome>(kOutcomes, name); }

std::string display_name(const Song& song) {
    return song.artist.empty() ? song.title : song.artist + " - " + song.title;
}

std::string play_target(const Song& song) {
    if (song.uri) return song.uri->starts_with('-') ? "./" + *song.uri : *song.uri;
    std::string query = song.artist.empty() ? song.title : song.artist + " " + song.title;
    return std::string(kSearchPrefix) + query;
}

}  // namespace dangpli
