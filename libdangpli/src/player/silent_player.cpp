#include "dangpli/silent_player.hpp"

#include <utility>

namespace dangpli {

SilentPlayer::SilentPlayer(Log log, TimeSource now) : log_(std::move(log)), now_(std::move(now)) {
    if (!now_) now_ = [] { return std::chrono::steady_clock::now(); };
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
    if (!song_ || !song_->duration || position() < *song_->duration) return false;
    log("finished: " + display_name(*song_));
    song_.reset();  // so that it is reported once
    paused_at_.reset();
    return true;
}

}  // namespace dangpli
