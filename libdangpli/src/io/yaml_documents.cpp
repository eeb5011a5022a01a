#include "dangpli/yaml_documents.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "core/utf16_text.hpp"

namespace dangpli {

namespace {

// Where one document's first node starts, and whether it holds anything but a null.
class DocumentProbe final : public YAML::EventHandler {
public:
    YAML::Mark first_mark = YAML::Mark::null_mark();
    bool has_content = false;

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { note(mark, false); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { note(mark, true); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
        note(mark, true);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        note(mark, true);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        note(mark, true);
    }
    void OnMapEnd() override {}

private:
    bool noted_ = false;
    void note(const YAML::Mark& mark, bool content) {
        if (!noted_) first_mark = mark;
        noted_ = true;
        has_content = has_content || content;
    }
};

struct DocumentWalk {
    std::vector<DocumentProbe> documents;
    std::optional<YAML::Mark> stuck_at;  // a token the parser neither reads nor skips
};

// Reads the documents one by one, as LoadAll would, but stops where the parser stands still: yaml-cpp
// 0.7 answers a ',' at a document's start with an empty document and no progress, for ever.
DocumentWalk walk_documents(std::string_view text) {
    std::istringstream stream{std::string(text)};
    YAML::Parser parser(stream);
    DocumentWalk walk;
    while (parser) {
        DocumentProbe probe;
        if (!parser.HandleNextDocument(probe)) break;
        const bool empty_at_same_place = !probe.has_content && !walk.documents.empty() &&
                                         !walk.documents.back().has_content &&
                                         probe.first_mark.pos == walk.documents.back().first_mark.pos;
        if (empty_at_same_place || walk.documents.size() > text.size()) {  // a document takes a byte at least
            walk.stuck_at = probe.first_mark;
            break;
        }
        walk.documents.push_back(probe);
    }
    return walk;
}

std::size_t line_of(const YAML::Mark& mark) { return mark.line >= 0 ? static_cast<std::size_t>(mark.line) + 1 : 1; }

// Aliases can repeat a node many times over (a billion laughs) or nest it in itself (`&a {b: *a}`): each
// map or list is walked once, known by where it starts in the text, which an alias shares with its anchor.
struct RepeatedKeyWalk {
    std::set<int> walked;  // the text positions of the maps and lists walked

    std::optional<RepeatedYamlKey> in(const YAML::Node& node) {
        if (!node.IsSequence() && !node.IsMap()) return std::nullopt;
        if (!walked.insert(node.Mark().pos).second) return std::nullopt;
        if (node.IsSequence()) {
            for (const auto& item : node)
                if (auto repeated = in(item)) return repeated;
            return std::nullopt;
        }
        std::map<std::string, std::size_t> first_line;
        for (const auto& item : node) {
            if (!item.first.IsScalar()) continue;  // its reader names such a key
            const auto line = static_cast<std::size_t>(item.first.Mark().line + 1);
            if (const auto [first, fresh] = first_line.emplace(item.first.Scalar(), line); !fresh)
                return RepeatedYamlKey{first->first, line, first->second};
        }
        for (const auto& item : node)
            if (auto repeated = in(item.second)) {
                if (item.first.IsScalar()) repeated->key = item.first.Scalar() + "." + repeated->key;
                return repeated;
            }
        return std::nullopt;
    }
};

}  // namespace

std::string RepeatedYamlKey::message(std::string_view where) const {
    return "'" + key + "' again" + std::string(where) + " (first at line " + std::to_string(first_line) + ")";
}

std::optional<RepeatedYamlKey> repeated_yaml_key(const YAML::Node& node) { return RepeatedKeyWalk{}.in(node); }

YAML::Node load_yaml_document(std::string_view text, std::size_t& second_document_line) {
    if (detail::utf16_text(text)) throw YAML::ParserException(YAML::Mark{}, std::string(detail::kUtf16Advice));
    // YAML allows no NUL; yaml-cpp reads one as an escape that is not in the file.
    if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
        YAML::Mark at;
        at.pos = static_cast<int>(nul);
        at.line = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n'));
        throw YAML::ParserException(at, "a NUL byte (YAML is text: a binary file?)");
    }
    YAML::Node node;
    try {
        node = YAML::Load(std::string(text));  // its syntax errors first, with their own words
    } catch (const YAML::DeepRecursion& e) {  // yaml-cpp's own words for it are "bad file"
        throw YAML::ParserException(e.mark, "nested too deeply for a YAML reader (hundreds of levels)");
    }
    second_document_line = 0;
    DocumentWalk walk;
    try {
        walk = walk_documents(text);
    } catch (const YAML::Exception& e) {  // the first parsed: the error is in a later document
        second_document_line = line_of(e.mark);
        return node;
    }
    if (const auto& stuck = walk.stuck_at) {
        // yaml-cpp counts its marks after a byte-order mark (a file saved by Notepad starts with one).
        const std::size_t bom = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
        const auto pos = static_cast<std::size_t>(stuck->pos) + bom;
        const char token = pos < text.size() && text[pos] > ' ' && text[pos] < 0x7F ? text[pos] : ',';
        throw YAML::ParserException(*stuck, std::string("a stray '") + token +
                                                "' where a document starts (YAML would drop it and all that follows)");
    }
    // An empty document ("a: 1\n---\n") holds nothing to lose; content after the first document
    // does, and so does content after an empty first one, which Load would read as an empty file.
    for (std::size_t i = 1; i < walk.documents.size(); ++i)
        if (walk.documents[i].has_content) {
            second_document_line = line_of(walk.documents[i].first_mark);
            break;
        }
    return node;
}

}  // namespace dangpli
