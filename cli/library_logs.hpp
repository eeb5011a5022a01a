#pragma once
// The log lines of the libraries underneath (OpenCV, FFmpeg, libjpeg, libpng, Qt) are theirs, not
// ours: hidden unless `dangpli --verbose`, so that a user sees one line per problem, our own.

#include <ostream>

namespace dangpli::cli {

/// Shows (`verbose`) or hides the libraries' own log lines for the rest of the run: OpenCV's and
/// FFmpeg's (set_third_party_logs()), Qt's under the --preview window (through
/// QT_LOGGING_RULES, unless the user set it), the warnings libjpeg and libpng print to
/// stderr while OpenCV decodes, and whatever a library writes to std::cerr (OpenCV's decoders
/// print their failures there). Call before any image or video is opened; not thread-safe.
void set_library_logs(bool verbose);

/// The process's standard error as a C++ stream, whatever set_library_logs() did to std::cerr: for
/// dangpli's own lines that a library writes for it (CLI11's usage errors).
std::ostream& standard_error();

}  // namespace dangpli::cli
