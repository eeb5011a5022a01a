#include "dangpli/emotion.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "dangpli/ascii_text.hpp"

namespace dangpli {

std::optional<Emotion> parse_emotion(std::string_view name) {
    std::string lower = ascii_lower(name);
    if (lower == "surprised") lower = "surprise";
    if (lower == "disgusted") lower = "disgust";
    for (Emotion e : kAllEmotions)
        if (to_string(e) == lower) return e;
    return std::nullopt;
}

}  // namespace dangpli
