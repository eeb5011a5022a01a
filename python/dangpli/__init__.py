"""dangpli (당플리): faces, their emotions, moods over time and the playlist store (libdangpli).

    import cv2, dangpli
    analyzer = dangpli.Analyzer()                      # MTCNN+YuNet and analyze's model (the ensemble fer-ensemble)
    faces = analyzer.analyze(cv2.imread("photo.jpg"))  # [{"box", "score", "landmarks", "emotion",
                                                       #   "confidence", "scores"}, ...]
    row = analyzer.analyze_file("photo.jpg")           # a line of `dangpli analyze --format jsonl`

Rows and dicts have the fields and names of `dangpli analyze --format json`. Errors are
dangpli.Error and its subclasses (InputError, ModelError, DataError, StoreError, WriteError),
with the command's one-line messages. Inference releases the GIL: give each thread its own
Analyzer (analyzer.copy()). Batch scoring on a Dask cluster: dangpli.dask.
"""

import os
import threading

from dangpli._native import DRAWINGS_MARKER as _DRAWINGS_MARKER  # analyze --annotate's folders
from dangpli._native import (
    DEFAULT_BALANCE,
    DEFAULT_DETECTOR,
    DEFAULT_TTA,
    DETECTORS,
    EMOTIONS,
    TTAS,
    Analyzer,
    Classifier,
    DataError,
    EmotionAggregator,
    Error,
    InputError,
    ModelError,
    PlaylistStore,
    StoreError,
    WriteError,
    __version__,
    has_image_extension,
    read_image,
    set_third_party_logs,
    set_threads,
)

__all__ = [
    "DEFAULT_BALANCE", "DEFAULT_DETECTOR", "DEFAULT_TTA", "DETECTORS", "EMOTIONS", "TTAS", "Analyzer", "Classifier", "DataError", "EmotionAggregator", "Error", "InputError",
    "ModelError", "PlaylistStore", "StoreError", "WriteError", "__version__", "classify",
    "has_image_extension", "image_files", "read_image", "set_third_party_logs", "set_threads",
]

# Shown as dangpli.InputError, not dangpli._native.InputError, in tracebacks.
for _error in (Error, InputError, ModelError, DataError, StoreError, WriteError):
    _error.__module__ = "dangpli"

_classifiers = {}
_classifiers_lock = threading.Lock()


def classify(crops, tta="single", model=None):
    """Scores for aligned face crops (see Classifier.classify) with a classifier loaded once per
    model and process. For several threads, give each its own dangpli.Classifier."""
    with _classifiers_lock:
        if model not in _classifiers:
            _classifiers[model] = Classifier(model)
        classifier = _classifiers[model]
    return classifier.classify(crops, tta)


def _as_utf8(name):
    """`name` as the library writes it in a row: bytes that are not UTF-8 (os.walk's surrogates from
    an old Latin-1 disk) replaced by U+FFFD."""
    return os.fsencode(name).decode("utf-8", "replace")


def image_files(folder):
    """The image files under `folder`, as `dangpli analyze FOLDER` finds them: recursively, links
    to folders followed like the folder (one reached again, through a link back up or a second
    link, walked once), named like an image (has_image_extension), sorted by path. Hidden entries
    (a name starting with '.') and folders of drawings that `analyze --annotate` made below `folder`
    are passed over. Raises InputError naming a folder that cannot be read."""
    folder = os.fspath(folder)
    # A folder named by bytes is walked in bytes (names that are not UTF-8 stay as they are).
    dot, marker = (b".", os.fsencode(_DRAWINGS_MARKER)) if isinstance(folder, bytes) else (".", _DRAWINGS_MARKER)

    def refuse(error):
        raise InputError(f"{error.filename}: cannot read the directory: {error.strerror}")

    found = []
    walked = set()  # (device, inode) of each folder walked: a link loop ends, no file is listed twice
    for root, dirs, files in os.walk(folder, onerror=refuse, followlinks=True):
        info = os.stat(root)
        if (info.st_dev, info.st_ino) in walked:
            dirs[:] = []
            continue
        walked.add((info.st_dev, info.st_ino))
        if root != folder and os.path.exists(os.path.join(root, marker)):
            dirs[:] = []
            continue
        # depth first in name order, as analyze: a folder reached twice is listed under its first path
        dirs[:] = sorted(d for d in dirs if not d.startswith(dot))
        # A name that is not UTF-8 arrives with surrogates, which the library's str cannot take; its
        # extension is ASCII either way.
        found.extend(os.path.join(root, name) for name in files
                     if not name.startswith(dot) and has_image_extension(_as_utf8(name)))
    return sorted(found)
