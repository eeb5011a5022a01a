#include "analyze_inputs.hpp"

#include <algorithm>

#include "dangpli/error.hpp"
#include "dangpli/image_file.hpp"

namespace fs = std::filesystem;

namespace dangpli::cli {

namespace {

// Depth first, each folder's entries in turn; a folder that cannot be read is reported by name
// (never skipped in silence), and the walk goes on. Links to folders are not followed (no loops).
void walk(const fs::path& dir, std::vector<InputPath>& found) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
        found.push_back({dir.string(), dir.string() + ": cannot read the directory: " + ec.message()});
        return;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        const fs::file_status own = it->symlink_status(ec);
        if (fs::is_directory(own)) walk(it->path(), found);
        // Anything else named like an image is read: a FIFO or an unreadable file is then refused
        // with its own line instead of being left out.
        else if (!it->is_directory(ec) && has_image_extension(it->path())) found.push_back({it->path().string(), {}});
    }
    if (ec) found.push_back({dir.string(), dir.string() + ": cannot read the directory: " + ec.message()});
}

void add_path(const std::string& arg, std::vector<InputPath>& out) {
    std::error_code ec;
    if (!fs::is_directory(arg, ec)) {
        out.push_back({arg, {}});
        return;
    }
    std::vector<InputPath> found;
    walk(arg, found);
    if (found.empty())
        found.push_back({arg, arg + ": no image files (jpg, jpeg, png, bmp, webp, tif, tiff, pbm, pgm, ppm) in this "
                                    "directory"});
    // By path, so that a folder's problem stands where its files would have been.
    std::stable_sort(found.begin(), found.end(), [](const InputPath& a, const InputPath& b) { return a.path < b.path; });
    out.insert(out.end(), found.begin(), found.end());
}

// A path is at most PATH_MAX bytes; a longer "line" (from /dev/zero, a binary file) stops the
// reading instead of filling memory.
constexpr std::size_t kMaxPathLine = 4096;

bool read_path_line(std::istream& in, std::string& line) {
    line.clear();
    for (int c; (c = in.get()) != std::char_traits<char>::eof();) {
        if (c == '\n') return true;
        if (line.size() == kMaxPathLine)
            throw InputError("-: a line of standard input longer than 4096 bytes; expected one path per line");
        line.push_back(static_cast<char>(c));
    }
    return !line.empty();
}

}  // namespace

std::vector<InputPath> collect_inputs(const std::vector<std::string>& args, std::istream& stdin_lines) {
    std::vector<InputPath> out;
    for (const auto& arg : args) {
        if (arg != "-") {
            add_path(arg, out);
            continue;
        }
        for (std::string line; read_path_line(stdin_lines, line);) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (!line.empty()) add_path(line, out);
        }
    }
    return out;
}

}  // namespace dangpli::cli
