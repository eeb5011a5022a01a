#pragma once
// Whole-or-nothing file writes for the run folder.

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace dangpli::training {

/// Writes `content` to `path` via a temp file and rename, so readers never see half a file.
inline void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
    auto tmp = path;
    tmp += ".part";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
    }
    std::filesystem::rename(tmp, path);
}

}  // namespace dangpli::training
