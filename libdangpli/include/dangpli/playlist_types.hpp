#pragma once
/// \file
/// The value types of the playlist store: songs with their emotion tags, plays, user feedback.
/// Plain structs a caller can read and build without the store or SQLite.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dangpli/emotion.hpp"
#include "dangpli/mood_mapping.hpp"
#include "dangpli/song_analysis.hpp"

namespace dangpli {

/// Who put an emotion tag on a song.
enum class TagSource {
    Imported,  ///< from a playlist file (including the default playlists)
    Feedback,  ///< the user said so (asked for the song while feeling this, or tagged it by hand)
    Auto,      ///< from the song's sound (`playlist scan`), replaced at each analysis; never overrides the others
};

/// How a play ended.
enum class PlayOutcome {
    Finished,  ///< played to the end
    Skipped,   ///< the user skipped it
    Switched,  ///< the mood changed and the session moved to another song
    Failed,    ///< the player could not play it (a missing program, a uri that does not open)
    Stopped,   ///< the session ended while it played (the user quit, the video ran out): says nothing of the song
};

/// "imported", "feedback" or "auto": the names stored in the database and shown to users.
std::string_view to_string(TagSource s);
/// "finished", "skipped", "switched", "failed" or "stopped": the names stored in the database and shown to users.
std::string_view to_string(PlayOutcome o);
/// The TagSource named by to_string() (exact, lower case); nullopt if unknown.
std::optional<TagSource> parse_tag_source(std::string_view name);
/// The PlayOutcome named by to_string() (exact, lower case); nullopt if unknown.
std::optional<PlayOutcome> parse_play_outcome(std::string_view name);

/// The clock of plays and feedback (the store keeps milliseconds since the Unix epoch).
using Clock = std::chrono::system_clock;

/// `t` in ISO 8601, UTC, to the millisecond ("2024-05-01T12:00:00.250Z"): how plays and feedback
/// are dated in `playlist history --format json|csv` and the Python module.
std::string iso_utc(Clock::time_point t);

/// One emotion a song fits, and how strongly.
struct SongTag {
    Emotion emotion = Emotion::Neutral;      ///< the emotion the song fits
    double weight = 1.0;  ///< relative chance among the songs of one emotion; > 0
    TagSource source = TagSource::Imported;  ///< who tagged it
};

/// A song in the store, or one to be added to it.
struct Song {
    std::int64_t id = 0;  ///< 0 until stored
    std::string title;    ///< never empty
    std::string artist;   ///< may be empty; (title, artist) identifies a song, ASCII case-insensitively
    std::optional<std::string> uri;                 ///< local file or URL; none: played by search
    std::optional<std::chrono::milliseconds> duration;  ///< its length; none when unknown
    std::vector<SongTag> tags;  ///< ordered by emotion (FER2013 label order)
};

/// The longest title or artist a store takes, in bytes: a song's name is a line on a terminal and in
/// every event (a 15 MiB "title" filled both).
inline constexpr std::size_t kLongestSongName = 1000;

/// Throws InputError, as PlaylistStore::add_song() would, for an empty title, invalid UTF-8 or a
/// control character in title or artist, or a tag weight not > 0: a caller can refuse a song before
/// it opens (or creates) a store.
void check_song(const Song& song);

/// What a player opens for a song: its uri, or a search mpv understands
/// ("ytdl://ytsearch1:<artist> <title>"). A uri that starts with '-' is a relative file name and
/// comes back as "./-...": a player program never reads it as an option (mpv's --script=...).
std::string play_target(const Song& song);

/// The search target for a song without a uri; recognised again on import so it is not stored as a uri.
inline constexpr std::string_view kSearchPrefix = "ytdl://ytsearch1:";

/// "artist - title", or the title alone when there is no artist.
std::string display_name(const Song& song);

/// One play of a song, as PlaylistStore::history() returns it.
struct Play {
    std::int64_t id = 0;  ///< the play's own id
    Clock::time_point at;  ///< when it started
    Song song;  ///< the song as stored now (tags not loaded)
    std::optional<Emotion> mood;  ///< the mood detected when it started, if any
    PlayOutcome outcome = PlayOutcome::Finished;  ///< how it ended
};

/// What the user told us: how they felt and which song they wanted (the seed's UserSong table).
struct Feedback {
    std::int64_t id = 0;                  ///< the entry's own id
    Clock::time_point at;                 ///< when the user answered
    Emotion feeling = Emotion::Neutral;   ///< how they said they felt
    std::optional<std::int64_t> song_id;  ///< none once the song has been removed, or where none was asked for
    std::string request;                  ///< the song as the user asked for it ("artist - title"); empty: none
};

/// A song of one emotion as read from a playlist file, with where it came from for error messages.
struct PlaylistEntry {
    std::string title;                                  ///< never empty in what the readers return
    std::string artist;                                 ///< may be empty
    /// Local file or URL; none: played by search. A relative path is resolved against
    /// PlaylistReadOptions::base_dir (read_playlist(): the file's folder).
    std::optional<std::string> uri;
    std::optional<std::chrono::milliseconds> duration;  ///< none when the file does not say
    Emotion emotion = Emotion::Neutral;                 ///< the emotion this entry tags the song with
    double weight = 1.0;                                ///< the tag's weight; > 0
    /// Who gave the tag, where the file says (an export of a scan's tags: auto, which a later scan
    /// may replace); none: the source the import gives (PlaylistStore::import_entries()).
    std::optional<TagSource> source;
    std::string file;      ///< file name used in messages ("file:line: ...")
    std::size_t line = 0;  ///< 1-based line the entry starts on
};

/// A song that fits an emotion, with the weight of that tag.
struct Candidate {
    Song song;            ///< with all its tags
    double weight = 1.0;  ///< the weight of its tag for the emotion asked for
};

/// What the store holds, as PlaylistStore::counts() returns it.
struct StoreCounts {
    std::size_t songs = 0;     ///< songs
    std::size_t tags = 0;      ///< (song, emotion) tags
    std::size_t plays = 0;     ///< plays recorded
    std::size_t feedback = 0;  ///< feedback entries
    std::array<std::size_t, kEmotionCount> per_emotion{};  ///< songs tagged with each emotion, by label
};

/// What an import did.
struct ImportSummary {
    std::size_t entries = 0;      ///< entries read
    std::size_t songs_added = 0;  ///< songs new to the store
    std::size_t tags_added = 0;   ///< (song, emotion) pairs new to the store
    std::size_t songs_changed = 0;  ///< songs already stored whose uri or duration the import replaced
    std::size_t tags_changed = 0;   ///< stored tags whose weight the import raised, or made its own (auto before)
};

/// A song file as `playlist scan` last analysed it: a rescan of an unchanged file is skipped.
struct ScannedFile {
    std::string path;          ///< absolute
    std::uintmax_t size = 0;   ///< bytes
    std::int64_t mtime_ns = 0; ///< last modification, nanoseconds since the file clock's epoch
};

/// A song's analysis as the store keeps it (segments with their mood, tempo, loudness and mode only).
struct StoredAnalysis {
    std::int64_t song_id = 0;  ///< the song
    ScannedFile file;          ///< the file analysed
    SongAnalysis analysis;     ///< what was measured
};

/// The automatic tags a song is to have.
struct AutoTags {
    std::int64_t song_id = 0;          ///< the song
    std::vector<EmotionWeight> tags;   ///< its emotions, weights > 0
};

}  // namespace dangpli
