#include "eval_report.hpp"

#include <stdexcept>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "dangpli/csv_field.hpp"
#include "dangpli/image_analysis.hpp"

namespace dangpli::cli {

namespace {

constexpr int kLabelWidth = 16;  // "true \ predicted"

}  // namespace

std::string format_table(const EvalReport& r) {
    const auto& m = r.matrix;
    std::string out;
    out += fmt::format("model    {}  ({})\n", r.model, r.model_path);
    out += fmt::format("dataset  {}\n", r.dataset);
    out += fmt::format("split    {}   tta {}{}   n {}\n\n", r.split, r.tta,
                       r.balance > 0.0f ? fmt::format("   balance {}", r.balance) : "", m.total());

    // Rows are true emotions, columns predicted, as in the seed's table; totals on both edges.
    out += fmt::format("{:<{}}", "true \\ predicted", kLabelWidth);
    for (Emotion p : kAllEmotions) out += fmt::format(" {:>8}", to_string(p));
    out += fmt::format(" {:>8}\n", "total");
    for (Emotion t : kAllEmotions) {
        out += fmt::format("{:<{}}", to_string(t), kLabelWidth);
        for (Emotion p : kAllEmotions) out += fmt::format(" {:>8}", m.count(t, p));
        out += fmt::format(" {:>8}\n", m.row_total(t));
    }
    out += fmt::format("{:<{}}", "total", kLabelWidth);
    for (Emotion p : kAllEmotions) out += fmt::format(" {:>8}", m.column_total(p));
    out += fmt::format(" {:>8}\n\n", m.total());

    out += fmt::format("accuracy  {:.2f}%  ({} of {})\n\n", 100.0 * m.accuracy(), m.correct(), m.total());
    out += fmt::format("{:<10} {:>9} {:>7} {:>7} {:>8}\n", "class", "precision", "recall", "f1", "support");
    for (Emotion e : kAllEmotions) {
        const auto c = m.metrics(e);
        out += fmt::format("{:<10} {:>9.3f} {:>7.3f} {:>7.3f} {:>8}\n", to_string(e), c.precision, c.recall, c.f1,
                           c.support);
    }
    out += fmt::format("macro F1   {:.3f}\n", m.macro_f1());
    return out;
}

std::string format_json(const EvalReport& r) {
    const auto& m = r.matrix;
    nlohmann::ordered_json j;
    j["model"] = r.model;
    j["model_path"] = r.model_path;
    j["dataset"] = r.dataset;
    j["split"] = r.split;
    j["tta"] = r.tta;
    j["balance"] = r.balance;
    j["n"] = m.total();
    j["labels"] = nlohmann::json::array();
    for (Emotion e : kAllEmotions) j["labels"].push_back(std::string(to_string(e)));
    j["confusion"] = m.counts();
    j["accuracy"] = m.accuracy();
    nlohmann::ordered_json per_class = nlohmann::ordered_json::object();
    for (Emotion e : kAllEmotions) {
        const auto c = m.metrics(e);
        per_class[std::string(to_string(e))] = {
            {"precision", c.precision}, {"recall", c.recall}, {"f1", c.f1}, {"support", c.support}};
    }
    j["per_class"] = per_class;
    j["macro_f1"] = m.macro_f1();
    return j.dump(2) + "\n";
}

std::string format_csv(const ConfusionMatrix& matrix) {
    std::string out = "true\\predicted";
    for (Emotion p : kAllEmotions) out += fmt::format(",{}", to_string(p));
    out += "\n";
    for (Emotion t : kAllEmotions) {
        out += std::string(to_string(t));
        for (Emotion p : kAllEmotions) out += fmt::format(",{}", matrix.count(t, p));
        out += "\n";
    }
    return out;
}

std::string format_predictions_csv(std::span<const Fer2013Sample> samples, std::span<const EmotionScores> scores) {
    if (samples.size() != scores.size())  // a programming error: a silently short file would mislead a pairing
        throw std::logic_error(
            fmt::format("format_predictions_csv: {} samples but {} readings", samples.size(), scores.size()));
    std::string out = "origin,label,predicted,confidence";
    for (Emotion e : kAllEmotions) out += fmt::format(",{}", to_string(e));
    out += "\n";
    for (std::size_t i = 0; i < samples.size(); ++i) {
        out += fmt::format("{},{},{},{}", csv_field(samples[i].origin), to_string(samples[i].label),
                           to_string(scores[i].emotion), rounded_score(scores[i].confidence));
        for (float p : scores[i].probabilities) out += fmt::format(",{}", rounded_score(p));
        out += "\n";
    }
    return out;
}

}  // namespace dangpli::cli
