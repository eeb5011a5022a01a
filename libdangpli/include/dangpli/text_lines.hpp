#pragma once
/// \file
/// TextLineReader: a text file line by line, plain or gzip-compressed, that tells a file cut short
/// or corrupt from one that ended; and trim_line() for the fields of such lines.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace dangpli {

/// `s` without leading spaces and without trailing spaces, carriage returns and line feeds.
std::string_view trim_line(std::string_view s);

/// Reads the lines of a plain or gzip-compressed text file (zlib reads plain files as they are).
/// Not thread-safe.
class TextLineReader {
public:
    /// The longest line read, in bytes.
    static constexpr std::size_t kMaxLineBytes = 1024 * 1024;

    /// Throws DataError ("path: cannot open", "path: not a regular file (a FIFO) ...") when the
    /// file cannot be opened, is no regular file or is over input_limits::kDataset.
    explicit TextLineReader(const std::filesystem::path& path);
    ~TextLineReader();
    TextLineReader(const TextLineReader&) = delete;
    TextLineReader& operator=(const TextLineReader&) = delete;

    /// The next line, without its line break; false at the end of the file. Throws DataError
    /// naming the file and the line when the compressed stream is corrupt or ends before its end
    /// (a download cut short), so that a truncated file is never read as a shorter one; likewise
    /// for a line over kMaxLineBytes or more than input_limits::kDataset of (decompressed) text,
    /// and for a line holding a NUL byte (a binary file). A CR before the break is dropped.
    bool next(std::string& line);
    /// The number of the line last returned by next(), from 1.
    std::size_t line_number() const { return line_number_; }

private:
    void check_stream() const;
    bool refill();  ///< more decompressed bytes; false at the end of the file

    std::filesystem::path path_;
    struct Stream;
    std::unique_ptr<Stream> stream_;
    std::size_t line_number_ = 0;
    std::uintmax_t text_bytes_ = 0;
};

}  // namespace dangpli
