#pragma once
/// \file
/// SongChooser: the next song for a mood, drawn from the playlist store with each song's tag
/// weight as its relative chance, avoiding what was played recently.

#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <span>

#include "dangpli/emotion.hpp"
#include "dangpli/playlist_store.hpp"
#include "dangpli/playlist_types.hpp"

namespace dangpli {

/// Draws songs for moods from a PlaylistStore.
///
/// A song tagged for the mood with weight w is drawn with chance w / (sum of the weights of the
/// songs in the draw). The songs of the last `avoid_recent` plays (the store's history) and the
/// song now playing are left out of the draw; when that leaves nothing, the recent ones come back,
/// the least recent first (never the song now playing, unless it is the only one). Not thread-safe.
class SongChooser {
public:
    /// `seed` makes the draws repeatable (e.g. replaying a trace); none: a random seed.
    explicit SongChooser(const PlaylistStore& store, std::optional<std::uint64_t> seed = std::nullopt,
                         std::size_t avoid_recent = 3);

    /// A song for `mood`, other than `playing` where possible; nullopt when the mood has no songs.
    /// `unsaved_plays`: songs played but not in the store yet (another program held it), oldest
    /// first; they count as the last plays, before the store's, for the songs left out as recent.
    /// Throws what PlaylistStore::candidates throws.
    std::optional<Song> choose(Emotion mood, std::optional<std::int64_t> playing = std::nullopt,
                               std::span<const std::int64_t> unsaved_plays = {});

    /// From now on a mood's songs with a file (or URL) are drawn before its songs played by search
    /// (no uri), which come back only where a mood has no other: after a search failed (offline, no
    /// yt-dlp), the next draws would fail the same way and give up a player that plays files.
    void prefer_files() { prefer_files_ = true; }
    /// From now on `song_id` is drawn only where its mood has no other song: it failed to play (its
    /// file gone since it was added), and a draw may bring it back for the next three songs' time.
    void set_aside(std::int64_t song_id) { set_aside_.insert(song_id); }

private:
    // choose() from the mood's songs (with a file only, where `files_only`; none set aside, where `fresh_only`).
    std::optional<Song> draw(Emotion mood, std::optional<std::int64_t> playing, std::span<const std::int64_t> unsaved_plays,
                             bool files_only, bool fresh_only);

    const PlaylistStore& store_;
    bool prefer_files_ = false;
    std::set<std::int64_t> set_aside_;
    std::mt19937_64 random_;
    std::size_t avoid_recent_;
};

}  // namespace dangpli
