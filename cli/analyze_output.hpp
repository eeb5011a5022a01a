#pragma once
// What `dangpli analyze` prints: one record per image, written as a table, JSON, JSON Lines or CSV.
// Each face is built by one function per format, so a new per-face field (the emotion, its
// scores) is added in FaceRecord and in face_json and the face_csv_* / face_table_* helpers of
// analyze_output.cpp, nowhere else.

#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dangpli/emotion_scores.hpp"
#include "dangpli/face.hpp"

namespace dangpli::cli {

/// One face in the output: where it is and what it feels.
struct FaceRecord {
    Face face;
    EmotionScores emotion;
};

/// One analysed image.
struct ImageRecord {
    std::string path;  ///< as given or as found while walking a directory
    int width = 0, height = 0;
    std::vector<FaceRecord> faces;
};

/// How `analyze` prints its records (--format). Named apart from playlist_output.hpp's
/// ListingFormat: two enums of one name in one namespace would break the one-definition rule.
enum class RecordFormat { Table, Json, Jsonl, Csv };

/// {"box":[x,y,w,h], "score":s, "landmarks":[[x,y] x5], "emotion":"happy", "confidence":c,
///  "scores":{"angry":p, ...all seven}} in pixels, landmarks in dangpli::Landmark order.
nlohmann::ordered_json face_json(const FaceRecord& face);

/// {"path":..., "width":..., "height":..., "faces":[face_json...]}, keys in this order.
nlohmann::ordered_json image_json(const ImageRecord& image);

/// Streams records to `out` in the chosen format as they come (flushing after each), so that a
/// long batch shows its first results early. Call begin(), write() per image, end().
class RecordWriter {
public:
    RecordWriter(RecordFormat format, std::FILE* out) : format_(format), out_(out) {}
    void begin();
    void write(const ImageRecord& image);
    void end();

private:
    RecordFormat format_;
    std::FILE* out_;
    bool first_ = true;
};

/// Quotes a CSV field when it needs it (RFC 4180: commas, quotes, line breaks).
std::string csv_field(const std::string& s);

}  // namespace dangpli::cli
