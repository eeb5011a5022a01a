#pragma once
// Lines for the user on stderr that never stop the work: a stderr that is closed, full (/dev/full, a
// log on a full disk) or gone loses the line, not the run. fmt::print(stderr, ...) throws there, and
// the error line about that throws again: the program ended in std::terminate (exit 134), outputs lost.

#include <cstdio>
#include <string>
#include <utility>

#include <fmt/core.h>

namespace dangpli::cli {

/// Writes `text` to stderr as it is; a failed write is forgotten (there is nowhere left to say it).
inline void write_stderr(const std::string& text) noexcept {
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
    std::clearerr(stderr);
}

/// fmt::print(stderr, ...) that never throws for the write (see the file comment).
template <typename... Args>
void tell(fmt::format_string<Args...> format, Args&&... args) {
    write_stderr(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace dangpli::cli
