#include "dangpli/song_chooser.hpp"

#include <algorithm>
#include <vector>

namespace dangpli {

SongChooser::SongChooser(const PlaylistStore& store, std::optional<std::uint64_t> seed, std::size_t avoid_recent)
    : store_(store), random_(seed ? *seed : std::random_device{}()), avoid_recent_(avoid_recent) {}

std::optional<Song> SongChooser::choose(Emotion mood, std::optional<std::int64_t> playing) {
    // Fewer of the last plays left out until some song remains: with two songs and three plays
    // avoided, the one played last stays out (the other plays), not both back in (one of them three
    // times in a row).
    for (std::size_t exclude = avoid_recent_ + 1; exclude-- > 0;) {
        std::vector<Candidate> pool;
        for (auto& c : store_.candidates(mood, exclude))
            if (!playing || c.song.id != *playing) pool.push_back(std::move(c));
        if (prefer_files_ && std::any_of(pool.begin(), pool.end(), [](const Candidate& c) { return c.song.uri.has_value(); }))
            std::erase_if(pool, [](const Candidate& c) { return !c.song.uri.has_value(); });
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
            if (c.song.id == *playing) return c.song;
    return std::nullopt;
}

}  // namespace dangpli
