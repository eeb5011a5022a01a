#include "x_authority.hpp"

#include <cstdlib>
#include <fstream>

namespace dangpli::cli {
namespace {

constexpr std::string_view kMagicCookie = "MIT-MAGIC-COOKIE-1";

// Xauthority's fields are big-endian: a 16-bit family, then four counted strings.
bool read_u16(std::istream& in, std::uint16_t& value) {
    unsigned char bytes[2];
    if (!in.read(reinterpret_cast<char*>(bytes), 2)) return false;
    value = static_cast<std::uint16_t>(bytes[0] << 8 | bytes[1]);
    return true;
}

bool read_counted(std::istream& in, std::string& text) {
    std::uint16_t length = 0;
    if (!read_u16(in, length)) return false;
    text.resize(length);
    return length == 0 || static_cast<bool>(in.read(text.data(), length));
}

}  // namespace

std::string x_authority_file() {
    if (const char* file = std::getenv("XAUTHORITY"); file && *file) return file;
    if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.Xauthority";
    return {};
}

std::optional<XAuthCookie> x_authority_cookie(const std::string& file, XAuthFamily family, std::string_view address,
                                              std::string_view number) {
    if (file.empty()) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    constexpr auto kWild = static_cast<std::uint16_t>(XAuthFamily::Wild);
    std::uint16_t entry_family = 0;
    std::string entry_address, entry_number, name, data;
    while (read_u16(in, entry_family) && read_counted(in, entry_address) && read_counted(in, entry_number) &&
           read_counted(in, name) && read_counted(in, data)) {
        const bool address_matches =
            entry_family == kWild || family == XAuthFamily::Wild ||
            (entry_family == static_cast<std::uint16_t>(family) && entry_address == address);
        const bool number_matches = number.empty() || entry_number.empty() || entry_number == number;
        if (address_matches && number_matches && name == kMagicCookie) return XAuthCookie{name, data};
    }
    return std::nullopt;
}

}  // namespace dangpli::cli
