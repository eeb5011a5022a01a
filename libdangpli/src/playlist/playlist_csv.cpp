// CSV playlists: RFC 4180 (quoted fields may hold commas, doubled quotes and newlines).
// Strict on quoting, because a stray quote usually means the rest of the file is misread.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

#include "dangpli/ascii_text.hpp"
#include "dangpli/csv_field.hpp"
#include "dangpli/emotion.hpp"
#include "playlist_formats.hpp"
#include "playlist_text.hpp"

namespace dangpli::detail {
namespace {

struct CsvRecord {
    std::size_t line = 0;  // where the record starts
    std::vector<std::string> fields;
};

std::vector<CsvRecord> split_records(std::string_view text, std::string_view file) {
    std::vector<CsvRecord> records;
    std::size_t i = 0, line = 1;
    const std::size_t n = text.size();
    auto at_line_end = [&](std::size_t k) {
        return k >= n || text[k] == '\n' || (text[k] == '\r' && (k + 1 >= n || text[k + 1] == '\n'));
    };
    while (i < n) {
        CsvRecord record{line, {}};
        for (;;) {
            std::string field;
            std::size_t j = i;  // spaces before an opening quote are allowed
            while (j < n && (text[j] == ' ' || text[j] == '\t')) ++j;
            if (j < n && text[j] == '"') {
                i = j;
                const std::size_t opened = line;
                for (++i;; ++i) {
                    if (i >= n) fail_at(file, opened, "unterminated quoted field (the quote opened here is never closed)");
                    if (text[i] == '"') {
                        if (i + 1 < n && text[i + 1] == '"') {
                            field += '"';
                            ++i;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    if (text[i] == '\n') ++line;
                    field += text[i];
                }
                while (i < n && (text[i] == ' ' || text[i] == '\t')) ++i;
                if (!at_line_end(i) && text[i] != ',')
                    fail_at(file, line, "text after a closing quote (quote the whole field and double any quote inside it)");
            } else {
                while (!at_line_end(i) && text[i] != ',') {
                    if (text[i] == '"')
                        fail_at(file, line, "quote inside an unquoted field (quote the whole field and double the quote)");
                    field += text[i++];
                }
                field = std::string(trim(field));
            }
            record.fields.push_back(std::move(field));
            if (i < n && text[i] == ',') {
                ++i;
                if (i >= n) {  // a trailing comma at the end of the file ends with an empty field
                    record.fields.emplace_back();
                    break;
                }
                continue;
            }
            if (i < n && text[i] == '\r') ++i;
            if (i < n && text[i] == '\n') {
                ++i;
                ++line;
            }
            break;
        }
        bool blank = record.fields.size() == 1 && record.fields[0].empty();
        if (!blank) records.push_back(std::move(record));
    }
    return records;
}

enum Column { kTitle, kArtist, kEmotion, kUri, kDuration, kWeight, kSource, kColumnCount };
constexpr std::array<std::string_view, kColumnCount> kColumnNames{"title",    "artist", "emotion", "uri",
                                                                  "duration", "weight", "source"};

}  // namespace

std::vector<PlaylistEntry> parse_csv(std::string_view text, const PlaylistReadOptions& options) {
    const std::string& file = options.file_name;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // spreadsheets write a BOM
    auto records = split_records(text, file);
    if (records.empty()) return {};

    // Map the header to column positions; -1 where a column is absent.
    std::array<int, kColumnCount> pos;
    pos.fill(-1);
    const CsvRecord& header = records.front();
    for (std::size_t k = 0; k < header.fields.size(); ++k) {
        std::string name = ascii_lower(trim(header.fields[k]));
        auto it = std::find(kColumnNames.begin(), kColumnNames.end(), name);
        if (it == kColumnNames.end())
            fail_at(file, header.line,
                    fmt::format("unknown column '{}' (expected {})", header.fields[k], fmt::join(kColumnNames, ", ")));
        auto c = static_cast<std::size_t>(it - kColumnNames.begin());
        if (pos[c] >= 0) fail_at(file, header.line, fmt::format("column '{}' appears twice", name));
        pos[c] = static_cast<int>(k);
    }
    for (Column c : {kTitle, kArtist})
        if (pos[c] < 0)
            fail_at(file, header.line, fmt::format("missing column '{}' (the header is title,artist,emotion[,uri])", kColumnNames[c]));
    if (pos[kEmotion] < 0 && !options.default_emotion)
        fail_at(file, header.line, "missing column 'emotion' (or import with an emotion for every row)");

    std::vector<PlaylistEntry> entries;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const CsvRecord& rec = records[r];
        if (rec.fields.size() != header.fields.size())
            fail_at(file, rec.line, fmt::format("expected {} fields, found {}", header.fields.size(), rec.fields.size()));
        auto get = [&](Column c) -> std::string_view {
            return pos[c] < 0 ? std::string_view{} : trim(rec.fields[static_cast<std::size_t>(pos[c])]);
        };
        PlaylistEntry e;
        e.file = file;
        e.line = rec.line;
        e.title = get(kTitle);
        e.artist = get(kArtist);
        if (e.title.empty()) fail_at(file, rec.line, "missing title");
        if (auto name = get(kEmotion); !name.empty()) {
            auto emotion = parse_emotion(name);
            if (!emotion) fail_at(file, rec.line, unknown_emotion_message(name));
            e.emotion = *emotion;
        } else if (options.default_emotion) {
            e.emotion = *options.default_emotion;
        } else {
            fail_at(file, rec.line, "missing emotion");
        }
        e.uri = resolve_uri(get(kUri), options.base_dir, file, rec.line);
        if (auto d = get(kDuration); !d.empty()) {
            e.duration = parse_duration(d);
            if (!e.duration) fail_at(file, rec.line, fmt::format("bad duration '{}' (seconds, or m:ss)", d));
        }
        if (auto w = get(kWeight); !w.empty()) {
            auto weight = parse_weight(w);
            if (!weight) fail_at(file, rec.line, fmt::format("bad weight '{}' (a number above 0)", w));
            e.weight = *weight;
        }
        if (auto name = get(kSource); !name.empty()) {
            e.source = parse_source_text(name);
            if (!e.source) fail_at(file, rec.line, fmt::format("bad source '{}' ({})", name, kTagSourceNames));
        }
        entries.push_back(std::move(e));
    }
    return entries;
}

std::string write_csv(std::span<const Song> songs, std::optional<Emotion> only) {
    std::string out = "title,artist,emotion,uri,duration,weight,source\n";
    for (const Song& s : songs)
        for (const SongTag& t : s.tags) {
            if (only && t.emotion != *only) continue;
            out += fmt::format("{},{},{},{},{},{},{}\n", csv_field(s.title), csv_field(s.artist), to_string(t.emotion),
                               csv_field(s.uri.value_or("")), s.duration ? format_duration(*s.duration) : "",
                               format_weight(t.weight), to_string(t.source));
        }
    return out;
}

}  // namespace dangpli::detail
