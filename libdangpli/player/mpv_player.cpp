#include "dangpli/mpv_player.hpp"

#include <mpv/client.h>

#include <clocale>
#include <cstring>
#include <string_view>

#include "dangpli/error.hpp"
#include "mpv_library.hpp"

namespace dangpli {
namespace {

const detail::MpvLibrary& mpv() { return detail::mpv_library(); }

std::string mpv_message(int rc) { return mpv().error_string(rc); }

// The "playlist_entry_id" of loadfile's result map (mpv >= 0.33); -1 when absent.
std::int64_t entry_id(const mpv_node& result) {
    if (result.format != MPV_FORMAT_NODE_MAP || !result.u.list) return -1;
    const mpv_node_list& map = *result.u.list;
    for (int i = 0; i < map.num; ++i) {
        if (std::string_view(map.keys[i]) == "playlist_entry_id" && map.values[i].format == MPV_FORMAT_INT64)
            return map.values[i].u.int64;
    }
    return -1;
}

}  // namespace

MpvPlayer::MpvPlayer(MpvPlayerOptions options) {
    // libmpv refuses to start unless numbers are formatted the C way.
    const char* numeric = std::setlocale(LC_NUMERIC, nullptr);
    if (!numeric || std::strcmp(numeric, "C") != 0) std::setlocale(LC_NUMERIC, "C");

    ctx_ = mpv().create();
    if (!ctx_) throw Error("libmpv: cannot create a player (out of memory, or LC_NUMERIC is not \"C\")");

    auto set = [this](const char* name, const std::string& value) {
        int rc = mpv().set_option_string(ctx_, name, value.c_str());
        if (rc < 0) {
            mpv().terminate_destroy(ctx_);
            ctx_ = nullptr;
            throw Error("libmpv: bad option " + std::string(name) + "=" + value + ": " + mpv_message(rc));
        }
    };
    // Options must be set before mpv_initialize; most are libmpv's defaults, set so that a
    // change of default in mpv cannot bring video windows or terminal output into the CLI.
    set("ao", options.audio_output);
    set("vid", "no");
    set("audio-display", "no");
    set("ytdl", options.ytdl ? "yes" : "no");
    set("idle", "yes");  // stay alive between songs
    set("terminal", "no");
    set("config", "no");
    set("input-default-bindings", "no");
    if (options.volume) set("volume", std::to_string(*options.volume));

    int rc = mpv().initialize(ctx_);
    if (rc < 0) {
        mpv().terminate_destroy(ctx_);
        ctx_ = nullptr;
        throw Error("libmpv: cannot start the player (ao=" + options.audio_output + "): " + mpv_message(rc));
    }
}

MpvPlayer::~MpvPlayer() {
    if (ctx_) mpv().terminate_destroy(ctx_);
}

void MpvPlayer::set_flag(const char* property, bool value) {
    int flag = value ? 1 : 0;
    mpv().set_property(ctx_, property, MPV_FORMAT_FLAG, &flag);
}

void MpvPlayer::play(const Song& song) {
    // Drop what is queued about earlier songs; later events are told apart by playlist entry id.
    while (mpv().wait_event(ctx_, 0)->event_id != MPV_EVENT_NONE) {
    }
    first_id_ = last_id_ = 0;
    last_error_.reset();
    target_ = play_target(song);
    set_flag("pause", false);  // a new song starts playing even if the last one was paused

    const char* cmd[] = {"loadfile", target_.c_str(), "replace", nullptr};
    mpv_node result{};
    int rc = mpv().command_ret(ctx_, cmd, &result);
    if (rc < 0) throw Error("mpv cannot play '" + display_name(song) + "' (" + target_ + "): " + mpv_message(rc));
    first_id_ = last_id_ = entry_id(result);
    mpv().free_node_contents(&result);
}

void MpvPlayer::pause() { set_flag("pause", true); }

void MpvPlayer::resume() { set_flag("pause", false); }

void MpvPlayer::stop() {
    first_id_ = last_id_ = 0;  // the STOP end-file event that follows is not ours any more
    const char* cmd[] = {"stop", nullptr};
    mpv().command(ctx_, cmd);
}

bool MpvPlayer::poll_finished() {
    bool finished = false;
    for (;;) {
        const mpv_event* ev = mpv().wait_event(ctx_, 0);
        if (ev->event_id == MPV_EVENT_NONE) break;
        if (ev->event_id == MPV_EVENT_START_FILE && first_id_ == -1) {
            // An mpv that does not return the entry id from loadfile: the next file started is ours.
            first_id_ = last_id_ = static_cast<const mpv_event_start_file*>(ev->data)->playlist_entry_id;
            continue;
        }
        if (ev->event_id == MPV_EVENT_SHUTDOWN && first_id_ != 0) {
            first_id_ = last_id_ = 0;
            last_error_ = "mpv shut down while playing " + target_;
            finished = true;
            continue;
        }
        if (ev->event_id != MPV_EVENT_END_FILE || first_id_ <= 0) continue;
        const auto& end = *static_cast<const mpv_event_end_file*>(ev->data);
        if (end.playlist_entry_id < first_id_ || end.playlist_entry_id > last_id_) continue;
        switch (end.reason) {
        case MPV_END_FILE_REASON_REDIRECT:
            // A search or playlist URL was replaced by the entries it resolved to.
            if (end.playlist_insert_num_entries > 0) {
                first_id_ = end.playlist_insert_id;
                last_id_ = end.playlist_insert_id + end.playlist_insert_num_entries - 1;
            }
            break;
        case MPV_END_FILE_REASON_EOF:
        case MPV_END_FILE_REASON_ERROR:
            if (end.playlist_entry_id != last_id_) break;  // mpv goes on with the next entry
            if (end.reason == MPV_END_FILE_REASON_ERROR)
                last_error_ = "cannot play " + target_ + ": " + mpv_message(end.error);
            else
                last_error_.reset();
            first_id_ = last_id_ = 0;
            finished = true;
            break;
        default:  // STOP, QUIT: we asked for it
            break;
        }
    }
    return finished;
}

std::optional<double> MpvPlayer::position() const {
    double seconds = 0;
    if (mpv().get_property(ctx_, "time-pos", MPV_FORMAT_DOUBLE, &seconds) < 0) return std::nullopt;
    return seconds;
}

bool MpvPlayer::paused() const {
    int flag = 0;
    mpv().get_property(ctx_, "pause", MPV_FORMAT_FLAG, &flag);
    return flag != 0;
}

}  // namespace dangpli
