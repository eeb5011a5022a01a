#include "dangpli/live_loop.hpp"

#include <algorithm>

namespace dangpli {

std::string_view to_string(LiveEvent::Kind kind) {
    using Kind = LiveEvent::Kind;
    switch (kind) {
    case Kind::MoodChanged: return "mood_changed";
    case Kind::SongStarted: return "song_started";
    case Kind::Kept: return "kept";
    case Kind::Switched: return "switched";
    case Kind::SongFinished: return "song_finished";
    case Kind::Asked: return "asked";
    case Kind::Answered: return "answered";
    case Kind::NoFace: return "no_face";
    case Kind::FaceBack: return "face_back";
    case Kind::NewPerson: return "new_person";
    case Kind::NoSong: return "no_song";
    }
    return "?";
}

namespace {

LiveEvent event(LiveEvent::Kind kind, double time, std::optional<Emotion> emotion = std::nullopt,
                std::optional<Song> song = std::nullopt) {
    LiveEvent e{kind, time, emotion, std::move(song), 0.0f, false};
    return e;
}

}  // namespace

float frame_weight(const Face& face) {
    const float side = std::min(face.box.width, face.box.height);
    return std::clamp(side / 80.0f, 0.25f, 1.0f);
}

LiveLoop::LiveLoop(PlaylistStore& store, Player& player, LiveLoopOptions options)
    : store_(store),
      player_(player),
      chooser_(store, options.seed, options.avoid_recent),
      session_(options.session, [this](Emotion e) {
          return chooser_.choose(e, current_ ? std::optional(current_->id) : std::nullopt);
      }) {}

void LiveLoop::finish_current(PlayOutcome outcome) {
    if (current_) store_.record_play(current_->id, current_mood_, outcome);
    current_.reset();
}

std::vector<LiveEvent> LiveLoop::observe(const TraceFrame& frame) {
    std::vector<LiveEvent> out;
    if (frame.main_face && frame.new_person && seen_someone_ && !asking()) {
        session_.on_new_person();
        out.push_back(event(LiveEvent::Kind::NewPerson, frame.time));
    }
    if (frame.main_face) seen_someone_ = true;
    std::optional<EmotionScores> scores = frame.main_face ? frame.scores : std::nullopt;
    const float weight = frame.main_face ? frame_weight(*frame.main_face) : 1.0f;
    carry_out(session_.on_frame(frame.time, scores, weight), out);
    if (!asking() && player_.poll_finished()) {
        out.push_back(event(LiveEvent::Kind::SongFinished, frame.time, current_mood_, current_));
        finish_current(PlayOutcome::Finished);
        carry_out(session_.on_song_finished(frame.time), out);
    }
    return out;
}

std::vector<LiveEvent> LiveLoop::answer(double time, UserAnswer answer) {
    std::vector<LiveEvent> out;
    if (!asking()) return out;
    if (answer.requested) {
        auto& wanted = *answer.requested;
        wanted.id = store_.record_feedback(answer.feeling, wanted.title, wanted.artist);
        if (auto stored = store_.song(wanted.id)) wanted = *stored;
    }
    out.push_back(event(LiveEvent::Kind::Answered, time, answer.feeling, answer.requested));
    finish_current(PlayOutcome::Skipped);
    carry_out(session_.on_answer(time, answer), out);
    return out;
}

void LiveLoop::stop() {
    player_.stop();
    finish_current(PlayOutcome::Skipped);
}

void LiveLoop::carry_out(const std::vector<LiveAction>& actions, std::vector<LiveEvent>& out) {
    using Kind = LiveAction::Kind;
    for (const LiveAction& a : actions) {
        switch (a.kind) {
        case Kind::MoodChanged: {
            const Mood& m = session_.mood();
            out.push_back({LiveEvent::Kind::MoodChanged, a.time, a.emotion, std::nullopt, m.confidence, m.clear});
            break;
        }
        case Kind::Play:
        case Kind::Switch:
            finish_current(a.kind == Kind::Switch ? PlayOutcome::Switched : PlayOutcome::Finished);
            current_ = a.song;
            current_mood_ = a.emotion;
            player_.play(*current_);
            out.push_back(event(a.kind == Kind::Switch ? LiveEvent::Kind::Switched : LiveEvent::Kind::SongStarted,
                                a.time, a.emotion, current_));
            break;
        case Kind::Keep: out.push_back(event(LiveEvent::Kind::Kept, a.time, a.emotion, current_)); break;
        case Kind::Ask:
            player_.pause();
            out.push_back(event(LiveEvent::Kind::Asked, a.time, a.emotion));
            break;
        case Kind::NoFace: out.push_back(event(LiveEvent::Kind::NoFace, a.time)); break;
        case Kind::FaceBack: out.push_back(event(LiveEvent::Kind::FaceBack, a.time)); break;
        case Kind::NoSong: out.push_back(event(LiveEvent::Kind::NoSong, a.time, a.emotion)); break;
        }
    }
}

}  // namespace dangpli
