#pragma once
/// \file
/// A live run's per-frame record, without pixels: `dangpli live --trace FILE.jsonl` writes it,
/// `dangpli live --replay FILE.jsonl` reads it back and runs the aggregator and the policy on it.
///
/// The file is JSON Lines: one JSON object per frame, one frame per line, in time order.
/// A frame with a main face:
///
///     {"t":1.0333333333333334,"faces":1,"box":[x,y,w,h],"score":0.99,
///      "landmarks":[[x,y],[x,y],[x,y],[x,y],[x,y]],
///      "scores":[angry,disgust,fear,happy,sad,surprise,neutral],"new_person":false}
///
/// (on one line); a frame without one: `{"t":1.0666666666666667,"faces":0}`.
/// - `t`: seconds on the frames' clock (camera or video alike); never decreases from line to line.
/// - `faces`: how many faces are in sight (a count, at least 1 where `box` is given): those of the
///   last full detection while its main face is followed between full detections.
/// - `box`, `score`, `landmarks`: the main face as Face holds it, in the frame's pixels;
///   landmarks in Landmark order.
/// - `scores`: the classifier's seven probabilities of that face, in label_of() order; they sum to 1.
/// - `new_person`: the main face is a person other than the previous main face.
/// - `confirmed`: written only when false: the main face has not yet been followed for
///   MainFaceTrackerOptions::confirm_after_s (its mood is read, but it is not announced).
///
/// The writer prints every number in the shortest form that reads back as the same value, so a
/// round trip gives exactly the doubles and floats that were written. The reader requires `t`;
/// requires `box` and `scores` together; takes `faces` as 1 or 0 (with or without `box`),
/// `score` as 0, `landmarks` as zeros, `new_person` as false and `confirmed` as true where absent;
/// ignores other keys and blank lines.

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "dangpli/emotion_scores.hpp"
#include "dangpli/face.hpp"

namespace dangpli {

/// The latest time a frame of a live run may carry, in seconds from its start (a year): a time
/// outside 0 .. this is a broken source's (a stream without time stamps reads -3.7e17 s), not a clock's.
inline constexpr double kLatestFrameSeconds = 366.0 * 86400.0;

/// One frame of a live run as the aggregator and the policy see it: when, how many faces, and the
/// main face with its scores.
struct TraceFrame {
    double time = 0.0;                    ///< seconds on the frames' clock
    std::size_t faces = 0;                ///< faces in sight: the last full detection's, while its main face is followed
    std::optional<Face> main_face;        ///< the main face (box, detector score, landmarks); none: no main face this frame
    std::optional<EmotionScores> scores;  ///< its seven scores (set iff main_face is)
    bool new_person = false;              ///< the main face is a new person
    bool confirmed = true;                ///< the main face has been followed long enough to announce it
};

/// Writes a trace, one line per frame, each line flushed as it is written so that a run that is
/// killed leaves every frame written so far. Every write is checked. Movable, not copyable.
class TraceWriter {
public:
    /// Creates `path`, or takes it to be replaced: a regular file is locked now (WriteError naming it
    /// where another writer holds it) and emptied at the first write(), so that a run that fails or
    /// is stopped before its first frame leaves the old trace as it was. Accepts a new file, a regular
    /// file, or a character device or pipe (`/dev/stdout`, `/dev/null`); throws WriteError naming
    /// the path for anything else (a directory, say) or when it cannot be opened (no such folder, no
    /// permission).
    explicit TraceWriter(const std::filesystem::path& path);
    /// Closes quietly; call close() to learn whether the last bytes reached the file.
    ~TraceWriter();
    /// Takes over `other`'s file; `other` is then closed.
    TraceWriter(TraceWriter&& other) noexcept;
    /// Closes this writer's file quietly and takes over `other`'s.
    TraceWriter& operator=(TraceWriter&& other) noexcept;
    TraceWriter(const TraceWriter&) = delete;
    TraceWriter& operator=(const TraceWriter&) = delete;

    /// Appends one frame and flushes it. Throws InputError for a frame that read_trace() would
    /// refuse (time earlier than the previous frame's or not finite, scores without a main face or
    /// a main face without scores, a number that is not finite), and Error naming the file when the
    /// write fails (a full disk, `/dev/full`) or the writer is closed.
    void write(const TraceFrame& frame);
    /// Flushes and closes the file; throws Error naming the file when that fails. Closing a closed
    /// writer does nothing.
    void close();
    /// Where the trace goes.
    const std::filesystem::path& path() const { return path_; }

private:
    struct CloseFile {
        void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };
    std::filesystem::path path_;
    std::unique_ptr<std::FILE, CloseFile> file_;
    std::optional<double> last_time_;
    bool to_empty_ = false;  // a regular file kept as it was until the first write
    void empty_if_kept();
};

/// Reads a whole trace written by TraceWriter (format in this file's description). Each frame's
/// `scores.emotion` and `scores.confidence` are recomputed from the probabilities (the first
/// highest one, as EmotionClassifier does). Throws InputError naming the path when it is missing or
/// not a regular file (or cannot be opened), and DataError "file:line: what is wrong" for a line
/// that is not a JSON object, lacks `t`, has a time earlier than the line before, a `box` without
/// `scores` or `scores` without a `box`, not exactly 7 scores in [0, 1] summing to 1 (within
/// 0.001), a box without area, or a value of the wrong type. An empty file gives no frames.
std::vector<TraceFrame> read_trace(const std::filesystem::path& path);

}  // namespace dangpli
