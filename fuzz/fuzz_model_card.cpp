// libFuzzer target: ModelCard::load(). A card it accepts keeps the documented checks: labels
// each at most once, input sizes in 1..4096, 1 or 3 channels, a face size from the input's to
// 4096, a finite mean and a finite non-zero scale; an ensemble's card, 1 to 16 .onnx members.

#include "fuzz_support.hpp"

#include <dangpli/model_card.hpp>

#include <algorithm>
#include <cmath>
#include <set>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static dangpli::fuzz::MemoryFile file("card.yaml");
    try {
        const dangpli::ModelCard card = dangpli::ModelCard::load(file.hold(data, size));
        if (!card.members.empty()) {  // an ensemble's card: 1 to 16 .onnx members, nothing else to check
            const bool all_onnx = std::all_of(card.members.begin(), card.members.end(),
                                              [](const auto& m) { return m.extension() == ".onnx"; });
            if (card.members.size() > 16 || !all_onnx) std::abort();
            return 0;
        }
        const std::set<dangpli::Emotion> distinct(card.labels.begin(), card.labels.end());
        const bool kept = !card.labels.empty() && distinct.size() == card.labels.size() && card.input_width > 0 &&
                          card.input_height > 0 && (card.input_channels == 1 || card.input_channels == 3) &&
                          card.face_size >= std::max(card.input_width, card.input_height) &&
                          card.face_size <= 4096 && std::isfinite(card.mean) && std::isfinite(card.scale) &&
                          card.scale != 0.0;
        if (!kept) std::abort();
    } catch (const dangpli::Error& e) {
        dangpli::fuzz::check_refusal(e);
    }
    return 0;
}
