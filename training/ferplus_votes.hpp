#pragma once
// FER+ crowd votes (ten annotators per FER2013 image, Barsoum et al. 2016) as a second, softer
// opinion on the FER2013 labels. The votes file lines up with a FER2013 CSV row for row (row i of
// one is row i of the other); header
// `Usage,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF`.

#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "dangpli/fer2013.hpp"

namespace dangpli::training {

/// Vote shares over our 7 classes (angry, disgust, fear, happy, sad, surprise, neutral); all zero
/// when no annotator chose one of them (only contempt/unknown/not-a-face votes).
using VoteDistribution = std::array<float, 7>;

struct FerPlusVotes {
    std::filesystem::path path;
    std::vector<Fer2013Split> usage;            ///< per data row
    std::vector<VoteDistribution> distribution; ///< per data row
    std::vector<std::size_t> line;              ///< per data row: its line in the file
    std::size_t size() const { return usage.size(); }
};

/// The header line of a votes file.
inline constexpr std::string_view kFerPlusHeader =
    "Usage,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF";

/// One row of a votes file (no newline): `usage`, then `shares` (our 7 classes) as counts out of
/// `total`, rounded, in the file's column order; contempt, unknown and NF are 0. This is how a
/// teacher's probabilities become soft targets the trainer reads like the crowd's votes.
std::string format_votes_row(Fer2013Split usage, const VoteDistribution& shares, int total = 1000);

/// Reads a votes file (plain or gzipped). Throws DataError "file:line: what" for a bad header or row.
FerPlusVotes load_ferplus_votes(const std::filesystem::path& path);

/// The vote distribution of each sample, found by the sample's row in the CSV `data_csv` it was
/// loaded from (Fer2013Sample::origin "file:line"). Checks the alignment: the votes must have one
/// row per data row of `data_csv` (rows past the votes' end may only be PrivateTest) with the same
/// Usage. Throws DataError naming file:line on a mismatch, InputError for samples not from a CSV.
std::vector<VoteDistribution> votes_for(const std::vector<Fer2013Sample>& samples, const FerPlusVotes& votes,
                                        const std::filesystem::path& data_csv);

}  // namespace dangpli::training
