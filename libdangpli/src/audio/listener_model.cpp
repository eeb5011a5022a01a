// The per-listener regression: weighted ridge least squares on [1, terms], solved by OpenCV.
#include "dangpli/listener_model.hpp"

#include <opencv2/core.hpp>

#include <algorithm>
#include <unordered_map>

namespace dangpli {

std::vector<ListenerExample> listener_examples(std::span<const Play> plays, std::span<const Feedback> feedback) {
    std::vector<ListenerExample> out;
    for (const Play& p : plays) {
        if (!p.mood) continue;
        switch (p.outcome) {
            case PlayOutcome::Finished: out.push_back({p.song.id, *p.mood, 1.0, 1.0}); break;
            case PlayOutcome::Skipped: out.push_back({p.song.id, *p.mood, 0.0, 1.0}); break;
            case PlayOutcome::Switched: out.push_back({p.song.id, *p.mood, 0.0, 0.5}); break;
            case PlayOutcome::Failed:
            case PlayOutcome::Stopped: break;
        }
    }
    for (const Feedback& f : feedback)
        if (f.song_id) out.push_back({*f.song_id, f.feeling, 1.0, 2.0});
    return out;
}

ListenerModel::ListenerModel(std::span<const StoredAnalysis> songs, std::span<const ListenerExample> examples,
                             const ListenerModelOptions& options)
    : trust_half_(options.trust_half) {
    std::unordered_map<std::int64_t, MoodTerms> terms;
    for (const StoredAnalysis& s : songs) terms.emplace(s.song_id, mood_terms(s.analysis.features));
    for (Emotion mood : kAllEmotions) {
        std::vector<std::pair<const ListenerExample*, const MoodTerms*>> rows;
        std::size_t kept = 0, not_kept = 0;
        for (const ListenerExample& e : examples) {
            auto it = terms.find(e.song_id);
            if (e.mood != mood || it == terms.end() || !(e.weight > 0)) continue;
            rows.emplace_back(&e, &it->second);
            (e.kept >= 0.5 ? kept : not_kept) += 1;
        }
        if (rows.size() < options.min_examples || kept < options.min_each_outcome || not_kept < options.min_each_outcome)
            continue;
        // Normal equations of weighted ridge regression: (X'WX + lambda I') w = X'Wy, the intercept unpenalised.
        cv::Mat a = cv::Mat::zeros(kTerms + 1, kTerms + 1, CV_64F), b = cv::Mat::zeros(kTerms + 1, 1, CV_64F);
        Fit fit;
        for (auto [example, t] : rows) {
            const auto v = t->values();
            std::array<double, kTerms + 1> x{};
            x[0] = 1;
            std::copy(v.begin(), v.end(), x.begin() + 1);
            for (std::size_t i = 0; i <= kTerms; ++i) {
                b.at<double>(static_cast<int>(i)) += example->weight * x[i] * example->kept;
                for (std::size_t j = 0; j <= kTerms; ++j)
                    a.at<double>(static_cast<int>(i), static_cast<int>(j)) += example->weight * x[i] * x[j];
            }
            fit.evidence += example->weight;
        }
        for (int i = 1; i <= static_cast<int>(kTerms); ++i) a.at<double>(i, i) += options.ridge;
        cv::Mat w;
        if (!cv::solve(a, b, w, cv::DECOMP_CHOLESKY) && !cv::solve(a, b, w, cv::DECOMP_SVD)) continue;
        for (std::size_t i = 0; i <= kTerms; ++i) fit.weights[i] = w.at<double>(static_cast<int>(i));
        fits_[static_cast<std::size_t>(label_of(mood))] = fit;
    }
}

bool ListenerModel::fitted(Emotion mood) const { return fits_[static_cast<std::size_t>(label_of(mood))].has_value(); }

double ListenerModel::evidence(Emotion mood) const {
    const auto& fit = fits_[static_cast<std::size_t>(label_of(mood))];
    return fit ? fit->evidence : 0.0;
}

std::optional<double> ListenerModel::kept_chance(Emotion mood, const MoodTerms& t) const {
    const auto& fit = fits_[static_cast<std::size_t>(label_of(mood))];
    if (!fit) return std::nullopt;
    const auto v = t.values();
    double y = fit->weights[0];
    for (std::size_t i = 0; i < kTerms; ++i) y += fit->weights[i + 1] * v[i];
    return std::clamp(y, 0.0, 1.0);
}

std::array<double, kEmotionCount> ListenerModel::affinity(const AudioFeatures& f) const {
    const MoodTerms t = mood_terms(f);
    std::array<double, kEmotionCount> affinity = emotion_affinity(mood_point(t));
    for (Emotion mood : kAllEmotions) {
        const auto chance = kept_chance(mood, t);
        if (!chance) continue;
        const double trust = evidence(mood) / (evidence(mood) + trust_half_);
        double& a = affinity[static_cast<std::size_t>(label_of(mood))];
        a = (1 - trust) * a + trust * *chance;
    }
    return affinity;
}

std::vector<EmotionWeight> ListenerModel::tags(const AudioFeatures& f) const { return emotions_from_affinity(affinity(f)); }

std::vector<AutoTags> auto_tags(std::span<const StoredAnalysis> songs, const ListenerModel& model) {
    std::vector<AutoTags> out;
    out.reserve(songs.size());
    for (const StoredAnalysis& s : songs) out.push_back({s.song_id, model.tags(s.analysis.features)});
    return out;
}

}  // namespace dangpli
