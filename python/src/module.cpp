// dangpli._native: the library for Python. The package `dangpli` (python/dangpli) re-exports it.
#include "bindings.hpp"

#include "dangpli/third_party_logs.hpp"
#include "dangpli/version.hpp"
#include "decoder_messages.hpp"

PYBIND11_MODULE(_native, m) {
    m.doc() = "libdangpli: faces, their emotions, moods over time and the playlist store";
    m.attr("__version__") = std::string(dangpli::version());
    // Their lines are not ours: a failure is one Python exception naming the file.
    dangpli::show_decoder_messages(false);
    dangpli::set_third_party_logs(false);
    m.def("set_third_party_logs", &dangpli::set_third_party_logs, pybind11::arg("shown"),
          "Shows (True) or hides (False, the module's default) OpenCV's and FFmpeg's own log lines on stderr, "
          "for this process; call before the first video is read.");
    dangpli::python::bind_errors(m);
    dangpli::python::bind_analyzer(m);
    dangpli::python::bind_mood(m);
    dangpli::python::bind_store(m);
}
