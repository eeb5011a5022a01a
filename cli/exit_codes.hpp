#pragma once
// Exit codes of the `dangpli` command (documented in README.md).

namespace dangpli::cli {

enum ExitCode : int {
    kOk = 0,
    kSomeInputsFailed = 1,  ///< batch work finished, but some inputs could not be read
    kUsage = 2,             ///< bad flags or arguments
    kBadInput = 3,          ///< an input file or value is malformed (DataError, InputError)
    kModelError = 4,        ///< a model or model card is missing or broken
    kStoreError = 5,        ///< the playlist database could not be opened or written
    kFailure = 6,           ///< anything else that stopped the command
    kInterrupted = 130,     ///< stopped by Ctrl-C (SIGINT)
};

}  // namespace dangpli::cli
