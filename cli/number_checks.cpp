#include "number_checks.hpp"

#include <cerrno>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <fmt/core.h>

#include "dangpli/ascii_text.hpp"

namespace dangpli::cli {

std::optional<std::string> range_error(double value, const NumberRange& range) {
    if (!std::isfinite(value)) return std::string("must be a finite number");
    const bool low_ok = range.min_excluded ? value > range.min : value >= range.min;
    if (low_ok && value <= range.max) return std::nullopt;
    // fmt's "{}" prints a double in its shortest exact form: 0.1, 600, 1e+100, never 309 digits.
    const std::string low = fmt::format("{}", range.min), high = fmt::format("{}", range.max);
    if (!std::isfinite(range.max)) return fmt::format("must be {} {}", range.min_excluded ? "more than" : "at least", low);
    if (!std::isfinite(range.min)) return fmt::format("must be at most {}", high);
    if (range.min_excluded) return fmt::format("must be more than {} and at most {}", low, high);
    return fmt::format("must be between {} and {}", low, high);
}

CLI::Validator in_range(const NumberRange& range) {
    return CLI::Validator(
        [range](std::string& text) -> std::string {
            errno = 0;
            char* end = nullptr;
            const double value = std::strtod(text.c_str(), &end);
            // strtod skips leading blanks, which made ' 1' a number and '1 ' none.
            if (text.empty() || is_ascii_space(text.front()) || end != text.c_str() + text.size())
                return "'" + text + "' is not a number";
            if (errno == ERANGE && value == 0.0) return "'" + text + "' is too near 0 to be held (it reads as 0)";
            // strtod reads hexadecimal too ("0x1"), which no config file of ours takes: one spelling for both.
            if (text.find_first_of("xX") != std::string::npos) return "'" + text + "' is not a decimal number";
            if (auto why = range_error(value, range)) return "'" + text + "' " + *why;
            return {};
        },
        "NUMBER", "range");
}

}  // namespace dangpli::cli
