#include "dangpli/silent_player.hpp"

#include <utility>

#include "dangpli/error.hpp"

namespace dangpli {

SilentPlayer::SilentPlayer(Log log, TimeSource now, std::optional<std::chrono::milliseconds> unknown_length)
    : log_(std::move(log)), now_(std::move(now)), unknown_length_(unknown_length) {
    if (!now_) now_ = [] { return std::chrono::steady_clock::now(); };
    if (unknown_length_ && unknown_length_->count() <= 0)
        throw InputError("silent player: the length of a song without a duration must be positive");
}

void SilentPlayer::log(const std::string& line) const {
    if (log_) log_(line);
}

void SilentPlayer::play(const Song& song) {
    song_ = song;
    started_ = now_();
    paused_at_.reset();
    log("play: " + display_name(song));
}

void SilentPlayer::pause() {
    log("pause");
    if (song_ && !paused_at_) paused_at_ = now_();
}

void SilentPlayer::resume() {
    log("resume");
    if (!paused_at_) return;
    // Shift the start by the time spent paused, so the pause does not count as play time.
    started_ += now_() - *paused_at_;
    paused_at_.reset();
}

void SilentPlayer::stop() {
    log("stop");
    song_.reset();
    paused_at_.reset();
}

std::chrono::milliseconds SilentPlayer::position() const {
    if (!song_) return std::chrono::milliseconds{0};
    auto end = paused_at_ ? *paused_at_ : now_();
    return std::chrono::duration_cast<std::chrono::milliseconds>(end - started_);
}

bool SilentPlayer::poll_finished() {
    if (!song_) return false;
    const auto length = song_->duration ? song_->duration : unknown_length_;
    if (!length || position() < *length) return false;
    log("finished: " + display_name(*song_));
    song_.reset();  // so that it is reported once
    paused_at_.reset();
    return true;
}

}  // namespace dangpli
