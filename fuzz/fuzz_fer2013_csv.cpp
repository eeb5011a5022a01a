// libFuzzer target: load_fer2013() on a CSV (plain or gzip, as the bytes say). Every face it
// accepts is a 48x48 gray image.

#include "fuzz_support.hpp"

#include <dangpli/fer2013.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static dangpli::fuzz::MemoryFile file("fer2013.csv");
    try {
        for (const auto& face : dangpli::load_fer2013(file.hold(data, size), std::nullopt)) {
            if (face.image.rows != dangpli::kFer2013Side || face.image.cols != dangpli::kFer2013Side ||
                face.image.type() != CV_8UC1)
                std::abort();
        }
    } catch (const dangpli::Error& e) {
        dangpli::fuzz::check_refusal(e);
    }
    return 0;
}
