#pragma once
// How `dangpli playlist` prints songs, history and counts: aligned tables for people (Korean and
// Japanese titles take two columns per character), JSON and CSV for scripts.

#include <cstdio>
#include <span>
#include <string>
#include <string_view>

#include "dangpli/playlist_types.hpp"

namespace dangpli::cli {

/// How `playlist list/history/stats` print (--format); see RecordFormat for `analyze`.
enum class ListingFormat { Table, Json, Csv };

void print_songs(std::FILE* out, std::span<const Song> songs, ListingFormat format);
void print_history(std::FILE* out, std::span<const Play> plays, ListingFormat format);
void print_counts(std::FILE* out, const StoreCounts& counts, ListingFormat format);

}  // namespace dangpli::cli
