#pragma once
// libjpeg and libpng print their warnings to stderr while OpenCV decodes, and libjpeg finishes a
// damaged or cut image in gray or garbage with no more than such a warning. decoder_messages.cpp
// defines the two C functions through which their handlers are made (jpeg_std_error,
// png_create_read_struct): a program or Python module that holds it, exported, comes first in the
// dynamic lookup, so OpenCV's calls reach it. It hides the printing and tells read_image_file() of
// damaged or cut data (dangpli::detail::report_image_data_*), which then refuses the image.
// Not part of libdangpli: a library must not take over its host's libjpeg; only dangpli's own
// programs (the command, its trainer, the Python module) link it.

namespace dangpli {

/// Whether libjpeg's and libpng's own warnings are printed (dangpli --verbose) or dropped (the
/// default). Damaged data is reported to read_image_file() either way. Not thread-safe: call before
/// any image is decoded.
void show_decoder_messages(bool show);

}  // namespace dangpli
