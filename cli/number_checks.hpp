#pragma once
// The one home of the numeric checks of every command: a flag and the config key that sets the
// same value share one NumberRange, so both refuse the same values with the same words. NaN and
// infinities are always refused (CLI11's own Range lets NaN through, and prints its default
// bounds as 309-digit numbers).

#include <limits>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace dangpli::cli {

/// The values a numeric option accepts: finite, from `min` to `max` (both included unless
/// `min_excluded`). An infinite `max` means no upper bound.
struct NumberRange {
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool min_excluded = false;

    /// More than zero (a rate, a weight, a length in seconds).
    static NumberRange positive() { return {0.0, std::numeric_limits<double>::infinity(), true}; }
    /// From `low` up, no upper bound.
    static NumberRange at_least(double low) { return {low, std::numeric_limits<double>::infinity(), false}; }
    /// From `low` to `high`, both included.
    static NumberRange between(double low, double high) { return {low, high, false}; }
};

/// The smallest face to look for, in pixels (`analyze --min-face`, `live --min-face`): MTCNN's
/// first stage sees 12 px, so below 4 px there is nothing to find.
inline const NumberRange kMinFaceRange = NumberRange::between(4.0, 100000.0);

/// The angle of the turned look for tilted heads, in degrees (`--tilt-retry`; 0 = off): a quarter
/// turn or more would look for faces lying on their side.
inline const NumberRange kTiltRetryRange = NumberRange::between(0.0, 89.0);

/// Why `value` is not accepted ("must be between 0.1 and 600", "must be more than 0"), bounds
/// printed in their shortest form; none when it is accepted.
std::optional<std::string> range_error(double value, const NumberRange& range);

/// A CLI11 check for an option (or each element of a vector option): the text is a number
/// accepted by `range`. An integer option still refuses "2.5" through CLI11's own conversion.
CLI::Validator in_range(const NumberRange& range);

}  // namespace dangpli::cli
