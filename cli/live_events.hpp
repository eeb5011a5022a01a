#pragma once
// `dangpli live --events FILE.jsonl`: one JSON object per line for every event of the session
// (mood changed, song started, kept, switched, finished, asked, answered, no face, ...).

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "dangpli/emotion.hpp"
#include "dangpli/playlist_types.hpp"

namespace dangpli::cli {

class EventLog {
public:
    EventLog() = default;  ///< logs nothing
    /// Appends to `path` (created if missing). Throws InputError naming it if it cannot be opened.
    explicit EventLog(const std::filesystem::path& path);

    /// {"t": seconds, "event": name, "emotion": ..., "confidence": ..., "song": {...}, ...extra}
    void write(double time, const std::string& event, std::optional<Emotion> emotion = std::nullopt,
               const Song* song = nullptr, nlohmann::ordered_json extra = nlohmann::ordered_json::object());

private:
    std::filesystem::path path_;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_{nullptr, &std::fclose};
};

}  // namespace dangpli::cli
