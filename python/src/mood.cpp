// dangpli.EmotionAggregator: per-frame scores over time to a mood, as `dangpli live` follows it.
#include <algorithm>
#include <string>

#include <fmt/core.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "dangpli/emotion_aggregator.hpp"
#include "dangpli/error.hpp"

namespace py = pybind11;

namespace dangpli::python {

namespace {

// Scores as analyze gives them ({"angry": p, ...}, or a face dict holding "scores") or seven
// probabilities in label order.
EmotionScores scores_from_checked(const py::handle& object);

// pybind11's own "Unable to cast Python instance to C++ type" named neither the argument nor the value.
EmotionScores scores_from(const py::handle& object) {
    try {
        return scores_from_checked(object);
    } catch (const py::cast_error&) {
        throw InputError(fmt::format("scores: expected a dict of emotion name to probability, or {} numbers in "
                                     "EMOTIONS order, got {}", kEmotionCount, py::str(py::repr(object)).cast<std::string>()));
    }
}

EmotionScores scores_from_checked(const py::handle& object) {
    EmotionScores s;
    py::handle source = object;
    if (py::isinstance<py::dict>(object) && object.cast<py::dict>().contains("scores")) source = object["scores"];
    if (py::isinstance<py::dict>(source)) {
        const auto d = source.cast<py::dict>();
        for (const auto& [key, value] : d) {
            const auto name = py::str(key).cast<std::string>();
            const auto e = parse_emotion(name);
            if (!e) throw InputError(fmt::format("scores: unknown emotion '{}'", name));
            s.probabilities[static_cast<std::size_t>(label_of(*e))] = value.cast<float>();
        }
    } else {
        const auto values = source.cast<std::vector<float>>();
        if (values.size() != kEmotionCount)
            throw InputError(fmt::format("scores: expected {} probabilities in label order, got {}", kEmotionCount,
                                         values.size()));
        std::copy(values.begin(), values.end(), s.probabilities.begin());
    }
    const auto best = std::max_element(s.probabilities.begin(), s.probabilities.end());
    s.emotion = kAllEmotions[static_cast<std::size_t>(best - s.probabilities.begin())];
    s.confidence = *best;
    return s;
}

py::dict mood_dict(const Mood& mood) {
    py::dict support;
    for (Emotion e : kAllEmotions) support[py::str(std::string(to_string(e)))] = mood.support[static_cast<std::size_t>(label_of(e))];
    py::dict d;
    d["emotion"] = mood.emotion ? py::object(py::str(std::string(to_string(*mood.emotion)))) : py::object(py::none());
    d["confidence"] = mood.confidence;
    d["clear"] = mood.clear;
    d["seconds"] = mood.seconds;
    d["support"] = support;
    return d;
}

EmotionAggregator make_aggregator(const std::string& strategy, double window, double min_face, float switch_margin,
                                  double hold, float clear_margin) {
    const auto parsed = parse_aggregation_strategy(strategy);
    if (!parsed) throw InputError(fmt::format("strategy: unknown aggregation strategy '{}' (expected mean, ema or majority)", strategy));
    EmotionAggregatorOptions o;
    o.strategy = *parsed;
    o.window_s = window;
    o.min_face_s = min_face;
    o.switch_margin = switch_margin;
    o.hold_s = hold;
    o.clear_margin = clear_margin;
    return EmotionAggregator(o);
}

}  // namespace

void bind_mood(py::module_& m) {
    py::list emotions;
    for (Emotion e : kAllEmotions) emotions.append(std::string(to_string(e)));
    m.attr("EMOTIONS") = py::tuple(emotions);

    const EmotionAggregatorOptions defaults;
    py::class_<EmotionAggregator>(m, "EmotionAggregator", R"(Scores over time to a mood: the emotion that leads the
last `window` seconds, changed only after a lead held for about `hold` seconds, and marked unclear
when no emotion leads by `clear_margin`. Times are seconds on the frames' clock.)")
        .def(py::init(&make_aggregator), py::arg("strategy") = std::string(to_string(defaults.strategy)),
             py::arg("window") = defaults.window_s, py::arg("min_face") = defaults.min_face_s,
             py::arg("switch_margin") = defaults.switch_margin, py::arg("hold") = defaults.hold_s,
             py::arg("clear_margin") = defaults.clear_margin)
        .def(
            "push",
            [](EmotionAggregator& self, double time, const py::handle& scores, float weight) {
                return mood_dict(self.push(time, scores_from(scores), weight));
            },
            py::arg("time"), py::arg("scores"), py::arg("weight") = 1.0f,
            "Adds one frame's scores (a face dict from Analyzer.analyze, its 'scores' dict, or seven probabilities "
            "in EMOTIONS order) at `time` seconds; returns the mood {emotion, confidence, clear, seconds, support} "
            "(emotion None until min_face seconds of face were seen).")
        .def("push_no_face", [](EmotionAggregator& self) { return mood_dict(self.push_no_face()); },
             "A frame without a face: it does not count, and the mood stays as it is; returns the mood.")
        .def_property_readonly("mood", [](const EmotionAggregator& self) { return mood_dict(self.mood()); },
                               "The mood after the last frame {emotion, confidence, clear, seconds, support} "
                               "(emotion None before min_face seconds of face).")
        .def("reset", &EmotionAggregator::reset, "Forgets every frame (a new person).");
}

}  // namespace dangpli::python
