#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "dangpli/error.hpp"
#include "dangpli/live_trace.hpp"
#include "support.hpp"

using namespace dangpli;
using dangpli::test::TempDir;
using dangpli::test::write_file;

namespace {

TraceFrame with_face(double t, bool new_person = false) {
    TraceFrame f;
    f.time = t;
    f.faces = 2;
    Face face;
    face.box = {101.25f, 57.125f, 143.3333f, 151.0f / 3.0f};
    face.score = 0.9987654f;
    for (std::size_t i = 0; i < face.landmarks.size(); ++i)
        face.landmarks[i] = {120.0f + 7.1f * static_cast<float>(i), 80.0f + 1.0f / 3.0f * static_cast<float>(i)};
    f.main_face = face;
    EmotionScores s;
    s.probabilities = {0.05f, 0.01f, 0.1f, 1.0f / 3.0f, 0.2f, 0.0f, 0.0f};
    s.probabilities[6] = 1.0f - (0.05f + 0.01f + 0.1f + 1.0f / 3.0f + 0.2f);
    f.scores = s;
    f.new_person = new_person;
    return f;
}

TraceFrame without_face(double t) {
    TraceFrame f;
    f.time = t;
    return f;
}

// Writes `line` as line 2 of a trace (line 1 is a good frame) and returns read_trace()'s message.
std::string error_for(const TempDir& dir, const std::string& line) {
    auto file = dir / "bad.jsonl";
    write_file(file, "{\"t\":0.5,\"faces\":0}\n" + line + "\n");
    try {
        read_trace(file);
    } catch (const DataError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("a trace reads back as written: faces, scores, new person, confirmed, frames without a face") {
    TempDir dir;
    const auto file = dir / "run.jsonl";
    {
        TraceWriter writer(file);
        writer.write(with_face(1.0 / 30.0, true));
        writer.write(without_face(2.0 / 30.0));
        writer.write(with_face(2.0 / 30.0));  // the same time twice is allowed
        TraceFrame unconfirmed = with_face(12345.678901234567);
        unconfirmed.confirmed = false;
        writer.write(unconfirmed);
        writer.close();
    }
    auto frames = read_trace(file);
    REQUIRE(frames.size() == 4);
    const TraceFrame want = with_face(0.0);
    for (std::size_t i : {0u, 2u, 3u}) {
        CAPTURE(i);
        REQUIRE(frames[i].main_face);
        REQUIRE(frames[i].scores);
        CHECK(frames[i].faces == 2);
        CHECK(frames[i].main_face->box == want.main_face->box);
        CHECK(frames[i].main_face->score == want.main_face->score);
        CHECK(frames[i].main_face->landmarks == want.main_face->landmarks);
        CHECK(frames[i].scores->probabilities == want.scores->probabilities);
        CHECK(frames[i].scores->emotion == Emotion::Happy);
        CHECK(frames[i].scores->confidence == 1.0f / 3.0f);
    }
    CHECK(frames[0].time == 1.0 / 30.0);
    CHECK(frames[0].new_person);
    CHECK_FALSE(frames[2].new_person);
    CHECK(frames[3].time == 12345.678901234567);
    CHECK(frames[0].confirmed);
    CHECK_FALSE(frames[3].confirmed);
    CHECK(test::read_file(file).find("\"confirmed\":false") != std::string::npos);
    CHECK(test::read_file(file).find("\"confirmed\":true") == std::string::npos);  // written only when false
    CHECK(frames[1].time == 2.0 / 30.0);
    CHECK(frames[1].faces == 0);
    CHECK_FALSE(frames[1].main_face);
    CHECK_FALSE(frames[1].scores);
    CHECK(test::read_file(file).find("{\"t\":0.06666666666666667,\"faces\":0}\n") != std::string::npos);
}

TEST_CASE("an empty trace has no frames; blank lines are skipped; defaults for optional keys") {
    TempDir dir;
    write_file(dir / "empty.jsonl", "");
    CHECK(read_trace(dir / "empty.jsonl").empty());
    write_file(dir / "short.jsonl",
               "\n{\"t\":1}\n  \n{\"t\":2,\"box\":[1,2,3,4],\"scores\":[0,0,0,0.5,0.5,0,0],\"extra\":\"ignored\"}\n");
    auto frames = read_trace(dir / "short.jsonl");
    REQUIRE(frames.size() == 2);
    CHECK(frames[0].faces == 0);
    CHECK(frames[1].faces == 1);
    REQUIRE(frames[1].scores);
    CHECK(frames[1].scores->emotion == Emotion::Happy);  // the first of two equal maxima
    CHECK(frames[1].main_face->score == 0.0f);
    CHECK_FALSE(frames[1].new_person);
    CHECK(frames[1].confirmed);
}

TEST_CASE("malformed lines are refused with file:line: and what is wrong") {
    TempDir dir;
    const std::string at = (dir / "bad.jsonl").string() + ":2: ";
    auto check = [&](const std::string& line, const std::string& what) {
        CAPTURE(line);
        std::string message = error_for(dir, line);
        CHECK(message.rfind(at, 0) == 0);
        CHECK(message.find(what) != std::string::npos);
    };
    check("{\"t\":1,", "not valid JSON");
    // Without its line end, the same line is the end of a run stopped mid-write: said so.
    write_file(dir / "cut.jsonl", "{\"t\":0.5,\"faces\":0}\n{\"t\":1,");
    CHECK_THROWS_WITH_AS(read_trace(dir / "cut.jsonl"),
                         ((dir / "cut.jsonl").string() + ":2: the last line is cut short (the run that wrote the trace "
                                                        "was stopped?); remove it to replay the rest").c_str(),
                         DataError);
    check("[1,2]", "not a JSON object");
    check("{\"t\":1.5,\"event\":\"mood_changed\",\"emotion\":\"sad\"}", "a line of an events file (--events), not of a trace");
    check("{\"t\":-3.6893488147419103e+17,\"faces\":0}", "is not in 0 s .. a year");
    check("{\"faces\":0}", "no time");
    check("{\"t\":\"soon\"}", "'t' is not a number");
    check("{\"t\":0.25,\"faces\":0}", "earlier than");
    check("{\"t\":1,\"scores\":[0,0,0,1,0,0,0]}", "'scores' without a 'box'");
    check("{\"t\":1,\"box\":[1,2,3,4]}", "'box' without 'scores'");
    check("{\"t\":1,\"box\":[1,2,3,4],\"scores\":[0,0,0,0.5,0.4,0,0]}", "sum to");
    check("{\"t\":1,\"box\":[1,2,3,4],\"scores\":[0,0,0,1,0,0]}", "array of 7");
    check("{\"t\":1,\"box\":[1,2,3,4],\"scores\":[0,0,0,1.5,-0.5,0,0]}", "not in [0, 1]");
    check("{\"t\":1,\"box\":[1,2,0,4],\"scores\":[0,0,0,1,0,0,0]}", "no area");
    check("{\"t\":1,\"faces\":0,\"box\":[1,2,3,4],\"scores\":[0,0,0,1,0,0,0]}", "'faces' is 0");
    check("{\"t\":1,\"faces\":-1}", "'faces' is not a count");
    check("{\"t\":1,\"box\":[1,2,3,4],\"scores\":[0,0,0,1,0,0,0],\"new_person\":1}", "'new_person'");
    check("{\"t\":1,\"box\":[1,2,3,4],\"scores\":[0,0,0,1,0,0,0],\"confirmed\":\"no\"}", "'confirmed'");
    check("{\"t\":1,\"box\":[1,2,3,4],\"scores\":[0,0,0,1,0,0,0],\"landmarks\":[[1,2]]}", "'landmarks'");
}

TEST_CASE("a missing path or a directory is an InputError to read and a WriteError to write") {
    TempDir dir;
    CHECK_THROWS_AS(read_trace(dir / "missing.jsonl"), InputError);
    CHECK_THROWS_AS(read_trace(dir.path()), InputError);
    CHECK_THROWS_AS(TraceWriter(dir.path()), WriteError);
    CHECK_THROWS_AS(TraceWriter(dir / "no-such-folder" / "t.jsonl"), WriteError);
    try {
        TraceWriter writer(dir.path());
    } catch (const WriteError& e) {
        CHECK(std::string(e.what()).find(dir.path().string()) != std::string::npos);
    }
}

TEST_CASE("a second writer of one trace file is refused while the first writes, and the first's frames stay whole") {
    // Two live runs given the same --trace interleaved their frames: a trace no replay could read.
    TempDir dir;
    const auto path = dir / "t.jsonl";
    TraceWriter first(path);
    TraceFrame frame;
    frame.time = 0.5;
    first.write(frame);
    CHECK_THROWS_WITH_AS(TraceWriter{path}, doctest::Contains("t.jsonl: another program is writing a trace there"), WriteError);
    frame.time = 1.0;
    first.write(frame);
    first.close();
    CHECK(read_trace(path).size() == 2);  // not emptied by the refused writer
    {
        TraceWriter dropped(path);  // a run that fails before its first frame (its store refused, say)
    }
    TraceWriter stopped(path);  // or is stopped before it (Ctrl-C while the models load)
    stopped.close();
    CHECK(read_trace(path).size() == 2);  // leaves the old trace as it was
    TraceWriter again(path);  // once the first is done, the file is anyone's: written afresh
    again.write(frame);
    again.close();
    CHECK(read_trace(path).size() == 1);
}

TEST_CASE("the writer refuses a time going backwards and scores without a face") {
    TempDir dir;
    TraceWriter writer(dir / "t.jsonl");
    writer.write(without_face(2.0));
    CHECK_THROWS_AS(writer.write(without_face(1.0)), InputError);
    TraceFrame half = with_face(3.0);
    half.main_face.reset();
    CHECK_THROWS_AS(writer.write(half), InputError);
    writer.write(with_face(2.0));
    writer.close();
    writer.close();  // a second close does nothing
    CHECK_THROWS_AS(writer.write(without_face(4.0)), Error);
    CHECK(read_trace(dir / "t.jsonl").size() == 2);
}

TEST_CASE("a failed write throws, naming the file") {
    const std::filesystem::path full = "/dev/full";
    if (!std::filesystem::exists(full)) {
        MESSAGE("no /dev/full here: skipped");
        return;
    }
    TraceWriter writer(full);
    try {
        writer.write(with_face(1.0));
        FAIL("writing to /dev/full did not throw");
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("/dev/full") != std::string::npos);
    }
}
