#include "live_events.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>

#include <fmt/core.h>

#include "dangpli/error.hpp"

namespace dangpli::cli {

EventLog::EventLog(const std::filesystem::path& path) : path_(path), file_(std::fopen(path.c_str(), "a"), &std::fclose) {
    if (!file_) throw InputError(path.string() + ": cannot open the events file for writing");
}

void EventLog::write(double time, const std::string& event, std::optional<Emotion> emotion, const Song* song,
                     nlohmann::ordered_json extra) {
    if (!file_) return;
    nlohmann::ordered_json j;
    j["t"] = std::round(time * 1000.0) / 1000.0;
    j["event"] = event;
    if (emotion) j["emotion"] = to_string(*emotion);
    if (song) j["song"] = {{"id", song->id}, {"title", song->title}, {"artist", song->artist}};
    for (auto& [key, value] : extra.items()) j[key] = value;
    const auto line = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    // Flushed per line: a script tailing the file sees each event at once. A failed write stops
    // the run rather than leaving a log with events silently missing.
    if (std::fputs(line.c_str(), file_.get()) < 0 || std::fflush(file_.get()) != 0)
        throw WriteError(fmt::format("{}: cannot write the event ({})", path_.string(), std::strerror(errno)));
}

}  // namespace dangpli::cli
