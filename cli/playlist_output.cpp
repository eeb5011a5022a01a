#include "playlist_output.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "dangpli/csv_field.hpp"

namespace dangpli::cli {
namespace {

// Decodes one code point (input is valid UTF-8: the store only holds checked text).
char32_t next_code_point(std::string_view s, std::size_t& i) {
    auto b = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[k])); };
    char32_t c = b(i);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (len > 1) c &= (0xFFu >> (len + 1));
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) c = (c << 6) | (b(i + k) & 0x3F);
    i += len;
    return c;
}

bool is_wide(char32_t c) {
    constexpr std::array<std::pair<char32_t, char32_t>, 12> wide{{{0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3041, 0x33FF},
                                                                 {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF},
                                                                 {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE30, 0xFE4F},
                                                                 {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x1F300, 0x3FFFD}}};
    return std::any_of(wide.begin(), wide.end(), [c](auto r) { return c >= r.first && c <= r.second; });
}

bool is_combining(char32_t c) { return (c >= 0x0300 && c <= 0x036F) || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F); }

// Cuts to at most `width` columns, ending with "…" when something was cut.
std::string fit(std::string_view s, std::size_t width) {
    if (display_width(s) <= width) return std::string(s);
    std::string out;
    std::size_t used = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t start = i;
        char32_t c = next_code_point(s, i);
        std::size_t w = is_combining(c) ? 0u : is_wide(c) ? 2u : 1u;
        if (used + w + 1 > width) break;
        used += w;
        out.append(s.substr(start, i - start));
    }
    return out + "…";
}

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
            fitted.push_back(fit(row[c], max_width));
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

std::size_t display_width(std::string_view utf8) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        char32_t c = next_code_point(utf8, i);
        width += is_combining(c) ? 0u : is_wide(c) ? 2u : 1u;
    }
    return width;
}

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
