#pragma once
// The inputs of `dangpli analyze`: expanding arguments into image files (reading one is
// dangpli::read_image_file's work).

#include <filesystem>
#include <istream>
#include <string>
#include <vector>

namespace dangpli::cli {

/// A file to analyse, or a path that gave none (a folder that cannot be read or holds no image).
struct InputPath {
    std::string path;
    std::string problem;  ///< empty for a file to read; else one line starting with the path
    /// Where it sits below the argument that named it: its path under a folder given, else its file
    /// name (`--annotate` mirrors folders by it).
    std::filesystem::path name;
    bool found_in_folder = false;  ///< a folder's walk found it (not named itself)
    bool is_file() const { return problem.empty(); }
};

/// Expands the arguments, in argument order: "-" reads one path per line from `stdin_lines`
/// (each expanded in turn; a line over 4096 bytes, or one holding a NUL byte, throws InputError), a directory adds its image
/// files recursively, sorted (a folder inside it that cannot be read, or a directory without
/// images, is a problem in its place), anything else is taken as a file as given (a missing one
/// fails later, when it is read, with the other per-file errors).
std::vector<InputPath> collect_inputs(const std::vector<std::string>& args, std::istream& stdin_lines);

/// Takes out the files that folder walks found inside a folder of drawings below the walked folder:
/// `outputs` (this run's --annotate folder, which may not hold its marker yet) or any folder holding
/// kDrawingsMarker. Returns how many. A file named itself stays, so that writing over it is refused
/// by name, as does a folder of drawings named itself (the user asked for those images).
/// (kDrawingsMarker: dangpli/image_file.hpp.)
std::size_t leave_out_drawings(std::vector<InputPath>& inputs, const std::filesystem::path& outputs);

/// Marks `folder` (made by --annotate) as drawings, for leave_out_drawings(). Throws WriteError.
void mark_as_drawings(const std::filesystem::path& folder);

}  // namespace dangpli::cli
