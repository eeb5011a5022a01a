"""Shared fixtures: the installed `dangpli` program beside the installed module, the shared data,
and rows from the command to compare the module's with. ctest sets the environment (see
tests/CMakeLists.txt): DANGPLI_CLI, DANGPLI_SHARED_DIR, DANGPLI_SOURCE_DIR."""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

CLI = os.environ["DANGPLI_CLI"]
SHARED = pathlib.Path(os.environ["DANGPLI_SHARED_DIR"])
SOURCE = pathlib.Path(os.environ["DANGPLI_SOURCE_DIR"])
FACES = SHARED / "data/faces"
FER = SHARED / "data/fer2013/publictest"


def run_cli(*args, stdin=None):
    return subprocess.run([CLI, *map(str, args)], input=stdin, capture_output=True, text=True)


def cli_rows(*args):
    """The lines of `dangpli analyze --format jsonl ARGS`, as text."""
    r = run_cli("analyze", "--format", "jsonl", *args)
    assert r.returncode in (0, 1), r.stderr
    return r.stdout.splitlines()


@pytest.fixture(scope="session")
def photo_folder(tmp_path_factory):
    """Real photos (the shared face photos, FER2013 faces copied as files, one in a subfolder) and
    a file that is not an image: 15 paths."""
    folder = tmp_path_factory.mktemp("photos")
    for photo in sorted(FACES.glob("*.jp*g")):
        shutil.copy(photo, folder / photo.name)
    (folder / "fer").mkdir()
    for emotion in ("happy", "sad", "surprise", "angry"):
        for source in sorted((FER / emotion).iterdir())[:2]:
            shutil.copy(source, folder / "fer" / f"{emotion}-{source.name}")
    (folder / "broken.jpg").write_text("not a JPEG\n")
    return folder


@pytest.fixture(scope="session")
def folder_rows(photo_folder):
    """`dangpli analyze DIR --format jsonl` on the photo folder: its lines, in order."""
    return cli_rows("-j", "2", photo_folder)


def parse(lines):
    return [json.loads(line) for line in lines]
