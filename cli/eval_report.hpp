#pragma once
// `dangpli eval` output: what was evaluated and the matrix, as a table, JSON or CSV text.

#include <cstddef>
#include <span>
#include <string>

#include "dangpli/confusion_matrix.hpp"
#include "dangpli/emotion_scores.hpp"
#include "dangpli/fer2013.hpp"

namespace dangpli::cli {

struct EvalReport {
    std::string model;       ///< the card's name
    std::string model_path;  ///< the ONNX file
    std::string dataset;     ///< the path as given
    std::string split;       ///< "PublicTest", ...
    std::string tta;         ///< "single", "mirror", "ten-crop"
    ConfusionMatrix matrix;  ///< [true][predicted]
    float balance = 0.0f;    ///< class balance the scores were read with (0: as the model gives them)
};

/// The labelled matrix (rows true, columns predicted, totals), accuracy, per-class precision,
/// recall, F1 and support, macro F1; for a terminal.
std::string format_table(const EvalReport& report);

/// One JSON object: model, dataset, split, tta, balance, n, labels, confusion, accuracy, per_class, macro_f1.
std::string format_json(const EvalReport& report);

/// The matrix as CSV: a header `true\predicted,angry,...,neutral`, then one row per true class.
std::string format_csv(const ConfusionMatrix& matrix);

/// Each face's reading as CSV: a header `origin,label,predicted,confidence,angry,...,neutral`, then
/// one row per sample in order (origin as "file.csv:line" or the image's path; scores rounded as
/// analyze rounds them). `scores[i]` belongs to `samples[i]`; sizes that differ throw std::logic_error.
std::string format_predictions_csv(std::span<const Fer2013Sample> samples, std::span<const EmotionScores> scores);

}  // namespace dangpli::cli
