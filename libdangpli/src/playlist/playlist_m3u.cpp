// M3U playlists: #EXTINF carries the duration and "artist - title", #EXTART the artist (so a title
// holding " - " reads back right), #EXTGRP the emotions and our own #EXTDANGPLI-WEIGHT the tags'
// weights other than 1 ("happy=2.5,sad=0.5") and #EXTDANGPLI-SOURCE who gave the tags not imported
// ("happy=auto": a scan's, which a later scan may replace), so an export imports back as it was. Players skip
// the # lines they do not know; a song without a uri is written as the ytdl search that mpv plays.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <utility>

#include "dangpli/ascii_text.hpp"
#include "dangpli/emotion.hpp"
#include "playlist_formats.hpp"
#include "playlist_text.hpp"

namespace dangpli::detail {
namespace {

struct Pending {
    std::size_t line = 0;  // the first #EXT line of the entry
    std::optional<std::string> display;  // "artist - title" from #EXTINF
    std::optional<std::string> artist;   // from #EXTART
    std::optional<std::chrono::milliseconds> duration;
    std::vector<Emotion> emotions;  // from #EXTGRP
    struct Weight {
        Emotion emotion;
        double weight;
        std::size_t line;
    };
    std::vector<Weight> weights;  // from #EXTDANGPLI-WEIGHT
    struct Source {
        Emotion emotion;
        TagSource source;
        std::size_t line;
    };
    std::vector<Source> sources;  // from #EXTDANGPLI-SOURCE
};

constexpr std::string_view kWeightTag = "#EXTDANGPLI-WEIGHT:";
constexpr std::string_view kSourceTag = "#EXTDANGPLI-SOURCE:";
constexpr std::string_view kOwnPrefix = "#EXTDANGPLI-";

bool take_prefix(std::string_view& s, std::string_view prefix) {
    if (!s.starts_with(prefix)) return false;
    s.remove_prefix(prefix.size());
    return true;
}

// "#EXTINF:215 attr=...,display": the duration, then the display text after the first comma.
void read_extinf(std::string_view rest, Pending& p, std::string_view file, std::size_t line) {
    auto comma = rest.find(',');
    std::string_view head = trim(rest.substr(0, comma));
    head = head.substr(0, head.find_first_of(" \t"));  // drop IPTV-style attributes
    p.display = std::string(comma == std::string_view::npos ? std::string_view{} : trim(rest.substr(comma + 1)));
    const auto seconds = parse_double(head);
    if (seconds && *seconds < 0) return;  // unknown
    p.duration = seconds ? duration_from_seconds(*seconds) : std::nullopt;
    if (!p.duration) fail_at(file, line, fmt::format("bad #EXTINF duration '{}' (seconds, -1 if unknown)", head));
}

// "happy=2.5,sad=0.5" (or "happy=auto"): each emotion's value, read by `read_value` (nullopt: bad), into
// `list` (a second value for one emotion is refused: one would be lost).
template <class Item, class Read>
void read_per_emotion(std::string_view rest, std::vector<Item>& list, std::string_view what, std::string_view expected,
                      Read read_value, std::string_view file, std::size_t line) {
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string_view item = trim(rest.substr(0, comma));
        rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
        if (item.empty()) continue;
        auto equals = item.find('=');
        std::string_view name = trim(item.substr(0, equals));
        auto emotion = parse_emotion(name);
        if (!emotion) fail_at(file, line, unknown_emotion_message(name));
        std::string_view value = equals == std::string_view::npos ? std::string_view{} : trim(item.substr(equals + 1));
        const auto read = read_value(value);
        if (!read) fail_at(file, line, fmt::format("bad {} '{}' for {} ({})", what, value, name, expected));
        for (const auto& earlier : list)
            if (earlier.emotion == *emotion)
                fail_at(file, line, fmt::format("a second {} for {} (the first at line {})", what, name, earlier.line));
        list.push_back({*emotion, *read, line});
    }
}

// A weight or source for an emotion the song is not tagged with would be dropped without a word.
template <class Item>
void check_emotions_tagged(const std::vector<Item>& list, const std::vector<Emotion>& emotions, std::string_view what,
                           std::string_view file) {
    for (const auto& item : list) {
        if (std::find(emotions.begin(), emotions.end(), item.emotion) != emotions.end()) continue;
        std::vector<std::string_view> names;
        for (Emotion emotion : emotions) names.push_back(to_string(emotion));
        fail_at(file, item.line, fmt::format("a {} for {}, which is not one of the song's emotions ({})", what,
                                             to_string(item.emotion), fmt::join(names, ",")));
    }
}

std::vector<PlaylistEntry> finish(Pending&& p, std::string_view uri_line, std::size_t line,
                                  const PlaylistReadOptions& options) {
    PlaylistEntry e;
    e.file = options.file_name;
    e.line = p.line ? p.line : line;
    e.uri = resolve_uri(uri_line, options.base_dir, options.file_name, line);
    e.duration = p.duration;
    std::string display = p.display.value_or("");
    if (p.artist) {
        e.artist = *p.artist;
        std::string prefix = e.artist + " - ";
        e.title = !e.artist.empty() && display.starts_with(prefix) ? display.substr(prefix.size()) : display;
    } else if (auto dash = display.find(" - "); dash != std::string::npos) {
        e.artist = trim(std::string_view(display).substr(0, dash));
        e.title = trim(std::string_view(display).substr(dash + 3));
    } else {
        e.title = display;
    }
    if (e.title.empty()) {
        // A bare list of files: the file name is the best title there is.
        // The resolved uri's: a file: URL decoded, a Windows line's backslashes read as separators.
        std::string_view target = uri_line;
        if (take_prefix(target, kSearchPrefix)) e.title = trim(target);
        else e.title = std::filesystem::path(e.uri.value_or(std::string(target))).stem().string();
    }
    if (e.title.empty()) fail_at(options.file_name, e.line, "missing title");
    std::vector<Emotion> emotions = std::move(p.emotions);
    if (emotions.empty()) {
        if (!options.default_emotion)
            fail_at(options.file_name, e.line, "no emotion for this song (add #EXTGRP:emotion, or import with an emotion)");
        emotions.push_back(*options.default_emotion);
    }
    check_emotions_tagged(p.weights, emotions, "weight", options.file_name);
    check_emotions_tagged(p.sources, emotions, "source", options.file_name);
    std::vector<PlaylistEntry> out;
    for (Emotion emotion : emotions) {
        out.push_back(e);
        out.back().emotion = emotion;
        for (const auto& w : p.weights)
            if (w.emotion == emotion) out.back().weight = w.weight;
        for (const auto& t : p.sources)
            if (t.emotion == emotion) out.back().source = t.source;
    }
    return out;
}

std::string one_line(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c == '\n' || c == '\r') c = ' ';
    return out;
}

}  // namespace

std::vector<PlaylistEntry> parse_m3u(std::string_view text, const PlaylistReadOptions& options) {
    const std::string& file = options.file_name;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::vector<PlaylistEntry> entries;
    Pending pending;
    std::size_t line = 0;
    while (!text.empty()) {
        ++line;
        auto nl = text.find('\n');
        std::string_view raw = trim(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (raw.empty()) continue;
        std::string_view rest = raw;
        if (raw.front() != '#') {
            for (auto& e : finish(std::move(pending), raw, line, options)) entries.push_back(std::move(e));
            pending = {};
            continue;
        }
        auto mark = [&] {
            if (!pending.line) pending.line = line;
        };
        if (take_prefix(rest, "#EXTINF:")) {
            // A second #EXTINF would silently drop the first song: its uri line is missing.
            if (pending.display) fail_at(file, line, fmt::format("#EXTINF again before the uri line of the song at line {}", pending.line));
            mark();
            read_extinf(rest, pending, file, line);
        } else if (take_prefix(rest, "#EXTART:")) {
            mark();
            pending.artist = std::string(trim(rest));
        } else if (take_prefix(rest, "#EXTGRP:")) {
            mark();
            while (!rest.empty()) {
                auto comma = rest.find(',');
                std::string_view name = trim(rest.substr(0, comma));
                rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
                if (name.empty()) continue;
                auto emotion = parse_emotion(name);
                if (!emotion) fail_at(file, line, unknown_emotion_message(name));
                pending.emotions.push_back(*emotion);
            }
        } else if (take_prefix(rest, kWeightTag)) {
            mark();
            read_per_emotion(rest, pending.weights, "weight", "a number above 0",
                             [](std::string_view v) { return parse_weight(v); }, file, line);
        } else if (take_prefix(rest, kSourceTag)) {
            mark();
            read_per_emotion(rest, pending.sources, "source", kTagSourceNames,
                             [](std::string_view v) { return parse_source_text(v); }, file, line);
        } else if (ascii_lower(raw.substr(0, kOwnPrefix.size())) == ascii_lower(kOwnPrefix)) {
            // Our own directive misspelt would lose its weights or sources without a word.
            fail_at(file, line, fmt::format("unknown directive '{}' ({} or {})", raw.substr(0, raw.find(':')),
                                            kWeightTag.substr(0, kWeightTag.size() - 1),
                                            kSourceTag.substr(0, kSourceTag.size() - 1)));
        }  // other # lines (#EXTM3U, #EXTENC, #PLAYLIST, comments) say nothing about songs
    }
    if (pending.line) fail_at(file, pending.line, "#EXTINF without a uri line after it");
    return entries;
}

std::string write_m3u(std::span<const Song> songs, std::optional<Emotion> only) {
    std::string out = "#EXTM3U\n#EXTENC:UTF-8\n";
    out += fmt::format("#PLAYLIST:dangpli {}\n", only ? to_string(*only) : "all");
    for (const Song& s : songs) {
        std::vector<std::string_view> groups;
        std::vector<std::string> weights, sources;
        for (const SongTag& t : s.tags) {
            if (only && t.emotion != *only) continue;
            groups.push_back(to_string(t.emotion));
            if (t.weight != 1.0) weights.push_back(fmt::format("{}={}", to_string(t.emotion), format_weight(t.weight)));
            if (t.source != TagSource::Imported)
                sources.push_back(fmt::format("{}={}", to_string(t.emotion), to_string(t.source)));
        }
        if (only && groups.empty()) continue;
        // Milliseconds kept (8.37, as HLS writes them): whole seconds would shorten the song on re-import.
        const std::string seconds = s.duration ? format_duration(*s.duration) : "-1";
        out += fmt::format("#EXTINF:{},{}\n", seconds, one_line(display_name(s)));
        out += fmt::format("#EXTART:{}\n", one_line(s.artist));
        if (!groups.empty()) out += fmt::format("#EXTGRP:{}\n", fmt::join(groups, ","));
        if (!weights.empty()) out += fmt::format("{}{}\n", kWeightTag, fmt::join(weights, ","));
        if (!sources.empty()) out += fmt::format("{}{}\n", kSourceTag, fmt::join(sources, ","));
        // A uri line starting with '#' would be read as a comment ("#41.mp3"): "./#41.mp3" is the same file.
        const std::string target = one_line(play_target(s));
        out += (target.starts_with('#') ? "./" : "") + target + "\n";
    }
    return out;
}

}  // namespace dangpli::detail
