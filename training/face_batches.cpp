#include "face_batches.hpp"

#include "emotion_net.hpp"

namespace dangpli::training {

std::vector<std::size_t> limited_rows(std::size_t size, std::size_t limit) {
    const std::size_t n = limit > 0 ? std::min(limit, size) : size;
    std::vector<std::size_t> rows(n);
    for (std::size_t i = 0; i < n; ++i) rows[i] = i * size / n;
    return rows;
}

FaceSet to_face_set(std::vector<Fer2013Sample> samples, std::size_t limit) {
    FaceSet set;
    const auto rows = limited_rows(samples.size(), limit);
    set.faces.reserve(rows.size());
    set.labels.reserve(rows.size());
    for (const std::size_t row : rows) {
        set.faces.push_back(std::move(samples[row].image));
        set.labels.push_back(label_of(samples[row].label));
    }
    return set;
}

torch::Tensor random_batch(const FaceSet& set, const std::vector<std::size_t>& indices, int side,
                           const AugmentOptions& options, std::mt19937_64& rng, double aligned_mix) {
    auto batch = torch::empty({static_cast<int64_t>(indices.size()), 1, side, side});
    float* out = batch.data_ptr<float>();
    const bool mixing = !set.aligned.empty() && aligned_mix > 0.0;
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    for (std::size_t i = 0; i < indices.size(); ++i) {
        const bool aligned = mixing && coin(rng) < aligned_mix;
        const cv::Mat& face = aligned ? set.aligned[indices[i]] : set.faces[indices[i]];
        random_view(face, side, options, rng, out + i * static_cast<std::size_t>(side * side));
    }
    return batch.contiguous(torch::MemoryFormat::ChannelsLast);
}

torch::Tensor centre_batch(const FaceSet& set, std::size_t first, std::size_t count, int side, bool mirrored) {
    auto batch = torch::empty({static_cast<int64_t>(count), 1, side, side});
    float* out = batch.data_ptr<float>();
    for (std::size_t i = 0; i < count; ++i)
        centre_view(set.faces[first + i], side, out + i * static_cast<std::size_t>(side * side), mirrored);
    return batch.contiguous(torch::MemoryFormat::ChannelsLast);
}

Evaluation evaluate(EmotionNet& net, const FaceSet& set, bool mirror_tta, int batch_size) {
    torch::NoGradGuard no_grad;
    const bool was_training = net.is_training();
    net.eval();
    Evaluation result;
    double loss_sum = 0.0;
    const int side = net.input_side();
    for (std::size_t first = 0; first < set.size(); first += static_cast<std::size_t>(batch_size)) {
        const std::size_t count = std::min(static_cast<std::size_t>(batch_size), set.size() - first);
        auto probs = torch::softmax(net.forward(centre_batch(set, first, count, side)), 1);
        if (mirror_tta)
            probs = (probs + torch::softmax(net.forward(centre_batch(set, first, count, side, true)), 1)) / 2;
        auto labels = torch::from_blob(const_cast<int64_t*>(set.labels.data() + first),
                                       {static_cast<int64_t>(count)}, torch::kInt64);
        loss_sum += torch::nll_loss(torch::log(probs.clamp_min(1e-12)), labels, {}, at::Reduction::Sum).item<double>();
        auto predicted = probs.argmax(1);
        auto p = predicted.accessor<int64_t, 1>();
        for (std::size_t i = 0; i < count; ++i)
            result.confusion.add(static_cast<Emotion>(set.labels[first + i]),
                                 static_cast<Emotion>(p[static_cast<int64_t>(i)]));
    }
    result.loss = loss_sum / static_cast<double>(set.size());
    net.train(was_training);
    return result;
}

}  // namespace dangpli::training
