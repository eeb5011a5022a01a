// PlaylistStore: what `playlist scan` measured in song files (schema v4's song_audio and
// song_segments), and the automatic tags that come of it.
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unordered_map>

#include "../playlist/playlist_store_impl.hpp"
#include "../playlist/playlist_text.hpp"

namespace dangpli {
namespace {

constexpr const char* kFeatureColumns =
    "seconds, tempo_bpm, beat_confidence, onset_rate, loudness_lufs, loudness_range_lu, key, minor, "
    "mode_strength, key_clarity, centroid_hz, rolloff_hz, flux, arousal, valence";

void check_tags(std::span<const EmotionWeight> tags) {
    for (const EmotionWeight& t : tags)
        if (auto problem = detail::weight_problem(t.weight); !problem.empty()) throw InputError(problem);
}

// The song's automatic tags, (emotion, weight) in emotion order.
std::vector<std::pair<std::string, double>> auto_tags_of(SQLite::Database& db, std::int64_t song_id) {
    SQLite::Statement q(db, "SELECT emotion, weight FROM song_tags WHERE song_id = ?1 AND source = 'auto' ORDER BY emotion");
    q.bind(1, song_id);
    std::vector<std::pair<std::string, double>> tags;
    while (q.executeStep()) tags.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getDouble());
    return tags;
}

// Drops the song's automatic tags, then adds `tags` where the user or an import has none; true if the
// automatic tags differ from before.
bool write_auto_tags(SQLite::Database& db, std::int64_t song_id, std::span<const EmotionWeight> tags) {
    const auto before = auto_tags_of(db, song_id);
    SQLite::Statement drop(db, "DELETE FROM song_tags WHERE song_id = ?1 AND source = 'auto'");
    drop.bind(1, song_id);
    drop.exec();
    SQLite::Statement add(db, "INSERT INTO song_tags (song_id, emotion, weight, source) VALUES (?1, ?2, ?3, 'auto') "
                              "ON CONFLICT (song_id, emotion) DO NOTHING");
    for (const EmotionWeight& t : tags) {
        add.reset();
        add.bind(1, song_id);
        add.bind(2, std::string(to_string(t.emotion)));
        add.bind(3, t.weight);
        add.exec();
    }
    return auto_tags_of(db, song_id) != before;
}

std::optional<std::int64_t> song_of_file(SQLite::Database& db, const std::string& path) {
    SQLite::Statement q(db, "SELECT song_id FROM song_audio WHERE path = ?1 "
                            "UNION ALL SELECT id FROM songs WHERE uri = ?1 LIMIT 1");
    q.bind(1, path);
    if (q.executeStep()) return q.getColumn(0).getInt64();
    return std::nullopt;
}

// The file already analysed for the song titled `title` by `artist`, when it is another file that
// still exists: two recordings with one title and artist ("Intro" on two albums).
std::optional<std::string> other_file_of_song(SQLite::Database& db, const std::string& title, const std::string& artist,
                                              const std::string& path) {
    SQLite::Statement q(db, "SELECT a.path FROM songs s JOIN song_audio a ON a.song_id = s.id "
                            "WHERE s.title = ?1 AND s.artist = ?2 AND a.path <> ?3");
    q.bind(1, title);
    q.bind(2, artist);
    q.bind(3, path);
    while (q.executeStep()) {
        std::error_code ec;
        if (std::string other = q.getColumn(0).getString(); std::filesystem::exists(other, ec)) return other;
    }
    return std::nullopt;
}

// The title a new recording is stored under. The store keeps one song per title and artist, so a
// second recording of "Intro" would merge into the first and take its place: it is stored as
// "Intro (its album)", else "Intro (its folder)", else "Intro (its file's name)", the first free.
std::string title_for_recording(SQLite::Database& db, const std::string& title, const std::string& artist,
                                std::string_view album, const std::string& path) {
    const auto other = other_file_of_song(db, title, artist, path);
    if (!other) return title;
    const std::filesystem::path file(path);
    for (const std::string& name : {std::string(detail::trim(album)), file.parent_path().filename().string(),
                                    file.stem().string()}) {
        const std::string candidate = fmt::format("{} ({})", title, name);
        if (!name.empty() && detail::song_text_problem(candidate, artist).empty() &&
            !other_file_of_song(db, candidate, artist, path))
            return candidate;
    }
    throw InputError(fmt::format("the same title and artist ({}) as {}, in the same album and folder: retag one of "
                                 "them (a different title) to keep both",
                                 artist.empty() ? title : artist + " - " + title, *other));
}

double clamp_unit(double v) { return std::isfinite(v) ? std::clamp(v, -1.0, 1.0) : 0.0; }

void write_audio_row(SQLite::Database& db, std::int64_t song_id, const ScannedFile& file, const SongAnalysis& a) {
    SQLite::Statement q(db, fmt::format("INSERT OR REPLACE INTO song_audio (song_id, path, file_size, file_mtime_ns, "
                                        "scanned_at, {}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                        "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
                                        kFeatureColumns));
    const AudioFeatures& f = a.features;
    q.bind(1, song_id);
    q.bind(2, file.path);
    q.bind(3, static_cast<std::int64_t>(file.size));
    q.bind(4, file.mtime_ns);
    q.bind(5, detail::to_millis(Clock::now()));
    int i = 6;
    for (double v : {a.seconds, f.tempo_bpm, f.beat_confidence, f.onset_rate, f.loudness_lufs, f.loudness_range_lu})
        q.bind(i++, v);
    q.bind(i++, f.key);
    q.bind(i++, f.minor ? 1 : 0);
    for (double v : {f.mode_strength, f.key_clarity, f.centroid_hz, f.rolloff_hz, f.flux}) q.bind(i++, v);
    q.bind(i++, clamp_unit(a.mood.arousal));
    q.bind(i++, clamp_unit(a.mood.valence));
    q.exec();
    SQLite::Statement drop(db, "DELETE FROM song_segments WHERE song_id = ?1");
    drop.bind(1, song_id);
    drop.exec();
    SQLite::Statement seg(db, "INSERT OR REPLACE INTO song_segments (song_id, start_s, end_s, type, tempo_bpm, "
                              "loudness_lufs, minor, arousal, valence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    for (const SegmentAnalysis& s : a.segments) {
        seg.reset();
        seg.bind(1, song_id);
        seg.bind(2, s.start_seconds);
        seg.bind(3, s.end_seconds);
        seg.bind(4, s.type);
        seg.bind(5, s.features.tempo_bpm);
        seg.bind(6, s.features.loudness_lufs);
        seg.bind(7, s.features.minor ? 1 : 0);
        seg.bind(8, clamp_unit(s.mood.arousal));
        seg.bind(9, clamp_unit(s.mood.valence));
        seg.exec();
    }
}

// A NaN binds as NULL and came back as SQLite's "NOT NULL constraint failed: song_audio.tempo_bpm".
void check_finite(const SongAnalysis& a) {
    const auto check = [](const char* what, double v) {
        if (!std::isfinite(v)) throw InputError(fmt::format("song analysis: {} is {}, not a number to keep", what, v));
    };
    const auto check_features = [&](const AudioFeatures& f) {
        check("tempo_bpm", f.tempo_bpm), check("beat_confidence", f.beat_confidence), check("onset_rate", f.onset_rate);
        check("loudness_lufs", f.loudness_lufs), check("loudness_range_lu", f.loudness_range_lu);
        check("mode_strength", f.mode_strength), check("key_clarity", f.key_clarity), check("centroid_hz", f.centroid_hz);
        check("rolloff_hz", f.rolloff_hz), check("flux", f.flux);
    };
    check("seconds", a.seconds), check("arousal", a.mood.arousal), check("valence", a.mood.valence);
    check_features(a.features);
    for (const SegmentAnalysis& s : a.segments) {
        check("a segment's start", s.start_seconds), check("a segment's end", s.end_seconds);
        check("a segment's arousal", s.mood.arousal), check("a segment's valence", s.mood.valence);
        check_features(s.features);
    }
}

}  // namespace

std::optional<ScannedFile> PlaylistStore::scanned_file(const std::string& path) const {
    return impl_->guard([&]() -> std::optional<ScannedFile> {
        SQLite::Statement q(impl_->db, "SELECT file_size, file_mtime_ns FROM song_audio WHERE path = ?1");
        q.bind(1, path);
        if (!q.executeStep()) return std::nullopt;
        return ScannedFile{path, static_cast<std::uintmax_t>(q.getColumn(0).getInt64()), q.getColumn(1).getInt64()};
    });
}

std::int64_t PlaylistStore::save_analysis(const Song& song, const ScannedFile& file, const SongAnalysis& analysis,
                                          std::span<const EmotionWeight> tags, std::string_view album) {
    if (auto problem = detail::song_text_problem(song.title, song.artist); !problem.empty()) throw InputError(problem);
    // The file's path becomes the song's uri: checked as every uri is (a Latin-1 name is refused here,
    // whoever calls, not only by the scan command).
    if (auto problem = detail::uri_problem(file.path); !problem.empty()) throw InputError(problem);
    check_tags(tags);
    check_finite(analysis);
    return impl_->guard([&] {
        SQLite::Transaction tx(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
        const auto duration = std::chrono::milliseconds(std::llround(analysis.seconds * 1000));
        std::int64_t id = 0;
        if (auto known = song_of_file(impl_->db, file.path)) {
            id = *known;
            SQLite::Statement q(impl_->db, "UPDATE songs SET uri = ?2, duration_ms = ?3 WHERE id = ?1");
            q.bind(1, id);
            q.bind(2, file.path);
            q.bind(3, static_cast<std::int64_t>(duration.count()));
            q.exec();
        } else {
            const std::string artist(detail::trim(song.artist));
            const std::string title = title_for_recording(impl_->db, std::string(detail::trim(song.title)), artist,
                                                          album, file.path);
            detail::SongWriter writer(impl_->db);
            id = writer.upsert(title, artist, file.path, duration).id;
        }
        // Another song analysed from this path before (its file was renamed over): it loses the row.
        SQLite::Statement stale(impl_->db, "DELETE FROM song_audio WHERE path = ?1 AND song_id <> ?2");
        stale.bind(1, file.path);
        stale.bind(2, id);
        stale.exec();
        write_audio_row(impl_->db, id, file, analysis);
        write_auto_tags(impl_->db, id, tags);
        tx.commit();
        return id;
    });
}

std::vector<StoredAnalysis> PlaylistStore::analyses() const {
    return impl_->guard([&] {
        SQLite::Statement q(impl_->db, fmt::format("SELECT song_id, path, file_size, file_mtime_ns, {} FROM song_audio "
                                                   "ORDER BY song_id", kFeatureColumns));
        std::vector<StoredAnalysis> found;
        std::unordered_map<std::int64_t, std::size_t> index;
        while (q.executeStep()) {
            StoredAnalysis s;
            s.song_id = q.getColumn(0).getInt64();
            s.file = {q.getColumn(1).getString(), static_cast<std::uintmax_t>(q.getColumn(2).getInt64()),
                      q.getColumn(3).getInt64()};
            int i = 4;
            auto next = [&] { return q.getColumn(i++).getDouble(); };
            SongAnalysis& a = s.analysis;
            AudioFeatures& f = a.features;
            a.seconds = next();
            f.seconds = a.seconds;
            f.tempo_bpm = next();
            f.beat_confidence = next();
            f.onset_rate = next();
            f.loudness_lufs = next();
            f.loudness_range_lu = next();
            f.key = q.getColumn(i++).getInt();
            f.minor = q.getColumn(i++).getInt() != 0;
            f.mode_strength = next();
            f.key_clarity = next();
            f.centroid_hz = next();
            f.rolloff_hz = next();
            f.flux = next();
            a.mood.arousal = next();
            a.mood.valence = next();
            index.emplace(s.song_id, found.size());
            found.push_back(std::move(s));
        }
        SQLite::Statement segs(impl_->db, "SELECT song_id, start_s, end_s, type, tempo_bpm, loudness_lufs, minor, arousal, "
                                          "valence FROM song_segments ORDER BY song_id, start_s");
        while (segs.executeStep()) {
            auto it = index.find(segs.getColumn(0).getInt64());
            if (it == index.end()) continue;
            SegmentAnalysis s;
            s.start_seconds = segs.getColumn(1).getDouble();
            s.end_seconds = segs.getColumn(2).getDouble();
            s.type = segs.getColumn(3).getInt();
            s.features.tempo_bpm = segs.getColumn(4).getDouble();
            s.features.loudness_lufs = segs.getColumn(5).getDouble();
            s.features.minor = segs.getColumn(6).getInt() != 0;
            s.mood = {segs.getColumn(8).getDouble(), segs.getColumn(7).getDouble()};
            found[it->second].analysis.segments.push_back(s);
        }
        return found;
    });
}

std::size_t PlaylistStore::replace_auto_tags(std::span<const AutoTags> songs) {
    for (const AutoTags& s : songs) check_tags(s.tags);
    return impl_->guard([&] {
        SQLite::Transaction tx(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
        std::size_t changed = 0;
        for (const AutoTags& s : songs)
            if (impl_->has_song(s.song_id)) changed += write_auto_tags(impl_->db, s.song_id, s.tags);
        tx.commit();
        return changed;
    });
}

}  // namespace dangpli
