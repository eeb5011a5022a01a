// Hostile images: bombs that declare gigapixels, files cut short, and the decoders' own chatter.
#include <doctest/doctest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "dangpli/error.hpp"
#include "dangpli/image_file.hpp"
#include "hostile_files.hpp"

using namespace dangpli;
using test::lines_of;
using test::shell_quote;
using test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string quoted(const fs::path& p) { return shell_quote(p.string()); }

std::string little_endian(std::uint32_t v, int bytes) {
    std::string out;
    for (int i = 0; i < bytes; ++i) out += static_cast<char>(v >> (8 * i));
    return out;
}

// The reason read_image_file gives for `path`, "" if it reads the image.
std::string refusal(const fs::path& path) {
    try {
        read_image_file(path);
        return "";
    } catch (const InputError& e) {
        return e.what();
    }
}

const fs::path kPhoto = test::kFacesDir / "neutral.jpeg";

}  // namespace

TEST_CASE("class: an image bomb is refused from its header, before anything is decoded") {
    TempDir dir;
    // 1 MB of real deflate that inflates to 32000x32000 gray pixels: 3 GB once decoded as colour.
    const std::string bomb = test::black_gray_png(32000, 32000);
    CHECK(bomb.size() < 2 * 1024 * 1024);
    test::write_file(dir / "bomb.png", bomb);
    // Under this address-space limit (2.4 GiB; malloc's per-thread arenas bounded) the 3 GB decode
    // could not even be allocated, while a normal run needs about 1.1 GiB: only a refusal before
    // decoding gives our line. Two copies, -j 2. (ASan's shadow memory needs the address space:
    // a sanitized build checks the line without the limit.)
    const std::string limit = test::kSanitized ? "" : "ulimit -v 2500000; ";
    const auto r = test::run_command(limit + "MALLOC_ARENA_MAX=2 " + shell_quote(test::kCli.string()) +
                                     " analyze -j 2 --format jsonl " + quoted(dir / "bomb.png") + " " +
                                     quoted(kPhoto) + " " + quoted(dir / "bomb.png"));
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(lines_of(r.out).size() == 3);  // a row per path, the refused ones error rows
    CHECK(test::analysed_rows(r.out) == 1);
    const auto errors = lines_of(r.err);
    REQUIRE(errors.size() == 2);
    for (const auto& line : errors)
        CHECK(line == "dangpli: " + (dir / "bomb.png").string() +
                          ": the image has 32000x32000 = 1024000000 pixels, more than the limit of 120000000 (--max-pixels N reads it)");

    // Headers that claim absurd sizes, in every format: our one line, not a decoder's assertion.
    const std::string ihdr = test::big_endian(0x7FFFFFFF) + test::big_endian(0x7FFFFFFF) + std::string("\x08\x02\0\0\0", 5);
    test::write_file(dir / "huge.png",
                     "\x89PNG\r\n\x1a\n" + test::png_chunk("IHDR", ihdr) + test::png_chunk("IEND", ""));
    std::vector<uchar> encoded;
    REQUIRE(cv::imencode(".jpg", cv::imread(kPhoto.string()), encoded));  // baseline: one SOF0
    const std::string jpeg(encoded.begin(), encoded.end());
    const auto sof = jpeg.find("\xFF\xC0");
    REQUIRE(sof != std::string::npos);
    std::string wide_jpeg = jpeg;
    wide_jpeg.replace(sof + 5, 4, "\xFF\xFF\xFF\xFF");  // 65535x65535
    test::write_file(dir / "wide.jpg", wide_jpeg);
    test::write_file(dir / "wide.bmp", "BM" + little_endian(54, 4) + std::string(4, '\0') + little_endian(54, 4) +
                                           little_endian(40, 4) + little_endian(100000, 4) + little_endian(100000, 4) +
                                           std::string(28, '\0'));
    test::write_file(dir / "wide.webp", "RIFF" + little_endian(22, 4) + "WEBPVP8X" + little_endian(10, 4) +
                                            std::string(4, '\0') + little_endian(0xFFFFFF, 3) +
                                            little_endian(0xFFFFFF, 3));
    test::write_file(dir / "ten-digits.ppm", "P6 4294967295 4294967295 255\n");
    const auto absurd = test::run_command(shell_quote(test::kCli.string()) + " analyze " +
                                          quoted(dir / "huge.png") + " " + quoted(dir / "wide.jpg") + " " +
                                          quoted(dir / "wide.bmp") + " " + quoted(dir / "wide.webp") + " " +
                                          quoted(dir / "ten-digits.ppm"));
    INFO(absurd.err);
    CHECK(absurd.exit_code == 1);
    CHECK(lines_of(absurd.err).size() == 5);
    CHECK(absurd.err.find("ten-digits.ppm: corrupt PNM header: a side of more than 9 digits") != std::string::npos);
    CHECK(absurd.err.find("huge.png: the image has 2147483647x2147483647") != std::string::npos);
    CHECK(absurd.err.find("wide.jpg: the image has 65535x65535") != std::string::npos);
    CHECK(absurd.err.find("wide.bmp: the image has 100000x100000") != std::string::npos);
    CHECK(absurd.err.find("wide.webp: the image has 16777216x16777216") != std::string::npos);
    CHECK(absurd.err.find("OpenCV") == std::string::npos);
}

TEST_CASE("class: a JPEG whose image data is damaged is refused by name; a few bytes of padding are not damage") {
    TempDir dir;
    std::string damaged = test::read_file(test::kFacesDir / "angry.jpg");
    // Every fifth byte of 3000 in the middle flipped, never into or out of a marker: libjpeg loses its
    // place and skips bytes before the end marker; the picture's lower part was garbage, read in silence.
    for (std::size_t k = damaged.size() / 2; k < damaged.size() / 2 + 3000; k += 5) {
        const auto byte = static_cast<unsigned char>(damaged[k]), before = static_cast<unsigned char>(damaged[k - 1]);
        if (byte != 0xFF && byte != 0 && before != 0xFF && (byte ^ 0x35) != 0xFF)
            damaged[k] = static_cast<char>(byte ^ 0x35);
    }
    std::string padded = test::read_file(kPhoto);
    REQUIRE(padded.ends_with("\xFF\xD9"));
    padded.insert(padded.size() - 2, std::string(2, '\0'));  // as some encoders write it
    fs::create_directories(dir / "photos");
    test::write_file(dir / "photos/damaged.jpg", damaged);
    test::write_file(dir / "photos/padded.jpg", padded);
    const auto r = test::run_cli("analyze --format jsonl " + quoted(dir / "photos"));
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(test::analysed_rows(r.out) == 1);
    CHECK(r.err == "dangpli: " + (dir / "photos/damaged.jpg").string() +
                       ": corrupt JPEG: its image data is damaged (part of the picture would be garbage)\n");
}

TEST_CASE("class: a JPEG or PNG cut short is refused by name wherever it is read, never decoded in part") {
    TempDir dir;
    const cv::Mat face = cv::imread(kPhoto.string());
    REQUIRE(!face.empty());
    const std::string jpeg = test::read_file(kPhoto);
    std::vector<uchar> png_bytes;
    REQUIRE(cv::imencode(".png", face, png_bytes));
    const std::string png(png_bytes.begin(), png_bytes.end());

    fs::create_directories(dir / "photos");
    test::write_file(dir / "photos/whole.jpg", jpeg);
    test::write_file(dir / "photos/whole.png", png);
    test::write_file(dir / "photos/cut.jpg", jpeg.substr(0, jpeg.size() * 2 / 3));
    test::write_file(dir / "photos/cut.png", png.substr(0, png.size() * 2 / 3));
    test::write_file(dir / "photos/no-iend.png", png.substr(0, png.size() - 12));
    // Cut, with an end-of-image marker put back: the end check passes and libjpeg would finish it gray.
    test::write_file(dir / "photos/cut-eoi.jpg", jpeg.substr(0, jpeg.size() / 3) + "\xFF\xD9");
    // Both whole files decode; each cut one is refused with the reason, by the library itself.
    CHECK(refusal(dir / "photos/whole.png").empty());
    CHECK(refusal(dir / "photos/cut.jpg").find("truncated JPEG") != std::string::npos);
    CHECK(refusal(dir / "photos/cut.png").find("truncated PNG: the file ends inside its IDAT chunk") !=
          std::string::npos);
    CHECK(refusal(dir / "photos/no-iend.png").find("truncated PNG: the file ends before its IEND chunk") !=
          std::string::npos);

    // analyze over the folder: the whole ones analysed, each cut one a failed input (exit 1).
    const auto r = test::run_cli("analyze --format jsonl " + quoted(dir / "photos"));
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(lines_of(r.out).size() == 6);
    CHECK(test::analysed_rows(r.out) == 2);
    CHECK(lines_of(r.err).size() == 4);
    CHECK(r.err.find((dir / "photos/cut-eoi.jpg").string() + ": truncated or damaged JPEG: its image data ends before its "
                     "last pixel") != std::string::npos);
    CHECK(r.err.find((dir / "photos/cut.jpg").string() + ": truncated JPEG") != std::string::npos);
    CHECK(r.err.find((dir / "photos/cut.png").string() + ": truncated PNG") != std::string::npos);
    CHECK(r.err.find((dir / "photos/no-iend.png").string() + ": truncated PNG") != std::string::npos);

    // eval: a cut image in a class folder makes the dataset broken (exit 3), named.
    fs::create_directories(dir / "tree/happy");
    test::write_file(dir / "tree/happy/a.jpg", jpeg);
    test::write_file(dir / "tree/happy/b.png", png.substr(0, png.size() / 2));
    const auto e = test::run_cli("eval --dataset " + quoted(dir / "tree"));
    INFO(e.err);
    CHECK(e.exit_code == 3);
    CHECK(e.err.find((dir / "tree/happy/b.png").string() + ": truncated PNG") != std::string::npos);

    // live: a cut frame in an image-folder source is named, not shown as a face.
    fs::create_directories(dir / "frames");
    for (int i = 0; i < 3; ++i) test::write_file(dir / "frames" / (std::to_string(i) + ".jpg"), jpeg);
    test::write_file(dir / "frames/1.jpg", jpeg.substr(0, jpeg.size() / 2));
    const auto l = test::run_cli("live --player silent --db " + quoted(dir / "s.db") + " --source " +
                                 quoted(dir / "frames"));
    INFO(l.err);
    CHECK(l.err.find((dir / "frames/1.jpg").string() + ": truncated JPEG") != std::string::npos);
}

TEST_CASE("class: the decoders' and OpenCV's own lines reach the user only with --verbose") {
    TempDir dir;
    const auto db = quoted(dir / "s.db");
    REQUIRE(test::run_cli("playlist --db " + db + " list").exit_code == 0);  // its first-use line said now
    test::write_file(dir / "text.jpg", "this is a text file, not a photo\n");
    test::write_file(dir / "text.mp4", "this is a text file, not a video\n");

    const auto image = test::run_cli("analyze " + quoted(dir / "text.jpg"));
    CHECK(image.exit_code == 1);
    CHECK(lines_of(image.err) ==
          std::vector<std::string>{"dangpli: " + (dir / "text.jpg").string() +
                                   ": not an image (expected JPEG, PNG, BMP, WebP, TIFF, PBM/PGM/PPM, HEIC/HEIF or AVIF)"});
    // Images of kinds a user has but dangpli does not read are named as what they are.
    test::write_file(dir / "funny.gif", std::string("GIF89a\x01\x00\x01\x00\x80\x00\x00", 13));
    test::write_file(dir / "scan.jp2", std::string("\0\0\0\x0CjP  \r\n\x87\n\0\0\0\x14" "ftypjp2 ", 24));
    const auto kinds = test::run_cli("analyze " + quoted(dir / "funny.gif") + " " + quoted(dir / "scan.jp2"));
    CHECK(lines_of(kinds.err) ==
          std::vector<std::string>{"dangpli: " + (dir / "funny.gif").string() +
                                       ": a GIF, which dangpli does not read (convert it to PNG, or one frame of an animation)",
                                   "dangpli: " + (dir / "scan.jp2").string() +
                                       ": a JPEG 2000 image, which dangpli does not read (convert it to PNG or JPEG)"});
    const auto video = test::run_cli("live --player silent --db " + db + " --source " + quoted(dir / "text.mp4"));
    CHECK(video.exit_code == 3);
    INFO(video.err);
    CHECK(lines_of(video.err).size() == 1);
    CHECK(video.err.find("text.mp4") != std::string::npos);

    // A whole JPEG with stray bytes before its end marker decodes, but libjpeg warns about them
    // on stderr by itself: silent by default, its own line with --verbose.
    const std::string jpeg = test::read_file(kPhoto);
    const auto end = jpeg.rfind("\xFF\xD9");
    REQUIRE(end != std::string::npos);
    test::write_file(dir / "stray.jpg", jpeg.substr(0, end) + "\x55\x55\x55" + jpeg.substr(end));
    const auto quiet = test::run_cli("analyze --format jsonl " + quoted(dir / "stray.jpg"));
    CHECK(quiet.exit_code == 0);
    CHECK(quiet.err.empty());
    const auto verbose = test::run_cli("--verbose analyze --format jsonl " + quoted(dir / "stray.jpg"));
    CHECK(verbose.exit_code == 0);
    CHECK(verbose.err.find("Corrupt JPEG data") != std::string::npos);
    // Standard output carries the results alone: OpenCV would write its info lines there.
    CHECK(lines_of(verbose.out).size() == 1);
    CHECK(verbose.out.rfind("{\"path\":", 0) == 0);
    // After the command as well, where a user reaches for it.
    const auto after = test::run_cli("analyze --verbose --format jsonl " + quoted(dir / "stray.jpg"));
    CHECK(after.exit_code == 0);
    CHECK(after.out == verbose.out);
    CHECK(after.err == verbose.err);
}

TEST_CASE("whole images of every format OpenCV writes pass the header and end checks, with their size") {
    TempDir dir;
    const cv::Mat face = cv::imread(kPhoto.string());
    REQUIRE(!face.empty());
    cv::Mat gray;
    cv::cvtColor(face, gray, cv::COLOR_BGR2GRAY);
    const std::vector<std::pair<std::string, std::vector<int>>> kinds{
        {"a.jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, 1}}, {"a.png", {}}, {"a.bmp", {}},
        {"lossy.webp", {cv::IMWRITE_WEBP_QUALITY, 80}}, {"lossless.webp", {cv::IMWRITE_WEBP_QUALITY, 101}},
        {"a.tif", {}}, {"a.ppm", {}}, {"gray.pgm", {}}, {"ascii.pgm", {cv::IMWRITE_PXM_BINARY, 0}}};
    for (const auto& [file_name, params] : kinds) {
        const std::string& name = file_name;  // clang 14 cannot capture a structured binding (INFO)
        INFO(name);
        const cv::Mat& pixels = name.ends_with(".pgm") ? gray : face;
        REQUIRE(cv::imwrite((dir / name).string(), pixels, params));
        CHECK(refusal(dir / name).empty());
        CHECK(read_image_file(dir / name).size() == face.size());
        // A limit one pixel under the image's size refuses it from the header.
        const std::int64_t pixel_count = static_cast<std::int64_t>(face.total());
        CHECK_THROWS_AS(read_image_file(dir / name, pixel_count - 1), InputError);
        CHECK_NOTHROW(read_image_file(dir / name, pixel_count));
    }
}

TEST_CASE("class: a valid image of a kind the decoder lacks is named as that kind, not called corrupt") {
    TempDir dir;
    const std::string photo = quoted(kPhoto);
    // FFmpeg writes both: an animated WebP (VP8X with its animation flag) and a lossless JPEG (SOF3).
    const auto made = test::run_command(
        // (frames that differ: of equal frames it writes a still WebP)
        "ffmpeg -v error -y -f lavfi -i testsrc=size=64x64:rate=5 -t 0.4 -loop 0 " + quoted(dir / "moving.webp") +
        " && ffmpeg -v error -y -i " + photo + " -frames:v 1 -vf scale=64:64 -c:v ljpeg -pix_fmt bgr24 " +
        quoted(dir / "lossless.jpg") + " && ffmpeg -v error -y -i " + photo + " -frames:v 1 -vf scale=64:64 -c:v jpegls " +
        quoted(dir / "jpeg-ls.jpg"));
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    for (const auto& name_and_variant : {std::pair{"moving.webp", "an animated WebP"}, {"lossless.jpg", "a lossless JPEG"},
                                         {"jpeg-ls.jpg", "a JPEG-LS image"}}) {
        // Not a structured binding: clang before 16 cannot capture one in CAPTURE's lambda.
        const auto& [name, variant] = name_and_variant;
        CAPTURE(name_and_variant.first);
        // OpenCV 4.6 with libwebp and libjpeg-turbo 2.1 (Debian 12) reads neither.
        CHECK(refusal(dir / name) == (dir / name).string() + ": " + variant +
                         ", which this build's image decoder cannot read (convert it to a still PNG or JPEG)");
    }
    // A still WebP and a baseline JPEG are not such variants: they decode.
    const auto still = test::run_command("ffmpeg -v error -y -i " + photo + " -vf scale=64:64 " + quoted(dir / "still.webp"));
    REQUIRE_MESSAGE(still.exit_code == 0, still.err);
    CHECK(refusal(dir / "still.webp").empty());
}
