#include "natural_order.hpp"

namespace dangpli::cli {
namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool natural_less(std::string_view a, std::string_view b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (!is_digit(a[i]) || !is_digit(b[j])) {
            if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
            ++i, ++j;
            continue;
        }
        const std::size_t a_start = i, b_start = j;
        while (i < a.size() && is_digit(a[i])) ++i;
        while (j < b.size() && is_digit(b[j])) ++j;
        std::string_view x = a.substr(a_start, i - a_start), y = b.substr(b_start, j - b_start);
        const std::size_t x_zeros = x.find_first_not_of('0') == std::string_view::npos ? x.size() : x.find_first_not_of('0');
        const std::size_t y_zeros = y.find_first_not_of('0') == std::string_view::npos ? y.size() : y.find_first_not_of('0');
        const std::string_view x_value = x.substr(x_zeros), y_value = y.substr(y_zeros);
        if (x_value.size() != y_value.size()) return x_value.size() < y_value.size();
        if (x_value != y_value) return x_value < y_value;
        if (x.size() != y.size()) return x.size() < y.size();
    }
    return a.size() - i < b.size() - j;
}

bool natural_path_less(const std::filesystem::path& a, const std::filesystem::path& b) {
    auto x = a.begin(), y = b.begin();
    for (; x != a.end() && y != b.end(); ++x, ++y)
        if (x->native() != y->native()) return natural_less(x->native(), y->native());
    return x == a.end() && y != b.end();
}

}  // namespace dangpli::cli
