#pragma once
// `dangpli live --events FILE.jsonl`: one JSON object per line for every event of the session
// (mood changed, song started, kept, switched, finished, failed, asked, answered, no face, ...).

#include <filesystem>
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
    ~EventLog();
    EventLog(EventLog&& other) noexcept;
    EventLog& operator=(EventLog&& other) noexcept;
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    /// {"t": seconds, "event": name, "emotion": ..., "confidence": ..., "song": {...}, ...extra}
    /// The line reaches the file whole or not at all: a write that fails part-way (a full disk, a
    /// file-size limit) is cut back off the file. Throws WriteError naming the file and the reason.
    void write(double time, const std::string& event, std::optional<Emotion> emotion = std::nullopt,
               const Song* song = nullptr, nlohmann::ordered_json extra = nlohmann::ordered_json::object());

private:
    std::filesystem::path path_;
    int fd_ = -1;
};

}  // namespace dangpli::cli
