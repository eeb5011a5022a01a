#pragma once
// What every fuzz target shares: an in-memory file for readers that take a path, and the rule that
// a refused input is one of our errors with one line of text. Any other exception escapes, and
// libFuzzer reports it as a finding (the CLI would print it as an internal error).

#include <dangpli/error.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace dangpli::fuzz {

/// A memfd holding the input, reachable by path (/proc/self/fd/N): a regular file to every check,
/// with no disk I/O per run. Created once per process and rewritten for each input.
class MemoryFile {
public:
    explicit MemoryFile(const char* name) : fd_(memfd_create(name, 0)) {
        if (fd_ < 0) std::abort();
    }
    ~MemoryFile() { close(fd_); }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;

    /// Replaces the contents with `data`; returns the path to read it by.
    std::filesystem::path hold(const std::uint8_t* data, std::size_t size) {
        if (ftruncate(fd_, 0) != 0 || lseek(fd_, 0, SEEK_SET) != 0) std::abort();
        for (std::size_t done = 0; done < size;) {
            const ssize_t n = write(fd_, data + done, size - done);
            if (n <= 0) std::abort();
            done += static_cast<std::size_t>(n);
        }
        return "/proc/self/fd/" + std::to_string(fd_);
    }

private:
    int fd_;
};

/// Our error contract: a refusal says something, on one line.
inline void check_refusal(const dangpli::Error& e) {
    const std::string_view text = e.what();
    if (text.empty() || text.find('\n') != std::string_view::npos) {
        std::fprintf(stderr, "a refusal that is not one line: [%s]\n", e.what());
        std::abort();
    }
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace dangpli::fuzz
