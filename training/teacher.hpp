#pragma once
// Online distillation: teacher models read the very view the student trains on (after its shift,
// erasing, blur or JPEG), so that each target says what the teacher sees in that view, where
// per-face votes written once (--ferplus-votes teacher.csv) describe the untouched face only
// ("consistent teaching", Beyer et al. 2022, "Knowledge distillation: A good teacher is patient and
// consistent").

#include <filesystem>
#include <memory>
#include <vector>

#include <torch/torch.h>

#include "emotion_net.hpp"

namespace dangpli::training {

class Teacher {
public:
    /// Loads each ONNX model written by our exporter, its card beside it (ModelCard::card_path_for)
    /// giving the architecture; every member must take `input_side`-pixel views and list the seven
    /// labels in FER2013's order. Throws DataError naming the file.
    Teacher(const std::vector<std::filesystem::path>& models, int input_side);

    /// The mean of the members' probabilities for `views` [B, 1, side, side]: [B, 7], no gradient.
    torch::Tensor probabilities(const torch::Tensor& views) const;

    std::size_t size() const { return members_.size(); }

private:
    std::vector<std::shared_ptr<EmotionNet>> members_;
};

}  // namespace dangpli::training
