#!/usr/bin/env bash
# Installs every Debian package dangpli needs to build, test and (optionally) train.
# Usage: scripts/install-deps.sh [--no-trainer]
set -euo pipefail

trainer=1
[[ "${1:-}" == "--no-trainer" ]] && trainer=0

sudo_cmd=()
[[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)

packages=(
  build-essential cmake ninja-build pkg-config
  libopencv-dev opencv-data
  libxnnpack-dev libpthreadpool-dev   # XNNPACK runs our emotion networks (twice as fast as cv::dnn)
  libcli11-dev libfmt-dev libyaml-cpp-dev libspdlog-dev nlohmann-json3-dev
  libsqlite3-dev libsqlitecpp-dev sqlite3 zlib1g-dev
  libpng-dev libjpeg-dev   # headers of OpenCV's decoders: the CLI quiets their stderr prints
  libheif-dev libheif-examples   # HEIC/AVIF photos, which OpenCV does not read; heif-enc makes the tests' photos
  doctest-dev
  doxygen                                    # the API reference and its warning-free test
  dpkg-dev file fakeroot man-db groff-base   # the .deb (CPack, dpkg-shlibdeps) and man page checks
  libmpv-dev sox   # the libmpv player (dangpli::player); sox makes the tones its tests play
  libavformat-dev libavcodec-dev libswresample-dev libavutil-dev   # FFmpeg decodes songs (playlist scan)
  libaubio-dev libebur128-dev libqm-dsp-dev   # tempo/onsets/spectrum, loudness, key/mode/segments
  ffmpeg   # its tests encode their synthetic songs to mp3, m4a, ogg and opus
  libprotobuf-dev   # to quiet libprotobuf's own lines under OpenCV's model readers (cli/library_logs.cpp)
  libdlib19.1   # its annotated example photos are the detector's accuracy test set
  clang libclang-rt-14-dev   # the sanitizer and fuzzing job (scripts/sanitize.sh): ASan, UBSan, libFuzzer
  pybind11-dev python3-dev python3-numpy   # the Python module (`import dangpli`), for Debian's python3
  python3-pytest python3-dask python3-distributed   # its tests, and dangpli.dask on a LocalCluster
  bsdutils util-linux   # tests: `script` gives live a terminal; setpriv, prlimit run it as another user or with limits
  locales   # tests: localedef builds a Turkish locale, where tolower('I') is not 'i'
  jq time   # the benchmarks: live_faces.sh reads live's events and traces; CPU seconds by /usr/bin/time
)
if (( trainer )); then
  # libtorch links libblas.so.3; OpenBLAS makes it ~1.6x faster (TRAINING-NOTES.md).
  packages+=(libtorch-dev libopenblas0 libonnx-dev)
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"
