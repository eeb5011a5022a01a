#include "dangpli/text_lines.hpp"

#include <cstring>
#include <vector>

#include <unistd.h>
#include <zlib.h>

#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"

namespace dangpli {

std::string_view trim_line(std::string_view s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    return s;
}

struct TextLineReader::Stream {
    explicit Stream(gzFile f) : file(f), buffer(1 << 16) {}
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;
    ~Stream() { gzclose(file); }
    gzFile file;
    std::vector<char> buffer;  ///< decompressed bytes not yet returned: [begin, end)
    std::size_t begin = 0, end = 0;
    bool at_end = false;
};

TextLineReader::TextLineReader(const std::filesystem::path& path) : path_(path) {
    int fd = -1;
    try {
        fd = InputFile(path, input_limits::kDataset, "a dataset file").release();
    } catch (const InputError& e) {
        throw DataError(e.what());
    }
    gzFile file = gzdopen(fd, "rb");
    if (!file) {
        ::close(fd);
        throw DataError(path.string() + ": cannot open");
    }
    stream_ = std::make_unique<Stream>(file);
    gzbuffer(file, 1 << 20);
}

TextLineReader::~TextLineReader() = default;

void TextLineReader::check_stream() const {
    int code = Z_OK;
    const char* message = gzerror(stream_->file, &code);
    // Z_BUF_ERROR at the end: the compressed stream stopped before its own end.
    if (code == Z_BUF_ERROR)
        throw DataError(path_.string() + ":" + std::to_string(line_number_ + 1) +
                        ": the compressed file ends early (cut short?)");
    if (code != Z_OK && code != Z_STREAM_END) {
        // zlib names the stream it was given, "<fd:3>: incorrect data check": the path says which file.
        std::string_view why = message ? message : "unknown error";
        if (why.starts_with("<fd:") && why.find(": ") != std::string_view::npos) why.remove_prefix(why.find(": ") + 2);
        throw DataError(path_.string() + ":" + std::to_string(line_number_ + 1) + ": cannot read the compressed data (" +
                        std::string(why) + ")");
    }
}

bool TextLineReader::refill() {
    Stream& in = *stream_;
    if (in.at_end) return false;
    const int n = gzread(in.file, in.buffer.data(), static_cast<unsigned>(in.buffer.size()));
    if (n <= 0) {
        in.at_end = true;
        check_stream();  // the end of the file, or an error / a stream cut short
        return false;
    }
    in.begin = 0;
    in.end = static_cast<std::size_t>(n);
    return true;
}

// Read by blocks, not gzgets(): a NUL byte must be seen (gzgets would end the line there, and a
// line starting with one would read as the end of the file).
bool TextLineReader::next(std::string& line) {
    line.clear();
    Stream& in = *stream_;
    bool read_any = false, ended_by_break = false;
    while (in.begin < in.end || refill()) {
        read_any = true;
        const char* from = in.buffer.data() + in.begin;
        const std::size_t available = in.end - in.begin;
        const void* newline = std::memchr(from, '\n', available);
        const std::size_t taken = newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - from) : available;
        line.append(from, taken);
        in.begin += newline ? taken + 1 : taken;
        // A binary file (or /dev/zero behind a gzip) has no line breaks: stop before memory runs out.
        if (line.size() > kMaxLineBytes)
            throw DataError(path_.string() + ":" + std::to_string(line_number_ + 1) +
                            ": a line longer than 1 MiB (not a text file?)");
        if (newline) {
            ended_by_break = true;
            break;
        }
    }
    if (!read_any) return false;
    text_bytes_ += line.size() + (ended_by_break ? 1 : 0);
    if (text_bytes_ > input_limits::kDataset)
        throw DataError(path_.string() + ": more than 1 GiB of text (decompressed); not a dataset this reads");
    ++line_number_;
    if (line.find('\0') != std::string::npos)
        throw DataError(path_.string() + ":" + std::to_string(line_number_) + ": a NUL byte (not a text file?)");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
}

}  // namespace dangpli
