#pragma once
// Files an attacker (or an accident) hands to dangpli, made for real: PNGs written chunk by chunk
// with real checksums and a real deflate stream, cut copies of real photos, and a way to run the
// CLI as an unprivileged user where the tests run as root (chmod 000 does not stop root).

#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support.hpp"

namespace dangpli::test {

inline std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

/// The rows of `analyze --format jsonl` output that hold faces (not a failed path's error row).
inline std::size_t analysed_rows(const std::string& out) {
    std::size_t n = 0;
    for (const auto& line : lines_of(out))
        if (line.find("\"faces\":") != std::string::npos) ++n;
    return n;
}

inline std::string big_endian(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

/// One PNG chunk: length, type, data and its CRC over type and data.
inline std::string png_chunk(const std::string& type, const std::string& data) {
    const std::string typed = type + data;
    const auto crc = crc32(0, reinterpret_cast<const Bytef*>(typed.data()), static_cast<uInt>(typed.size()));
    return big_endian(static_cast<std::uint32_t>(data.size())) + typed + big_endian(static_cast<std::uint32_t>(crc));
}

/// A whole, valid 8-bit gray PNG of `width` x `height` black pixels: every row's filter byte and
/// pixels deflated for real, so a decoder given it would allocate and fill the whole image.
inline std::string black_gray_png(std::uint32_t width, std::uint32_t height) {
    z_stream z{};
    deflateInit(&z, Z_BEST_COMPRESSION);
    const std::string row(width + 1, '\0');  // filter type 0, then the pixels
    std::string compressed;
    std::vector<unsigned char> out(1 << 16);
    auto pump = [&](int flush) {
        do {
            z.next_out = out.data();
            z.avail_out = static_cast<uInt>(out.size());
            deflate(&z, flush);
            compressed.append(reinterpret_cast<const char*>(out.data()), out.size() - z.avail_out);
        } while (z.avail_out == 0);
    };
    for (std::uint32_t y = 0; y < height; ++y) {
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(row.data()));
        z.avail_in = static_cast<uInt>(row.size());
        pump(Z_NO_FLUSH);
    }
    pump(Z_FINISH);
    deflateEnd(&z);
    const std::string ihdr = big_endian(width) + big_endian(height) + std::string("\x08\x00\x00\x00\x00", 5);
    return "\x89PNG\r\n\x1a\n" + png_chunk("IHDR", ihdr) + png_chunk("IDAT", compressed) + png_chunk("IEND", "");
}

/// The CLI run through `timeout`, so that a command that would block fails the test instead of
/// hanging it (exit 124).
inline CommandResult run_cli_bounded(const std::string& args, int seconds = 60) {
    return run_command("timeout " + std::to_string(seconds) + " " + shell_quote(kCli.string()) + " " + args);
}

/// The prefix that runs a command as user and group 65534 (nobody), for whom chmod 000 means
/// what it says; "" where this process is no root (it is refused anyway). nullopt where root
/// cannot become nobody here (then the check is skipped, with a MESSAGE).
inline std::optional<std::string> unprivileged_prefix() {
    if (::geteuid() != 0) return std::string{};
    const std::string prefix = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
    const auto probe = shell_quote((kFacesDir / "neutral.jpeg").string());
    if (run_command(prefix + shell_quote(kCli.string()) + " analyze " + probe).exit_code != 0) return std::nullopt;
    return prefix;
}

}  // namespace dangpli::test
