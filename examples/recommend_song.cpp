// Imports a playlist file into a playlist store and recommends a song for an emotion.
//   recommend_song my-songs.yaml happy [store.db]
// The store (default: ./example-playlists.db) is SQLite; the import is one transaction, so a bad
// line leaves the store as it was.
#include <cstdio>
#include <exception>
#include <random>
#include <string>
#include <vector>

#include <dangpli/dangpli.hpp>

int main(int argc, char** argv) {
    if (argc < 3 || argc > 4) {
        std::fprintf(stderr, "usage: %s PLAYLIST(.yaml|.csv|.m3u) EMOTION [STORE.db]\n", argv[0]);
        return 2;
    }
    const auto emotion = dangpli::parse_emotion(argv[2]);
    if (!emotion) {
        std::fprintf(stderr, "%s: not an emotion (angry, disgust, fear, happy, sad, surprise, neutral)\n", argv[2]);
        return 2;
    }
    try {
        dangpli::PlaylistStore store(argc == 4 ? argv[3] : "example-playlists.db");
        const auto summary = store.import_entries(dangpli::read_playlist(argv[1]));
        std::printf("imported %zu entries: %zu new songs, %zu new tags\n", summary.entries, summary.songs_added,
                    summary.tags_added);

        // Songs of this emotion, leaving out the last 3 played; a weighted draw among them.
        auto candidates = store.candidates(*emotion, 3);
        if (candidates.empty()) candidates = store.candidates(*emotion);
        if (candidates.empty()) {
            std::printf("no song for %s yet\n", argv[2]);
            return 0;
        }
        std::vector<double> weights;
        for (const auto& c : candidates) weights.push_back(c.weight);
        std::mt19937 rng{std::random_device{}()};
        const auto& pick = candidates[std::discrete_distribution<std::size_t>(weights.begin(), weights.end())(rng)];

        std::printf("for %s: %s\n  play: %s\n", argv[2], dangpli::display_name(pick.song).c_str(),
                    dangpli::play_target(pick.song).c_str());
        store.record_play(pick.song.id, *emotion, dangpli::PlayOutcome::Finished);
        return 0;
    } catch (const dangpli::Error& e) {  // a bad playlist line (file:line), a store that is not ours
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
