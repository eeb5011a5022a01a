#include "output_paths.hpp"

#include <sys/stat.h>

#include <set>
#include <tuple>

#include <fmt/core.h>

#include "dangpli/error.hpp"
#include "dangpli/model_card.hpp"
#include "dangpli/mtcnn_detector.hpp"
#include "dangpli/output_file.hpp"
#include "dangpli/yunet_detector.hpp"
#include "exit_codes.hpp"

namespace fs = std::filesystem;

namespace dangpli::cli {

namespace {

// What makes a file itself: device and inode when it exists, else where its name points.
struct FileKey {
    dev_t device = 0;
    ino_t inode = 0;
    std::string missing_path;  ///< set only when the file does not exist (yet)
    auto operator<=>(const FileKey&) const = default;
};

// Where a path that may not exist yet points, absolute: weakly_canonical alone leaves a relative path
// relative when its first part does not exist ("x.txt" against "./x.txt"), and a dangling link is the
// file that writing through it would create.
fs::path where_it_points(const fs::path& path) {
    std::error_code ec;
    fs::path where = fs::absolute(path, ec);
    if (ec) where = path;
    try {
        where = final_link_target(where);
    } catch (const WriteError&) {
        // A link loop: writing through it fails by itself, after this check.
    }
    fs::path canonical = fs::weakly_canonical(where, ec);
    return ec ? where.lexically_normal() : canonical;
}

FileKey file_key(const fs::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) return {info.st_dev, info.st_ino, {}};
    return {0, 0, where_it_points(path).string()};
}

bool is_device(const fs::path& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISCHR(info.st_mode);
}

[[noreturn]] void refuse(const NamedPath& output, const NamedPath& other, std::string_view what) {
    throw UsageError(fmt::format("{} {} is the same file as {} {}: an output never replaces {} of the same run",
                                 output.option, output.path.string(), other.option, other.path.string(), what));
}

}  // namespace

bool same_file(const fs::path& a, const fs::path& b) { return file_key(a) == file_key(b); }

void refuse_outputs_over_inputs(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs) {
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        if (outputs[i].path.empty()) continue;
        // Many tools read "-" as standard output; a file named "-" in the working folder is no one's wish.
        if (outputs[i].path == "-")
            throw UsageError(fmt::format("{} -: these outputs are files, not standard output (write ./- for a file "
                                         "named -)", outputs[i].option));
        for (const auto& input : inputs)
            if (!input.path.empty() && same_file(outputs[i].path, input.path)) refuse(outputs[i], input, "an input");
        // Two outputs to one device (/dev/null for both) replace nothing.
        if (is_device(outputs[i].path)) continue;
        for (std::size_t j = i + 1; j < outputs.size(); ++j)
            if (!outputs[j].path.empty() && same_file(outputs[i].path, outputs[j].path))
                refuse(outputs[i], outputs[j], "another output");
    }
}

std::vector<NamedPath> model_files(const std::string& option, const fs::path& model) {
    if (model.empty()) return {};
    std::vector<NamedPath> files{{option, model}};
    const fs::path card = ModelCard::card_path_for(model);
    if (card != model) files.push_back({option + "'s card", card});
    try {
        for (const auto& member : ModelCard::load(card).members) {
            files.push_back({option + "'s member", member});
            files.push_back({option + "'s member's card", ModelCard::card_path_for(member)});
        }
    } catch (const std::exception&) {
        // Not a readable card: loading the model names the problem.
    }
    return files;
}

std::vector<NamedPath> detector_model_files() {
    std::vector<NamedPath> files;
    const auto add = [&files](const std::vector<fs::path>& paths) {
        for (const auto& path : paths) files.push_back({"the face detector's model", path});
    };
    try {
        const auto m = MtcnnModelPaths::find();
        add({m.pnet_prototxt, m.pnet_caffemodel, m.rnet_prototxt, m.rnet_caffemodel, m.onet_prototxt, m.onet_caffemodel});
    } catch (const ModelError&) {
        // Not found: the detector names it if the run loads it, and no output can be it.
    }
    try {
        add({YunetDetector::find_model()});
    } catch (const ModelError&) {
    }
    return files;
}

std::vector<NamedPath> store_files(const fs::path& db) {
    std::vector<NamedPath> files;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        files.push_back({"the store", fs::path(db.string() + suffix)});
    return files;
}

void refuse_outputs_inside(const std::vector<NamedPath>& outputs, const NamedPath& folder) {
    std::error_code ec;
    if (!fs::is_directory(folder.path, ec)) return;
    const fs::path root = where_it_points(folder.path);
    for (const auto& output : outputs) {
        if (output.path.empty()) continue;
        const fs::path where = where_it_points(output.path);
        // Inside when the relative path does not climb out of the folder.
        const fs::path relative = where.lexically_relative(root);
        if (!relative.empty() && *relative.begin() != "..")
            throw UsageError(fmt::format("{} {} lies inside {} {}: a file written there would become one of its "
                                         "inputs", output.option, output.path.string(), folder.option,
                                         folder.path.string()));
    }
}

void refuse_outputs_over_inputs(std::string_view option, const std::vector<fs::path>& outputs,
                                const std::vector<std::string>& inputs) {
    std::set<FileKey> taken;
    for (const auto& input : inputs) taken.insert(file_key(input));
    for (std::size_t i = 0; i < outputs.size(); ++i)
        if (!outputs[i].empty() && taken.count(file_key(outputs[i])) != 0)
            throw UsageError(fmt::format("{}: the annotated copy of {} would replace the input {}; choose another "
                                         "folder", option, i < inputs.size() ? inputs[i] : "an image",
                                         outputs[i].string()));
}

void check_output_path(std::string_view option, const std::filesystem::path& path) {
    const std::filesystem::path dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw WriteError(fmt::format("{} {}: {} {}", option, path.string(), dir.string(),
                                     std::filesystem::exists(dir, ec) ? "is a file, not a folder"
                                                                      : "does not exist (no such folder)"));
    if (std::filesystem::is_directory(path, ec))
        throw WriteError(fmt::format("{} {}: is a folder, expected a file name", option, path.string()));
}

}  // namespace dangpli::cli
