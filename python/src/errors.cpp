#include "bindings.hpp"

#include "dangpli/error.hpp"

namespace py = pybind11;

namespace dangpli::python {

void bind_errors(py::module_& m) {
    // pybind11 tries the most recently registered translator first: the base goes first, so that
    // each subclass is caught as itself.
    const auto error = py::register_exception<Error>(m, "Error", PyExc_RuntimeError);
    py::register_exception<InputError>(m, "InputError", error);
    py::register_exception<ModelError>(m, "ModelError", error);
    py::register_exception<DataError>(m, "DataError", error);
    py::register_exception<StoreError>(m, "StoreError", error);
    py::register_exception<WriteError>(m, "WriteError", error);
}

}  // namespace dangpli::python
