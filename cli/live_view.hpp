#pragma once
// What `dangpli live` shows in the terminal: on a TTY a block updated in place (seven emotion bars
// of the mood's window, the mood and its confidence, faces, fps, the song), fitted to its width, in ASCII where the locale
// is not UTF-8; without a TTY, on one that says it cannot move the cursor (TERM unset or dumb), or
// on one too short for the block, plain lines, one per event.

#include <cstdio>
#include <optional>
#include <string>

#include "dangpli/emotion_aggregator.hpp"
#include "dangpli/emotion_scores.hpp"

namespace dangpli::cli {

struct LiveStatus {
    /// The mood, and the bars: each emotion's support over the mood's window (a frame's own scores
    /// made the longest bar change 50 to 270 times a minute while the mood held still).
    Mood mood;
    std::optional<double> face_gone_s;  ///< seconds since the main face was last in view; none while it is
    std::size_t faces = 0;
    double fps = 0.0;
    std::string playing;  ///< "artist - title" or empty
    std::string state;    ///< "watching", "playing", "asking"
};

class LiveView {
public:
    explicit LiveView(std::FILE* out);
    /// Redraws the status block (TTY only, at most 10 times a second).
    void update(const LiveStatus& status);
    /// A line that stays (an event); printed above the status block on a TTY, its control
    /// characters shown as escapes (one_line()).
    void say(const std::string& line);
    /// Moves below the block before the program prints anything else (questions, the end).
    void release();
    /// Whether the block is drawn: a terminal that moves the cursor and has rows for the block and
    /// a line above it (a short tmux pane would scroll each redraw into its history); plain lines otherwise.
    bool interactive() const;

private:
    std::FILE* out_;
    bool tty_;   // a terminal that moves the cursor: the block is drawn in place
    bool utf8_;  // the locale's text is UTF-8: bars and marks drawn with its glyphs
    int drawn_lines_ = 0;
    double last_draw_ = -1.0;
};

}  // namespace dangpli::cli
