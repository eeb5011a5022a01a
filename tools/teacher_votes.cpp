// An ensemble's opinion of every FER2013 row, written as a votes file (the FER+ format, counts out
// of 1000) lined up row for row with the data, so that
//   dangpli train RUN --data DATA --ferplus-votes OUT --ferplus-mix W
// distils the ensemble into one model. Prints each model's and the ensemble's accuracy per split,
// which is also how an ensemble is measured (give the re-cut CSV of align_fer2013 for the
// product's framing). Probabilities are averaged over the models, then softened by the temperature.
// OUT "-" only measures, and --only SPLIT measures that split alone (PublicTest: seconds, not minutes).
// Usage: teacher_votes DATA.csv[.gz] OUT.csv|- [--only SPLIT] [--tta single|mirror|ten-crop] [--temperature T] MODEL.onnx...
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "dangpli/emotion_classifier.hpp"
#include "dangpli/error.hpp"
#include "dangpli/output_file.hpp"
#include "fer_rows.hpp"
#include "ferplus_votes.hpp"

namespace {

using Probabilities = std::array<float, dangpli::kEmotionCount>;

// A bad option or argument: exit 2, as every dangpli command gives for usage errors.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::size_t arg_max(const Probabilities& p) {
    return static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin());
}

// p^(1/T), normalised: T > 1 spreads the teacher's opinion, T < 1 sharpens it.
Probabilities soften(const Probabilities& p, double temperature) {
    Probabilities out{};
    double total = 0.0;
    for (std::size_t k = 0; k < p.size(); ++k) {
        out[k] = static_cast<float>(std::pow(std::max(1e-12, static_cast<double>(p[k])), 1.0 / temperature));
        total += static_cast<double>(out[k]);
    }
    for (auto& v : out) v = static_cast<float>(static_cast<double>(v) / total);
    return out;
}

std::vector<Probabilities> classify_all(const dangpli::EmotionClassifier& model, const std::vector<dangpli::tools::FerRow>& rows,
                                        dangpli::TestTimeAugmentation tta) {
    constexpr std::size_t kBatch = 256;
    std::vector<Probabilities> out;
    out.reserve(rows.size());
    std::vector<cv::Mat> faces;
    for (std::size_t start = 0; start < rows.size(); start += kBatch) {
        faces.clear();
        for (std::size_t i = start; i < std::min(rows.size(), start + kBatch); ++i) faces.push_back(rows[i].sample.image);
        for (const auto& s : model.classify(std::span<const cv::Mat>(faces), tta)) out.push_back(s.probabilities);
    }
    return out;
}

// "split: model accuracy" lines, one per split present.
void print_accuracy(const std::string& name, const std::vector<dangpli::tools::FerRow>& rows,
                    const std::vector<Probabilities>& probs) {
    std::map<std::string, std::pair<std::size_t, std::size_t>> right_of_split;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto& [right, total] = right_of_split[std::string(dangpli::to_string(rows[i].split))];
        right += arg_max(probs[i]) == static_cast<std::size_t>(dangpli::label_of(rows[i].sample.label));
        ++total;
    }
    for (const auto& [split, counts] : right_of_split)
        fmt::print("{:<12} {:<50} {:6.2f}% of {}\n", split, name,
                   100.0 * static_cast<double>(counts.first) / static_cast<double>(counts.second), counts.second);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) try {
    std::vector<std::string> positional;
    auto tta = dangpli::TestTimeAugmentation::Mirror;
    double temperature = 1.0;
    std::optional<dangpli::Fer2013Split> only;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if ((a == "--tta" || a == "--temperature" || a == "--only") && i + 1 < argc) {
            const std::string v = argv[++i];
            if (a == "--only") {
                only = dangpli::parse_fer2013_split(v);
                if (!only) throw UsageError("--only " + v + ": expected Training, PublicTest or PrivateTest");
            } else if (a == "--temperature") {
                const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), temperature);
                if (error != std::errc{} || end != v.data() + v.size() || !(temperature > 0.0 && temperature < 100.0))
                    throw UsageError("--temperature " + v + ": expected a number in (0, 100)");
            } else {
                auto parsed = dangpli::parse_test_time_augmentation(v);
                if (!parsed)
                    throw UsageError(fmt::format("--tta {}: expected one of {}", v,
                                                         fmt::join(dangpli::test_time_augmentation_names(), ", ")));
                tta = *parsed;
            }
        } else {
            positional.push_back(a);
        }
    }
    if (positional.size() < 3) {
        std::fprintf(stderr,
                     "usage: teacher_votes DATA.csv[.gz] OUT.csv|- [--only SPLIT] [--tta single|mirror|ten-crop] [--temperature T] MODEL.onnx...\n");
        return 2;
    }
    const std::string data = positional[0], out = positional[1];
    if (only && out != "-") throw UsageError("--only measures one split and writes no file: give - as OUT");
    std::error_code ec;
    for (std::size_t i = 0; i < positional.size(); ++i)  // the data and every model
        if (i != 1 && std::filesystem::equivalent(positional[i], out, ec))
            throw UsageError(out + ": the output would replace an input");

    auto rows = dangpli::tools::load_fer_rows(data);
    if (only) std::erase_if(rows, [&](const dangpli::tools::FerRow& r) { return r.split != *only; });
    std::vector<Probabilities> mean(rows.size(), Probabilities{});
    const std::size_t n_models = positional.size() - 2;
    for (std::size_t m = 2; m < positional.size(); ++m) {
        const dangpli::EmotionClassifier model(positional[m]);
        const auto probs = classify_all(model, rows, tta);
        print_accuracy(positional[m], rows, probs);
        for (std::size_t i = 0; i < rows.size(); ++i)
            for (std::size_t k = 0; k < mean[i].size(); ++k) mean[i][k] += probs[i][k] / static_cast<float>(n_models);
    }
    print_accuracy(fmt::format("ensemble of {}", n_models), rows, mean);

    if (out == "-") return 0;
    std::string csv(dangpli::training::kFerPlusHeader);
    csv += '\n';
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].split == dangpli::Fer2013Split::PrivateTest) continue;  // never a training target
        csv += dangpli::training::format_votes_row(rows[i].split, soften(mean[i], temperature));
        csv += '\n';
    }
    dangpli::write_output_file(out, csv);
    fmt::print("{}: {} rows, {} model(s), tta {}, temperature {}\n", out, rows.size(), n_models,
               dangpli::to_string(tta), temperature);
    return 0;
} catch (const UsageError& e) {
    std::fprintf(stderr, "teacher_votes: %s\n", dangpli::one_line(e.what()).c_str());
    return 2;
} catch (const std::exception& e) {
    std::fprintf(stderr, "teacher_votes: %s\n", dangpli::one_line(e.what()).c_str());
    return 3;
}
