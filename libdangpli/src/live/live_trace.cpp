// Trace files: JSON Lines written with fmt (shortest round-trip numbers), read with nlohmann_json.
#include "dangpli/live_trace.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "dangpli/error.hpp"
#include "dangpli/input_file.hpp"
#include "dangpli/output_file.hpp"

namespace dangpli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kSumTolerance = 1e-3;

bool finite_face(const Face& f) {
    auto ok = [](float v) { return std::isfinite(v); };
    bool all = ok(f.box.x) && ok(f.box.y) && ok(f.box.width) && ok(f.box.height) && ok(f.score);
    for (const auto& p : f.landmarks) all = all && ok(p.x) && ok(p.y);
    return all;
}

std::string format_line(const TraceFrame& frame) {
    std::string s;
    auto out = std::back_inserter(s);
    fmt::format_to(out, R"({{"t":{},"faces":{})", frame.time, frame.faces);
    if (frame.main_face) {
        const Face& f = *frame.main_face;
        fmt::format_to(out, R"(,"box":[{},{},{},{}],"score":{},"landmarks":[)", f.box.x, f.box.y, f.box.width,
                       f.box.height, f.score);
        for (std::size_t i = 0; i < f.landmarks.size(); ++i)
            fmt::format_to(out, "{}[{},{}]", i ? "," : "", f.landmarks[i].x, f.landmarks[i].y);
        fmt::format_to(out, R"(],"scores":[{}],"new_person":{})", fmt::join(frame.scores->probabilities, ","),
                       frame.new_person);
        if (!frame.confirmed) s += R"(,"confirmed":false)";
    }
    s += "}\n";
    return s;
}

// Reading: every check throws DataError "file:line: ...".
struct LineReader {
    std::string where;  // "file:line: "

    [[noreturn]] void fail(const std::string& what) const { throw DataError(where + what); }

    double number(const json& j, const char* name) const {
        if (!j.is_number()) fail(fmt::format("'{}' is not a number", name));
        double v = j.get<double>();
        if (!std::isfinite(v)) fail(fmt::format("'{}' is not finite", name));
        return v;
    }
    float number_f(const json& j, const char* name) const { return static_cast<float>(number(j, name)); }

    const json& array(const json& j, const char* name, std::size_t size) const {
        if (!j.is_array() || j.size() != size) fail(fmt::format("'{}' is not an array of {} values", name, size));
        return j;
    }

    Face face(const json& obj) const {
        Face f;
        const json& box = array(obj.at("box"), "box", 4);
        f.box = {number_f(box[0], "box"), number_f(box[1], "box"), number_f(box[2], "box"), number_f(box[3], "box")};
        if (!(f.box.width > 0.0f && f.box.height > 0.0f)) fail("'box' has no area (width and height must be > 0)");
        if (auto it = obj.find("score"); it != obj.end()) f.score = number_f(*it, "score");
        if (auto it = obj.find("landmarks"); it != obj.end()) {
            const json& marks = array(*it, "landmarks", 5);
            for (std::size_t i = 0; i < 5; ++i) {
                const json& p = array(marks[i], "landmarks", 2);
                f.landmarks[i] = {number_f(p[0], "landmarks"), number_f(p[1], "landmarks")};
            }
        }
        return f;
    }

    EmotionScores scores(const json& j) const {
        const json& arr = array(j, "scores", kEmotionCount);
        EmotionScores s;
        double sum = 0.0;
        for (std::size_t i = 0; i < kEmotionCount; ++i) {
            double p = number(arr[i], "scores");
            if (p < 0.0 || p > 1.0) fail(fmt::format("score {} of 'scores' is {}, not in [0, 1]", i + 1, p));
            s.probabilities[i] = static_cast<float>(p);
            sum += p;
        }
        if (std::abs(sum - 1.0) > kSumTolerance) fail(fmt::format("the 7 'scores' sum to {}, not 1", sum));
        auto best = std::max_element(s.probabilities.begin(), s.probabilities.end());
        s.emotion = static_cast<Emotion>(best - s.probabilities.begin());
        s.confidence = *best;
        return s;
    }

    TraceFrame frame(const std::string& line) const {
        json obj = json::parse(line, nullptr, false);
        if (obj.is_discarded()) fail("not valid JSON");
        if (!obj.is_object()) fail("not a JSON object");
        // Both files are JSON lines with a time: an events file read as a trace was frames without a face.
        if (obj.contains("event")) fail("a line of an events file (--events), not of a trace (--trace)");
        TraceFrame frame;
        auto t = obj.find("t");
        if (t == obj.end()) fail("no time 't'");
        frame.time = number(*t, "t");
        // A time before the start, or past a year, is a broken source's, not a clock's (the loop's
        // windows are seconds wide).
        if (!(frame.time >= 0.0 && frame.time < kLatestFrameSeconds))
            fail(fmt::format("time {} is not in 0 s .. a year", frame.time));
        const bool has_box = obj.contains("box"), has_scores = obj.contains("scores");
        if (has_scores && !has_box) fail("'scores' without a 'box'");
        if (has_box && !has_scores) fail("'box' without 'scores'");
        if (has_box) {
            frame.main_face = face(obj);
            frame.scores = scores(obj.at("scores"));
        }
        if (auto it = obj.find("faces"); it != obj.end()) {
            if (!it->is_number_unsigned()) fail("'faces' is not a count (an integer >= 0)");
            frame.faces = it->get<std::size_t>();
            if (has_box && frame.faces == 0) fail("'faces' is 0 but a main face is given");
        } else {
            frame.faces = has_box ? 1 : 0;
        }
        if (auto it = obj.find("new_person"); it != obj.end()) {
            if (!it->is_boolean()) fail("'new_person' is not true or false");
            frame.new_person = it->get<bool>();
        }
        if (auto it = obj.find("confirmed"); it != obj.end()) {
            if (!it->is_boolean()) fail("'confirmed' is not true or false");
            frame.confirmed = it->get<bool>();
        }
        return frame;
    }
};

}  // namespace

TraceWriter::TraceWriter(const fs::path& path) : path_(path) {
    std::error_code ec;
    auto st = fs::status(path, ec);
    if (fs::exists(st) && !fs::is_regular_file(st) && !fs::is_character_file(st) && !fs::is_fifo(st))
        throw WriteError(fmt::format("{}: cannot write a trace there (not a file)", path.string()));
    const auto cannot_open = [&](int error) {
        return WriteError(fmt::format("{}: cannot open for writing ({})", path.string(), std::strerror(error)));
    };
    if (names_own_descriptor(path) || (fs::exists(st) && !fs::is_regular_file(st))) {
        file_.reset(std::fopen(path.c_str(), names_own_descriptor(path) ? "a" : "w"));
        if (!file_) throw cannot_open(errno);
        return;
    }
    // A file: locked before it is emptied, so that a second run given the same trace is refused
    // rather than interleaving its frames with the first's (a trace no replay can read). The kernel
    // drops the lock however the run ends.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) throw cannot_open(errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(fd);
        if (error == EWOULDBLOCK) throw WriteError(fmt::format("{}: another program is writing a trace there", path.string()));
        throw cannot_open(error);
    }
    file_.reset(::fdopen(fd, "w"));  // "w" on a descriptor does not truncate: empty_if_kept() does
    if (!file_) {
        const int error = errno;
        ::close(fd);
        throw cannot_open(error);
    }
    to_empty_ = true;
}

void TraceWriter::empty_if_kept() {
    if (!to_empty_) return;
    if (::ftruncate(::fileno(file_.get()), 0) != 0)
        throw WriteError(fmt::format("{}: cannot empty the old trace ({})", path_.string(), std::strerror(errno)));
    to_empty_ = false;
}

TraceWriter::~TraceWriter() = default;
TraceWriter::TraceWriter(TraceWriter&& other) noexcept = default;
TraceWriter& TraceWriter::operator=(TraceWriter&& other) noexcept = default;

void TraceWriter::write(const TraceFrame& frame) {
    if (!file_) throw Error(fmt::format("{}: trace already closed", path_.string()));
    auto refuse = [&](const char* what) {
        throw InputError(fmt::format("{}: frame at t={} not written: {}", path_.string(), frame.time, what));
    };
    if (!std::isfinite(frame.time)) refuse("time is not finite");
    if (last_time_ && frame.time < *last_time_) refuse(fmt::format("time goes back from {}", *last_time_).c_str());
    if (frame.main_face.has_value() != frame.scores.has_value()) refuse("a main face needs scores and scores a main face");
    if (frame.main_face) {
        if (!finite_face(*frame.main_face)) refuse("the main face has a number that is not finite");
        for (float p : frame.scores->probabilities)
            if (!std::isfinite(p)) refuse("a score is not finite");
    }
    const std::string line = format_line(frame);
    empty_if_kept();
    if (std::fwrite(line.data(), 1, line.size(), file_.get()) != line.size() || std::fflush(file_.get()) != 0)
        throw WriteError(fmt::format("{}: cannot write trace ({})", path_.string(), std::strerror(errno)));
    last_time_ = frame.time;
}

void TraceWriter::close() {
    if (!file_) return;
    std::FILE* f = file_.release();
    const bool flushed = std::fflush(f) == 0;
    const int flush_errno = errno;
    const bool closed = std::fclose(f) == 0;
    if (!flushed || !closed)
        throw WriteError(fmt::format("{}: cannot close trace ({})", path_.string(), std::strerror(flushed ? errno : flush_errno)));
}

std::vector<TraceFrame> read_trace(const fs::path& path) {
    check_input_file(path, input_limits::kTrace, "a trace");
    std::ifstream in(path);
    if (!in) throw InputError(fmt::format("{}: cannot open ({})", path.string(), std::strerror(errno)));
    std::vector<TraceFrame> frames;
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        if (std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; })) continue;
        LineReader reader{fmt::format("{}:{}: ", path.string(), number)};
        // The last line without its line end, and not JSON: the run that wrote it was stopped mid-line.
        if (in.eof() && json::parse(line, nullptr, false).is_discarded())
            reader.fail("the last line is cut short (the run that wrote the trace was stopped?); remove it to replay the rest");
        TraceFrame frame = reader.frame(line);
        if (!frames.empty() && frame.time < frames.back().time)
            reader.fail(fmt::format("time {} is earlier than the line before's {}", frame.time, frames.back().time));
        frames.push_back(std::move(frame));
    }
    if (in.bad()) throw DataError(fmt::format("{}: read error ({})", path.string(), std::strerror(errno)));
    return frames;
}

}  // namespace dangpli
