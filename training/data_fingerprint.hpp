#pragma once
// A run's data, fingerprinted when it first trains and checked on every resume: config.yaml keeps
// only the files' paths, and a file made anew under the same name (a recipe remakes its votes and
// aligned crops where they are missing) would let a resumed run go on, in silence, on other faces.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "face_batches.hpp"

namespace dangpli::training {

/// 16 hex digits over what training reads of `set`: its faces in order, their labels, votes and
/// aligned crops. The same rows read from a CSV, a .gz or class folders give the same digits.
std::string fingerprint(const FaceSet& set);

/// A hash of one face's pixels: the same face in two files hashes alike.
std::uint64_t face_hash(const cv::Mat& face);

/// One of a run's data sets, as check_data_fingerprints() compares it.
struct DataFingerprint {
    std::string what;         ///< "training data"
    std::string path;         ///< as config.yaml gives it
    std::string fingerprint;  ///< fingerprint() of the set as loaded now
};

/// Compares with `dir`/data-fingerprints.yaml, and writes that file where the run has none yet (its
/// first epoch, or a run made before it was kept). Throws DataError naming the data set and the
/// path where a fingerprint differs: the faces are not those the run trained on.
void check_data_fingerprints(const std::filesystem::path& dir, const std::vector<DataFingerprint>& now);

}  // namespace dangpli::training
