// `dangpli analyze` given what a user gives by mistake or by chance: missing, broken, cut and
// mislabelled files, videos and songs, photos as phones store them (sideways, HEIC), paths on stdin.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <chrono>
#include <csignal>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analyze_rows.hpp"
#include "support.hpp"

using dangpli::test::faces_in;
using dangpli::test::kFacesDir;
using dangpli::test::lines_of;
using dangpli::test::run_cli;
using dangpli::test::shell_quote;
using dangpli::test::TempDir;
using nlohmann::json;

namespace fs = std::filesystem;

TEST_CASE("bad files: one line each on stderr, an error row each in jsonl, the batch goes on, exit code 1") {
    TempDir tmp;
    dangpli::test::write_file(tmp / "text.jpg", "this is not a JPEG\n");
    const std::string jpeg = dangpli::test::read_file(kFacesDir / "neutral.jpeg");
    dangpli::test::write_file(tmp / "cut.jpeg", jpeg.substr(0, jpeg.size() / 2));
    fs::create_directories(tmp / "empty");
    // A whole header and too few pixels: OpenCV's decoder printed its own two lines before ours.
    dangpli::test::write_file(tmp / "short.ppm", "P6 100 100 255\n" + std::string(1000, '\x7f'));
    const auto missing = (tmp / "missing.png").string();
    const std::vector<std::string> inputs{missing, (tmp / "text.jpg").string(), (kFacesDir / "group.jpeg").string(),
                                          (tmp / "cut.jpeg").string(), (tmp / "empty").string(),
                                          (tmp / "short.ppm").string()};
    std::string args;
    for (const auto& input : inputs) args += " " + shell_quote(input);
    const auto r = run_cli("analyze --format jsonl -j 2" + args);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("dangpli: " + missing + ": no such file\n") != std::string::npos);
    CHECK(r.err.find("dangpli: " + (tmp / "text.jpg").string() + ": not an image") != std::string::npos);
    CHECK(r.err.find("dangpli: " + (tmp / "cut.jpeg").string() + ": truncated JPEG") != std::string::npos);
    CHECK(r.err.find("dangpli: " + (tmp / "short.ppm").string() + ": corrupt PNM: the decoder cannot read it\n") !=
          std::string::npos);
    CHECK(r.err.find("imdecode") == std::string::npos);
    CHECK(lines_of(r.err).size() == 5);
    // A mapper's contract: one line per input path, in input order, each naming its path; a
    // failed one says why, in the words of its stderr line.
    const auto lines = lines_of(r.out);
    REQUIRE(lines.size() == inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const json row = json::parse(lines[i]);
        CHECK(row.at("path") == inputs[i]);
        if (i == 2) {
            CHECK(faces_in(row) == 5);
            CHECK(!row.contains("error"));
            continue;
        }
        REQUIRE(row.size() == 2);
        const auto error = row.at("error").get<std::string>();
        CHECK(error.rfind(inputs[i] + ": ", 0) == 0);
        CHECK(r.err.find("dangpli: " + error + "\n") != std::string::npos);
    }
    CHECK(json::parse(lines[4]).at("error").get<std::string>().find("no image files") != std::string::npos);
}

TEST_CASE("a video or a song given to analyze is named as one, with the command that takes it") {
    TempDir tmp;
    const std::string face = shell_quote((kFacesDir / "happy-baby.jpeg").string());
    // A clip named like a photo (a phone's live photo, renamed) and a song with its cover: neither is
    // "not an image" to a user, who meant the faces in the clip or put the song in the wrong place.
    const auto clip = tmp / "clip.jpg", song = tmp / "song.m4a";
    const auto made = dangpli::test::run_command(
        "ffmpeg -v error -y -loop 1 -i " + face + " -t 1 -vf scale=320:-2 -c:v mjpeg -f matroska " +
        shell_quote(clip.string()) + " && ffmpeg -v error -y -f lavfi -i sine=frequency=440:duration=3 -i " + face +
        " -map 0:a -map 1:v -c:a aac -c:v png -vf scale=320:-2 -disposition:v attached_pic " + shell_quote(song.string()));
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    const auto r = run_cli("analyze --format jsonl " + shell_quote(clip.string()) + " " + shell_quote(song.string()));
    CHECK(r.exit_code == 1);
    CHECK(r.err == "dangpli: " + clip.string() + ": a video, not an image (analyze reads photos; 'dangpli live --source "
                   "FILE' watches a video)\n"
                   "dangpli: " + song.string() + ": a sound file, not an image (songs go in with 'dangpli playlist add' "
                   "or 'scan')\n");
    CHECK(lines_of(r.out).size() == 2);
}

TEST_CASE("paths from stdin: a row per line as a mapper gets them, failed ones included; csv keeps errors on stderr") {
    TempDir tmp;
    dangpli::test::write_file(tmp / "text.png", "not a PNG");
    const std::string paths = (kFacesDir / "neutral.jpeg").string() + "\n" + (tmp / "text.png").string() + "\n" +
                              (kFacesDir / "neutral.jpeg").string() + "\n";
    const auto r = run_cli("analyze --format jsonl -", paths);
    CHECK(r.exit_code == 1);
    const auto lines = lines_of(r.out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == lines[2]);  // the same path twice: the same row twice
    CHECK(json::parse(lines[1]).at("error").get<std::string>().find("text.png: not an image") != std::string::npos);
    const auto csv = run_cli("analyze --format csv -", paths);
    CHECK(csv.exit_code == 1);
    CHECK(lines_of(csv.out).size() == 1 + 2);
    CHECK(csv.err.find("text.png: not an image") != std::string::npos);
}

TEST_CASE("paths from stdin: a list saved with a byte-order mark reads; a stdin that cannot be read is named") {
    const auto bom = run_cli("analyze --format jsonl -", "\xEF\xBB\xBF" + (kFacesDir / "angry.jpg").string() + "\n");
    CHECK(bom.exit_code == 0);
    CHECK(lines_of(bom.out).size() == 1);
    // A folder as stdin read as no lines at all: "no images to analyze".
    const auto folder = dangpli::test::run_command("(" + shell_quote(dangpli::test::kCli.string()) + " analyze - < " +
                                                   shell_quote(kFacesDir.string()) + ")");
    CHECK(folder.exit_code == 3);
    CHECK(folder.err == "dangpli: -: cannot read standard input (Is a directory)\n");
}

TEST_CASE("nothing to analyze: exit code 3 and a clear message") {
    TempDir tmp;
    fs::create_directories(tmp / "empty");
    const auto r = run_cli("analyze " + shell_quote((tmp / "empty").string()));
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("no image files") != std::string::npos);
    CHECK(r.err.find("no images to analyze") != std::string::npos);
    CHECK(r.out.find("PATH") == std::string::npos);
    CHECK(run_cli("analyze -", "").exit_code == 3);
    // A mapper given the folder alone still gets its row (it got nothing: "lose nothing" did not hold).
    const auto jsonl = run_cli("analyze --format jsonl " + shell_quote((tmp / "empty").string()));
    CHECK(jsonl.exit_code == 3);
    REQUIRE(lines_of(jsonl.out).size() == 1);
    CHECK(json::parse(jsonl.out).at("path") == (tmp / "empty").string());
    CHECK(json::parse(jsonl.out).at("error").get<std::string>().find("no image files") != std::string::npos);
}

TEST_CASE("an empty directory beside real images counts as a failed input, with its error row") {
    TempDir tmp;
    fs::create_directories(tmp / "empty");
    const auto r = run_cli("analyze --format json " + shell_quote((tmp / "empty").string()) + " " +
                           shell_quote((kFacesDir / "angry.jpg").string()));
    CHECK(r.exit_code == 1);
    const json out = json::parse(r.out);
    REQUIRE(out.size() == 2);
    CHECK(out[0].at("path") == (tmp / "empty").string());
    CHECK(out[0].contains("error"));
    CHECK(faces_in(out[1]) == 1);
}

TEST_CASE("--max-pixels refuses larger images per file") {
    const auto r = run_cli("analyze --format json --max-pixels 1100000 " + shell_quote((kFacesDir / "angry.jpg").string()) +
                           " " + shell_quote((kFacesDir / "group.jpeg").string()));
    CHECK(r.exit_code == 1);
    // refused from its header, before it is decoded
    CHECK(r.err.find("angry.jpg: the image has 1280x1920 = 2457600 pixels, more than the limit of 1100000") !=
          std::string::npos);
    const json out = json::parse(r.out);
    REQUIRE(out.size() == 2);
    CHECK(out[0].at("error").get<std::string>().find("more than the limit") != std::string::npos);
    CHECK(faces_in(out[1]) == 5);
}

TEST_CASE("whole JPEGs of every flavour pass the truncation check - their cut copies do not") {
    TempDir tmp;
    const cv::Mat img = cv::imread((kFacesDir / "neutral.jpeg").string());
    REQUIRE(!img.empty());
    cv::imwrite((tmp / "progressive.jpg").string(), img, {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
    cv::imwrite((tmp / "restarts.jpg").string(), img, {cv::IMWRITE_JPEG_RST_INTERVAL, 4});
    cv::imwrite((tmp / "optimized.jpg").string(), img, {cv::IMWRITE_JPEG_OPTIMIZE, 1});
    dangpli::test::write_file(tmp / "trailer.jpg",
                              dangpli::test::read_file(kFacesDir / "neutral.jpeg") + "trailing bytes after EOI");
    const auto whole = run_cli("analyze --format jsonl " + shell_quote(tmp.path().string()));
    INFO(whole.err);
    CHECK(whole.exit_code == 0);
    for (const auto& line : lines_of(whole.out)) CHECK(faces_in(json::parse(line)) == 1);
    CHECK(lines_of(whole.out).size() == 4);

    TempDir cut;
    for (const char* name : {"progressive.jpg", "restarts.jpg", "optimized.jpg"}) {
        const std::string bytes = dangpli::test::read_file(tmp / name);
        dangpli::test::write_file(cut / name, bytes.substr(0, bytes.size() * 3 / 4));
    }
    const auto r = run_cli("analyze --format jsonl " + shell_quote(cut.path().string()));
    CHECK(r.exit_code == 1);
    CHECK(lines_of(r.err).size() == 3);
    for (const auto& line : lines_of(r.out)) CHECK(json::parse(line).at("error").get<std::string>().find("truncated JPEG") != std::string::npos);
    CHECK(lines_of(r.out).size() == 3);
}

TEST_CASE("a phone photo stored sideways with an EXIF orientation is read upright, as a viewer shows it") {
    TempDir tmp;
    const cv::Mat photo = cv::imread((kFacesDir / "happy-baby.jpeg").string());
    REQUIRE(!photo.empty());
    cv::Mat stored;
    cv::rotate(photo, stored, cv::ROTATE_90_COUNTERCLOCKWISE);
    std::vector<uchar> jpeg;
    REQUIRE(cv::imencode(".jpg", stored, jpeg));
    const std::string plain(jpeg.begin(), jpeg.end());
    // An APP1 Exif segment right after SOI: a little-endian TIFF with one entry, Orientation (0x0112) = 6
    // ("turn 90 degrees clockwise to show"), as phones write it.
    const std::string tiff = std::string("II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0", 26);
    const std::string payload = std::string("Exif\0\0", 6) + tiff;
    const auto length = payload.size() + 2;
    const std::string app1 = std::string("\xFF\xE1") + static_cast<char>(length >> 8) + static_cast<char>(length & 0xFF) + payload;
    dangpli::test::write_file(tmp / "sideways.jpg", plain);
    dangpli::test::write_file(tmp / "tagged.jpg", plain.substr(0, 2) + app1 + plain.substr(2));
    const auto r = run_cli("analyze --format json " + shell_quote((tmp / "sideways.jpg").string()) + " " +
                           shell_quote((tmp / "tagged.jpg").string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json out = json::parse(r.out);
    CHECK(out[0].at("width") == photo.rows);  // without the tag: the stored, sideways frame
    REQUIRE(faces_in(out[1]) == 1);
    CHECK(out[1].at("width") == photo.cols);
    CHECK(out[1].at("height") == photo.rows);
    // Upright: both eyes well above both mouth corners in the frame the rows give.
    const json& marks = out[1].at("faces")[0].at("landmarks");
    const double eyes = std::max(marks[0][1].get<double>(), marks[1][1].get<double>());
    const double mouth = std::min(marks[3][1].get<double>(), marks[4][1].get<double>());
    CHECK(mouth - eyes > 30.0);
    CHECK(out[1].at("faces")[0].at("emotion") == "happy");
}

TEST_CASE("HEIC and AVIF photos, as phones save them, read as their JPEG does; a cut one is named") {
    TempDir tmp;
    const auto jpeg = kFacesDir / "happy-baby.jpeg";
    // heif-enc (libheif's, x265 and libaom) writes them as a phone would: HEVC or AV1 in a HEIF file.
    const auto made = dangpli::test::run_command(
        "heif-enc -q 80 -o " + shell_quote((tmp / "photo.heic").string()) + " " + shell_quote(jpeg.string()) +
        " > /dev/null && heif-enc -A -q 60 -o " + shell_quote((tmp / "photo.avif").string()) + " " +
        shell_quote(jpeg.string()) + " > /dev/null");
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    const std::string heic = dangpli::test::read_file(tmp / "photo.heic");
    dangpli::test::write_file(tmp / "cut.heic", heic.substr(0, heic.size() / 3));
    const auto r = run_cli("analyze --format jsonl " + shell_quote(jpeg.string()) + " " +
                           shell_quote((tmp / "photo.heic").string()) + " " + shell_quote((tmp / "photo.avif").string()) +
                           " " + shell_quote((tmp / "cut.heic").string()));
    INFO(r.err);
    CHECK(r.exit_code == 1);
    const auto rows = lines_of(r.out);
    REQUIRE(rows.size() == 4);
    const json from_jpeg = json::parse(rows[0]);
    REQUIRE(faces_in(from_jpeg) == 1);
    for (std::size_t i : {1u, 2u}) {
        CAPTURE(i);
        const json row = json::parse(rows[i]);
        CHECK(row.at("width") == from_jpeg.at("width"));
        CHECK(row.at("height") == from_jpeg.at("height"));
        REQUIRE(faces_in(row) == 1);
        const json &face = row.at("faces")[0], &reference = from_jpeg.at("faces")[0];
        CHECK(face.at("emotion") == reference.at("emotion"));
        for (std::size_t k = 0; k < 4; ++k)  // the same face, give or take the codecs' loss
            CHECK(std::abs(face.at("box")[k].get<double>() - reference.at("box")[k].get<double>()) < 15.0);
    }
    // One line, ours, naming the file: libheif's reason, none of its own prints.
    CHECK(lines_of(r.err).size() == 1);
    CHECK(r.err.starts_with("dangpli: " + (tmp / "cut.heic").string() + ": corrupt or truncated HEIF: "));

    // A HEIC whose boxes (ispe) declare 100000x100000: refused by the pixel limit, by name, as any format.
    std::string huge = heic;
    for (auto at = huge.find("ispe"); at != std::string::npos; at = huge.find("ispe", at + 4))
        huge.replace(at + 8, 8, std::string("\0\x01\x86\xA0\0\x01\x86\xA0", 8));
    dangpli::test::write_file(tmp / "huge.heic", huge);
    const auto h = run_cli("analyze " + shell_quote((tmp / "huge.heic").string()));
    CHECK(h.exit_code == 1);
    CHECK(h.err == "dangpli: " + (tmp / "huge.heic").string() +
                       ": the image has 100000x100000 = 10000000000 pixels, more than the limit of 120000000 (--max-pixels N reads it)\n");
}

TEST_CASE("a DANGPLI_MODEL_DIR that is no folder is refused (exit 4), not passed over for the bundled model") {
    // The benches measure another model by this variable: a typo measured the bundled one under its name.
    const auto r = dangpli::test::run_command("DANGPLI_MODEL_DIR=/nonexistent/models " +
                                              shell_quote(dangpli::test::kCli.string()) + " analyze " +
                                              shell_quote((kFacesDir / "angry.jpg").string()));
    CHECK(r.exit_code == 4);
    CHECK(r.err == "dangpli: model error: DANGPLI_MODEL_DIR names /nonexistent/models, which is no folder\n");
}

TEST_CASE("the table shows a file name's control characters escaped: no row split, no escape sequence run") {
    TempDir tmp;
    const auto odd = tmp / "a\x1B[2Jb\nc.jpg";
    fs::copy_file(kFacesDir / "angry.jpg", odd);
    const auto r = run_cli("analyze " + shell_quote(tmp.path().string()));
    CHECK(r.exit_code == 0);
    const auto rows = lines_of(r.out);
    REQUIRE(rows.size() == 2);  // the header and the face's row
    CHECK(rows[1].ends_with("/a\\x1B[2Jb\\nc.jpg"));
    // The machine formats keep the name as it is, in their own escaping.
    const auto jsonl = run_cli("analyze --format jsonl " + shell_quote(tmp.path().string()));
    CHECK(json::parse(lines_of(jsonl.out).at(0)).at("path") == odd.string());
}

TEST_CASE("Ctrl-C, or the terminal closed, ends the output whole: a JSON array closed, the count said, exit 130") {
    // It left an unclosed array and said nothing: a user could not tell the output was cut. A closed
    // terminal (an ssh session dropped, SIGHUP) left just "[".
    const auto folder = dangpli::test::kSharedDir / "data/fer2013/publictest";
    for (const std::string signal : {"INT", "HUP"}) {
        const auto r = dangpli::test::run_command("timeout --preserve-status -s " + signal + " 6 " +
                                                  shell_quote(dangpli::test::kCli.string()) + " analyze --format json -j 1 " +
                                                  shell_quote(folder.string()));
        INFO(signal, ": ", r.err);
        CHECK(r.exit_code == 130);
        const json rows = json::parse(r.out);  // throws on a cut array
        CHECK(rows.is_array());
        CHECK(r.err.find("dangpli analyze: interrupted: " + std::to_string(rows.size()) + " of ") != std::string::npos);
    }
}

TEST_CASE("a second SIGTERM (or Ctrl-C) a second later ends a run stuck writing to a reader that reads nothing") {
    // The first asks the run to stop, which it does between images; one stuck in a write to a stalled
    // pipe polled nothing, and SIGINT and SIGTERM were lost until the reader went away (bb47a C13).
    // (SIGTERM: a script's background job ignores SIGINT, and so does dangpli then.)
    TempDir tmp;
    const auto fifo = tmp / "rows.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    const auto folder = dangpli::test::kSharedDir / "data/fer2013/publictest";
    // A reader that opens the pipe, shrinks it to one page (F_SETPIPE_SZ) and reads nothing.
    const std::string reader = "import fcntl, sys, time; f = open(sys.argv[1], 'rb'); fcntl.fcntl(f, 1031, 4096); time.sleep(60)";
    const std::string script = "python3 -c " + shell_quote(reader) + " " + shell_quote(fifo.string()) + " & reader=$!; " +
                               shell_quote(dangpli::test::kCli.string()) + " analyze --format jsonl -j 1 " +
                               shell_quote(folder.string()) + " > " + shell_quote(fifo.string()) +
                               " & sleep 6; kill -TERM $!; sleep 1.5; kill -TERM $!; wait $!; status=$?; kill $reader; exit $status";
    const auto started = std::chrono::steady_clock::now();
    const auto r = dangpli::test::run_command("bash -c " + shell_quote(script));
    CHECK(r.exit_code == 128 + SIGTERM);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(40));  // not the reader's 60 s
    CHECK(r.err.find("interrupted:") == std::string::npos);  // it could not finish: it was ended
}

TEST_CASE("rows going to a file: the terminal shows how far it got, cleared at the end; never in the rows") {
    TempDir tmp;
    const auto folder = dangpli::test::kSharedDir / "data/fer2013/publictest/happy";
    std::size_t copied = 0;
    for (const auto& entry : fs::directory_iterator(folder))
        if (copied < 60) fs::copy_file(entry.path(), tmp / entry.path().filename().string()), ++copied;
    fs::create_directory(tmp / "out");
    const std::string analyze = shell_quote(dangpli::test::kCli.string()) + " analyze --format jsonl -j 1 " +
                                shell_quote(tmp.path().string()) + " > " + shell_quote((tmp / "out/rows.jsonl").string());
    const auto r = dangpli::test::run_command("script -q -e -c " + shell_quote(analyze) + " " +
                                              shell_quote((tmp / "out/typescript").string()) + " > /dev/null");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const std::string shown = dangpli::test::read_file(tmp / "out/typescript");
    CHECK(shown.find("\ranalyze [") != std::string::npos);  // it was silent for minutes
    CHECK(shown.find("] 1/60 ") != std::string::npos);
    const auto last = shown.rfind("\ranalyze [");
    REQUIRE(last != std::string::npos);
    CHECK(shown.find("\r\x1b[K", last + 1) != std::string::npos);  // cleared
    CHECK(lines_of(dangpli::test::read_file(tmp / "out/rows.jsonl")).size() == 60);
    // Without a terminal, nothing: stderr stays for the lines that matter.
    CHECK(run_cli("analyze --format jsonl -j 1 " + shell_quote(tmp.path().string()) + " > /dev/null").err.empty());
}
