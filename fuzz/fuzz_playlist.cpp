// libFuzzer target: parse_playlist() on one format (DANGPLI_FUZZ_FORMAT: Csv, Yaml or M3u).
// Every entry it accepts keeps the documented promises: a title, a positive finite weight, no
// negative duration.

#include "fuzz_support.hpp"

#include <dangpli/playlist_io.hpp>

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    dangpli::PlaylistReadOptions options;
    options.file_name = "fuzz.playlist";
    options.base_dir = "/music";
    try {
        for (const auto& entry : dangpli::parse_playlist(dangpli::fuzz::as_text(data, size),
                                                         dangpli::PlaylistFormat::DANGPLI_FUZZ_FORMAT, options)) {
            const bool usable = !entry.title.empty() && std::isfinite(entry.weight) && entry.weight > 0 &&
                                (!entry.duration || entry.duration->count() >= 0);
            if (!usable) std::abort();
        }
    } catch (const dangpli::Error& e) {
        dangpli::fuzz::check_refusal(e);
    }
    return 0;
}
