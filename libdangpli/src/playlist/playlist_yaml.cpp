// YAML playlists: a map from emotion to a list of songs, e.g.
//   happy:
//     - {title: 라일락, artist: 아이유}
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <map>

#include "dangpli/ascii_text.hpp"
#include "dangpli/emotion.hpp"
#include "dangpli/yaml_documents.hpp"
#include "playlist_formats.hpp"
#include "playlist_text.hpp"

namespace dangpli::detail {
namespace {

constexpr std::array<std::string_view, 6> kSongKeys{"title", "artist", "uri", "duration", "weight", "source"};

std::size_t line_of(const YAML::Node& node) { return static_cast<std::size_t>(node.Mark().line + 1); }

// A scalar value as text; null ("~" or nothing) is empty.
std::string scalar(const YAML::Node& node, std::string_view key, std::string_view file) {
    if (node.IsNull()) return {};
    if (!node.IsScalar()) fail_at(file, line_of(node), fmt::format("'{}' must be a single value", key));
    return std::string(trim(node.Scalar()));
}

PlaylistEntry read_song(const YAML::Node& item, Emotion emotion, const PlaylistReadOptions& options) {
    const std::string& file = options.file_name;
    const std::size_t line = line_of(item);
    if (!item.IsMap()) fail_at(file, line, "expected a song: {title: ..., artist: ..., uri: ...}");
    PlaylistEntry e;
    e.file = file;
    e.line = line;
    e.emotion = emotion;
    if (const auto repeated = repeated_yaml_key(item))  // one of its values would be lost
        fail_at(file, repeated->line, repeated->message(" in one song"));
    for (const auto& kv : item) {
        const std::string key = kv.first.Scalar();
        if (std::find(kSongKeys.begin(), kSongKeys.end(), key) == kSongKeys.end())
            fail_at(file, line_of(kv.first),
                    fmt::format("unknown key '{}' (expected {})", key, fmt::join(kSongKeys, ", ")));
        std::string value = scalar(kv.second, key, file);
        const std::size_t value_line = kv.second.IsNull() ? line_of(kv.first) : line_of(kv.second);
        if (key == "title") {
            e.title = value;
        } else if (key == "artist") {
            e.artist = value;
        } else if (key == "uri") {
            e.uri = resolve_uri(value, options.base_dir, file, value_line);
        } else if (key == "duration" && !value.empty()) {
            e.duration = parse_duration(value);
            if (!e.duration) fail_at(file, value_line, fmt::format("bad duration '{}' (seconds, or m:ss)", value));
        } else if (key == "weight" && !value.empty()) {
            auto w = parse_weight(value);
            if (!w) fail_at(file, value_line, fmt::format("bad weight '{}' (a number above 0)", value));
            e.weight = *w;
        } else if (key == "source" && !value.empty()) {
            e.source = parse_source_text(value);
            if (!e.source) fail_at(file, value_line, fmt::format("bad source '{}' ({})", value, kTagSourceNames));
        }
    }
    if (e.title.empty()) fail_at(file, line, "missing title");
    return e;
}

// Quotes what other YAML readers would take for a bool, a null or a number ("true", "no", "1999").
void emit_text(YAML::Emitter& out, const std::string& s) {
    static constexpr std::array<std::string_view, 11> kWords{"true", "false", "yes", "no", "on", "off",
                                                             "y",    "n",     "null", "~",  ""};
    const std::string lower = ascii_lower(s);
    bool risky = std::find(kWords.begin(), kWords.end(), lower) != kWords.end() ||
                 std::string_view("0123456789+-.").find(s.empty() ? ' ' : s.front()) != std::string_view::npos;
    if (risky) out << YAML::DoubleQuoted;
    out << s;
}

void emit_song(YAML::Emitter& out, const Song& s, const SongTag& tag) {
    out << YAML::BeginMap << YAML::Key << "title" << YAML::Value;
    emit_text(out, s.title);
    out << YAML::Key << "artist" << YAML::Value;
    emit_text(out, s.artist);
    if (s.uri) {
        out << YAML::Key << "uri" << YAML::Value;
        emit_text(out, *s.uri);
    }
    if (s.duration) out << YAML::Key << "duration" << YAML::Value << format_duration(*s.duration);
    if (tag.weight != 1.0) out << YAML::Key << "weight" << YAML::Value << format_weight(tag.weight);
    if (tag.source != TagSource::Imported) out << YAML::Key << "source" << YAML::Value << std::string(to_string(tag.source));
    out << YAML::EndMap;
}

}  // namespace

std::vector<PlaylistEntry> parse_yaml(std::string_view text, const PlaylistReadOptions& options) {
    const std::string& file = options.file_name;
    YAML::Node root;
    std::size_t second_document_line = 0;  // where a document after the first starts, which Load drops
    try {
        root = load_yaml_document(text, second_document_line);
    } catch (const YAML::Exception& e) {
        fail_at(file, static_cast<std::size_t>(e.mark.line + 1), e.msg);
    }
    if (second_document_line)
        fail_at(file, second_document_line, "a second YAML document (a playlist file holds one: merge them, or import each file)");
    if (!root || root.IsNull()) return {};
    if (!root.IsMap()) fail_at(file, line_of(root), "expected a map from emotion to a list of songs (happy: [...])");

    std::vector<PlaylistEntry> entries;
    for (const auto& kv : root) {
        const std::string name = kv.first.IsScalar() ? kv.first.Scalar() : std::string{};
        auto emotion = parse_emotion(name);
        if (!emotion) fail_at(file, line_of(kv.first), unknown_emotion_message(name));
        if (kv.second.IsNull()) continue;
        if (!kv.second.IsSequence())
            fail_at(file, line_of(kv.second), fmt::format("'{}' must be a list of songs", name));
        for (const auto& item : kv.second) entries.push_back(read_song(item, *emotion, options));
    }
    // After the songs, whose own repeated keys read better named by read_song: what is left is an
    // emotion given twice, whose lists were read as one.
    if (const auto repeated = repeated_yaml_key(root)) fail_at(file, repeated->line, repeated->message());
    return entries;
}

std::string write_yaml(std::span<const Song> songs, std::optional<Emotion> only) {
    YAML::Emitter out;
    out.SetOutputCharset(YAML::EmitNonAscii);
    out << YAML::BeginMap;
    for (Emotion e : kAllEmotions) {
        if (only && e != *only) continue;
        bool any = false;
        for (const Song& s : songs)
            for (const SongTag& t : s.tags) {
                if (t.emotion != e) continue;
                if (!any) out << YAML::Key << std::string(to_string(e)) << YAML::Value << YAML::BeginSeq;
                any = true;
                emit_song(out, s, t);
            }
        if (any) out << YAML::EndSeq;
    }
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

}  // namespace dangpli::detail
