#include "run_yaml.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"
#include "dangpli/yaml_documents.hpp"

namespace dangpli::training {

YAML::Node load_run_yaml(const std::filesystem::path& path, std::string_view what) {
    const std::string text = read_input_file(path, input_limits::kSmallYaml, what);
    std::size_t second_document_line = 0;
    YAML::Node root;
    try {
        root = load_yaml_document(text, second_document_line);
    } catch (const YAML::Exception& e) {
        throw DataError(fmt::format("{}:{}: {}", path.string(), e.mark.line + 1, e.msg));
    }
    if (second_document_line)
        throw DataError(fmt::format("{}:{}: a second YAML document ({} is one)", path.string(), second_document_line, what));
    return root;
}

}  // namespace dangpli::training
