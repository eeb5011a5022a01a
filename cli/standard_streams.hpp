#pragma once
// A program started with stdin, stdout or stderr closed (`2>&-`, some launchers and daemons) would
// hand that descriptor to the next file it opens: an output file or the store would then receive
// the lines meant for the terminal. Each closed one is held by /dev/null before anything is opened.

namespace dangpli::cli {

/// Opens /dev/null on each of descriptors 0, 1 and 2 that is closed: stdin reads as ended, stdout
/// read-only so that every write fails as on any stdout that cannot be written (exit 7, said on
/// stderr), stderr writable (its lines are lost, as the caller asked by closing it).
void hold_closed_standard_streams() noexcept;

}  // namespace dangpli::cli
