#include "decoder_messages.hpp"

#include <dlfcn.h>

#include <atomic>

#include "dangpli/image_file.hpp"
#include <png.h>
extern "C" {
#include <jpeglib.h>  // a C header without its own extern "C"
#include <jerror.h>
}

namespace {

std::atomic<bool> messages_shown{false};

// libjpeg's output_message: the text of its warnings ("Premature end of JPEG file"). Dropped:
// read_image_file() has refused a cut file before it reaches the decoder.
void drop_jpeg_message(j_common_ptr /*info*/) {}

// libjpeg's emit_message as it made it, and ours in its place: a warning that the data ran out before
// the image did (a cut file with an end marker appended passes read_image_file()'s end check), or
// that it is damaged, makes read_image_file() refuse the image, which libjpeg would otherwise finish
// in gray or in garbage.
std::atomic<void (*)(j_common_ptr, int)> library_emit_message{nullptr};  // set by each decoder's thread
constexpr int kJpegEndMarker = 0xD9;
// Bytes an encoder may pad the data with before its end marker, as some do; a decoder that lost its
// place in damaged data skips more (24 in a hostile test's file), or skips them before another marker.
constexpr int kHarmlessPadding = 8;
void note_bad_data(j_common_ptr info, int level) {
    const int code = info->err->msg_code;
    if (level < 0 && (code == JWRN_HIT_MARKER || code == JWRN_JPEG_EOF)) dangpli::detail::report_image_data_cut_short();
    const bool skipped_much = code == JWRN_EXTRANEOUS_DATA &&
                              (info->err->msg_parm.i[1] != kJpegEndMarker || info->err->msg_parm.i[0] > kHarmlessPadding);
    if (level < 0 && (skipped_much || code == JWRN_HUFF_BAD_CODE || code == JWRN_ARITH_BAD_CODE ||
                      code == JWRN_MUST_RESYNC))
        dangpli::detail::report_image_data_damaged();
    if (const auto emit = library_emit_message.load(); emit != nullptr) emit(info, level);
}

// libpng's handlers. An error handler must not return: it jumps back to OpenCV's setjmp, as the
// default handler does after printing.
[[noreturn]] void drop_png_error(png_structp png, png_const_charp /*message*/) { png_longjmp(png, 1); }
void drop_png_warning(png_structp /*png*/, png_const_charp /*message*/) {}

template <class Function>
Function next_definition(const char* name) {
    return reinterpret_cast<Function>(::dlsym(RTLD_NEXT, name));
}

}  // namespace

// They call the libraries' own and then install our handlers where OpenCV left the printing defaults.
// Default visibility: the Python module is built with hidden symbols, and these must be seen.
extern "C" __attribute__((visibility("default"))) struct jpeg_error_mgr* jpeg_std_error(
    struct jpeg_error_mgr* manager) {
    static const auto real = next_definition<struct jpeg_error_mgr* (*)(struct jpeg_error_mgr*)>("jpeg_std_error");
    struct jpeg_error_mgr* made = real(manager);
    if (!messages_shown) made->output_message = drop_jpeg_message;
    library_emit_message.store(made->emit_message);
    made->emit_message = note_bad_data;
    return made;
}

extern "C" __attribute__((visibility("default"))) png_structp png_create_read_struct(
    png_const_charp version, png_voidp error_data, png_error_ptr on_error, png_error_ptr on_warning) {
    using Create = png_structp (*)(png_const_charp, png_voidp, png_error_ptr, png_error_ptr);
    static const auto real = next_definition<Create>("png_create_read_struct");
    if (!messages_shown) {
        if (on_error == nullptr) on_error = drop_png_error;
        if (on_warning == nullptr) on_warning = drop_png_warning;
    }
    return real(version, error_data, on_error, on_warning);
}

namespace dangpli {

void show_decoder_messages(bool show) { messages_shown = show; }

}  // namespace dangpli
