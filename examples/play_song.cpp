// Plays one song file (or URL) to its end with the best player this build has, as `dangpli live` does.
//   play_song SONG [PLAYER [AUDIO_OUTPUT]]      e.g. play_song tone.ogg mpv null
// PLAYER is one of dangpli::player_kinds() (mpv where built with libmpv, command, silent); AUDIO_OUTPUT
// is mpv's (auto, pulse, alsa; null plays into nothing). Links dangpli::player, which loads libmpv only
// when an mpv player is made.
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <thread>

#include <dangpli/dangpli.hpp>
#include <dangpli/player_factory.hpp>

int main(int argc, char** argv) {
    if (argc < 2 || argc > 4) {
        std::fprintf(stderr, "usage: %s SONG [PLAYER [AUDIO_OUTPUT]]\n", argv[0]);
        return 2;
    }
    const std::string kind = argc >= 3 ? argv[2] : dangpli::player_kinds().front();
    dangpli::PlayerOptions options;
    if (argc == 4) options.audio_output = argv[3];
    try {
        auto player = dangpli::make_player(kind, options);
        dangpli::Song song;
        song.title = argv[1];
        song.uri = argv[1];
        player->play(song);
        std::printf("playing %s with the %s player\n", argv[1], player->name().c_str());
        // A song without a known length never ends on the silent player: give up after a minute.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
        while (!player->poll_finished()) {
            if (std::chrono::steady_clock::now() > deadline) {
                std::printf("still playing after a minute; stopped\n");
                return 0;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (auto error = player->last_error()) {
            std::fprintf(stderr, "%s\n", error->c_str());
            return 1;
        }
        std::printf("finished\n");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}
