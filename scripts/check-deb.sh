#!/usr/bin/env bash
# Checks a dangpli .deb without installing it: dpkg accepts it against this system's packages
# (dependencies included, dry run), and the unpacked program runs from a scratch root with
# nothing else: it finds its models and playlists inside the package and reads a face.
#   scripts/check-deb.sh build-package/dangpli_0.1.0_amd64.deb
set -euo pipefail
deb=$(realpath "$1")
photo=$(realpath "$(dirname "$0")/../data/examples/happy-baby.jpeg")
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
fail() { echo "check-deb: FAIL: $*" >&2; exit 1; }

dpkg-deb --info "$deb" | sed -n '/Package:/,$p'
depends=$(dpkg-deb --field "$deb" Depends)
[[ -n $depends ]] || fail "no Depends field (dpkg-shlibdeps did not run)"
# The CMake package and dangpli.pc look up libdangpli's dependencies' -dev packages: they are suggested.
suggests=$(dpkg-deb --field "$deb" Suggests)
for dev in libopencv-dev libxnnpack-dev libqm-dsp-dev libheif-dev; do
  grep -Eq "(^|, )$dev(,|$)" <<<"$suggests" || fail "Suggests does not name $dev, which building against the package needs: $suggests"
done
if [[ $(id -u) == 0 ]]; then
    dpkg --dry-run --install "$deb" > "$root/dpkg.log" 2>&1 || { cat "$root/dpkg.log"; fail "dpkg would not install it"; }
else
    echo "check-deb: not root, skipping dpkg --dry-run --install"
fi

dpkg-deb --extract "$deb" "$root/fs"
for f in usr/bin/dangpli usr/include/dangpli/dangpli.hpp usr/share/dangpli/models/emotion/fer-resnet.onnx \
         usr/share/dangpli/models/mtcnn/det3.caffemodel usr/share/dangpli/playlists/happy.yaml \
         usr/share/dangpli/models/yunet/face_detection_yunet_2022mar.onnx \
         usr/share/man/man1/dangpli.1.gz; do
    [[ -e $root/fs/$f || -e $root/fs/${f%.gz} ]] || fail "missing from the package: $f"
done
if compgen -G "$root/fs/usr/lib/*/libdangpli.so*" > /dev/null || compgen -G "$root/fs/usr/lib/libdangpli.so*" > /dev/null; then :
else fail "libdangpli.so missing from the package"; fi

cd "$root"
env -u DANGPLI_MODEL_DIR -u DANGPLI_DATA_DIR HOME="$root/home" "$root/fs/usr/bin/dangpli" --version | tee version.txt
grep -q "emotion model: w6-resnet-wide .*$root/fs/usr/share/dangpli/models" version.txt || fail "the packaged program does not use the packaged model"
env -u DANGPLI_MODEL_DIR HOME="$root/home" "$root/fs/usr/bin/dangpli" analyze --format jsonl "$photo" > faces.jsonl
grep -q '"emotion":"happy"' faces.jsonl || fail "the packaged program did not read the example face: $(cat faces.jsonl)"
env -u DANGPLI_MODEL_DIR HOME="$root/home" "$root/fs/usr/bin/dangpli" analyze --detector yunet --format jsonl "$photo" > faces-yunet.jsonl
grep -q '"emotion":"happy"' faces-yunet.jsonl || fail "the packaged YuNet detector did not read the example face: $(cat faces-yunet.jsonl)"
# The Python module, where the package has it: Debian's python3 imports it from the unpacked
# tree, and it finds the packaged library and models by itself.
site=$root/fs/usr/lib/python3/dist-packages
if [[ -d $site/dangpli ]]; then
    env -u DANGPLI_MODEL_DIR HOME="$root/home" PYTHONPATH="$site" /usr/bin/python3 -c \
        'import sys, dangpli; print(dangpli.Analyzer().analyze_file_json(sys.argv[1]))' "$photo" > faces-python.jsonl ||
        fail "the packaged Python module did not run: $(cat faces-python.jsonl)"
    cmp -s faces.jsonl faces-python.jsonl || fail "the packaged Python module's row differs from the program's"
fi
# The libmpv player loads libmpv when it first plays (dlopen, which dpkg-shlibdeps cannot see): the package
# must depend on it by name, and the program must not load it at every start.
if grep -q "best first: mpv" <(env -u DANGPLI_MODEL_DIR HOME="$root/home" "$root/fs/usr/bin/dangpli" live --help); then
    grep -Eq "(^|, )libmpv[0-9]+" <<<"$depends" || fail "the mpv player is built but Depends does not name libmpv: $depends"
    if ldd "$root/fs/usr/bin/dangpli" | grep -q libmpv; then fail "dangpli links libmpv, which only playing should load"; fi
fi
echo "check-deb: $(basename "$deb") passed"
