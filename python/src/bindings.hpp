#pragma once
// The pieces of the `dangpli._native` extension module, one function per area of the library.

#include <pybind11/pybind11.h>

namespace dangpli::python {

/// dangpli.Error and its subclasses, mirroring dangpli/error.hpp, with the library's messages.
void bind_errors(pybind11::module_& m);
/// Analyzer (detect, align, classify) and Classifier.
void bind_analyzer(pybind11::module_& m);
/// EmotionAggregator: scores over time to a mood.
void bind_mood(pybind11::module_& m);
/// PlaylistStore's read side.
void bind_store(pybind11::module_& m);

}  // namespace dangpli::python
