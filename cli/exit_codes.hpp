#pragma once
// Exit codes of the `dangpli` command (documented in README.md and the man page).

#include "dangpli/error.hpp"

namespace dangpli::cli {

enum ExitCode : int {
    kOk = 0,
    kSomeInputsFailed = 1,  ///< batch work finished, but some inputs could not be read
    kUsage = 2,             ///< bad flags or arguments
    kBadInput = 3,          ///< an input file or value is malformed (DataError, InputError)
    kModelError = 4,        ///< a model or model card is missing or broken
    kStoreError = 5,        ///< the playlist database could not be opened or written
    kFailure = 6,           ///< anything else that stopped the command
    kWriteError = 7,        ///< an output (a file, standard output) could not be written (WriteError)
    kInterrupted = 130,     ///< stopped by Ctrl-C (SIGINT)
};

/// A command line that parses but cannot be run as asked, e.g. an output naming an input; main()
/// reports it like CLI11's own usage errors (exit 2).
class UsageError : public Error {
public:
    using Error::Error;
};

}  // namespace dangpli::cli
