// dangpli.PlaylistStore: the read side of the playlist store, opened read-only. Dicts carry the
// names of `dangpli playlist list|history|stats --format json`.
#include <optional>
#include <string>

#include <fmt/core.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "dangpli/error.hpp"
#include "dangpli/playlist_store.hpp"

namespace py = pybind11;

namespace dangpli::python {

namespace {

std::optional<Emotion> emotion_named(const std::optional<std::string>& name) {
    if (!name) return std::nullopt;
    const auto e = parse_emotion(*name);
    if (!e) throw InputError(fmt::format("emotion: unknown emotion '{}'", *name));
    return e;
}

py::object optional_emotion(const std::optional<Emotion>& e) {
    return e ? py::object(py::str(std::string(to_string(*e)))) : py::object(py::none());
}

py::dict song_dict(const Song& s) {
    py::list tags;
    for (const SongTag& t : s.tags) {
        py::dict tag;
        tag["emotion"] = std::string(to_string(t.emotion));
        tag["weight"] = t.weight;
        tag["source"] = std::string(to_string(t.source));
        tags.append(tag);
    }
    py::dict d;
    d["id"] = s.id;
    d["title"] = s.title;
    d["artist"] = s.artist;
    d["uri"] = s.uri ? py::object(py::str(*s.uri)) : py::object(py::none());
    d["duration_s"] = s.duration ? py::object(py::float_(static_cast<double>(s.duration->count()) / 1000.0))
                                 : py::object(py::none());
    d["play"] = play_target(s);
    d["tags"] = tags;
    return d;
}

PlaylistStore open_read_only(const std::optional<std::filesystem::path>& path) {
    PlaylistStore::Options options;
    options.read_only = true;
    return PlaylistStore(path ? *path : default_store_path(), options);
}

}  // namespace

void bind_store(py::module_& m) {
    py::class_<PlaylistStore>(m, "PlaylistStore", R"(The playlist store (SQLite), opened read-only: songs, plays,
feedback and counts. Nothing is created or changed; write with `dangpli playlist` or `dangpli live`.
One object must not be used from two threads at once.)")
        .def(py::init(&open_read_only), py::arg("path") = py::none(),
             "path: the store's file; None: $XDG_DATA_HOME/dangpli/playlists.db (else ~/.local/share/...)")
        .def_property_readonly("path", &PlaylistStore::path)
        .def(
            "songs",
            [](const PlaylistStore& self, const std::optional<std::string>& emotion) {
                py::list out;
                for (const Song& s : self.songs(emotion_named(emotion))) out.append(song_dict(s));
                return out;
            },
            py::arg("emotion") = py::none(), "Songs with their tags (those tagged `emotion` if given), by artist, title.")
        .def(
            "candidates",
            [](const PlaylistStore& self, const std::string& emotion, std::size_t exclude_recent) {
                py::list out;
                for (const Candidate& c : self.candidates(*emotion_named(emotion), exclude_recent)) {
                    py::dict d = song_dict(c.song);
                    d["candidate_weight"] = c.weight;
                    out.append(d);
                }
                return out;
            },
            py::arg("emotion"), py::arg("exclude_recent") = 0,
            "Songs tagged `emotion`, heaviest first, without those of the last `exclude_recent` plays.")
        .def(
            "history",
            [](const PlaylistStore& self, std::size_t limit) {
                py::list out;
                for (const Play& p : self.history(limit)) {
                    py::dict d;
                    d["id"] = p.id;
                    d["at"] = iso_utc(p.at);
                    d["song_id"] = p.song.id;
                    d["title"] = p.song.title;
                    d["artist"] = p.song.artist;
                    d["mood"] = optional_emotion(p.mood);
                    d["outcome"] = std::string(to_string(p.outcome));
                    out.append(d);
                }
                return out;
            },
            py::arg("limit") = 50, "The last `limit` plays, newest first.")
        .def(
            "feedback",
            [](const PlaylistStore& self, std::size_t limit) {
                py::list out;
                for (const Feedback& f : self.feedback(limit)) {
                    py::dict d;
                    d["id"] = f.id;
                    d["at"] = iso_utc(f.at);
                    d["feeling"] = std::string(to_string(f.feeling));
                    d["song_id"] = f.song_id ? py::object(py::int_(*f.song_id)) : py::object(py::none());
                    d["request"] = f.request;
                    out.append(d);
                }
                return out;
            },
            py::arg("limit") = 50, "The last `limit` answers of the user (feeling and the song asked for), newest first.")
        .def("counts", [](const PlaylistStore& self) {
            const StoreCounts c = self.counts();
            py::dict per;
            for (Emotion e : kAllEmotions) per[py::str(std::string(to_string(e)))] = c.per_emotion[static_cast<std::size_t>(label_of(e))];
            py::dict d;
            d["songs"] = c.songs;
            d["tags"] = c.tags;
            d["plays"] = c.plays;
            d["feedback"] = c.feedback;
            d["per_emotion"] = per;
            return d;
        }, "How many songs, tags, plays and feedback entries it holds, and songs per emotion.");
}

}  // namespace dangpli::python
