#include "ferplus_votes.hpp"

#include <charconv>
#include <cmath>
#include <memory>
#include <string>
#include <string_view>

#include "dangpli/error.hpp"
#include "dangpli/text_lines.hpp"

namespace dangpli::training {
namespace {

constexpr std::string_view kHeader = kFerPlusHeader;
constexpr std::size_t kVoteColumns = 10;
// For each of our classes (angry, disgust, fear, happy, sad, surprise, neutral), its vote column
// after Usage (neutral, happiness, surprise, sadness, anger, disgust, fear, contempt, unknown, NF).
constexpr std::array<int, 7> kColumnOfClass = {4, 5, 6, 1, 3, 2, 0};


// The line number of each data row of a FER2013 CSV (header on line 1, blank lines skipped) and its Usage.
struct CsvRows {
    std::vector<std::size_t> line;
    std::vector<std::string> usage;
};

CsvRows scan_csv(const std::filesystem::path& path) {
    TextLineReader reader(path);
    CsvRows rows;
    std::string text;
    reader.next(text);  // header: load_fer2013 has checked it
    for (std::size_t line_no = 2; reader.next(text); ++line_no) {
        auto row = trim_line(text);
        if (row.empty()) continue;
        auto comma = row.rfind(',');
        rows.line.push_back(line_no);
        rows.usage.emplace_back(trim_line(comma == std::string_view::npos ? row : row.substr(comma + 1)));
    }
    return rows;
}

}  // namespace

FerPlusVotes load_ferplus_votes(const std::filesystem::path& path) {
    TextLineReader reader(path);  // refuses a missing file, a FIFO or a device by name
    const std::string name = path.string();
    FerPlusVotes votes;
    votes.path = path;
    std::string text;
    if (!reader.next(text)) throw DataError(name + ":1: empty file, expected header " + std::string(kHeader));
    auto header = trim_line(text);
    if (header.starts_with("\xEF\xBB\xBF")) header.remove_prefix(3);
    if (header != kHeader)
        throw DataError(name + ":1: wrong header '" + std::string(header) + "', expected " + std::string(kHeader));
    for (std::size_t line_no = 2; reader.next(text); ++line_no) {
        auto row = trim_line(text);
        if (row.empty()) continue;
        const auto where = name + ":" + std::to_string(line_no) + ": ";
        std::array<int, kVoteColumns> count{};
        auto comma = row.find(',');
        if (comma == std::string_view::npos) throw DataError(where + "expected 11 fields (Usage and 10 vote counts)");
        auto usage = parse_fer2013_split(trim_line(row.substr(0, comma)));
        if (!usage) throw DataError(where + "unknown Usage '" + std::string(trim_line(row.substr(0, comma))) + "'");
        std::string_view rest = row.substr(comma + 1);
        for (std::size_t i = 0; i < count.size(); ++i) {
            auto end = rest.find(',');
            if ((end == std::string_view::npos) != (i + 1 == count.size()))
                throw DataError(where + "expected 11 fields (Usage and 10 vote counts)");
            auto field = trim_line(rest.substr(0, end));
            auto [p, ec] = std::from_chars(field.data(), field.data() + field.size(), count[i]);
            if (ec != std::errc{} || p != field.data() + field.size() || field.empty() || count[i] < 0 || count[i] > 1000)
                throw DataError(where + "vote count " + std::to_string(i + 1) + " '" + std::string(field) +
                                "' is not an integer in 0..1000");
            if (end != std::string_view::npos) rest = rest.substr(end + 1);
        }
        VoteDistribution d{};
        float total = 0.0f;
        for (std::size_t k = 0; k < d.size(); ++k) total += static_cast<float>(count[static_cast<std::size_t>(kColumnOfClass[k])]);
        if (total > 0.0f)
            for (std::size_t k = 0; k < d.size(); ++k)
                d[k] = static_cast<float>(count[static_cast<std::size_t>(kColumnOfClass[k])]) / total;
        votes.usage.push_back(*usage);
        votes.distribution.push_back(d);
        votes.line.push_back(line_no);
    }
    if (votes.size() == 0) throw DataError(name + ": no vote rows after the header");
    return votes;
}

std::string format_votes_row(Fer2013Split usage, const VoteDistribution& shares, int total) {
    std::array<long, kVoteColumns> count{};
    for (std::size_t k = 0; k < shares.size(); ++k)
        count[static_cast<std::size_t>(kColumnOfClass[k])] = std::lround(static_cast<double>(shares[k]) * total);
    std::string row(to_string(usage));
    for (long c : count) {
        row += ',';
        row += std::to_string(c);
    }
    return row;
}

std::vector<VoteDistribution> votes_for(const std::vector<Fer2013Sample>& samples, const FerPlusVotes& votes,
                                        const std::filesystem::path& data_csv) {
    if (std::filesystem::is_directory(data_csv))
        throw InputError("--ferplus-votes needs FER2013 as a CSV (the votes line up by row), not the folder " +
                         data_csv.string());
    const auto rows = scan_csv(data_csv);
    const std::string vname = votes.path.string(), dname = data_csv.string();
    auto vline = [&votes](std::size_t row) {  // the votes' line of row `row`, or the line after the last row
        return std::to_string(row < votes.size() ? votes.line[row] : votes.line.back() + 1);
    };
    if (votes.size() > rows.line.size())
        throw DataError(vname + ":" + vline(rows.line.size()) + ": row count mismatch: " + std::to_string(votes.size()) +
                        " vote rows but " + dname + " has " + std::to_string(rows.line.size()) +
                        " data rows (row i of one must be row i of the other)");
    for (std::size_t i = votes.size(); i < rows.line.size(); ++i)
        if (parse_fer2013_split(rows.usage[i]) != Fer2013Split::PrivateTest)
            throw DataError(vname + ":" + vline(votes.size()) + ": row count mismatch: the votes end after " +
                            std::to_string(votes.size()) + " rows but " + dname + " has " +
                            std::to_string(rows.line.size()) + " data rows (line " + std::to_string(rows.line[i]) +
                            " is " + rows.usage[i] + ")");
    for (std::size_t i = 0; i < votes.size(); ++i)
        if (parse_fer2013_split(rows.usage[i]) != votes.usage[i])
            throw DataError(vname + ":" + vline(i) + ": Usage " + std::string(to_string(votes.usage[i])) + " but " +
                            dname + ":" + std::to_string(rows.line[i]) + " is " + rows.usage[i] +
                            ": the files are not aligned row for row");

    std::vector<std::size_t> row_of_line(rows.line.empty() ? 0 : rows.line.back() + 1, SIZE_MAX);
    for (std::size_t i = 0; i < rows.line.size(); ++i) row_of_line[rows.line[i]] = i;
    const std::string prefix = dname + ":";
    std::vector<VoteDistribution> result;
    result.reserve(samples.size());
    for (const auto& s : samples) {
        std::size_t line = 0;
        const bool from_csv = s.origin.starts_with(prefix) &&
                              std::from_chars(s.origin.data() + prefix.size(), s.origin.data() + s.origin.size(), line).ec ==
                                  std::errc{};
        if (!from_csv || line >= row_of_line.size() || row_of_line[line] == SIZE_MAX)
            throw InputError("--ferplus-votes: sample '" + s.origin + "' is not a data row of " + dname);
        const std::size_t row = row_of_line[line];
        if (row >= votes.size())
            throw DataError(vname + ": has no row for " + s.origin + " (data row " + std::to_string(row) + ")");
        result.push_back(votes.distribution[row]);
    }
    return result;
}

}  // namespace dangpli::training
