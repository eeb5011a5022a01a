#include "dangpli/yaml_documents.hpp"

#include <map>
#include <string>

#include <yaml-cpp/yaml.h>

namespace dangpli {

std::optional<RepeatedYamlKey> repeated_yaml_key(const YAML::Node& map) {
    if (!map.IsMap()) return std::nullopt;
    std::map<std::string, std::size_t> first_line;
    for (const auto& item : map) {
        if (!item.first.IsScalar()) continue;  // its reader names such a key
        const auto line = static_cast<std::size_t>(item.first.Mark().line + 1);
        if (const auto [first, fresh] = first_line.emplace(item.first.Scalar(), line); !fresh)
            return RepeatedYamlKey{first->first, line, first->second};
    }
    return std::nullopt;
}

std::size_t second_yaml_document_line(std::string_view text) {
    try {
        // An empty document ("a: 1\n---\n") holds nothing to lose; content after the first document
        // does, and so does content after an empty first one, which Load would read as an empty file.
        const auto documents = YAML::LoadAll(std::string(text));
        for (std::size_t i = 1; i < documents.size(); ++i) {
            if (documents[i].IsNull()) continue;
            const int line = documents[i].Mark().line;
            return line >= 0 ? static_cast<std::size_t>(line) + 1 : 1;
        }
        return 0;
    } catch (const YAML::Exception& e) {  // the first parsed (its reader checked it): the error is in a later one
        return static_cast<std::size_t>(e.mark.line + 1);
    }
}

}  // namespace dangpli
