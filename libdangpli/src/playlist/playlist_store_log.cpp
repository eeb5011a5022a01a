// PlaylistStore: plays, feedback, and the queries the recommender asks.
#include <SQLiteCpp/Transaction.h>

#include "playlist_store_impl.hpp"
#include "playlist_text.hpp"

namespace dangpli {

using detail::from_millis;
using detail::to_limit;
using detail::to_millis;

std::vector<Candidate> PlaylistStore::candidates(Emotion emotion, std::size_t exclude_recent) const {
    return impl_->guard([&] {
        SQLite::Statement q(impl_->db,
                            "SELECT s.id, s.title, s.artist, s.uri, s.duration_ms, t.weight "
                            "FROM song_tags t JOIN songs s ON s.id = t.song_id "
                            "WHERE t.emotion = ?1 AND s.id NOT IN "
                            "  (SELECT song_id FROM plays ORDER BY played_at DESC, id DESC LIMIT ?2) "
                            "ORDER BY t.weight DESC, s.artist, s.title, s.id");
        q.bind(1, std::string(to_string(emotion)));
        q.bind(2, to_limit(exclude_recent));
        std::vector<Candidate> found;
        while (q.executeStep()) found.push_back({detail::read_song(q), q.getColumn(5).getDouble()});
        SQLite::Statement tags(impl_->db, "SELECT emotion, weight, source FROM song_tags WHERE song_id = ?1");
        for (Candidate& c : found) c.song.tags = impl_->tags_of(tags, c.song.id);
        return found;
    });
}

void PlaylistStore::record_play(std::int64_t song_id, std::optional<Emotion> mood, PlayOutcome outcome,
                                Clock::time_point at) {
    impl_->guard([&] {
        SQLite::Transaction tx(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
        if (!impl_->has_song(song_id)) throw StoreError(fmt::format("{}: no song with id {}", path().string(), song_id));
        SQLite::Statement q(impl_->db,
                            "INSERT INTO plays (played_at, song_id, mood, outcome) VALUES (?1, ?2, ?3, ?4)");
        q.bind(1, to_millis(at));
        q.bind(2, song_id);
        if (mood) q.bind(3, std::string(to_string(*mood)));
        else q.bind(3);
        q.bind(4, std::string(to_string(outcome)));
        q.exec();
        tx.commit();
    });
}

std::vector<Play> PlaylistStore::history(std::size_t limit) const {
    return impl_->guard([&] {
        SQLite::Statement q(impl_->db,
                            "SELECT s.id, s.title, s.artist, s.uri, s.duration_ms, p.id, p.played_at, p.mood, p.outcome "
                            "FROM plays p JOIN songs s ON s.id = p.song_id "
                            "ORDER BY p.played_at DESC, p.id DESC LIMIT ?1");
        q.bind(1, to_limit(limit));
        std::vector<Play> plays;
        while (q.executeStep()) {
            Play p;
            p.song = detail::read_song(q);
            p.id = q.getColumn(5).getInt64();
            p.at = from_millis(q.getColumn(6).getInt64());
            if (!q.getColumn(7).isNull()) p.mood = detail::read_emotion(q.getColumn(7));
            p.outcome = parse_play_outcome(q.getColumn(8).getString()).value_or(PlayOutcome::Finished);
            plays.push_back(std::move(p));
        }
        return plays;
    });
}

std::int64_t PlaylistStore::record_feedback(Emotion feeling, std::string_view title, std::string_view artist,
                                            Clock::time_point at) {
    const std::string t(detail::trim(title)), a(detail::trim(artist));
    if (t.empty()) throw InputError("feedback needs the title of the song the user asked for");
    if (auto problem = detail::song_text_problem(t, a); !problem.empty()) throw InputError("feedback: " + problem);
    return impl_->guard([&] {
        SQLite::Transaction tx(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
        detail::SongWriter writer(impl_->db);
        const std::int64_t id = writer.upsert(t, a, std::nullopt, std::nullopt).id;
        // Asking for a song while feeling something says more each time: the weight grows by one.
        SQLite::Statement tag(impl_->db,
                              "INSERT INTO song_tags (song_id, emotion, weight, source) VALUES (?1, ?2, 1.0, 'feedback') "
                              "ON CONFLICT (song_id, emotion) DO UPDATE SET weight = weight + 1.0, source = 'feedback'");
        tag.bind(1, id);
        tag.bind(2, std::string(to_string(feeling)));
        tag.exec();
        SQLite::Statement q(impl_->db,
                            "INSERT INTO feedback (given_at, feeling, song_id, request) VALUES (?1, ?2, ?3, ?4)");
        q.bind(1, to_millis(at));
        q.bind(2, std::string(to_string(feeling)));
        q.bind(3, id);
        q.bind(4, a.empty() ? t : a + " - " + t);
        q.exec();
        tx.commit();
        return id;
    });
}

void PlaylistStore::record_feeling(Emotion feeling, Clock::time_point at) {
    impl_->guard([&] {
        SQLite::Statement q(impl_->db, "INSERT INTO feedback (given_at, feeling, song_id, request) VALUES (?1, ?2, NULL, '')");
        q.bind(1, to_millis(at));
        q.bind(2, std::string(to_string(feeling)));
        q.exec();
    });
}

std::vector<Feedback> PlaylistStore::feedback(std::size_t limit) const {
    return impl_->guard([&] {
        SQLite::Statement q(impl_->db,
                            "SELECT id, given_at, feeling, song_id, request FROM feedback "
                            "ORDER BY given_at DESC, id DESC LIMIT ?1");
        q.bind(1, to_limit(limit));
        std::vector<Feedback> found;
        while (q.executeStep()) {
            Feedback f;
            f.id = q.getColumn(0).getInt64();
            f.at = from_millis(q.getColumn(1).getInt64());
            f.feeling = detail::read_emotion(q.getColumn(2));
            if (!q.getColumn(3).isNull()) f.song_id = q.getColumn(3).getInt64();
            f.request = q.getColumn(4).getString();
            found.push_back(std::move(f));
        }
        return found;
    });
}

StoreCounts PlaylistStore::counts() const {
    return impl_->guard([&] {
        StoreCounts c;
        auto count = [&](const char* sql) { return static_cast<std::size_t>(impl_->db.execAndGet(sql).getInt64()); };
        c.songs = count("SELECT count(*) FROM songs");
        c.tags = count("SELECT count(*) FROM song_tags");
        c.plays = count("SELECT count(*) FROM plays");
        c.feedback = count("SELECT count(*) FROM feedback");
        SQLite::Statement q(impl_->db, "SELECT emotion, count(*) FROM song_tags GROUP BY emotion");
        while (q.executeStep())
            c.per_emotion[static_cast<std::size_t>(label_of(detail::read_emotion(q.getColumn(0))))] =
                static_cast<std::size_t>(q.getColumn(1).getInt64());
        return c;
    });
}

}  // namespace dangpli
