#include "x_authority.hpp"

#include <cstdlib>

#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"

namespace dangpli::cli {
namespace {

// Xauthority's fields are big-endian: a 16-bit family, then four counted strings.
struct Reader {
    std::string_view rest;
    bool u16(std::uint16_t& value) {
        if (rest.size() < 2) return false;
        value = static_cast<std::uint16_t>(static_cast<unsigned char>(rest[0]) << 8 | static_cast<unsigned char>(rest[1]));
        rest.remove_prefix(2);
        return true;
    }
    bool counted(std::string_view& text) {
        std::uint16_t length = 0;
        if (!u16(length) || rest.size() < length) return false;
        text = rest.substr(0, length);
        rest.remove_prefix(length);
        return true;
    }
};

}  // namespace

std::string x_authority_file() {
    if (const char* file = std::getenv("XAUTHORITY"); file && *file) return file;
    if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.Xauthority";
    return {};
}

std::optional<std::string> x_authority_cookie(const std::string& file, XAuthFamily family, std::string_view address,
                                              std::string_view number) {
    if (file.empty()) return std::nullopt;
    std::string bytes;
    try {  // no cookie to show is the toolkit's case too: the server then says whether it needs one
        bytes = read_input_file(file, input_limits::kMiB, "an Xauthority file");
    } catch (const Error&) {
        return std::nullopt;
    }
    constexpr auto kWild = static_cast<std::uint16_t>(XAuthFamily::Wild);
    Reader in{bytes};
    std::uint16_t entry_family = 0;
    std::string_view entry_address, entry_number, name, data;
    while (in.u16(entry_family) && in.counted(entry_address) && in.counted(entry_number) && in.counted(name) &&
           in.counted(data)) {
        const bool address_matches =
            entry_family == kWild || family == XAuthFamily::Wild ||
            (entry_family == static_cast<std::uint16_t>(family) && entry_address == address);
        const bool number_matches = number.empty() || entry_number.empty() || entry_number == number;
        if (address_matches && number_matches && name == kMagicCookieName) return std::string(data);
    }
    return std::nullopt;
}

}  // namespace dangpli::cli
