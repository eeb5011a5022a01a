#include "library_logs.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <streambuf>

#ifdef DANGPLI_QUIET_PROTOBUF
#include <google/protobuf/stubs/logging.h>
#endif

#include "dangpli/third_party_logs.hpp"
#include "decoder_messages.hpp"

namespace {

// Where std::cerr writes while the libraries are quiet. OpenCV's image decoders print their failures
// there themselves ("imdecode_(''): can't read data: ..."), past its logger; dangpli's own lines go
// through stdio (tell(), stderr_line.hpp), never std::cerr.
class Discard : public std::streambuf {
protected:
    int overflow(int c) override { return traits_type::not_eof(c); }
    std::streamsize xsputn(const char* /*text*/, std::streamsize count) override { return count; }
};

}  // namespace

namespace dangpli::cli {

void set_library_logs(bool verbose) {
    show_decoder_messages(verbose);  // libjpeg's and libpng's (decoder_messages.hpp)
    // OpenCV's and FFmpeg's (OPENCV_LOG_LEVEL, the user's, still wins when shown).
    set_third_party_logs(verbose);
    // Qt, under OpenCV's --preview window, warns on stderr ("QStandardPaths: XDG_RUNTIME_DIR not
    // set"); read when Qt starts. The user's own rules win.
    if (!verbose) ::setenv("QT_LOGGING_RULES", "*=false", /*overwrite=*/0);
#ifdef DANGPLI_QUIET_PROTOBUF
    // libprotobuf, under OpenCV's model readers, prints a damaged model's parse error on stderr
    // ("[libprotobuf ERROR ...]") before our line names the file.
    static google::protobuf::LogHandler* const protobuf_handler = google::protobuf::SetLogHandler(nullptr);
    google::protobuf::SetLogHandler(verbose ? protobuf_handler : nullptr);
#endif
    static Discard discard;
    standard_error();  // takes std::cerr's own buffer before the first swap
    std::cerr.rdbuf(verbose ? standard_error().rdbuf() : &discard);
}

std::ostream& standard_error() {
    static std::ostream stream(std::cerr.rdbuf());
    return stream;
}

}  // namespace dangpli::cli
