#pragma once
// The inputs of `dangpli analyze`: expanding arguments into image files (reading one is
// dangpli::read_image_file's work).

#include <filesystem>
#include <istream>
#include <string>
#include <vector>

namespace dangpli::cli {

struct CollectedInputs {
    std::vector<std::string> files;     ///< in argument order; each directory's files sorted
    std::vector<std::string> problems;  ///< "PATH: why" for arguments that gave nothing, folders that cannot be read
};

/// Expands the arguments: "-" reads one path per line from `stdin_lines` (each expanded in turn;
/// a line over 4096 bytes throws InputError), a directory adds its image files recursively (a
/// folder inside it that cannot be read is a problem), anything else is taken as a file as given
/// (a missing one fails later, when it is read, with the other per-file errors).
CollectedInputs collect_inputs(const std::vector<std::string>& args, std::istream& stdin_lines);

}  // namespace dangpli::cli
