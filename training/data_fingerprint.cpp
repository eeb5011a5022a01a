#include "data_fingerprint.hpp"

#include <cstring>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "dangpli/error.hpp"
#include "dangpli/output_file.hpp"
#include "run_yaml.hpp"

namespace fs = std::filesystem;

namespace dangpli::training {
namespace {

// 64-bit FNV-1a: not a guard against a forger, a check that the faces are the same ones.
class Fnv1a {
public:
    void add(const void* data, std::size_t size) {
        const auto* bytes = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < size; ++i) hash_ = (hash_ ^ bytes[i]) * 0x100000001b3ULL;
    }
    void add_image(const cv::Mat& image) {
        for (int row = 0; row < image.rows; ++row) add(image.ptr(row), image.cols * image.elemSize());
    }
    std::uint64_t value() const { return hash_; }

private:
    std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

constexpr const char* kFileName = "data-fingerprints.yaml";

}  // namespace

std::uint64_t face_hash(const cv::Mat& face) {
    Fnv1a hash;
    hash.add_image(face);
    return hash.value();
}

std::string fingerprint(const FaceSet& set) {
    Fnv1a hash;
    const std::uint64_t size = set.size();
    hash.add(&size, sizeof size);
    for (const auto& face : set.faces) hash.add_image(face);
    hash.add(set.labels.data(), set.labels.size() * sizeof(int64_t));
    for (const auto& votes : set.votes) hash.add(votes.data(), votes.size() * sizeof(float));
    for (const auto& face : set.aligned) hash.add_image(face);
    return fmt::format("{:016x}", hash.value());
}

void check_data_fingerprints(const fs::path& dir, const std::vector<DataFingerprint>& now) {
    const fs::path path = dir / kFileName;
    if (!fs::exists(path)) {
        YAML::Emitter out;
        out << YAML::BeginMap;
        for (const auto& d : now) out << YAML::Key << d.what << YAML::Value << d.fingerprint;
        out << YAML::EndMap;
        write_output_file(path, std::string(out.c_str()) + "\n");
        return;
    }
    const YAML::Node kept = load_run_yaml(path, "a training run's data fingerprints");
    for (const auto& d : now) {
        const YAML::Node node = kept.IsMap() ? kept[d.what] : YAML::Node();
        if (!node || !node.IsScalar())
            throw DataError(fmt::format("{}: no fingerprint of the {} (a damaged file?)", path.string(), d.what));
        if (node.Scalar() != d.fingerprint)
            throw DataError(fmt::format("{}: not the faces this run trained on (the {}: fingerprint {}, {} when the "
                                        "run began): restore that file, or start a new run",
                                        d.path, d.what, d.fingerprint, node.Scalar()));
    }
}

}  // namespace dangpli::training
