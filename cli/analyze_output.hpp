#pragma once
// What `dangpli analyze` prints: one dangpli::ImageAnalysis per input path, written as a table,
// JSON, JSON Lines or CSV. JSON and JSON Lines are the library's to_json() rows (a failed path
// included, as {"path","error"}), so the command and the Python module spell every field alike;
// CSV and the table are built here from the same rounding.

#include <cstdio>
#include <string>

#include "dangpli/image_analysis.hpp"

namespace dangpli::cli {

/// How `analyze` prints its records (--format). Named apart from playlist_output.hpp's
/// ListingFormat: two enums of one name in one namespace would break the one-definition rule.
enum class RecordFormat { Table, Json, Jsonl, Csv };

/// Streams records to `out` in the chosen format as they come (flushing after each), so that a
/// long batch shows its first results early and a pipe reader (xargs, GNU parallel, Spark's
/// RDD.pipe) gets each line whole as soon as it is known. Call begin(), write() per path, end().
class RecordWriter {
public:
    RecordWriter(RecordFormat format, std::FILE* out) : format_(format), out_(out) {}
    void begin();
    /// Writes a row; a failed path is a row in JSON and JSON Lines only (its line on stderr is the
    /// caller's: CSV and the table have no column for it).
    void write(const ImageAnalysis& image);
    void end();

private:
    RecordFormat format_;
    std::FILE* out_;
    bool first_ = true;
};

}  // namespace dangpli::cli
