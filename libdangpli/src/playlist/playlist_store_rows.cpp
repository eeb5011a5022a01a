// The row <-> value helpers and the SongWriter that PlaylistStore's sources share.
#include "playlist_store_impl.hpp"

namespace dangpli {

using detail::to_millis;

namespace detail {

Song read_song(SQLite::Statement& q, int first) {
    Song s;
    s.id = q.getColumn(first).getInt64();
    s.title = q.getColumn(first + 1).getString();
    s.artist = q.getColumn(first + 2).getString();
    if (!q.getColumn(first + 3).isNull()) s.uri = q.getColumn(first + 3).getString();
    if (!q.getColumn(first + 4).isNull()) s.duration = std::chrono::milliseconds(q.getColumn(first + 4).getInt64());
    return s;
}

Emotion read_emotion(const SQLite::Column& c) {
    // The schema's CHECK constraints admit only the seven names.
    return parse_emotion(c.getString()).value_or(Emotion::Neutral);
}

SongWriter::SongWriter(SQLite::Database& db)
    : db_(db),
      find_(db, "SELECT id FROM songs WHERE title = ?1 AND artist = ?2"),
      insert_(db, "INSERT INTO songs (title, artist, uri, duration_ms, added_at) VALUES (?1, ?2, ?3, ?4, ?5)"),
      // Only a row whose values differ is touched, so that the count of changes is true.
      update_(db, "UPDATE songs SET uri = coalesce(?2, uri), duration_ms = coalesce(?3, duration_ms) WHERE id = ?1 "
                  "AND (uri IS NOT coalesce(?2, uri) OR duration_ms IS NOT coalesce(?3, duration_ms))"),
      tag_insert_(db, "INSERT INTO song_tags (song_id, emotion, weight, source) VALUES (?1, ?2, ?3, ?4) "
                      "ON CONFLICT (song_id, emotion) DO NOTHING"),
      // An automatic tag (from the song's sound) becomes the importer's or user's own.
      tag_raise_(db, "UPDATE song_tags SET weight = max(weight, ?3), "
                     "source = CASE WHEN source = 'auto' THEN ?4 ELSE source END WHERE song_id = ?1 AND emotion = ?2 "
                     "AND (weight < ?3 OR (source = 'auto' AND ?4 <> 'auto'))"),
      tag_replace_(db, "UPDATE song_tags SET weight = ?3, source = ?4 WHERE song_id = ?1 AND emotion = ?2 "
                       "AND (weight <> ?3 OR source <> ?4)") {}

namespace {
void bind_optional(SQLite::Statement& q, int index, const std::optional<std::string>& v) {
    if (v) q.bind(index, *v);
    else q.bind(index);
}
void bind_optional(SQLite::Statement& q, int index, std::optional<std::chrono::milliseconds> v) {
    if (v) q.bind(index, static_cast<std::int64_t>(v->count()));
    else q.bind(index);
}
}  // namespace

SongWriter::SongRow SongWriter::upsert(const std::string& title, const std::string& artist,
                                      const std::optional<std::string>& uri,
                                      std::optional<std::chrono::milliseconds> duration) {
    find_.reset();
    find_.bind(1, title);
    find_.bind(2, artist);
    if (find_.executeStep()) {
        const std::int64_t id = find_.getColumn(0).getInt64();
        if (!uri && !duration) return {id, Change::kUnchanged};
        update_.reset();
        update_.bind(1, id);
        bind_optional(update_, 2, uri);
        bind_optional(update_, 3, duration);
        return {id, update_.exec() > 0 ? Change::kChanged : Change::kUnchanged};
    }
    insert_.reset();
    insert_.bind(1, title);
    insert_.bind(2, artist);
    bind_optional(insert_, 3, uri);
    bind_optional(insert_, 4, duration);
    insert_.bind(5, to_millis(Clock::now()));
    insert_.exec();
    return {db_.getLastInsertRowid(), Change::kAdded};
}

SongWriter::Change SongWriter::merge_tag(std::int64_t song_id, Emotion emotion, double weight, TagSource source,
                                         PlaylistStore::ExistingTag existing) {
    const std::string name(to_string(emotion));
    tag_insert_.reset();
    tag_insert_.bind(1, song_id);
    tag_insert_.bind(2, name);
    tag_insert_.bind(3, weight);
    tag_insert_.bind(4, std::string(to_string(source)));
    if (tag_insert_.exec() > 0) return Change::kAdded;
    SQLite::Statement& update = existing == PlaylistStore::ExistingTag::Replace ? tag_replace_ : tag_raise_;
    update.reset();
    update.bind(1, song_id);
    update.bind(2, name);
    // Raised to 0, a weight (always > 0) stays: only an automatic tag is made the caller's.
    update.bind(3, existing == PlaylistStore::ExistingTag::KeepWeight ? 0.0 : weight);
    update.bind(4, std::string(to_string(source)));
    return update.exec() > 0 ? Change::kChanged : Change::kUnchanged;
}

}  // namespace detail

}  // namespace dangpli
