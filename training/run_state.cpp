#include "run_state.hpp"

#include <cmath>
#include <string>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "dangpli/error.hpp"
#include "dangpli/output_file.hpp"
#include "dangpli/yaml_documents.hpp"
#include "run_yaml.hpp"

namespace dangpli::training {
namespace {

// `key`'s value in `map` as T, refused by line when it is not a T or `fits` says no.
template <typename T, typename Fits>
T read_value(const YAML::Node& map, const char* key, const std::filesystem::path& path, Fits fits, const char* range) {
    const YAML::Node node = map[key];
    const auto line = node.Mark().line + 1;
    T value{};
    try {
        value = node.as<T>();
    } catch (const YAML::Exception&) {
        throw DataError(fmt::format("{}:{}: {} '{}': give {}", path.string(), line, key,
                                    node.IsScalar() ? node.Scalar() : std::string("?"), range));
    }
    if (!fits(value)) throw DataError(fmt::format("{}:{}: {} {}: give {}", path.string(), line, key, value, range));
    return value;
}

}  // namespace

RunState read_run_state(const std::filesystem::path& dir) {
    RunState s;
    const auto path = dir / "state.yaml";
    if (!std::filesystem::exists(path)) return s;
    const YAML::Node y = load_run_yaml(path, "a training run's state");
    if (!y.IsMap())
        throw DataError(path.string() + ": not a training run's state (a map of epochs_done, best_accuracy, best_epoch, "
                                        "seconds_trained)");
    if (const auto repeated = repeated_yaml_key(y))
        throw DataError(fmt::format("{}:{}: {}", path.string(), repeated->line, repeated->message()));
    for (const char* key : {"epochs_done", "best_accuracy", "best_epoch", "seconds_trained"})
        if (!y[key]) throw DataError(fmt::format("{}: not a training run's state (no {})", path.string(), key));
    const auto at_least_0 = [](auto v) { return v >= 0; };
    s.epochs_done = read_value<int>(y, "epochs_done", path, at_least_0, "0 or more");
    s.best_accuracy = read_value<double>(y, "best_accuracy", path, [](double v) { return v >= 0.0 && v <= 1.0; }, "0 to 1");
    s.best_epoch = read_value<int>(y, "best_epoch", path, [&](int v) { return v >= 0 && v <= s.epochs_done; },
                                   "0 to epochs_done");
    s.seconds_trained = read_value<double>(y, "seconds_trained", path, [](double v) { return std::isfinite(v) && v >= 0.0; },
                                           "0 or more");
    if (y["averaged"]) s.averaged = read_value<int64_t>(y, "averaged", path, at_least_0, "0 or more");
    return s;
}

void write_run_state(const std::filesystem::path& dir, const RunState& s) {
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << "epochs_done" << YAML::Value << s.epochs_done << YAML::Key
        << "best_accuracy" << YAML::Value << s.best_accuracy << YAML::Key << "best_epoch" << YAML::Value
        << s.best_epoch << YAML::Key << "seconds_trained" << YAML::Value << s.seconds_trained << YAML::Key
        << "averaged" << YAML::Value << s.averaged << YAML::EndMap;
    write_output_file(dir / "state.yaml", std::string(out.c_str()) + "\n");
}

}  // namespace dangpli::training
