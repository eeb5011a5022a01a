// `dangpli analyze` run as a user would: real photos, every output format, its flags (bad input
// files: test_analyze_inputs.cpp).
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analyze_rows.hpp"
#include "dangpli/model_card.hpp"
#include "dangpli/mtcnn_detector.hpp"
#include "dangpli/image_file.hpp"
#include "support.hpp"

using dangpli::test::faces_in;
using dangpli::test::kDlibFacesDir;
using dangpli::test::kFacesDir;
using dangpli::test::kSharedDir;
using dangpli::test::lines_of;
using dangpli::test::run_cli;
using dangpli::test::shell_quote;
using dangpli::test::TempDir;
using nlohmann::json;

namespace fs = std::filesystem;

TEST_CASE("json: one face per portrait, five in the group, fields as documented") {
    const auto r = run_cli("analyze --format json " + shell_quote((kFacesDir / "group.jpeg").string()) + " " +
                           shell_quote((kFacesDir / "neutral.jpeg").string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json out = json::parse(r.out);
    REQUIRE(out.is_array());
    REQUIRE(out.size() == 2);
    CHECK(out[0].at("path") == (kFacesDir / "group.jpeg").string());  // input order
    CHECK(out[0].at("width") == 1280);
    CHECK(out[0].at("height") == 853);
    CHECK(faces_in(out[0]) == 5);
    CHECK(faces_in(out[1]) == 1);
    const json& face = out[1].at("faces")[0];
    CHECK(face.at("box").size() == 4);
    CHECK(face.at("score").get<double>() > 0.9);
    REQUIRE(face.at("landmarks").size() == 5);
    CHECK(face.at("landmarks")[0][0].get<double>() < face.at("landmarks")[1][0].get<double>());
}

TEST_CASE("a directory is searched recursively - several jobs keep the input order") {
    TempDir tmp;
    fs::create_directories(tmp / "a/b");
    fs::copy_file(kFacesDir / "happy-baby.jpeg", tmp / "a/b/2.JPEG");
    fs::copy_file(kFacesDir / "group.jpeg", tmp / "a/1.jpg");
    fs::copy_file(kDlibFacesDir / "2008_002506.jpg", tmp / "3.png.jpg");
    dangpli::test::write_file(tmp / "a/notes.txt", "not an image, skipped in directories");
    const auto r = run_cli("analyze --format jsonl --jobs 2 " + shell_quote(tmp.path().string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto lines = lines_of(r.out);
    REQUIRE(lines.size() == 3);
    std::vector<std::pair<std::string, std::size_t>> got;
    for (const auto& line : lines) {
        const json j = json::parse(line);
        got.emplace_back(fs::path(j.at("path").get<std::string>()).filename().string(), faces_in(j));
    }
    CHECK(got == std::vector<std::pair<std::string, std::size_t>>{{"3.png.jpg", 3}, {"1.jpg", 5}, {"2.JPEG", 1}});
    // Numbers in names in their order, as a file manager shows them (ffmpeg's %d.png: f2 before f10).
    fs::create_directories(tmp / "frames");
    for (const char* name : {"f10.jpg", "f2.jpg", "f1.jpg", "f02.jpg"}) fs::copy_file(kFacesDir / "angry.jpg", tmp / "frames" / name);
    std::vector<std::string> order;
    for (const auto& line : lines_of(run_cli("analyze --format jsonl " + shell_quote((tmp / "frames").string())).out))
        order.push_back(fs::path(json::parse(line).at("path").get<std::string>()).filename().string());
    CHECK(order == std::vector<std::string>{"f1.jpg", "f2.jpg", "f02.jpg", "f10.jpg"});
}

TEST_CASE("paths from stdin with -") {
    const std::string paths = (kFacesDir / "surprised.jpeg").string() + "\n\n" + (kFacesDir / "sad-baby.jpeg").string() + "\n";
    const auto r = run_cli("analyze --format jsonl -", paths);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto lines = lines_of(r.out);
    REQUIRE(lines.size() == 2);
    CHECK(json::parse(lines[0]).at("path") == (kFacesDir / "surprised.jpeg").string());
    CHECK(faces_in(json::parse(lines[1])) == 1);

    // A NUL byte would cut the path short (another file, and a NUL in the output): refused by line.
    const auto nul = run_cli("analyze --format jsonl -", (kFacesDir / "surprised.jpeg").string() + "\n" +
                                                            (kFacesDir / "sad-baby.jpeg").string() + std::string("\0x", 2) + "\n");
    CHECK(nul.exit_code == 3);
    CHECK(nul.err.find("-:2: a NUL byte in a path") != std::string::npos);
    CHECK(nul.out.empty());
}

TEST_CASE("csv: a header, one row per face, one row for an image without faces") {
    TempDir tmp;
    cv::imwrite((tmp / "blank, grey.png").string(), cv::Mat(200, 300, CV_8UC3, cv::Scalar(128, 128, 128)));
    const auto r = run_cli("analyze --format csv " + shell_quote((kFacesDir / "group.jpeg").string()) + " " +
                           shell_quote((tmp / "blank, grey.png").string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto lines = lines_of(r.out);
    REQUIRE(lines.size() == 1 + 5 + 1);
    CHECK(lines[0].rfind("path,width,height,face,score,x,y,w,h,left_eye_x,left_eye_y", 0) == 0);
    const auto columns = std::count(lines[0].begin(), lines[0].end(), ',');
    for (const auto& line : lines) CHECK(std::count(line.begin(), line.end(), ',') == columns + (line[0] == '"' ? 1 : 0));
    CHECK(lines[1].find(",1280,853,1,") != std::string::npos);
    CHECK(lines[6].rfind("\"" + (tmp / "blank, grey.png").string() + "\",300,200,,", 0) == 0);
}

TEST_CASE("table is the default format") {
    const auto r = run_cli("analyze " + shell_quote((kFacesDir / "angry.jpg").string()));
    REQUIRE(r.exit_code == 0);
    const auto lines = lines_of(r.out);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].find("SCORE") != std::string::npos);
    CHECK(lines[1].find("1280x1920") != std::string::npos);
    CHECK(lines[1].find("angry.jpg") != std::string::npos);
}

TEST_CASE("bad flags are usage errors (exit code 2)") {
    const auto img = shell_quote((kFacesDir / "angry.jpg").string());
    const auto unknown = run_cli("analyse " + img);  // a command misspelt is named, with the right ones
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.rfind("dangpli: unknown command 'analyse' (did you mean analyze? the commands: live, analyze, "
                            "playlist, eval",
                            0) == 0);
    CHECK(std::count(unknown.err.begin(), unknown.err.end(), '\n') == 1);
    // Bare `dangpli` lists the commands (it said only "A subcommand is required"); `help CMD` is `CMD --help`.
    const auto bare = run_cli("");
    CHECK(bare.exit_code == 2);
    CHECK(bare.out.find("Usage: dangpli [OPTIONS] SUBCOMMAND") != std::string::npos);
    CHECK(bare.out.find("Subcommands:") != std::string::npos);
    CHECK(bare.out.find("analyze") != std::string::npos);
    const auto help = run_cli("help analyze");
    CHECK(help.exit_code == 0);
    CHECK(help.out == run_cli("analyze --help").out);
    CHECK(help.out.find("--min-face") != std::string::npos);
    const auto help_option = run_cli("help --verbose analyze");  // help, never the command itself
    CHECK(help_option.exit_code == 0);
    CHECK(help_option.out.find("--min-face") != std::string::npos);
    const auto help_typo = run_cli("help anlyze");  // the unknown command's line, not the top help with exit 0
    CHECK(help_typo.exit_code == 2);
    CHECK(help_typo.err.starts_with("dangpli: unknown command 'anlyze' (did you mean analyze?"));
    for (const char* mistyped : {"--versio", "--hlep", "--verbose --versio=1"}) {  // was "A subcommand is required"
        const auto r = run_cli(mistyped);
        CHECK(r.exit_code == 2);
        CHECK(r.err.starts_with("dangpli: unknown option '--"));
    }
    CHECK(run_cli("--versio analyze " + img).err.starts_with("dangpli: unknown option '--versio'"));
    // --version with anything else was answered with the version and exit 0, an unknown option too.
    for (const char* with : {"--version --bogus", "--version extra", "bogus --version", "analyze --version"}) {
        CAPTURE(with);
        const auto r = run_cli(with);
        CHECK(r.exit_code == 2);
        CHECK(r.err.starts_with("dangpli: --version stands alone; it was given with '"));
        CHECK(r.out.empty());
    }
    CHECK(run_cli("--verbose --version").exit_code == 0);
    // A flag given a value was taken as the flag in silence (`--version=1` printed the version).
    for (const std::string flag : {"--version", "--help", "--verbose"}) {
        const auto r = run_cli(flag + "=1 analyze " + img);
        CHECK(r.exit_code == 2);
        CHECK(r.err == "dangpli: " + flag + " takes no value (see --help)\n");
    }
    // So does a command's flag: `live --no-ask=0` was read as --no-ask, `playlist list --help=x` as --help;
    // CLI11 reads "true", "" and "{}" as the flag itself, and -hx as -h.
    for (const std::string& line : {"live --no-ask=0 --source " + img, "live --no-ask=true --source " + img,
                                   "playlist scan --dry-run= " + img, std::string("playlist list --help=x"),
                                   std::string("eval --help={}"), std::string("analyze -hx"), std::string("eval -h=1")}) {
        CAPTURE(line);
        const auto r = run_cli(line);
        CHECK(r.exit_code == 2);
        CHECK(r.err.ends_with(" takes no value (see --help)\n"));
        CHECK(r.out.empty());
    }
    // An option's empty value took the next word (`--csv= -j1` wrote a file named -j1); a short option's '='
    // went into its value (`-o=x` wrote a file named "=x").
    const auto empty = run_cli("eval --csv= -j1");
    CHECK(empty.exit_code == 2);
    CHECK(empty.err == "dangpli: --csv= gives no value: write --csv VALUE or --csv=VALUE (see --help)\n");
    // ... but an unknown one is unknown (it read as an option that exists), and so is '---' (read as a file).
    const auto unknown_empty = run_cli("analyze --bogus= " + img);
    CHECK(unknown_empty.exit_code == 2);
    CHECK(unknown_empty.err.find("gives no value") == std::string::npos);
    CHECK(run_cli("analyze --- " + img).err == "dangpli: unknown option '---' (see --help)\n");
    // An unknown option is named first, in one wording: `eval --bogus` said that --dataset was missing,
    // `analyze --bogus` that "The following argument was not expected".
    for (const std::string& line : {std::string("eval --bogus"), std::string("eval --bogus="), "analyze --bogus " + img,
                                    "analyze " + img + " --bogus=1", std::string("playlist list -Z"), std::string("playlist --bogus list")}) {
        CAPTURE(line);
        const auto r = run_cli(line);
        CHECK(r.exit_code == 2);
        CHECK(r.err.starts_with("dangpli: unknown option '-"));
        CHECK(r.err.ends_with("' (see --help)\n"));
    }
    // An empty file name is named as such (was "dangpli: : no such file").
    const auto empty_name = run_cli("analyze ''");
    CHECK(empty_name.exit_code == 1);
    CHECK(empty_name.err == "dangpli: '': an empty file name, no file\n");
    const auto short_equals = run_cli("eval -o=x");
    CHECK(short_equals.exit_code == 2);
    CHECK(short_equals.err.starts_with("dangpli: -o takes its value without '='"));
    // '--' before the command: was "A subcommand is required".
    const auto dashes = run_cli("-- analyze " + img);
    CHECK(dashes.exit_code == 2);
    CHECK(dashes.err.starts_with("dangpli: the command comes before '--'"));
    CHECK(run_cli("playlist -- list").err.starts_with("dangpli: playlist's command comes before '--'"));
    // After '--' CLI11 still read --help in a command that takes no file (`eval -- --help` printed its help).
    const auto no_file = run_cli("eval -- --help");
    CHECK(no_file.exit_code == 2);
    CHECK(no_file.err == "dangpli: eval takes no file: nothing goes after '--' ('--help') (see --help)\n");
    CHECK(no_file.out.empty());
    // A '--' right after a list's values ended only that list (`--thresholds ... -- -f.jpg`: "inputs is
    // required"), and after a file it sent the words that follow up to dangpli's own options.
    for (const std::string& line : {std::string("analyze --thresholds 0.6 0.7 0.7 -- -f.jpg"), "analyze " + img + " -- -f.jpg",
                                   "analyze --thresholds 0.6 0.7 0.7 " + img + " -- -f.jpg"}) {
        CAPTURE(line);
        const auto r = run_cli(line);
        CHECK(r.exit_code == 1);
        CHECK(r.err == "dangpli: -f.jpg: no such file\n");
    }
    CHECK(run_cli("analyze --format xml " + img).exit_code == 2);
    CHECK(run_cli("analyze --thresholds 0.6,0.7 " + img).exit_code == 2);
    CHECK(run_cli("analyze --thresholds 0.6,0.7,1.5 " + img).exit_code == 2);
    // An empty item between commas was dropped in silence: "0.6,,0.7,0.7" read as three thresholds.
    for (const std::string list : {"0.6,,0.7,0.7", ",0.6,0.7,0.7", "0.6,0.7,0.7,"}) {
        const auto r = run_cli("analyze --thresholds " + list + " " + img);
        CHECK(r.exit_code == 2);
        CHECK(r.err == "dangpli: --thresholds: '" + list + "' has an empty item (a ',' too many) (see --help)\n");
    }
    CHECK(run_cli("analyze --jobs 0 " + img).exit_code == 2);
    CHECK(run_cli("analyze").exit_code == 2);
}

TEST_CASE("--min-face and --thresholds reach the detector") {
    const auto img = shell_quote((kDlibFacesDir / "2008_004176.jpg").string());  // seven 37-pixel faces
    const auto small = run_cli("analyze --format json --min-face 20 " + img);
    const auto large = run_cli("analyze --format json --min-face 200 " + img);
    const auto strict = run_cli("analyze --format json --thresholds 0.6,0.7,0.99999 " + img);
    REQUIRE(small.exit_code == 0);
    REQUIRE(large.exit_code == 0);
    REQUIRE(strict.exit_code == 0);
    CHECK(faces_in(json::parse(small.out)[0]) >= 6);
    CHECK(faces_in(json::parse(large.out)[0]) == 0);
    CHECK(faces_in(json::parse(strict.out)[0]) < faces_in(json::parse(small.out)[0]));
    // Pasted as it is into a 12-megapixel canvas, its faces are under 1/64 of the shorter side: not searched for
    // by default (which keeps phone photos fast), searched for when --min-face asks for them. (YuNet's:
    // MTCNN's last stages shrink a box found at the smallest size to such faces now and then.)
    TempDir tmp;
    cv::Mat canvas(3000, 4000, CV_8UC3, cv::Scalar(120, 130, 140));
    const cv::Mat photo = cv::imread((kDlibFacesDir / "2008_004176.jpg").string());
    photo.copyTo(canvas(cv::Rect(1700, 1200, photo.cols, photo.rows)));
    REQUIRE(cv::imwrite((tmp / "canvas.jpg").string(), canvas));
    // (Upright only: the turned look, tried where none is found, may box a tilted view of one larger.)
    const auto canvas_default =
        run_cli("analyze --format json --detector yunet --tilt-retry 0 " + shell_quote((tmp / "canvas.jpg").string()));
    const auto canvas_asked = run_cli("analyze --format json --detector yunet --tilt-retry 0 --min-face 20 " +
                                      shell_quote((tmp / "canvas.jpg").string()));
    REQUIRE(canvas_default.exit_code == 0);
    REQUIRE(canvas_asked.exit_code == 0);
    CHECK(faces_in(json::parse(canvas_default.out)[0]) == 0);
    CHECK(faces_in(json::parse(canvas_asked.out)[0]) >= 6);
    // The three values are one argument: the paths after them stay paths.
    const auto two = run_cli("analyze --format json --thresholds 0.6,0.7,0.7 " + img + " " + img);
    INFO(two.err);
    REQUIRE(two.exit_code == 0);
    CHECK(json::parse(two.out).size() == 2);
}

TEST_CASE("--tilt-retry: a head tilted past what the detectors take upright is found turned, unless 0") {
    TempDir tmp;
    const cv::Mat photo = cv::imread((kFacesDir / "angry.jpg").string());
    REQUIRE(!photo.empty());
    cv::Mat tilted;
    cv::warpAffine(photo, tilted, cv::getRotationMatrix2D(cv::Point2d(photo.cols / 2.0, photo.rows / 2.0), 60.0, 1.0),
                   photo.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    const auto path = tmp / "tilted.png";
    REQUIRE(cv::imwrite(path.string(), tilted));
    const auto turned = run_cli("analyze --format json " + shell_quote(path.string()));
    const auto upright_only = run_cli("analyze --format json --tilt-retry 0 " + shell_quote(path.string()));
    REQUIRE(turned.exit_code == 0);
    REQUIRE(upright_only.exit_code == 0);
    CHECK(faces_in(json::parse(turned.out)[0]) == 1);
    CHECK(faces_in(json::parse(upright_only.out)[0]) == 0);
    for (const char* bad : {"--tilt-retry 90", "--tilt-retry -5", "--tilt-retry nan"}) {
        const auto r = run_cli(std::string("analyze ") + bad + " " + shell_quote(path.string()));
        INFO(bad, " ", r.err);
        CHECK(r.exit_code == 2);
    }
}

TEST_CASE("--annotate writes decodable images of the same size, same names made unique") {
    TempDir tmp;
    fs::create_directories(tmp / "x");
    fs::copy_file(kFacesDir / "happy-baby.jpeg", tmp / "x/group.jpeg");
    fs::create_directories(tmp / "annotated");
    const auto out_dir = tmp / "annotated/sub";  // made by the run, below a folder that exists
    const auto r = run_cli("analyze --format json --annotate " + shell_quote(out_dir.string()) + " " +
                           shell_quote((kFacesDir / "group.jpeg").string()) + " " +
                           shell_quote((tmp / "x/group.jpeg").string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    // Which copy is whose is said, as no row holds it.
    CHECK(r.err == "dangpli: " + (tmp / "x/group.jpeg").string() + " is drawn as " + (out_dir / "group-2.jpeg").string() +
                       " (its name was another photo's)\n");
    const cv::Mat a = cv::imread((out_dir / "group.jpeg").string());
    const cv::Mat b = cv::imread((out_dir / "group-2.jpeg").string());
    REQUIRE(!a.empty());
    REQUIRE(!b.empty());
    CHECK(a.size() == cv::Size(1280, 853));
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(out_dir)) files += e.path().filename() != dangpli::kDrawingsMarker;
    CHECK(files == 2);  // no temp files left behind
    CHECK(fs::exists(out_dir / dangpli::kDrawingsMarker));  // the folder it made is marked as drawings

    // A folder's tree is mirrored: two face.jpg in two subfolders were face.jpg and face-3.jpg, beside an
    // input named face-2.jpg, with nothing to tell which was which.
    fs::create_directories(tmp / "mix/sub1");
    fs::create_directories(tmp / "mix/sub2");
    fs::copy_file(kFacesDir / "happy-baby.jpeg", tmp / "mix/sub1/face.jpg");
    fs::copy_file(kFacesDir / "sad-baby.jpeg", tmp / "mix/sub2/face.jpg");
    fs::copy_file(kFacesDir / "surprised.jpeg", tmp / "mix/face-2.jpg");
    const auto mirrored = run_cli("analyze --format json --annotate " + shell_quote((tmp / "tree").string()) + " " +
                                  shell_quote((tmp / "mix").string()));
    INFO(mirrored.err);
    CHECK(mirrored.exit_code == 0);
    for (const char* name : {"sub1/face.jpg", "sub2/face.jpg", "face-2.jpg"}) {
        CAPTURE(name);
        const cv::Mat drawn = cv::imread((tmp / "tree" / name).string());
        REQUIRE(!drawn.empty());
        CHECK(drawn.size() == cv::imread((tmp / "mix" / name).string()).size());
    }

    // A FIFO holding an output's name is passed over, not written into (which would wait forever).
    const auto fifo_dir = tmp / "with-fifo";
    fs::create_directories(fifo_dir);
    REQUIRE(::mkfifo((fifo_dir / "group.jpeg").c_str(), 0600) == 0);
    const auto f = run_cli("analyze --format json --annotate " + shell_quote(fifo_dir.string()) + " " +
                           shell_quote((kFacesDir / "group.jpeg").string()));
    CHECK(f.exit_code == 0);
    CHECK(fs::is_fifo(fifo_dir / "group.jpeg"));
    CHECK(!cv::imread((fifo_dir / "group-2.jpeg").string()).empty());

    // A gray PGM or 1-bit PBM cannot hold the coloured drawing: its copy is a PPM, named so that it can never
    // replace another photo (x.ppm beside x.pgm).
    const cv::Mat gray = cv::imread((kFacesDir / "neutral.jpeg").string(), cv::IMREAD_GRAYSCALE);
    REQUIRE(cv::imwrite((tmp / "x/gray.pgm").string(), gray));
    REQUIRE(cv::imwrite((tmp / "x/bits.pbm").string(), gray));
    const auto netpbm_dir = tmp / "netpbm";
    fs::create_directories(netpbm_dir);
    dangpli::test::write_file(netpbm_dir / "gray.ppm", "another photo");
    const auto n = run_cli("analyze --format jsonl --annotate " + shell_quote(netpbm_dir.string()) + " " +
                           shell_quote((tmp / "x/gray.pgm").string()) + " " + shell_quote((tmp / "x/bits.pbm").string()));
    INFO(n.err);
    CHECK(n.exit_code == 0);
    CHECK(dangpli::test::read_file(netpbm_dir / "gray.ppm") == "another photo");
    for (const char* name : {"gray.pgm.ppm", "bits.pbm.ppm"}) {
        CAPTURE(name);
        const cv::Mat drawn = cv::imread((netpbm_dir / name).string(), cv::IMREAD_UNCHANGED);
        REQUIRE(!drawn.empty());
        CHECK(drawn.channels() == 3);
        CHECK(drawn.size() == gray.size());
    }
}

TEST_CASE("analyze averages a face and its mirror image unless --tta says otherwise") {
    // The aligner's crops read 1.2 points better with the mirror (kDefaultAnalyzerTta's comment).
    const auto photo = shell_quote((kSharedDir / "data/faces/group.jpeg").string());
    const auto by_default = run_cli("analyze --format jsonl " + photo);
    const auto mirror = run_cli("analyze --format jsonl --tta mirror " + photo);
    const auto single = run_cli("analyze --format jsonl --tta single " + photo);
    REQUIRE(by_default.exit_code == 0);
    CHECK(by_default.out == mirror.out);
    CHECK(json::parse(single.out).at("faces").size() == 5);
    CHECK(single.out != by_default.out);  // five faces' scores: one view differs from two somewhere
    CHECK(run_cli("analyze --help").out.find("ten-crop}=mirror") != std::string::npos);
}

TEST_CASE("analyze reads photos with the bundled ensemble unless --model says otherwise") {
    const auto photo = shell_quote((kSharedDir / "data/faces/group.jpeg").string());
    const auto models = dangpli::test::kSourceDir / "models/emotion";
    const auto by_default = run_cli("analyze --format jsonl " + photo);
    const auto ensemble = run_cli("analyze --format jsonl --model " + shell_quote((models / "fer-ensemble.yaml").string()) + " " + photo);
    const auto wide = run_cli("analyze --format jsonl --model " + shell_quote((models / "w6-resnet-wide.onnx").string()) + " " + photo);
    const auto narrow = run_cli("analyze --format jsonl --model " + shell_quote((models / "fer-resnet.onnx").string()) + " " + photo);
    REQUIRE(by_default.exit_code == 0);
    REQUIRE(narrow.exit_code == 0);
    REQUIRE(wide.exit_code == 0);
    CHECK(by_default.out == ensemble.out);
    CHECK(by_default.out != wide.out);  // live's model, one of the ensemble's ten members
    CHECK(by_default.out != narrow.out);
    // --version names both: live's and eval's model, and analyze's.
    const auto version = run_cli("--version");
    CHECK(version.out.find("emotion model: w6-resnet-wide (resnet-wide,") != std::string::npos);
    CHECK(version.out.find("analyze's emotion model: fer-ensemble (ensemble of resnet-wide, resnet-wide, resnet-wide, resnet-wide, resnet-wider, resnet-wide, resnet-wide, resnet-wide, resnet, resnet,") !=
          std::string::npos);
}

TEST_CASE("analyze reads faces half-way to an even class mix unless --balance says otherwise") {
    const auto photo = shell_quote((kSharedDir / "data/faces/group.jpeg").string());
    const auto by_default = run_cli("analyze --format jsonl " + photo);
    const auto half = run_cli("analyze --format jsonl --balance 0.5 " + photo);
    const auto as_trained = run_cli("analyze --format jsonl --balance 0 " + photo);
    REQUIRE(by_default.exit_code == 0);
    CHECK(by_default.out == half.out);
    REQUIRE(as_trained.exit_code == 0);
    // The rarest class gains against the commonest on every face.
    const auto faces = json::parse(by_default.out).at("faces");
    const auto raw = json::parse(as_trained.out).at("faces");
    REQUIRE(faces.size() == raw.size());
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const auto& b = faces[i].at("scores");
        const auto& r = raw[i].at("scores");
        CHECK(b.at("disgust").get<double>() / b.at("happy").get<double>() >
              r.at("disgust").get<double>() / r.at("happy").get<double>());
    }
    for (const char* bad : {"1.5", "-0.1", "nan"}) {
        const auto r = run_cli(std::string("analyze --balance ") + bad + " " + photo);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("--balance") != std::string::npos);
    }
    // A model whose card gives no prior cannot be balanced: asked for, that is a usage error naming
    // the card; by default its scores are read as they are.
    TempDir dir;
    const auto model = dangpli::test::kSourceDir / "models/emotion/fer-resnet-wide.onnx";  // in analyze's ensemble
    std::filesystem::copy_file(model, dir / "m.onnx");
    std::string card = dangpli::test::read_file(dangpli::ModelCard::card_path_for(model));
    const auto at = card.find("  training_prior:");
    REQUIRE(at != std::string::npos);
    card.erase(at, card.find('\n', at) - at + 1);
    dangpli::test::write_file(dir / "m.yaml", card);
    const auto m = shell_quote((dir / "m.onnx").string());
    const auto refused = run_cli("analyze --balance 0.5 --model " + m + " " + photo);
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("m.yaml") != std::string::npos);
    const auto unbalanced = run_cli("analyze --format jsonl --model " + m + " " + photo);
    const auto wide_as_trained =
        run_cli("analyze --format jsonl --balance 0 --model " + shell_quote(model.string()) + " " + photo);
    REQUIRE(unbalanced.exit_code == 0);
    CHECK(unbalanced.out == wide_as_trained.out);
}

TEST_CASE("each face carries its emotion, confidence and all seven scores; TTA and --model are accepted") {
    const auto photo = kSharedDir / "data/faces/happy-baby.jpeg";
    const auto model = dangpli::test::kSourceDir / "models/emotion/fer-resnet.onnx";
    for (const std::string& extra : std::vector<std::string>{"", "--tta mirror", "--tta ten-crop --model " + shell_quote(model.string())}) {
        CAPTURE(extra);
        const auto r = run_cli("analyze --format json " + extra + " " + shell_quote(photo.string()));
        REQUIRE(r.exit_code == 0);
        const json face = json::parse(r.out).at(0).at("faces").at(0);
        const json& scores = face.at("scores");
        REQUIRE(scores.size() == 7);
        double sum = 0.0, best = 0.0;
        std::string best_name;
        for (const auto& [name, p] : scores.items()) {
            sum += p.get<double>();
            if (p.get<double>() > best) best = p.get<double>(), best_name = name;
        }
        CHECK(sum == doctest::Approx(1.0).epsilon(0.002));
        CHECK(face.at("emotion") == best_name);
        CHECK(face.at("confidence").get<double>() == doctest::Approx(best).epsilon(1e-3));
    }
    const auto bad = run_cli("analyze --tta sideways " + shell_quote(photo.string()));
    CHECK(bad.exit_code == 2);
    TempDir dir;
    dangpli::test::write_file(dir / "broken.onnx", "not a model");
    dangpli::test::write_file(dir / "broken.yaml", "name: x\n");
    const auto broken = run_cli("analyze --model " + shell_quote((dir / "broken.onnx").string()) + " " +
                                shell_quote(photo.string()));
    CHECK(broken.exit_code == 4);
    CHECK(broken.err.find("broken.yaml") != std::string::npos);
    // A missing model or a folder is a model error, as in eval and live (it was a usage error here).
    const auto missing = run_cli("analyze --model " + shell_quote((dir / "nope.onnx").string()) + " " + shell_quote(photo.string()));
    CHECK(missing.exit_code == 4);
    CHECK(missing.err.find("nope.onnx: no such model file") != std::string::npos);
    CHECK(run_cli("analyze --model " + shell_quote(dir.path().string()) + " " + shell_quote(photo.string())).exit_code == 4);

    // A damaged detector model: one line of ours, no libprotobuf line above it, no OpenCV source line in it.
    std::filesystem::create_directories(dir / "models");
    std::filesystem::copy(dangpli::MtcnnModelPaths::find().pnet_prototxt.parent_path(), dir / "models" / "mtcnn");
    dangpli::test::write_file(dir / "models" / "mtcnn" / "det1.prototxt", "name: \"PNet\"\n{\"t\": 0}\n");
    const auto damaged = dangpli::test::run_command("DANGPLI_MODEL_DIR=" + shell_quote((dir / "models").string()) + " " +
                                                    shell_quote(dangpli::test::kCli.string()) + " analyze --detector mtcnn " +
                                                    shell_quote(photo.string()));
    CHECK(damaged.exit_code == 4);
    CHECK(damaged.err.starts_with("dangpli: model error: "));
    CHECK(std::count(damaged.err.begin(), damaged.err.end(), '\n') == 1);
    CHECK(damaged.err.find("\\n") == std::string::npos);
}

TEST_CASE("--annotate inside the photos' folder: every later walk passes the drawings over") {
    TempDir tmp;
    fs::create_directories(tmp / "photos");
    fs::copy_file(kFacesDir / "happy-baby.jpeg", tmp / "photos/baby.jpeg");
    const std::string command = "analyze --format csv --annotate " + shell_quote((tmp / "photos/drawn").string()) + " " +
                                shell_quote((tmp / "photos").string());
    for (int run = 1; run <= 2; ++run) {
        CAPTURE(run);
        const auto r = run_cli(command);
        CHECK(r.exit_code == 0);
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);  // the header and the one photo
        CHECK(r.out.find("drawn") == std::string::npos);
        CHECK((r.err.find("passed over 1 file(s) in folders of drawings") != std::string::npos) == (run == 2));
        CHECK(fs::exists(tmp / "photos/drawn/baby.jpeg"));
    }
    // Every later walk knows them for drawings: a run without --annotate, or with another folder (before:
    // each read the drawn copy as a second photo, and the second drew a drawing of a drawing).
    for (const std::string& annotate : {std::string(), " --annotate " + shell_quote((tmp / "photos/other").string())}) {
        CAPTURE(annotate);
        const auto r = run_cli("analyze --format csv" + annotate + " " + shell_quote((tmp / "photos").string()));
        CHECK(r.exit_code == 0);
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);
        CHECK(r.err.find("passed over 1 file(s) in folders of drawings") != std::string::npos);
    }
    CHECK(!fs::exists(tmp / "photos/other/drawn"));
    // The folder of drawings named itself is read: the user asked for those images.
    const auto drawings = run_cli("analyze --format csv " + shell_quote((tmp / "photos/drawn").string()));
    CHECK(drawings.exit_code == 0);
    CHECK(std::count(drawings.out.begin(), drawings.out.end(), '\n') == 2);
    // A drawing named itself is read, and refused as an output over its input, by name.
    const auto named = run_cli("analyze --annotate " + shell_quote((tmp / "photos/drawn").string()) + " " +
                               shell_quote((tmp / "photos/drawn/baby.jpeg").string()));
    CHECK(named.exit_code == 2);
    CHECK(named.err.find("would replace the input") != std::string::npos);
}

TEST_CASE("--annotate into the input folder is refused before anything is written; stdout full is exit 7") {
    TempDir tmp;
    fs::create_directories(tmp / "photos");
    fs::copy_file(kFacesDir / "group.jpeg", tmp / "photos/group.jpeg");
    fs::copy_file(kFacesDir / "happy-baby.jpeg", tmp / "photos/baby.jpeg");
    const std::string group = dangpli::test::read_file(tmp / "photos/group.jpeg");
    const std::string baby = dangpli::test::read_file(tmp / "photos/baby.jpeg");
    for (const std::string& inputs : {shell_quote((tmp / "photos").string()),
                                     shell_quote((tmp / "photos/baby.jpeg").string())}) {
        CAPTURE(inputs);
        const auto r = run_cli("analyze --annotate " + shell_quote((tmp / "photos").string()) + " " + inputs);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK(r.err.find("would replace the input") != std::string::npos);
    }
    CHECK(dangpli::test::read_file(tmp / "photos/group.jpeg") == group);
    CHECK(dangpli::test::read_file(tmp / "photos/baby.jpeg") == baby);
    // No folder at all ('' wrote nothing and said nothing), or '-' (it made a folder named -).
    for (const std::string& folder : {std::string("''"), std::string("-")}) {
        CAPTURE(folder);
        const auto r = dangpli::test::run_command("cd " + shell_quote(tmp.path().string()) + " && " +
                                                  shell_quote(dangpli::test::kCli.string()) + " analyze --annotate " +
                                                  folder + " photos/baby.jpeg");
        CHECK(r.exit_code == 2);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK(r.out.empty());
    }
    CHECK_FALSE(fs::exists(tmp / "-"));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(tmp / "photos")) ++files;
    CHECK(files == 2);

    // A subshell: run_command's own redirection of stdout would otherwise replace ours.
    const auto r = dangpli::test::run_command("(" + shell_quote(dangpli::test::kCli.string()) +
                                              " analyze --format json " +
                                              shell_quote((tmp / "photos/baby.jpeg").string()) + " > /dev/full)");
    CHECK(r.exit_code == 7);
    CHECK(r.err.rfind("dangpli: cannot write to standard output (", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    // Help and version text lost to a full disk is a failed write too, not exit 0.
    for (const char* asked : {"--version", "--help", "analyze --help"}) {
        CAPTURE(asked);
        const auto full = dangpli::test::run_command("(" + shell_quote(dangpli::test::kCli.string()) + " " + asked +
                                                     " > /dev/full)");
        CHECK(full.exit_code == 7);
        CHECK(full.err.rfind("dangpli: cannot write to standard output", 0) == 0);
    }
}

TEST_CASE("--detector yunet: the same faces and landmark order as the default, in every job") {
    const auto paths = shell_quote((kFacesDir / "neutral.jpeg").string()) + " " +
                       shell_quote((kDlibFacesDir / "2008_004176.jpg").string());  // seven 37-pixel faces
    const auto mtcnn = run_cli("analyze --format json " + paths);
    const auto yunet = run_cli("analyze --format json --detector yunet -j 2 " + paths);
    INFO(yunet.err);
    REQUIRE(mtcnn.exit_code == 0);
    REQUIRE(yunet.exit_code == 0);
    const json a = json::parse(mtcnn.out), b = json::parse(yunet.out);
    CHECK(faces_in(b[0]) == 1);
    CHECK(faces_in(b[1]) == faces_in(a[1]));
    const json& face = b[0].at("faces")[0];
    CHECK(face.at("emotion") == a[0].at("faces")[0].at("emotion"));
    // left eye left of the right eye, mouth below the eyes: Landmark order
    CHECK(face.at("landmarks")[0][0].get<double>() < face.at("landmarks")[1][0].get<double>());
    CHECK(face.at("landmarks")[3][1].get<double>() > face.at("landmarks")[0][1].get<double>());
}

TEST_CASE("--detector takes the library's names only; --thresholds is MTCNN's") {
    const auto img = shell_quote((kFacesDir / "angry.jpg").string());
    const auto unknown = run_cli("analyze --detector haar " + img);
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("mtcnn") != std::string::npos);
    const auto thresholds = run_cli("analyze --detector yunet --thresholds 0.6,0.7,0.7 " + img);
    CHECK(thresholds.exit_code == 2);
    CHECK(thresholds.err.find("--thresholds") != std::string::npos);
    CHECK(run_cli("analyze --help").out.find("mtcnn, yunet") != std::string::npos);
}


TEST_CASE("the progress bar fits a narrow terminal, and a dumb terminal gets none") {
    // It was 58 columns whatever the width: on 40 each redraw wrapped and left a row behind; TERM=dumb
    // got its escape sequences as text.
    TempDir tmp;
    const auto watch = [&](const std::string& term) {
        const std::string analyze = "stty cols 40 rows 20; " + shell_quote(dangpli::test::kCli.string()) +
                                    " analyze -j 1 --format jsonl " + shell_quote(kFacesDir.string()) + " > " +
                                    shell_quote((tmp / "rows.jsonl").string());
        const auto r = dangpli::test::run_command("TERM=" + term + " script -q -e -c " + shell_quote(analyze) + " " +
                                                  shell_quote((tmp / "typescript").string()) + " > /dev/null");
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        return dangpli::test::read_file(tmp / "typescript");
    };
    const std::string shown = watch("xterm");
    int bars = 0;
    for (std::size_t at = shown.find("\ranalyze"); at != std::string::npos; at = shown.find("\ranalyze", at + 1)) {
        const auto end = shown.find("\x1b[K", at);
        REQUIRE(end != std::string::npos);
        const std::string line = shown.substr(at + 1, end - at - 1);
        CAPTURE(line);
        CHECK(line.size() < 40);
        CHECK(line.find('%') != std::string::npos);
        ++bars;
    }
    CHECK(bars >= 1);
    CHECK(watch("dumb").find('\x1b') == std::string::npos);
}

TEST_CASE("--annotate makes its folder, not a missing tree above it (exit 7, as every other output)") {
    TempDir tmp;
    const auto photo = shell_quote((kFacesDir / "neutral.jpeg").string());
    const auto typo = run_cli("analyze --annotate " + shell_quote((tmp / "Picturs/out").string()) + " " + photo);
    CHECK(typo.exit_code == 7);
    CHECK(typo.err.find("Picturs/out: its folder " + (tmp / "Picturs").string() + " does not exist") != std::string::npos);
    CHECK(!fs::exists(tmp / "Picturs"));
    const auto made = run_cli("analyze --annotate " + shell_quote((tmp / "out").string() + "/") + " " + photo);
    CHECK(made.exit_code == 0);
    CHECK(fs::exists(tmp / "out/neutral.jpeg"));
}
