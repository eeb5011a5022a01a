#!/usr/bin/env bash
# Installs the build into a temporary prefix and uses it as another program's author would: the
# installed `dangpli` finds its own models and playlists, the examples build against the CMake
# package (shared and static library) and against pkg-config, and they run on real images.
#   check_install.sh BUILD_DIR SOURCE_DIR LIBDIR VERSION GENERATOR MAKE_PROGRAM
set -euo pipefail
build=$1 source=$2 libdir=$3 version=$4 generator=$5 make_program=$6
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
photo=$source/data/examples/happy-baby.jpeg
fail() { echo "FAIL: $*" >&2; exit 1; }
# Output is captured before grep: with pipefail, `cmd | grep -q` fails when grep's early exit
# leaves cmd writing into a closed pipe.
has() { grep -q -- "$1" <<< "$2"; }
step() { echo "--- $*"; }

step "cmake --install into $prefix"
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log"
for f in bin/dangpli include/dangpli/dangpli.hpp include/dangpli/version.hpp include/dangpli/face_detector.hpp \
         include/dangpli/yunet_detector.hpp share/dangpli/models/yunet/face_detection_yunet_2022mar.onnx \
         "$libdir/libdangpli.so" "$libdir/libdangpli.a" "$libdir/libdangpli-player.so" "$libdir/libdangpli-player.a" \
         "$libdir/cmake/dangpli/dangpliConfig.cmake" "$libdir/pkgconfig/dangpli.pc" \
         share/dangpli/models/mtcnn/det1.caffemodel share/dangpli/models/emotion/fer-resnet.onnx \
         share/dangpli/models/emotion/fer-resnet.yaml share/dangpli/models/emotion/fer-resnet-wide.onnx \
         share/dangpli/models/emotion/fer-resnet-wide.yaml share/dangpli/models/emotion/m3-resnet.onnx \
         share/dangpli/models/emotion/m3-resnet.yaml share/dangpli/models/emotion/w2-resnet-wide.onnx \
         share/dangpli/models/emotion/w2-resnet-wide.yaml share/dangpli/models/emotion/w3-resnet-wide.onnx \
         share/dangpli/models/emotion/w3-resnet-wide.yaml share/dangpli/models/emotion/w4-resnet-wide.onnx \
         share/dangpli/models/emotion/w4-resnet-wide.yaml share/dangpli/models/emotion/x1-resnet-wider.onnx \
         share/dangpli/models/emotion/x1-resnet-wider.yaml share/dangpli/models/emotion/w6-resnet-wide.onnx \
         share/dangpli/models/emotion/w6-resnet-wide.yaml share/dangpli/models/emotion/w7-resnet-wide.onnx \
         share/dangpli/models/emotion/w7-resnet-wide.yaml share/dangpli/models/emotion/w8-resnet-wide.onnx \
         share/dangpli/models/emotion/w8-resnet-wide.yaml share/dangpli/models/emotion/fer-ensemble.yaml \
         share/dangpli/playlists/happy.yaml share/man/man1/dangpli.1; do
    [[ -e $prefix/$f ]] || fail "not installed: $f"
done

step "the shared libraries export dangpli's names only"
# A program with its own fmt, json or yaml-cpp must never bind to the copies compiled into ours.
for lib in libdangpli.so libdangpli-player.so; do
    exported=$(nm -DC --defined-only "$prefix/$libdir/$lib" | cut -d' ' -f3-)
    grep -q "^dangpli::" <<< "$exported" || fail "$lib exports no dangpli names"
    foreign=$(grep -Ev "^((typeinfo|typeinfo name|vtable|VTT) for |(non-)?virtual thunk to )?dangpli::" <<< "$exported" || true)
    [[ -z $foreign ]] || fail "$lib exports names that are not dangpli's: $(head -3 <<< "$foreign")"
done

# Nothing from the build or source tree may be needed from here on: run elsewhere, no overrides.
cd "$tmp"
unset DANGPLI_MODEL_DIR DANGPLI_DATA_DIR
export HOME=$tmp/home XDG_DATA_HOME=$tmp/home/data

step "installed dangpli --version, analyze, playlist"
"$prefix/bin/dangpli" --version > version.txt
cat version.txt
grep -qx "dangpli $version" version.txt || fail "--version does not start with 'dangpli $version'"
grep -q "^emotion model: w6-resnet-wide .*$prefix/share/dangpli/models/emotion/w6-resnet-wide.onnx" version.txt ||
    fail "--version does not name the installed emotion model"
grep -q "^analyze's emotion model: fer-ensemble .*$prefix/share/dangpli/models/emotion/fer-ensemble.yaml" version.txt ||
    fail "--version does not name analyze's installed emotion model"
grep -q "^OpenCV 4" version.txt || fail "--version does not name OpenCV"
"$prefix/bin/dangpli" analyze --format jsonl "$photo" > analyze.jsonl
grep -q '"emotion":"happy"' analyze.jsonl || fail "installed analyze did not read a happy face: $(cat analyze.jsonl)"
"$prefix/bin/dangpli" analyze --detector yunet --format jsonl "$photo" > analyze-yunet.jsonl
grep -q '"emotion":"happy"' analyze-yunet.jsonl || fail "installed analyze --detector yunet did not read a happy face: $(cat analyze-yunet.jsonl)"
if [[ -x $build/libexec/dangpli/dangpli-train ]]; then  # built with the trainer: `train` runs the installed one
  "$prefix/bin/dangpli" train --help > train-help.txt 2>&1 || fail "installed dangpli train --help failed: $(cat train-help.txt)"
  grep -q -- "--ferplus-votes" train-help.txt || fail "installed dangpli train did not reach the trainer: $(cat train-help.txt)"
  # The trainer in libexec/dangpli finds the installation's models, not the build tree's it was made in.
  "$prefix/bin/dangpli" train --version > train-version.txt 2>&1 || fail "installed dangpli train --version failed"
  grep -q "^emotion model: w6-resnet-wide .*$prefix/share/dangpli/models/emotion/w6-resnet-wide.onnx" train-version.txt ||
      fail "the installed trainer does not name the installed emotion model: $(cat train-version.txt)"
fi
"$prefix/bin/dangpli" playlist list --emotion happy > happy.txt 2>&1
grep -q "Pharrell Williams" happy.txt || fail "the installed default playlists were not imported: $(cat happy.txt)"
has "EXIT STATUS" "$(man -l "$prefix/share/man/man1/dangpli.1" 2>/dev/null)" || fail "the man page does not render"
groff_warnings=$(groff -man -Tutf8 -ww -z "$prefix/share/man/man1/dangpli.1" 2>&1)
[[ -z $groff_warnings ]] || fail "the man page has groff warnings: $groff_warnings"
grep -q "dangpli $version" "$prefix/share/man/man1/dangpli.1" || fail "the man page does not carry version $version"

step "a program that sets no C++ standard, against the CMake package"
# The exported targets carry C++20: README's snippet, as a user writes it, compiles.
mkdir plain
cat > plain/CMakeLists.txt <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(plain CXX)
find_package(dangpli 0.1 CONFIG REQUIRED)
add_executable(plain main.cpp)
target_link_libraries(plain PRIVATE dangpli::dangpli)
CMAKE
printf '#include <dangpli/dangpli.hpp>\n#include <cstdio>\nint main() { std::printf("%%s\\n", dangpli::version()); }\n' > plain/main.cpp
cmake -S plain -B plain/build -G "$generator" -DCMAKE_MAKE_PROGRAM="$make_program" -DCMAKE_PREFIX_PATH="$prefix" > plain.log
cmake --build plain/build >> plain.log || { cat plain.log; fail "a program without CMAKE_CXX_STANDARD did not build"; }
[[ $(plain/build/plain) == "$version" ]] || fail "the plain program: $(plain/build/plain)"

step "examples against the CMake package (shared library)"
cmake -S "$source/examples" -B ex -G "$generator" -DCMAKE_MAKE_PROGRAM="$make_program" \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" > ex-configure.log
cmake --build ex > ex-build.log || { cat ex-build.log; fail "examples did not build"; }
has "$prefix/$libdir/libdangpli.so" "$(ldd ex/analyze_image)" || fail "analyze_image does not use the installed libdangpli.so"
ex/analyze_image "$photo" > image.txt
cat image.txt
grep -q "^1 face(s)" image.txt && grep -q ": happy (" image.txt || fail "analyze_image: $(cat image.txt)"

mkdir frames
for i in $(seq -w 0 39); do cp "$photo" "frames/0$i.jpg"; done
ex/mood_from_video 'frames/%03d.jpg' --fps 10 > mood.txt
cat mood.txt
grep -q "^3s: happy" mood.txt || fail "mood_from_video did not report a happy mood at 3 s"
# A video is timed by its frames' stamps: 4 s at 10 fps is 4 s, not 40 frames at 30 fps.
ffmpeg -nostdin -loglevel error -framerate 10 -i 'frames/%03d.jpg' -c:v mjpeg -q:v 4 clip10.avi
ex/mood_from_video clip10.avi > clip.txt
cat clip.txt
grep -q "^3s: happy" clip.txt || fail "mood_from_video did not time a 10 fps video by its stamps: $(cat clip.txt)"

cat > songs.yaml <<'YAML'
happy:
  - {title: Walking on Sunshine, artist: Katrina and the Waves}
sad:
  - {title: Someone Like You, artist: Adele}
YAML
ex/recommend_song songs.yaml happy store.db > song.txt
grep -q "for happy: Katrina and the Waves - Walking on Sunshine" song.txt || fail "recommend_song: $(cat song.txt)"
printf 'happy:\n  - {title: "", artist: Nobody}\n' > bad.yaml
if ex/recommend_song bad.yaml happy store.db 2> bad.txt; then fail "a bad playlist was accepted"; fi
grep -q "bad.yaml:2" bad.txt || fail "the bad playlist's error does not name file:line: $(cat bad.txt)"
has "imported 2 entries: 0 new songs" "$(ex/recommend_song songs.yaml sad store.db)" || fail "the bad import changed the store"

# dangpli::player from the package: the libmpv player loads libmpv itself, so the package asks for no libmpv.
sox -n -r 44100 -c 1 tone.ogg synth 0.3 sine 440
with_mpv=0
has "best first: mpv" "$("$prefix/bin/dangpli" live --help)" && with_mpv=1
if (( with_mpv )); then
    has "finished" "$(ex/play_song tone.ogg mpv null)" || fail "play_song did not play the tone with mpv"
    if has libmpv "$(ldd ex/play_song)"; then fail "play_song links libmpv, which the player should load itself"; fi
fi

step "examples against the static library"
cmake -S "$source/examples" -B ex-static -G "$generator" -DCMAKE_MAKE_PROGRAM="$make_program" \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" -DDANGPLI_EXAMPLES_STATIC=ON > ex-static.log
cmake --build ex-static --target analyze_image play_song >> ex-static.log || { cat ex-static.log; fail "static examples did not build"; }
if has libdangpli "$(ldd ex-static/analyze_image)"; then fail "the static example links libdangpli.so"; fi
has ": happy (" "$(ex-static/analyze_image "$photo")" || fail "static analyze_image"
if (( with_mpv )); then has "finished" "$(ex-static/play_song tone.ogg mpv null)" || fail "static play_song with mpv"; fi

step "pkg-config"
export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
[[ $(pkg-config --modversion dangpli) == "$version" ]] || fail "pkg-config version"
# shellcheck disable=SC2046
c++ -std=c++20 -O1 "$source/examples/analyze_image.cpp" -o pc_analyze $(pkg-config --cflags --libs dangpli) \
    -lopencv_imgcodecs
has ": happy (" "$(LD_LIBRARY_PATH=$prefix/$libdir ./pc_analyze "$photo")" || fail "pkg-config build of analyze_image"
# The players' library has its own module, which brings the core's.
# shellcheck disable=SC2046
c++ -std=c++20 -O1 "$source/examples/play_song.cpp" -o pc_play $(pkg-config --cflags --libs dangpli-player)
if (( with_mpv )); then
    has "finished" "$(LD_LIBRARY_PATH=$prefix/$libdir ./pc_play tone.ogg mpv null)" || fail "pkg-config build of play_song"
fi
# The .pc file finds its tree where it lies, so a moved tree needs no rewriting; its Cflags ask for C++20.
cp -a "$prefix" moved
has "-std=c++20 -I$tmp/moved/$libdir/pkgconfig/../../include" \
    "$(PKG_CONFIG_PATH=$tmp/moved/$libdir/pkgconfig pkg-config --cflags dangpli)" || fail "pkg-config in a moved tree: $(PKG_CONFIG_PATH=$tmp/moved/$libdir/pkgconfig pkg-config --cflags dangpli)"
echo "install check passed"
