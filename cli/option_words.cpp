#include "option_words.hpp"

#include <set>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

namespace dangpli::cli {
namespace {

// Every option's names in every command: a name is a flag or an option wherever it is used.
struct OptionNames {
    std::set<std::string> long_flags;
    std::set<char> short_flags;
    std::set<char> short_options;

    void add(const CLI::App& command) {
        for (const auto* option : command.get_options()) {
            const bool flag = option->get_expected_min() == 0;
            if (flag) long_flags.insert(option->get_lnames().begin(), option->get_lnames().end());
            for (const auto& name : option->get_snames()) (flag ? short_flags : short_options).insert(name.front());
        }
        for (const auto* sub : command.get_subcommands([](const CLI::App*) { return true; })) add(*sub);
    }
};

}  // namespace

std::optional<std::string> misread_option_word(const CLI::App& app, int argc, const char* const* argv) {
    OptionNames names;
    names.add(app);
    const CLI::App* command = &app;  // the innermost command named so far
    for (int i = 1; i < argc; ++i) {
        const std::string_view word = argv[i];
        if (command->get_prefix_command()) break;  // the words after it are another program's, which reads them
        if (word == "--") {
            if (i + 1 == argc) break;
            // CLI11 would say only that a command is required, or read a --help after it as the flag.
            if (command == &app)
                return std::string("the command comes before '--', which makes every word after it a file: dangpli analyze -- FILE...");
            if (!command->get_subcommands([](const CLI::App*) { return true; }).empty())
                return fmt::format("{0}'s command comes before '--': dangpli {0} COMMAND ...", command->get_name());
            if (command->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty())
                return fmt::format("{} takes no file: nothing goes after '--' ('{}')", command->get_name(), argv[i + 1]);
            break;
        }
        if (!word.starts_with("-")) {
            const auto named = command->get_subcommands([&](const CLI::App* sub) { return sub->check_name(std::string(word)); });
            if (!named.empty()) command = named.front();
            continue;
        }
        if (word.starts_with("--")) {
            const auto equals = word.find('=');
            if (equals == std::string_view::npos) continue;
            const std::string name(word.substr(2, equals - 2));
            if (names.long_flags.contains(name)) return fmt::format("--{} takes no value", name);
            if (equals + 1 == word.size())
                return fmt::format("--{0}= gives no value: write --{0} VALUE or --{0}=VALUE", name);
        } else if (word.size() > 2 && word[0] == '-') {
            const char name = word[1];
            if (names.short_flags.contains(name)) return fmt::format("-{} takes no value", name);
            if (names.short_options.contains(name) && word[2] == '=')
                return fmt::format("-{0} takes its value without '=': write -{0} VALUE or -{0}VALUE", name);
        }
    }
    return std::nullopt;
}

}  // namespace dangpli::cli
