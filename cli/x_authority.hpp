#pragma once
// The cookie an X client shows the server: the MIT-MAGIC-COOKIE-1 entry of the Xauthority file
// that libxcb (through libXau) would pick for a display, so that a probe is let in exactly where
// the window toolkit will be.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dangpli::cli {

/// Address families of Xauthority entries (X.h's FamilyInternet, FamilyInternet6, FamilyLocal, FamilyWild).
enum class XAuthFamily : std::uint16_t { Internet = 0, Internet6 = 6, Local = 256, Wild = 65535 };

/// The one kind of cookie looked for (XDM-AUTHORIZATION-1 and the like are not read).
inline constexpr std::string_view kMagicCookieName = "MIT-MAGIC-COOKIE-1";

/// The file libXau reads: $XAUTHORITY, else $HOME/.Xauthority; empty when neither is set.
std::string x_authority_file();

/// The first MIT-MAGIC-COOKIE-1 entry of `file` for display `number` ("0") at `address` (the host
/// name for Local, the server's 4 or 16 address bytes for Internet/Internet6), matched as libXau's
/// XauGetBestAuthByAddr does (a Wild entry, or an empty number, matches any): the cookie's bytes.
/// None when the file is missing, not a regular file (a FIFO is not waited on), larger than 1 MiB,
/// cut short, or holds no such entry.
std::optional<std::string> x_authority_cookie(const std::string& file, XAuthFamily family, std::string_view address,
                                              std::string_view number);

}  // namespace dangpli::cli
