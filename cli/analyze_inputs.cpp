#include "analyze_inputs.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>

#include <fmt/core.h>

#include "dangpli/error.hpp"
#include "dangpli/image_file.hpp"
#include "dangpli/output_file.hpp"
#include "folder_walk.hpp"

namespace fs = std::filesystem;

namespace dangpli::cli {

namespace {

void add_path(const std::string& arg, std::vector<InputPath>& out) {
    std::error_code ec;
    if (!fs::is_directory(arg, ec)) {
        out.push_back({arg, {}, fs::path(arg).filename()});
        return;
    }
    const auto found = walk_folder(arg, [](const fs::path& p) { return has_image_extension(p); });
    if (found.empty())
        out.push_back({arg, arg + ": no image files (" + image_extensions_text() + ") in this directory", {}});
    for (const WalkEntry& e : found) out.push_back({e.path.string(), e.problem, e.path.lexically_relative(arg), true});
}

// Whether a walk's file lies in `canonical_folder` and that folder lies strictly inside the walk's
// own folder: the files of `analyze photos --annotate photos` stay, to be refused as outputs over inputs.
bool inside_folder_below_walk(const InputPath& input, const fs::path& canonical_folder) {
    std::error_code ec;
    const fs::path where = fs::weakly_canonical(input.path, ec);
    if (ec) return false;
    auto [folder_end, rest] = std::mismatch(canonical_folder.begin(), canonical_folder.end(), where.begin(), where.end());
    if (folder_end != canonical_folder.end() || rest == where.end()) return false;
    const auto depth_in_folder = std::distance(rest, where.end());
    const auto depth_in_walk = std::distance(input.name.begin(), input.name.end());
    return depth_in_folder < depth_in_walk;
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
        std::size_t number = 0;
        for (std::string line; read_path_line(stdin_lines, line);) {
            ++number;
            // A path cannot hold one: the system would read it cut short there, another file.
            if (line.find('\0') != std::string::npos)
                throw InputError("-:" + std::to_string(number) + ": a NUL byte in a path; expected one path per line "
                                 "(find -print, not -print0)");
            if (!line.empty() && line.back() == '\r') line.pop_back();
            // A list saved by Notepad starts with a byte-order mark, which no path does.
            if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
            if (!line.empty()) add_path(line, out);
        }
        // A stdin that cannot be read (a folder, `< dir`) read as no lines: "no images to analyze".
        // std::cin over stdio reads a failure as the end: stdio's error flag tells them apart.
        const bool stdio_failed = &stdin_lines == &std::cin && std::ferror(stdin) != 0;
        if (stdio_failed || stdin_lines.bad() || (stdin_lines.fail() && !stdin_lines.eof()))
            throw InputError(fmt::format("-: cannot read standard input ({})", errno != 0 ? std::strerror(errno) : "a read failed"));
    }
    return out;
}

std::size_t leave_out_drawings(std::vector<InputPath>& inputs, const fs::path& outputs) {
    std::error_code ec;
    fs::path this_runs_folder;
    if (!outputs.empty() && fs::is_directory(outputs, ec)) this_runs_folder = fs::canonical(outputs, ec);
    if (ec) this_runs_folder.clear();
    std::map<fs::path, bool> marked;  // folder -> holds the marker: a folder of many photos is looked at once
    const auto in_marked_folder = [&](const InputPath& input) {
        // The folders between the walked one and the file: as many as `name` has folders.
        fs::path folder = fs::path(input.path).parent_path();
        for (auto depth = std::distance(input.name.begin(), input.name.end()) - 1; depth > 0; --depth) {
            auto [at, added] = marked.try_emplace(folder, false);
            if (added) at->second = fs::exists(folder / kDrawingsMarker, ec);
            if (at->second) return true;
            folder = folder.parent_path();
        }
        return false;
    };
    return std::erase_if(inputs, [&](const InputPath& input) {
        if (!input.found_in_folder || !input.is_file()) return false;
        return in_marked_folder(input) || (!this_runs_folder.empty() && inside_folder_below_walk(input, this_runs_folder));
    });
}

void mark_as_drawings(const fs::path& folder) {
    write_output_file(folder / kDrawingsMarker,
                      "Drawings made by `dangpli analyze --annotate`: a walk of a folder holding this one passes it over,\n"
                      "so that its images are not read as photos. Name this folder itself to read them.\n");
}

}  // namespace dangpli::cli
