#include "option_words.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <span>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "nearest_word.hpp"

namespace dangpli::cli {
namespace {

// Every option's names in every command: a name is a flag or an option wherever it is used.
struct OptionNames {
    std::set<std::string> long_flags;
    std::set<std::string> long_options;
    std::set<char> short_flags;
    std::set<char> short_options;

    void add(const CLI::App& command) {
        for (const auto* option : command.get_options()) {
            const bool flag = option->get_expected_min() == 0;
            (flag ? long_flags : long_options).insert(option->get_lnames().begin(), option->get_lnames().end());
            for (const auto& name : option->get_snames()) (flag ? short_flags : short_options).insert(name.front());
        }
        for (const auto* sub : command.get_subcommands([](const CLI::App*) { return true; })) add(*sub);
    }
};

const CLI::App* subcommand_named(const CLI::App& command, const std::string& word) {
    const auto named = command.get_subcommands([&](const CLI::App* sub) { return sub->check_name(word); });
    return named.empty() ? nullptr : named.front();
}

// The option a word names, in the command or (fallthrough) a command above it.
const CLI::Option* option_named(const CLI::App& command, const std::string& name) {
    for (const CLI::App* in = &command; in != nullptr; in = in->get_parent())
        if (const auto* option = in->get_option_no_throw(name)) return option;
    return nullptr;
}

// Every long option `command` takes, its own and those it inherits ("--policy", ...).
std::vector<std::string> option_names(const CLI::App& command) {
    std::vector<std::string> names;
    for (const CLI::App* in = &command; in != nullptr; in = in->get_parent())
        for (const CLI::Option* option : in->get_options())
            for (const auto& name : option->get_lnames()) names.push_back("--" + name);
    return names;
}

// A word CLI11 may take as a list's next value (App::_recognize says NONE): not "--", no command's
// name, no option's shape but for a negative number.
bool plain_word(const CLI::App& command, const std::string& word) {
    if (word == "--") return false;
    for (const CLI::App* in = &command; in != nullptr; in = in->get_parent())
        if (subcommand_named(*in, word) != nullptr) return false;
    std::string name, rest;
    if (CLI::detail::split_long(word, name, rest)) return false;
    if (CLI::detail::split_short(word, name, rest))
        return name[0] >= '0' && name[0] <= '9' && command.get_option_no_throw("-" + name) == nullptr;
    return true;
}

// How many values one word gives an option: a list option splits it at its delimiter (Option::_add_result).
int values_in(const CLI::Option& option, const std::string& word) {
    if (option.get_delimiter() == '\0' || word.find(option.get_delimiter()) == std::string::npos) return 1;
    const auto parts = CLI::detail::split(word, option.get_delimiter());
    return static_cast<int>(std::count_if(parts.begin(), parts.end(), [](const std::string& p) { return !p.empty(); }));
}

// A list option's word with an empty item ("0.5,,0.7", a comma at an end), which CLI11 drops in silence.
std::optional<std::string> word_with_empty_item(const CLI::Option& option, const std::string& attached,
                                                std::span<const char* const> taken) {
    const char delimiter = option.get_delimiter();
    if (delimiter == '\0') return std::nullopt;
    const auto has_empty_item = [delimiter](std::string_view w) {
        const std::string doubled{delimiter, delimiter};
        return w.find(delimiter) != std::string_view::npos &&
               (w.front() == delimiter || w.back() == delimiter || w.find(doubled) != std::string_view::npos);
    };
    if (has_empty_item(attached)) return attached;
    for (const char* word : taken)
        if (has_empty_item(word)) return std::string(word);
    return std::nullopt;
}

int required_positional_words(const CLI::App& command) {
    int words = 0;
    for (const auto* option : command.get_options())
        if (option->get_positional() && option->get_required()) words += option->get_items_expected_min();
    return words;
}

// The words after an option's own that CLI11 gives it as values (App::_parse_arg): at least its least
// number, whatever they look like; then plain words while it takes more and the command's required files
// still have words left; then a "--" right after them ends only its list, so a second one is written to
// end the options. Copies them to `words`; returns how many it took.
int take_values(const CLI::Option& option, const std::string& attached, const CLI::App& command, int files_lacking,
                std::span<const char* const> after, std::vector<const char*>& words) {
    const int min = std::min(option.get_type_size_min(), option.get_items_expected_min());
    int max = option.get_items_expected_max();
    const bool open_list = option.get_allow_extra_args();
    if (max >= CLI::detail::expected_max_vector_size / 16 && !open_list) {
        int items = option.get_type_size_max();
        max = CLI::detail::checked_multiply(items, option.get_expected_min()) ? items : CLI::detail::expected_max_vector_size;
    }
    int taken = attached.empty() ? 0 : values_in(option, attached);
    std::size_t used = 0;
    for (; taken < min && used < after.size(); ++used) {
        words.push_back(after[used]);
        taken += values_in(option, after[used]);
    }
    if (taken >= max && !open_list) return static_cast<int>(used);
    for (; (taken < max || open_list) && used < after.size() && plain_word(command, after[used]) &&
           static_cast<std::size_t>(files_lacking) < after.size() - used;
         ++used) {
        words.push_back(after[used]);
        taken += values_in(option, after[used]);
    }
    if (used < after.size() && std::string_view(after[used]) == "--") words.push_back("--");
    return static_cast<int>(used);
}

}  // namespace

OptionWords read_option_words(const CLI::App& app, int argc, const char* const* argv) {
    OptionWords out;
    out.argv.assign(argv, argv + 1);
    OptionNames names;
    names.add(app);
    const CLI::App* command = &app;  // the innermost command named so far
    std::vector<int> own_words;      // the plain words it has taken as its own
    const auto misread = [&out](std::string line) {
        out.misread = std::move(line);
        return out;
    };
    for (int i = 1; i < argc; ++i) {
        if (command->get_prefix_command()) break;  // the words after it are another program's, which reads them
        const std::string word = argv[i];
        out.argv.push_back(argv[i]);
        if (word == "--") {
            if (i + 1 == argc) break;
            // CLI11 would say only that a command is required, or read a --help after it as the flag.
            if (command == &app)
                return misread("the command comes before '--', which makes every word after it a file: dangpli analyze -- FILE...");
            if (!command->get_subcommands([](const CLI::App*) { return true; }).empty())
                return misread(fmt::format("{0}'s command comes before '--': dangpli {0} COMMAND ...", command->get_name()));
            if (command->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty())
                return misread(fmt::format("{} takes no file: nothing goes after '--' ('{}')", command->get_name(), argv[i + 1]));
            // CLI11 sends the words after "--" up to dangpli's own options once the command has its least
            // number of files (`analyze A.jpg -- -b.jpg`): its own words, in their order, go after the "--".
            if (!own_words.empty()) {
                std::vector<const char*> reordered;
                for (int at = 0; at < i; ++at)
                    if (!std::ranges::binary_search(own_words, at)) reordered.push_back(argv[at]);
                reordered.push_back(argv[i]);
                for (const int at : own_words) reordered.push_back(argv[at]);
                reordered.insert(reordered.end(), argv + i + 1, argv + argc);
                return read_option_words(app, static_cast<int>(reordered.size()), reordered.data());
            }
            out.argv.insert(out.argv.end(), argv + i + 1, argv + argc);
            break;
        }
        if (!word.starts_with("-") || word == "-") {
            if (const auto* sub = subcommand_named(*command, word)) {
                command = sub;
                own_words.clear();
            } else {
                own_words.push_back(i);
            }
            continue;
        }
        std::string name, value;
        if (CLI::detail::split_long(word, name, value)) {
            if (word.find('=') != std::string::npos && names.long_flags.contains(name))
                return misread(fmt::format("--{} takes no value", name));
            if (word.find('=') + 1 == word.size() && names.long_options.contains(name))
                return misread(fmt::format("--{0}= gives no value: write --{0} VALUE or --{0}=VALUE", name));
            name = "--" + name;
        } else if (CLI::detail::split_short(word, name, value)) {
            if (!value.empty() && names.short_flags.contains(name.front())) return misread(fmt::format("-{} takes no value", name));
            if (value.starts_with("=") && names.short_options.contains(name.front()))
                return misread(fmt::format("-{0} takes its value without '=': write -{0} VALUE or -{0}VALUE", name));
            name = "-" + name;
        } else if (word.starts_with("---")) {
            return misread(fmt::format("unknown option '{}'", word));  // CLI11 took it for a file
        } else {
            continue;
        }
        const CLI::Option* option = option_named(*command, name);
        // Named here, an unknown option is one line in one wording; CLI11 first said that a required
        // option was missing, or "The following argument was not expected". Before the command,
        // main's own line lists dangpli's options; a negative number is a plain word.
        if (option == nullptr && command != &app && !plain_word(*command, word))
            return misread(fmt::format("unknown option '{}'{}", name, [&] {
                const auto nearest = nearest_word(name, option_names(*command));
                return nearest ? "; did you mean " + *nearest + "?" : std::string();
            }()));
        if (option == nullptr || option->get_expected_min() == 0) continue;
        const auto lacking = required_positional_words(*command) - static_cast<int>(own_words.size());
        const int taken = take_values(*option, value, *command, std::max(0, lacking), {argv + i + 1, argv + argc}, out.argv);
        if (const auto bad = word_with_empty_item(*option, value, {argv + i + 1, static_cast<std::size_t>(taken)}))
            return misread(fmt::format("{}: '{}' has an empty item (a '{}' too many)", name, *bad, option->get_delimiter()));
        i += taken;
    }
    return out;
}

}  // namespace dangpli::cli
