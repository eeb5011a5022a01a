#pragma once
// What the terminal a stream goes to can do, for output redrawn in place (live's block, progress bars).

#include <cstdio>

namespace dangpli::cli {

/// Whether `out` is a terminal that can move the cursor: a TTY with TERM set, and not "dumb" (Emacs'
/// shell, CI logs that keep a pty).
bool moves_cursor(std::FILE* out);

/// The terminal's width in columns; 80 when it does not say.
int terminal_columns(std::FILE* out);

/// The terminal's height in rows; 24 when it does not say.
int terminal_rows(std::FILE* out);

}  // namespace dangpli::cli
