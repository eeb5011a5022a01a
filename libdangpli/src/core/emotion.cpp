#include "dangpli/emotion.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace dangpli {

std::optional<Emotion> parse_emotion(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "surprised") lower = "surprise";
    if (lower == "disgusted") lower = "disgust";
    for (Emotion e : kAllEmotions)
        if (to_string(e) == lower) return e;
    return std::nullopt;
}

}  // namespace dangpli
