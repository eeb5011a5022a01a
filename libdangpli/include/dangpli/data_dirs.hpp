#pragma once
/// \file
/// Where an installation of dangpli keeps its data (models, default playlists).

#include <filesystem>
#include <optional>

namespace dangpli {

/// The folder of the running program's file (from /proc/self/exe: argv[0] may be relative to a
/// directory since changed). nullopt where /proc cannot tell. Thread-safe; throws nothing.
std::optional<std::filesystem::path> running_program_dir();

/// The `share/dangpli` folder of the installation this library belongs to.
///
/// Found first relative to the program or shared library that holds this code (so an installed
/// tree still works after it is moved, or when installed with `cmake --install --prefix`), then at
/// the prefix the build was configured with. nullopt when neither exists, e.g. for a program run
/// from the build tree. Thread-safe; throws nothing.
std::optional<std::filesystem::path> installed_data_dir();

}  // namespace dangpli
