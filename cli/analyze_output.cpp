#include "analyze_output.hpp"

#include <fmt/core.h>

#include "dangpli/csv_field.hpp"
#include "dangpli/error.hpp"

namespace dangpli::cli {

namespace {

double px(float v) { return rounded_pixels(v); }
double score(float v) { return rounded_score(v); }

constexpr const char* kLandmarkNames[] = {"left_eye", "right_eye", "nose", "mouth_left", "mouth_right"};

std::string face_csv_header() {
    std::string h = "face,score,x,y,w,h";
    for (const char* name : kLandmarkNames) h += fmt::format(",{0}_x,{0}_y", name);
    h += ",emotion,confidence";
    for (Emotion e : kAllEmotions) h += fmt::format(",{}", to_string(e));
    return h;
}

std::string face_csv_fields(std::size_t index, const AnalyzedFace& r) {
    const auto& f = r.face;
    std::string s = fmt::format("{},{},{},{},{},{}", index, score(f.score), px(f.box.x), px(f.box.y),
                                px(f.box.width), px(f.box.height));
    for (const auto& p : f.landmarks) s += fmt::format(",{},{}", px(p.x), px(p.y));
    s += fmt::format(",{},{}", to_string(r.emotion.emotion), score(r.emotion.confidence));
    for (float p : r.emotion.probabilities) s += fmt::format(",{}", score(p));
    return s;
}

std::string face_csv_empty() {
    return std::string(6 + 2 * std::size(kLandmarkNames) + 2 + kEmotionCount - 1, ',');
}

constexpr const char* kTableHeader =
    "FACE  SCORE   X       Y       W       H       EMOTION   CONF   SIZE        PATH";

std::string face_table_cells(std::size_t index, const AnalyzedFace& r) {
    const auto& b = r.face.box;
    return fmt::format("{:<5} {:<7.4f} {:<7.1f} {:<7.1f} {:<7.1f} {:<7.1f} {:<9} {:<6.3f}", index, r.face.score, b.x,
                       b.y, b.width, b.height, to_string(r.emotion.emotion), r.emotion.confidence);
}

std::string face_table_empty() {
    return fmt::format("{:<5} {:<7} {:<7} {:<7} {:<7} {:<7} {:<9} {:<6}", "-", "-", "-", "-", "-", "-", "-", "-");
}

}  // namespace

void RecordWriter::begin() {
    if (format_ == RecordFormat::Csv) fmt::print(out_, "path,width,height,{}\n", face_csv_header());
    if (format_ == RecordFormat::Table) fmt::print(out_, "{}\n", kTableHeader);
    if (format_ == RecordFormat::Json) fmt::print(out_, "[");
    std::fflush(out_);
}

void RecordWriter::write(const ImageAnalysis& image) {
    const bool json = format_ == RecordFormat::Json || format_ == RecordFormat::Jsonl;
    if (!image.ok() && !json) return;
    switch (format_) {
    case RecordFormat::Json:
        fmt::print(out_, "{}\n{}", first_ ? "" : ",", to_json(image));
        break;
    case RecordFormat::Jsonl:
        fmt::print(out_, "{}\n", to_json(image));
        break;
    case RecordFormat::Csv: {
        const std::string head = fmt::format("{},{},{}", csv_field(image.path), image.width, image.height);
        if (image.faces.empty()) fmt::print(out_, "{},{}\n", head, face_csv_empty());
        for (std::size_t i = 0; i < image.faces.size(); ++i)
            fmt::print(out_, "{},{}\n", head, face_csv_fields(i + 1, image.faces[i]));
        break;
    }
    case RecordFormat::Table: {
        // A name's control characters escaped: a newline would split the row, an escape run in the terminal.
        const std::string tail = fmt::format("{:<11} {}", fmt::format("{}x{}", image.width, image.height),
                                             one_line(image.path, std::string::npos));
        if (image.faces.empty()) fmt::print(out_, "{} {}\n", face_table_empty(), tail);
        for (std::size_t i = 0; i < image.faces.size(); ++i)
            fmt::print(out_, "{} {}\n", face_table_cells(i + 1, image.faces[i]), tail);
        break;
    }
    }
    first_ = false;
    std::fflush(out_);
}

void RecordWriter::end() {
    if (format_ == RecordFormat::Json) fmt::print(out_, "{}]\n", first_ ? "" : "\n");
    std::fflush(out_);
}

}  // namespace dangpli::cli
