"""`import dangpli` from the installed tree: the same rows as the command, errors of our own
hierarchy with the command's messages, the GIL released during inference."""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import threading

import numpy as np
import pytest

import dangpli
from conftest import CLI, FACES, FER, cli_rows, run_cli


def test_imported_from_the_installed_tree_with_its_version():
    prefix = os.path.dirname(os.path.dirname(CLI))
    assert dangpli.__file__.startswith(prefix), dangpli.__file__
    assert run_cli("--version").stdout.splitlines()[0] == f"dangpli {dangpli.__version__}"


def test_rows_are_the_commands_rows():
    analyzer = dangpli.Analyzer()
    assert analyzer.model == "fer-ensemble"  # analyze's model: an ensemble with live's among its members
    paths = [FACES / "group.jpeg", FACES / "neutral.jpeg"]
    lines = cli_rows(*paths)
    for path, line in zip(paths, lines):
        assert analyzer.analyze_file_json(str(path)) == line
        assert analyzer.analyze_file(str(path)) == json.loads(line)
        # an array in memory gives the same faces as the file
        assert analyzer.analyze(dangpli.read_image(str(path))) == json.loads(line)["faces"]
    assert len(json.loads(lines[0])["faces"]) == 5


def test_yunet_tta_and_min_face_reach_the_pipeline():
    path = str(FACES / "happy-baby.jpeg")
    line = cli_rows("--detector", "yunet", "--tta", "single", "--min-face", "40", path)[0]
    assert dangpli.Analyzer(detector="yunet", tta="single", min_face=40).analyze_file_json(path) == line
    assert json.loads(line)["faces"][0]["emotion"] == "happy"
    # the default (as the command's) is the mirror: one view gives other scores
    assert dangpli.DEFAULT_TTA == "mirror"
    assert dangpli.Analyzer(detector="yunet", min_face=40).analyze_file_json(path) != line


def turned(image, degrees):
    """The image turned about its centre (nearest pixel, edges repeated), as a tilted head."""
    h, w = image.shape[:2]
    a = np.deg2rad(degrees)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    cx, cy = (w - 1) / 2, (h - 1) / 2
    sx = np.cos(a) * (x - cx) - np.sin(a) * (y - cy) + cx
    sy = np.sin(a) * (x - cx) + np.cos(a) * (y - cy) + cy
    sx = np.clip(np.rint(sx), 0, w - 1).astype(np.intp)
    sy = np.clip(np.rint(sy), 0, h - 1).astype(np.intp)
    return np.ascontiguousarray(image[sy, sx])


def test_tilt_retry_finds_a_tilted_head_unless_off():
    tilted = turned(dangpli.read_image(str(FACES / "angry.jpg")), 60)
    assert len(dangpli.Analyzer(tilt_retry=0).analyze(tilted)) == 0
    assert len(dangpli.Analyzer().analyze(tilted)) == 1
    with pytest.raises(dangpli.InputError, match="tilt_retry"):
        dangpli.Analyzer(tilt_retry=90)


def test_balance_is_the_commands():
    path = str(FACES / "group.jpeg")
    assert dangpli.DEFAULT_BALANCE == 0.5
    for balance in ("0", "1"):
        line = cli_rows("--balance", balance, path)[0]
        assert dangpli.Analyzer(balance=float(balance)).analyze_file_json(path) == line
    assert dangpli.Analyzer(balance=0.5).analyze_file_json(path) == dangpli.Analyzer().analyze_file_json(path)
    with pytest.raises(dangpli.InputError, match="balance"):
        dangpli.Analyzer(balance=1.5)


def test_gray_bgra_and_strided_arrays():
    analyzer = dangpli.Analyzer()
    bgr = dangpli.read_image(str(FACES / "neutral.jpeg"))
    gray = dangpli.read_image(str(FACES / "neutral.jpeg"), gray=True)
    assert gray.ndim == 2 and bgr.shape == gray.shape + (3,)
    assert len(analyzer.analyze(gray)) == 1
    bgra = np.concatenate([bgr, np.full(bgr.shape[:2] + (1,), 255, np.uint8)], axis=2)
    assert analyzer.analyze(bgra) == analyzer.analyze(bgr)
    mirrored = bgr[:, ::-1]  # a view with a negative stride: copied once, same pixels
    assert len(analyzer.analyze(mirrored)) == 1


def test_a_bad_image_is_an_error_row_the_same_as_the_commands(tmp_path):
    jpeg = (FACES / "neutral.jpeg").read_bytes()
    cut = tmp_path / "cut.jpeg"
    cut.write_bytes(jpeg[: len(jpeg) // 2])
    missing = tmp_path / "missing.png"
    analyzer = dangpli.Analyzer()
    for path in (cut, missing):
        line = cli_rows(path)[0]
        assert analyzer.analyze_file_json(str(path)) == line
        assert set(json.loads(line)) == {"path", "error"}
    with pytest.raises(dangpli.InputError) as e:
        dangpli.read_image(str(cut))
    assert str(e.value) == json.loads(cli_rows(cut)[0])["error"]


def test_a_damaged_jpeg_is_refused_as_the_command_refuses_it_and_libjpeg_says_nothing(tmp_path, capfd):
    data = bytearray((FACES / "angry.jpg").read_bytes())
    # As the command's test damages it: every fifth byte of 3000 in the middle, never near a marker.
    for k in range(len(data) // 2, len(data) // 2 + 3000, 5):
        if data[k] not in (0xFF, 0) and data[k - 1] != 0xFF and data[k] ^ 0x35 != 0xFF:
            data[k] ^= 0x35
    damaged = tmp_path / "damaged.jpg"
    damaged.write_bytes(bytes(data))
    capfd.readouterr()
    with pytest.raises(dangpli.InputError) as e:
        dangpli.read_image(str(damaged))
    assert str(e.value).endswith(": corrupt JPEG: its image data is damaged (part of the picture would be garbage)")
    assert str(e.value) == json.loads(cli_rows(damaged)[0])["error"]
    assert "error" in dangpli.Analyzer().analyze_file(str(damaged))
    assert capfd.readouterr().err == ""  # libjpeg's own warning ("Corrupt JPEG data: ...") is not printed
    for make in (dangpli.Classifier, dangpli.Analyzer):  # "" is a mistake (None is the bundled model)
        with pytest.raises(dangpli.InputError, match=r"^model: an empty path \(None for the bundled model\)$"):
            make(model="")
    with pytest.raises(dangpli.InputError, match=r"^max_pixels must be at least 1, got -1$"):
        dangpli.read_image(str(FACES / "angry.jpg"), max_pixels=-1)


def test_paths_as_open_takes_them_and_never_cut_at_a_nul(tmp_path):
    photo = tmp_path / "x"
    photo.write_bytes((FACES / "neutral.jpeg").read_bytes())
    analyzer = dangpli.Analyzer()
    # pathlib.Path and bytes as well as str (a Path was a TypeError).
    assert analyzer.analyze_file(photo)["faces"] == analyzer.analyze_file(str(photo))["faces"]
    assert dangpli.read_image(photo).shape == dangpli.read_image(bytes(photo)).shape
    # "x\0.jpg" read the file x (the system reads a path up to its NUL): refused as open() refuses it.
    with pytest.raises((TypeError, ValueError)):
        analyzer.analyze_file(str(photo) + "\0.jpg")


def test_errors_are_our_hierarchy_with_the_commands_messages(tmp_path):
    for kind in (dangpli.InputError, dangpli.ModelError, dangpli.DataError, dangpli.StoreError, dangpli.WriteError):
        assert issubclass(kind, dangpli.Error)
    assert issubclass(dangpli.Error, RuntimeError)

    (tmp_path / "broken.onnx").write_text("not a model")
    (tmp_path / "broken.yaml").write_text("name: x\n")
    with pytest.raises(dangpli.ModelError) as e:
        dangpli.Analyzer(model=str(tmp_path / "broken.onnx"))
    r = run_cli("analyze", "--model", tmp_path / "broken.onnx", FACES / "angry.jpg")
    assert r.returncode == 4
    assert r.stderr == f"dangpli: model error: {e.value}\n"

    with pytest.raises(dangpli.InputError, match="unknown face detector 'haar'"):
        dangpli.Analyzer(detector="haar")
    with pytest.raises(dangpli.InputError, match="float32 of shape \\(4, 4\\)"):
        dangpli.Analyzer().analyze(np.zeros((4, 4), np.float32))
    with pytest.raises(dangpli.InputError, match="expected a numpy array"):
        dangpli.Analyzer().analyze("photo.jpg")
    # A side past int was narrowed: (1, 2**32 + 64) was read as a 1x64 picture. np.zeros costs no memory here.
    for shape in [(1, 2**31), (1, 2**32 + 64), (2**31 + 7, 1), (32767, 1)]:
        with pytest.raises(dangpli.InputError, match="a side of 32767 or more is not read"):
            dangpli.Analyzer(detector="yunet").analyze(np.zeros(shape, np.uint8))
    with pytest.raises(dangpli.InputError, match="tta"):
        dangpli.Analyzer(tta="sideways")
    # Settings are refused before any model loads (the ensemble took a second to load first), as the command's options.
    missing = str(tmp_path / "missing.onnx")
    for bad, says in (({"tta": "sideways"}, "tta"), ({"balance": 1.5}, "class balance must be between 0 and 1, got 1.5"),
                      ({"detector": "haar"}, "unknown face detector 'haar'"),
                      ({"min_face": float("inf")}, "min_face_size must be a finite number > 0 pixels, got inf")):
        with pytest.raises(dangpli.InputError, match=says):
            dangpli.Analyzer(model=missing, **bad)
    assert dangpli.DETECTORS == ("mtcnn", "yunet", "mtcnn+yunet") and dangpli.TTAS == ("single", "mirror", "ten-crop")


def test_analyze_releases_the_gil():
    # With a switch interval of minutes, a thread that held the GIL through analyze() would run to
    # its end before this one ran again; released, this one runs while analyze() works.
    analyzer = dangpli.Analyzer()
    image = dangpli.read_image(str(FACES / "group.jpeg"))
    state = {"entered": False, "done": False}

    def work():
        state["entered"] = True
        analyzer.analyze(image)
        state["done"] = True

    previous = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    try:
        thread = threading.Thread(target=work)
        thread.start()
        while not state["entered"]:
            pass
        seen_while_working = not state["done"]
        thread.join()
    finally:
        sys.setswitchinterval(previous)
    assert seen_while_working
    assert state["done"]


def test_copies_serve_threads_with_the_same_results():
    analyzer = dangpli.Analyzer()
    image = dangpli.read_image(str(FACES / "group.jpeg"))
    expected = analyzer.analyze(image)
    results = [None, None]

    def work(i, own):
        results[i] = own.analyze(image)

    threads = [threading.Thread(target=work, args=(i, analyzer.copy())) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected, expected]


def test_classify_fer_crops():
    classifier = dangpli.Classifier()
    assert classifier.face_size == 48
    crops = [dangpli.read_image(str(p), gray=True) for p in sorted((FER / "happy").iterdir())[:8]]
    rows = dangpli.classify(crops)
    assert len(rows) == 8
    for row in rows:
        assert list(row["scores"]) == list(dangpli.EMOTIONS)
        assert sum(row["scores"].values()) == pytest.approx(1.0, abs=2e-3)
        assert row["emotion"] == max(row["scores"], key=row["scores"].get)
    assert sum(row["emotion"] == "happy" for row in rows) >= 6  # the model reads 85% of FER's happy faces
    assert classifier.classify(crops[:1]) == rows[:1]
    # Named as the list was given (it was "face 1" here, "crops[1]" in the dtype check); a BGRA crop,
    # which the dtype check offers, is read as its BGR (it was refused "of depth 0").
    with pytest.raises(dangpli.InputError, match=r"crops\[1\]: expected a 48x48 crop \(the model's face_size\), got 10x10"):
        classifier.classify([crops[0], np.zeros((10, 10), np.uint8)])
    bgr = np.repeat(crops[0][:, :, None], 3, axis=2)
    bgra = np.concatenate([bgr, np.full((48, 48, 1), 255, np.uint8)], axis=2)
    assert classifier.classify([bgra]) == classifier.classify([bgr])


def test_the_aggregator_follows_the_face_over_seconds():
    aggregator = dangpli.EmotionAggregator(window=2.0, hold=1.0)
    happy = {e: (0.9 if e == "happy" else 0.1 / 6) for e in dangpli.EMOTIONS}
    sad = [0.1 / 6] * 7
    sad[dangpli.EMOTIONS.index("sad")] = 0.9
    mood = aggregator.push(0.0, happy)
    assert mood["emotion"] is None  # less than min_face seconds of face
    for i in range(1, 31):
        mood = aggregator.push(i / 10, {"scores": happy})
    assert mood["emotion"] == "happy" and mood["clear"]
    for i in range(31, 35):
        mood = aggregator.push(i / 10, sad)
    assert mood["emotion"] == "happy"  # one sad moment does not flip the mood
    for i in range(35, 80):
        mood = aggregator.push(i / 10, sad)
    assert mood["emotion"] == "sad"
    with pytest.raises(dangpli.InputError, match="strategy"):
        dangpli.EmotionAggregator(strategy="median")
    with pytest.raises(dangpli.InputError):
        dangpli.EmotionAggregator(window=-1)
    # pybind11's bare "Unable to cast Python instance to C++ type" (a RuntimeError) named nothing.
    for bad in ({"scores": "x"}, {"happy": "much"}, "sad", None):
        with pytest.raises(dangpli.InputError, match="scores: expected a dict of emotion name to probability"):
            aggregator.push(99.0, bad)
    assert dangpli.EmotionAggregator.push_no_face.__doc__.count("without a face") == 1


def test_the_store_reads_what_the_command_wrote(tmp_path):
    db = tmp_path / "store.db"
    r = run_cli("playlist", "--db", db, "add", "Walking on Sunshine", "--artist", "Katrina and the Waves",
                "--emotion", "happy", "--weight", "2", "--duration", "3:58")
    assert r.returncode == 0, r.stderr
    listing = json.loads(run_cli("playlist", "--db", db, "list", "--format", "json").stdout)
    store = dangpli.PlaylistStore(str(db))
    assert store.songs() == listing
    happy = store.songs(emotion="happy")
    assert any(s["title"] == "Walking on Sunshine" and s["duration_s"] == 238.0 for s in happy)
    assert store.counts()["per_emotion"]["happy"] == len(happy)
    assert store.candidates("happy")[0]["title"] == "Walking on Sunshine"  # the heaviest tag first
    assert store.history() == json.loads(run_cli("playlist", "--db", db, "history", "--format", "json").stdout)
    before = db.read_bytes()
    del store
    assert db.read_bytes() == before  # read-only: nothing written
    with pytest.raises(dangpli.StoreError):
        dangpli.PlaylistStore(str(tmp_path / "no-such-store.db"))
    with pytest.raises(dangpli.InputError, match="unknown emotion 'glad'"):
        dangpli.PlaylistStore(str(db)).songs(emotion="glad")


def test_the_dask_command_without_dask_says_so_in_one_line(tmp_path):
    # sys.modules["dask"] = None makes `import dask.bag` fail as on a machine without python3-dask.
    hide_dask = ("import runpy, sys; sys.modules['dask'] = None; "
                 "runpy.run_module('dangpli.dask', run_name='__main__', alter_sys=True)")
    output = tmp_path / "rows.jsonl"
    r = subprocess.run([sys.executable, "-c", hide_dask, str(tmp_path), str(output)], capture_output=True, text=True)
    helped = subprocess.run([sys.executable, "-c", hide_dask, "--help"], capture_output=True, text=True)
    assert helped.returncode == 0 and "usage: python3 -m dangpli.dask" in helped.stdout  # the help, even so
    assert r.returncode == 6
    assert r.stderr == ("dangpli.dask: needs Dask: no module named 'dask' (Debian: apt-get install python3-dask "
                        "python3-distributed)\n")
    assert not output.exists()


def test_image_files_and_analysis_take_a_name_that_is_not_utf8(tmp_path):
    # An old Latin-1 disk: os.walk gives the name with surrogates, which the library's str refused
    # (TypeError from has_image_extension).
    photo = os.path.join(os.fsencode(tmp_path), b"caf\xe9.jpg")
    with open(os.path.join(FACES, "angry.jpg"), "rb") as source, open(photo, "wb") as copy:
        copy.write(source.read())
    found = dangpli.image_files(tmp_path)
    assert found == [os.fsdecode(photo)]
    row = dangpli.Analyzer().analyze_file(found[0])
    assert row["faces"][0]["emotion"] == "angry" and row["path"].endswith("caf\ufffd.jpg")


def test_image_files_follows_links_to_folders_as_analyze_does(tmp_path):
    # A photo library linked in was left out of a Dask batch that `dangpli analyze DIR` read whole;
    # a link back up must not loop, and a folder reached twice is listed once, under its first path.
    (tmp_path / "library").mkdir()
    (tmp_path / "top").mkdir()
    for name in ("library/a.jpg", "top/n.jpg"):
        (tmp_path / name).write_bytes(b"")
    os.symlink("../library", tmp_path / "top" / "b-linked")
    os.symlink("../library", tmp_path / "top" / "c-again")
    os.symlink("..", tmp_path / "top" / "d-up")
    found = dangpli.image_files(tmp_path / "top")
    top = str(tmp_path / "top")
    assert found == [os.path.join(top, "b-linked", "a.jpg"), os.path.join(top, "n.jpg")]


def test_image_files_passes_over_what_analyze_passes_over(tmp_path):
    # image_files read hidden files (.thumbnails, macOS's ._name) and `--annotate` drawings made inside
    # the folder as photos, which `dangpli analyze DIR` passes over: a Dask batch scored other images.
    photos = tmp_path / "photos"
    shutil.copytree(FACES, photos, ignore=shutil.ignore_patterns("*.md", "group.jpeg", "sad-*", "surprised*"))
    (photos / ".thumbnails").mkdir()
    shutil.copy(FACES / "neutral.jpeg", photos / ".thumbnails" / "n.jpeg")
    shutil.copy(FACES / "neutral.jpeg", photos / "._neutral.jpeg")
    drawn = run_cli("analyze", "--format", "csv", "--annotate", photos / "drawn", photos)
    assert drawn.returncode == 0, drawn.stderr
    assert (photos / "drawn" / "neutral.jpeg").exists()
    found = dangpli.image_files(photos)
    assert found == [json.loads(line)["path"] for line in cli_rows(photos)]
    assert [os.path.relpath(p, photos) for p in found] == ["angry.jpg", "happy-baby.jpeg", "neutral.jpeg"]
    # the folder of drawings named itself is read, as analyze reads it
    assert len(dangpli.image_files(photos / "drawn")) == 3
    # a folder named by bytes is walked in bytes, by the same rules
    assert dangpli.image_files(os.fsencode(photos)) == [os.fsencode(p) for p in found]
    # --annotate into a folder of the user's own marks nothing: their photos stay photos
    (tmp_path / "mine").mkdir()
    shutil.copy(FACES / "angry.jpg", tmp_path / "mine" / "own.jpg")
    assert run_cli("analyze", "--annotate", tmp_path / "mine", FACES / "neutral.jpeg").returncode == 0
    assert not (tmp_path / "mine" / dangpli._native.DRAWINGS_MARKER).exists()
    mine = [os.path.relpath(p, tmp_path) for p in dangpli.image_files(tmp_path) if p.startswith(str(tmp_path / "mine"))]
    assert mine == [os.path.join("mine", "neutral.jpeg"), os.path.join("mine", "own.jpg")]


def test_model_takes_a_path_as_open_takes_it(tmp_path):
    # model= took only str and bytes: a pathlib.Path, or a name that is not UTF-8, was a TypeError.
    emotion = os.path.join(os.path.dirname(os.path.dirname(CLI)), "share", "dangpli", "models", "emotion")
    folder = os.path.join(os.fsencode(tmp_path), b"m\xe9")
    os.mkdir(folder)
    for name in ("fer-resnet.onnx", "fer-resnet.yaml"):
        with open(os.path.join(emotion, name), "rb") as source, open(os.path.join(folder, name.encode()), "wb") as copy:
            copy.write(source.read())
    model = os.path.join(folder, b"fer-resnet.onnx")
    crop = np.random.default_rng(1).integers(0, 256, (48, 48), dtype=np.uint8)
    by_path = dangpli.Classifier(model=pathlib.Path(os.fsdecode(model))).classify([crop])
    assert by_path == dangpli.Classifier(model=model).classify([crop])
    assert dangpli.Analyzer(model=os.fsdecode(model)).model == "fer-resnet"


def test_third_party_log_lines_are_hidden_unless_asked(tmp_path):
    # YuNet's network under an emotion model's card: OpenCV prints "[ERROR:0@...] ... net_impl.cpp"
    # lines of its own before the ModelError, at the file descriptor, so in a process of its own.
    models = pathlib.Path(CLI).parent.parent / "share/dangpli/models"
    shutil.copy(models / "yunet/face_detection_yunet_2022mar.onnx", tmp_path / "wrong.onnx")
    # Its own size (160x120) on the card, so that the load gets as far as running it: on one channel
    # where it takes three, OpenCV's lines come before the ModelError.
    card = (models / "emotion/fer-resnet.yaml").read_text()
    card = card.replace("width: 44", "width: 160").replace("height: 44", "height: 120")
    (tmp_path / "wrong.yaml").write_text(card.replace("face_size: 48", "face_size: 160"))
    script = (
        "import sys, dangpli\n"
        "if sys.argv[2] == 'shown': dangpli.set_third_party_logs(True)\n"
        "try:\n    dangpli.Classifier(model=sys.argv[1])\n"
        "except dangpli.ModelError as e:\n    print(e)\n"
    )
    for logs in ("hidden", "shown"):
        r = subprocess.run([sys.executable, "-c", script, str(tmp_path / "wrong.onnx"), logs],
                           capture_output=True, text=True, env=os.environ)
        assert "wrong.onnx" in r.stdout, r.stdout + r.stderr  # the ModelError, naming the file
        assert (r.stderr == "") == (logs == "hidden"), r.stderr
