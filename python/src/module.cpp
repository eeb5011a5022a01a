// dangpli._native: the library for Python. The package `dangpli` (python/dangpli) re-exports it.
#include "bindings.hpp"

#include "dangpli/version.hpp"
#include "decoder_messages.hpp"

PYBIND11_MODULE(_native, m) {
    m.doc() = "libdangpli: faces, their emotions, moods over time and the playlist store";
    m.attr("__version__") = std::string(dangpli::version());
    dangpli::show_decoder_messages(false);  // their lines are not ours; damaged data is refused either way
    dangpli::python::bind_errors(m);
    dangpli::python::bind_analyzer(m);
    dangpli::python::bind_mood(m);
    dangpli::python::bind_store(m);
}
