#pragma once
/// \file
/// Emotion: the seven FER2013 emotions, in the dataset's label order (0 angry to 6 neutral), with
/// their names.

#include <array>
#include <optional>
#include <string_view>

namespace dangpli {

/// One of the seven FER2013 emotions. The value is the dataset's label (see label_of()): the
/// classifier's scores, the confusion matrix and every per-emotion array are indexed by it.
enum class Emotion { Angry = 0, Disgust, Fear, Happy, Sad, Surprise, Neutral };

/// How many emotions there are: the size of every per-emotion array.
inline constexpr std::size_t kEmotionCount = 7;

/// Every emotion, in label order, for loops over all seven.
inline constexpr std::array<Emotion, kEmotionCount> kAllEmotions{
    Emotion::Angry, Emotion::Disgust, Emotion::Fear,    Emotion::Happy,
    Emotion::Sad,   Emotion::Surprise, Emotion::Neutral};

/// Lower-case name as used in FER2013 folder trees, playlists and JSON ("angry", ..., "neutral");
/// "?" for a value that is no label.
constexpr std::string_view to_string(Emotion e) {
    constexpr std::array<std::string_view, kEmotionCount> names{
        "angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"};
    const auto index = static_cast<std::size_t>(e);
    return index < names.size() ? names[index] : std::string_view("?");  // a cast that is no label
}

/// Parses a name case-insensitively; also accepts "surprised" and "disgusted". nullopt if unknown.
/// Surrounding spaces are not trimmed. Thread-safe; throws only std::bad_alloc.
std::optional<Emotion> parse_emotion(std::string_view name);

/// The FER2013 label index (0..6) of an emotion.
constexpr int label_of(Emotion e) { return static_cast<int>(e); }

}  // namespace dangpli
