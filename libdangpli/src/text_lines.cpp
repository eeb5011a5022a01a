#include "dangpli/text_lines.hpp"

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
    explicit Stream(gzFile f) : file(f) {}
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;
    ~Stream() { gzclose(file); }
    gzFile file;
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
    if (code != Z_OK && code != Z_STREAM_END)
        throw DataError(path_.string() + ":" + std::to_string(line_number_ + 1) + ": cannot read: " + message);
}

bool TextLineReader::next(std::string& line) {
    line.clear();
    char buffer[16384];
    while (gzgets(stream_->file, buffer, sizeof buffer) != nullptr) {
        line += buffer;
        if (line.back() == '\n') break;
        // A binary file (or /dev/zero behind a gzip) has no line breaks: stop before memory runs out.
        if (line.size() > kMaxLineBytes)
            throw DataError(path_.string() + ":" + std::to_string(line_number_ + 1) +
                            ": a line longer than 1 MiB (not a text file?)");
    }
    text_bytes_ += line.size();
    if (text_bytes_ > input_limits::kDataset)
        throw DataError(path_.string() + ": more than 1 GiB of text (decompressed); not a dataset this reads");
    if (line.empty()) {
        check_stream();
        return false;
    }
    if (line.back() != '\n') check_stream();  // a last line without a break: fine only at a real end
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    ++line_number_;
    return true;
}

}  // namespace dangpli
