#include "dangpli/song_chooser.hpp"

#include <algorithm>
#include <vector>

namespace dangpli {

SongChooser::SongChooser(const PlaylistStore& store, std::optional<std::uint64_t> seed, std::size_t avoid_recent)
    : store_(store), random_(seed ? *seed : std::random_device{}()), avoid_recent_(avoid_recent) {}

std::optional<Song> SongChooser::choose(Emotion mood, std::optional<std::int64_t> playing,
                                        std::span<const std::int64_t> unsaved_plays) {
    // After a failed search, the songs with a file first, the one playing again included, and only then
    // the searches: a file song among the last plays left out must not bring a failing search back.
    // Songs set aside (they failed to play) come after all of those.
    for (const bool fresh_only : {true, false}) {
        if (!fresh_only && set_aside_.empty()) break;
        if (prefer_files_)
            if (auto song = draw(mood, playing, unsaved_plays, true, fresh_only)) return song;
        if (auto song = draw(mood, playing, unsaved_plays, false, fresh_only)) return song;
    }
    return std::nullopt;
}

std::optional<Song> SongChooser::draw(Emotion mood, std::optional<std::int64_t> playing,
                                      std::span<const std::int64_t> unsaved_plays, bool files_only, bool fresh_only) {
    const auto fits = [&](const Candidate& c) {
        return (!files_only || c.song.uri.has_value()) && (!fresh_only || !set_aside_.contains(c.song.id));
    };
    // Fewer of the last plays left out until some song remains: with two songs and three plays
    // avoided, the one played last stays out (the other plays), not both back in (one of them three
    // times in a row).
    for (std::size_t exclude = avoid_recent_ + 1; exclude-- > 0;) {
        // The plays still unsaved are the newest: they take the first places of those left out.
        const std::size_t unsaved = std::min(exclude, unsaved_plays.size());
        const auto newest_unsaved = unsaved_plays.last(unsaved);
        const auto recent_unsaved = [&](std::int64_t id) {
            return std::find(newest_unsaved.begin(), newest_unsaved.end(), id) != newest_unsaved.end();
        };
        std::vector<Candidate> pool;
        for (auto& c : store_.candidates(mood, exclude - unsaved))
            if ((!playing || c.song.id != *playing) && fits(c) && !recent_unsaved(c.song.id)) pool.push_back(std::move(c));
        if (pool.empty()) continue;
        std::vector<double> weights;
        for (const auto& c : pool) weights.push_back(c.weight > 0.0 ? c.weight : 0.0);
        // As shares of the largest: a few weights near the largest double would otherwise sum to
        // infinity, and the draw would then give every chance to the smallest.
        const double largest = *std::max_element(weights.begin(), weights.end());
        if (largest > 0.0) for (double& w : weights) w /= largest;
        else weights.assign(weights.size(), 1.0);  // all weights zero: equal chances
        std::discrete_distribution<std::size_t> draw(weights.begin(), weights.end());
        return pool[draw(random_)].song;
    }
    // Only the song now playing fits the mood: play it again rather than nothing.
    if (playing)
        for (auto& c : store_.candidates(mood, 0))
            if (c.song.id == *playing && fits(c)) return c.song;
    return std::nullopt;
}

}  // namespace dangpli
