#pragma once
// Names in the order a file manager shows them: runs of digits compare as numbers, so that frames an
// encoder numbered without padding (`ffmpeg ... %d.png`: f1, f2, ..., f10) come in their order, not
// as f1, f10, f11, ..., f2.

#include <filesystem>
#include <string_view>

namespace dangpli::cli {

/// Whether `a` comes before `b`: byte by byte, but a run of digits against a run of digits by its
/// number (then, for equal numbers, the one with fewer leading zeros first).
bool natural_less(std::string_view a, std::string_view b);

/// natural_less on the paths' names, one folder level after another (as path's own < compares them).
bool natural_path_less(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace dangpli::cli
