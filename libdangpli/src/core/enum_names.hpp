#pragma once
// Private: the parse_*() and *_names() of the enums whose names the library owns, from each enum's
// own to_string() and the list of its values, so that the two can never disagree.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dangpli::detail {

/// The value of `all` whose to_string() is `name`; nullopt for any other name.
template <class Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<Enum, N>& all, std::string_view name) {
    for (Enum value : all)
        if (name == to_string(value)) return value;
    return std::nullopt;
}

/// to_string() of every value of `all`, in its order.
template <class Enum, std::size_t N>
std::vector<std::string> names_of(const std::array<Enum, N>& all) {
    std::vector<std::string> names;
    for (Enum value : all) names.emplace_back(to_string(value));
    return names;
}

}  // namespace dangpli::detail
