#pragma once
// Whether a window can be opened (live --preview): Qt and GTK abort the whole process when they
// cannot reach the display, so the CLI asks first and says why in one line.

#include <optional>
#include <string>

namespace dangpli::cli {

/// Why no window can be opened, or nothing when one can: neither DISPLAY nor QT_QPA_PLATFORM (a
/// WAYLAND_DISPLAY alone is not enough: the window is drawn through X), an X display (":0",
/// "unix:1", "host:10.0") where nothing answers the X11 connection setup within two seconds, or one
/// that refuses it (sent with the Xauthority cookie the toolkit would send), with its reason.
std::optional<std::string> display_problem();

}  // namespace dangpli::cli
