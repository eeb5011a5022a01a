#include "playlist_output.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "dangpli/csv_field.hpp"
#include "display_width.hpp"

namespace dangpli::cli {
namespace {

std::string pad(std::string_view s, std::size_t width) {
    std::string out(s);
    for (std::size_t w = display_width(s); w < width; ++w) out += ' ';
    return out;
}

void print_table(std::FILE* out, const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                 std::size_t max_width = 40) {
    std::vector<std::size_t> widths(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) widths[c] = display_width(header[c]);
    std::vector<std::vector<std::string>> cells;
    for (const auto& row : rows) {
        auto& fitted = cells.emplace_back();
        for (std::size_t c = 0; c < row.size(); ++c) {
            fitted.push_back(fit_to_width(row[c], max_width));
            widths[c] = std::max(widths[c], display_width(fitted.back()));
        }
    }
    auto line = [&](const std::vector<std::string>& row) {
        std::string text;
        for (std::size_t c = 0; c < row.size(); ++c) text += c + 1 < row.size() ? pad(row[c], widths[c] + 2) : row[c];
        fmt::print(out, "{}\n", text);
    };
    line(header);
    for (const auto& row : cells) line(row);
}

// A weight for the table, short but never read as another weight: under 1, three significant digits
// (a scan's 0.5555997146115312 reads 0.556, 0.0015 stays 0.0015), more where three would read 1
// (0.9995); up to a million, three decimals, more where they would read a whole number (2.0004); past
// that, whole (1234567.891, 1e+308: no run of made-up digits).
std::string rounded_weight(double weight) {
    if (weight >= 1e6) return fmt::format("{}", weight);
    for (int digits = 3; digits < 17; ++digits) {
        std::string text = weight < 1.0 ? fmt::format("{:.{}g}", weight, digits) : fmt::format("{:.{}f}", weight, digits);
        if (weight >= 1.0) {
            while (text.back() == '0') text.pop_back();
            if (text.back() == '.') text.pop_back();
        }
        if (text.find_first_of(".e") != std::string::npos || std::stod(text) == weight) return text;
    }
    return fmt::format("{}", weight);
}

// The table rounds a weight (rounded_weight); the CSV listing keeps it whole, as export does.
std::string tags_text(const Song& s, bool rounded) {
    std::vector<std::string> parts;
    for (const SongTag& t : s.tags)
        parts.push_back(t.weight == 1.0 ? std::string(to_string(t.emotion))
                        : rounded      ? fmt::format("{}:{}", to_string(t.emotion), rounded_weight(t.weight))
                                       : fmt::format("{}:{}", to_string(t.emotion), t.weight));
    return fmt::format("{}", fmt::join(parts, " "));
}

std::string duration_text(const Song& s) {
    if (!s.duration) return {};
    auto secs = s.duration->count() / 1000;
    return fmt::format("{}:{:02}", secs / 60, secs % 60);
}

std::string local_time(Clock::time_point t) {
    std::time_t tt = Clock::to_time_t(t);
    std::tm tm{};
    localtime_r(&tt, &tm);
    return fmt::format("{:%Y-%m-%d %H:%M:%S}", tm);
}

nlohmann::json song_json(const Song& s) {
    nlohmann::json tags = nlohmann::json::array();
    for (const SongTag& t : s.tags)
        tags.push_back({{"emotion", to_string(t.emotion)}, {"weight", t.weight}, {"source", to_string(t.source)}});
    return {{"id", s.id},
            {"title", s.title},
            {"artist", s.artist},
            {"uri", s.uri ? nlohmann::json(*s.uri) : nlohmann::json(nullptr)},
            {"duration_s", s.duration ? nlohmann::json(static_cast<double>(s.duration->count()) / 1000.0) : nlohmann::json(nullptr)},
            {"play", play_target(s)},
            {"tags", tags}};
}

}  // namespace

void print_songs(std::FILE* out, std::span<const Song> songs, ListingFormat format) {
    if (format == ListingFormat::Json) {
        nlohmann::json all = nlohmann::json::array();
        for (const Song& s : songs) all.push_back(song_json(s));
        fmt::print(out, "{}\n", all.dump(2));
    } else if (format == ListingFormat::Csv) {
        fmt::print(out, "id,title,artist,emotions,uri,duration\n");
        for (const Song& s : songs)
            fmt::print(out, "{},{},{},{},{},{}\n", s.id, csv_field(s.title), csv_field(s.artist), csv_field(tags_text(s, false)),
                       csv_field(s.uri.value_or("")), s.duration ? fmt::format("{}", static_cast<double>(s.duration->count()) / 1000.0) : "");
    } else {
        std::vector<std::vector<std::string>> rows;
        for (const Song& s : songs)
            rows.push_back({std::to_string(s.id), s.title, s.artist, tags_text(s, true), duration_text(s), s.uri.value_or("(search)")});
        print_table(out, {"ID", "TITLE", "ARTIST", "EMOTIONS", "TIME", "URI"}, rows);
    }
}

void print_history(std::FILE* out, std::span<const Play> plays, ListingFormat format) {
    auto mood = [](const Play& p) { return p.mood ? std::string(to_string(*p.mood)) : std::string{}; };
    if (format == ListingFormat::Json) {
        nlohmann::json all = nlohmann::json::array();
        for (const Play& p : plays)
            all.push_back({{"id", p.id}, {"at", iso_utc(p.at)}, {"song_id", p.song.id}, {"title", p.song.title},
                           {"artist", p.song.artist}, {"mood", p.mood ? nlohmann::json(mood(p)) : nlohmann::json(nullptr)},
                           {"outcome", to_string(p.outcome)}});
        fmt::print(out, "{}\n", all.dump(2));
    } else if (format == ListingFormat::Csv) {
        fmt::print(out, "at,song_id,title,artist,mood,outcome\n");
        for (const Play& p : plays)
            fmt::print(out, "{},{},{},{},{},{}\n", iso_utc(p.at), p.song.id, csv_field(p.song.title),
                       csv_field(p.song.artist), mood(p), to_string(p.outcome));
    } else {
        std::vector<std::vector<std::string>> rows;
        for (const Play& p : plays)
            rows.push_back({local_time(p.at), display_name(p.song), mood(p), std::string(to_string(p.outcome))});
        print_table(out, {"WHEN", "SONG", "MOOD", "OUTCOME"}, rows, 60);
    }
}

void print_counts(std::FILE* out, const StoreCounts& counts, ListingFormat format) {
    if (format == ListingFormat::Json) {
        nlohmann::json per;
        for (Emotion e : kAllEmotions) per[std::string(to_string(e))] = counts.per_emotion[static_cast<std::size_t>(label_of(e))];
        nlohmann::json all{{"songs", counts.songs}, {"tags", counts.tags}, {"plays", counts.plays},
                           {"feedback", counts.feedback}, {"per_emotion", per}};
        fmt::print(out, "{}\n", all.dump(2));
        return;
    }
    fmt::print(out, "songs {}, tags {}, plays {}, feedback {}\n", counts.songs, counts.tags, counts.plays, counts.feedback);
    for (Emotion e : kAllEmotions)
        fmt::print(out, "  {:<9}{}\n", to_string(e), counts.per_emotion[static_cast<std::size_t>(label_of(e))]);
}

}  // namespace dangpli::cli
