#pragma once
/// \file
/// PlaylistStore: songs tagged with emotions, what was played and what the user told us, in one
/// SQLite file. Every write is one transaction (BEGIN IMMEDIATE, so that a second process waits
/// for the busy timeout instead of failing); every value is bound, never spliced into SQL.
/// Errors: StoreError (the database), DataError (a bad import entry, "file:line: ..."),
/// InputError (a bad song or weight passed to add_song, set_tag or record_feedback).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dangpli/emotion.hpp"
#include "dangpli/playlist_types.hpp"

namespace dangpli {

/// $XDG_DATA_HOME/dangpli/playlists.db, else ~/.local/share/dangpli/playlists.db.
/// A relative XDG_DATA_HOME is ignored, as the XDG spec says.
/// Throws StoreError when neither XDG_DATA_HOME nor HOME is set, or HOME (used without XDG_DATA_HOME)
/// is relative or no existing folder.
std::filesystem::path default_store_path();

/// The playlist database: songs and their emotion tags, plays, feedback, and the queries the
/// recommender asks. Titles and artists are stored trimmed; (title, artist) identifies a song,
/// ASCII case-insensitively.
///
/// Every member function throws StoreError naming the file when the database fails (busy past
/// the timeout, disk full, a damaged file); the other errors are listed with each function.
/// Thread-safety: one object must not be used from two threads at once. Several objects, in one
/// process or several, may open the same file: their writes take turns.
class PlaylistStore {
public:
    /// The schema version this build writes (PRAGMA user_version).
    static constexpr int kSchemaVersion = 6;

    /// How a store is opened.
    struct Options {
        /// How long a write waits for another process's transaction before giving up.
        std::chrono::milliseconds busy_timeout{10000};
        /// Called (on the thread using the store) once in each such wait that passes a second, so that
        /// a program can say why nothing happens; empty: waits in silence.
        std::function<void()> on_long_wait{};
        /// Read an existing store without writing to it, e.g. one the user may not write (mode
        /// 0444, a read-only folder or medium): nothing is created, migrated or switched to WAL,
        /// and every write throws StoreError. (SQLite itself leaves a WAL store's `-wal` and `-shm`
        /// files beside it where the folder is writable: a reader cannot remove them.) A store older than schema version 2 is refused
        /// (it must be upgraded by a writable open first).
        bool read_only = false;
    };

    /// Opens or creates the store at `path` (and its folder), then migrates it to kSchemaVersion.
    /// A file that is not an SQLite database, or a database of another program, is left untouched
    /// and gives a StoreError naming the path; so does a store made by a newer dangpli.
    explicit PlaylistStore(const std::filesystem::path& path);
    /// As PlaylistStore(path), with `options`.
    PlaylistStore(const std::filesystem::path& path, Options options);
    ~PlaylistStore();
    /// Moves the open database; the moved-from store may only be assigned to or destroyed.
    PlaylistStore(PlaylistStore&&) noexcept;
    /// Moves the open database; the moved-from store may only be assigned to or destroyed.
    PlaylistStore& operator=(PlaylistStore&&) noexcept;
    PlaylistStore(const PlaylistStore&) = delete;
    PlaylistStore& operator=(const PlaylistStore&) = delete;

    /// The path the store was opened with.
    const std::filesystem::path& path() const;
    /// How long a write waits for another program from now on (Options::busy_timeout at first): a
    /// loop that must not stall waits briefly and tries again later (StoreBusyError).
    void set_busy_timeout(std::chrono::milliseconds timeout);
    /// How long a write waits for another program now.
    std::chrono::milliseconds busy_timeout() const;

    // --- songs and tags -------------------------------------------------------------------

    /// Imports entries in one transaction: a song with the same title and artist is the same song
    /// (a new uri or duration replaces the stored one; tags are merged, keeping the larger weight).
    /// A bad entry (empty title, invalid UTF-8 or a control character in title or artist, weight
    /// not > 0) throws DataError ("file:line: ..." from the entry, or "<entries>:N: ..." for the
    /// N-th entry without a file) and leaves the store unchanged.
    ImportSummary import_entries(std::span<const PlaylistEntry> entries,
                                 TagSource source = TagSource::Imported);

    /// Like import_entries, but only if `marker` has never been imported into this store; the check
    /// and the import are one transaction, so concurrent first uses import once. True if imported.
    bool import_once(std::string_view marker, std::span<const PlaylistEntry> entries);
    /// Whether import_once(marker, ...) has imported into this store.
    bool was_imported(std::string_view marker) const;

    /// What add_song() did.
    struct Added {
        std::int64_t id = 0;   ///< the song's id
        bool created = false;  ///< false: merged into the song with the same title and artist
    };
    /// What add_song() does to a tag the song already has for one of the given emotions.
    enum class ExistingTag {
        KeepLarger,  ///< as import: the larger weight, and a scan's (automatic) tag becomes the caller's
        KeepWeight,  ///< its weight is kept; a scan's tag becomes the caller's
        Replace,     ///< the given weight and source replace its own
    };
    /// Adds a song (or merges into the one with the same title and artist) with its tags, in one
    /// transaction. `song.id` is ignored; a new tag gets its SongTag::source; a tag the song has is
    /// treated as `existing` says. Throws InputError (nothing stored) for an empty title, invalid
    /// UTF-8 or a control character in title or artist, or a weight not > 0.
    Added add_song(const Song& song, ExistingTag existing = ExistingTag::KeepLarger);
    /// Removes a song with its tags and plays; false if there was none with this id. Feedback
    /// that named it is kept, without the song.
    bool remove_song(std::int64_t id);
    /// Sets (adds or replaces) the tag of a song for an emotion. Throws InputError for a weight
    /// that is not a finite number > 0, StoreError for an unknown song.
    void set_tag(std::int64_t song_id, Emotion emotion, double weight, TagSource source);
    /// Removes a tag; false if the song had no tag for this emotion.
    bool remove_tag(std::int64_t song_id, Emotion emotion);

    /// The song with this id, with its tags; none if there is none.
    std::optional<Song> song(std::int64_t id) const;
    /// Songs matching a user's reference: an id ("12", or "id:12" for the id alone), a title, or
    /// "artist - title" (ASCII case-insensitive, exact otherwise). Several when a reference is
    /// ambiguous: a title several songs have, or a number that is one song's id and another's title
    /// ("22"), the id's song first.
    std::vector<Song> find_songs(std::string_view reference) const;
    /// All songs with their tags (only those tagged `emotion` if given), ordered by artist, title.
    std::vector<Song> songs(std::optional<Emotion> emotion = {}) const;

    // --- what the recommender asks ------------------------------------------------------------

    /// Songs tagged `emotion`, heaviest first, leaving out the songs of the last `exclude_recent`
    /// plays. Empty when every song of the emotion was played recently: ask again with 0.
    std::vector<Candidate> candidates(Emotion emotion, std::size_t exclude_recent = 0) const;

    /// Records a play of song `song_id` at `at`: the mood it was chosen for (if any) and how it
    /// ended. Throws StoreError for an unknown song.
    void record_play(std::int64_t song_id, std::optional<Emotion> mood, PlayOutcome outcome,
                     Clock::time_point at = Clock::now());
    /// The last `limit` plays, newest first.
    std::vector<Play> history(std::size_t limit = 50) const;

    /// Records that the user felt `feeling` and asked for a song: the song is added if new (played
    /// by search) and tagged with the feeling (source Feedback, weight +1 if already tagged).
    /// Returns the song's id. Throws InputError for a title or artist add_song() would refuse
    /// (empty title, invalid UTF-8, control characters).
    std::int64_t record_feedback(Emotion feeling, std::string_view title, std::string_view artist,
                                 Clock::time_point at = Clock::now());
    /// Records that the user felt `feeling` and asked for no song: a feedback entry without a song
    /// (`request` empty), so that every answer is kept.
    void record_feeling(Emotion feeling, Clock::time_point at = Clock::now());
    /// The last `limit` feedback entries, newest first.
    std::vector<Feedback> feedback(std::size_t limit = 50) const;

    /// How many songs, tags, plays and feedback entries the store holds, and songs per emotion.
    StoreCounts counts() const;

    // --- what `playlist scan` measured (src/audio/playlist_store_audio.cpp) ---------------------

    /// The file at `path` (absolute, as saved) as it was when last analysed; none if never.
    std::optional<ScannedFile> scanned_file(const std::string& path) const;
    /// Saves a song file's analysis in one transaction: the song (the one already analysed from
    /// this path, else the one whose uri is this path, else the one with `song`'s title and artist,
    /// else a new one; its uri becomes the path), its features, mood and segments, and `tags` as
    /// its automatic tags (TagSource::Auto), which replace its earlier automatic tags. A tag the
    /// user or an import gave (any other source) is never replaced nor removed. A new file whose
    /// title and artist another existing analysed file holds (a second "Intro") is stored as
    /// "Intro (`album`)", else "Intro (its folder's name)", else "Intro (its file's name)", the first
    /// free. Returns the song's id. Throws InputError as add_song() for a bad title or artist, a
    /// weight not > 0, or a second recording none of those names tell apart, and for a feature,
    /// mood or segment time that is not a finite number; nothing is stored then.
    std::int64_t save_analysis(const Song& song, const ScannedFile& file, const SongAnalysis& analysis,
                               std::span<const EmotionWeight> tags, std::string_view album = {});
    /// Every analysed song's analysis, by song id.
    std::vector<StoredAnalysis> analyses() const;
    /// Replaces the automatic tags of many songs at once (one transaction), as save_analysis()
    /// does; songs no longer in the store are passed over. Returns how many songs' automatic tags
    /// changed.
    std::size_t replace_auto_tags(std::span<const AutoTags> songs);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dangpli
