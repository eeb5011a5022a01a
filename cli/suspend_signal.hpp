#pragma once
// Ctrl-Z in `live`: the terminal stops dangpli's process group, but a `--player command` song plays in
// a group of its own (so that Ctrl-C reaches dangpli alone), and went on playing while the program
// that controls it was stopped. SIGTSTP is caught instead: the loop pauses the music, stops itself,
// and resumes the music when the shell continues it (`fg`).

#include <chrono>

namespace dangpli::cli {

/// Catches SIGTSTP (unless it was ignored when dangpli started, as under a shell without job
/// control): the loop then sees suspend_requested().
void catch_suspend_signal();

/// True once after each Ctrl-Z (SIGTSTP) since the last call.
bool suspend_requested();

/// Stops this process as Ctrl-Z would have (SIGSTOP), and returns when it is continued, with how
/// long it was stopped.
std::chrono::steady_clock::duration suspend_now();

}  // namespace dangpli::cli
