#pragma once
// The live loop's wall clock: seconds on the steady clock, for a camera's frame times and the
// view's refresh, which only ever subtract two readings.

#include <chrono>

namespace dangpli::cli {

/// Seconds since an arbitrary fixed point; never goes back.
inline double monotonic_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace dangpli::cli
