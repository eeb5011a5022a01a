#include "terminal_caps.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace dangpli::cli {

bool moves_cursor(std::FILE* out) {
    const char* term = std::getenv("TERM");
    return ::isatty(::fileno(out)) != 0 && term != nullptr && *term != '\0' && std::string_view(term) != "dumb";
}

int terminal_columns(std::FILE* out) {
    winsize size{};
    if (::ioctl(::fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 80;
}

int terminal_rows(std::FILE* out) {
    winsize size{};
    if (::ioctl(::fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_row > 0) return size.ws_row;
    return 24;
}

}  // namespace dangpli::cli
