#pragma once
// The exceptions the library throws. Each message is one line a user can act on:
// which file, line or value, and what was expected. The CLI maps each kind to an exit code.

#include <stdexcept>
#include <string>

namespace dangpli {

/// Base of every dangpli exception.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The caller passed an unusable argument: empty image, wrong depth, too many pixels, bad option.
class InputError : public Error {
public:
    using Error::Error;
};

/// A model file or its card is missing, corrupt or does not match what the code expects.
class ModelError : public Error {
public:
    using Error::Error;
};

/// A data file (CSV, YAML, image tree) is malformed. The message starts with "file:line: ".
class DataError : public Error {
public:
    using Error::Error;
};

/// The playlist database could not be opened, migrated or written.
class StoreError : public Error {
public:
    using Error::Error;
};

}  // namespace dangpli
