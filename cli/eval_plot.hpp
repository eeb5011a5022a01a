#pragma once
// `dangpli eval --plot FILE.png`: the row-normalised confusion matrix as a labelled heatmap.

#include <opencv2/core/mat.hpp>

#include "eval_report.hpp"

namespace dangpli::cli {

/// A BGR image: one cell per (true, predicted) pair, coloured white -> dark blue by the share of
/// the true class's faces (the row-normalised matrix), with that share and the count written in
/// the cell; class names on both axes, "true" and "predicted" axis titles, a colour bar, and a
/// title with model, split, tta, n and accuracy. Rows with no faces are gray.
cv::Mat draw_confusion_heatmap(const EvalReport& report);

}  // namespace dangpli::cli
