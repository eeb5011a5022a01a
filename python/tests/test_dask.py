"""dangpli.dask on a real 2-worker LocalCluster over a folder of real photos: the rows are
`dangpli analyze DIR --format jsonl`'s, a worker killed mid-run loses no image, a stopped run
resumes where it stopped, and the documented command does the whole job."""

import fcntl
import json
import os
import signal
import subprocess
import sys

import pytest

import dangpli
import dangpli.dask
from conftest import FACES, parse

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=40) as cluster, distributed.Client(cluster) as c:
        yield c


def test_folder_paths_are_the_commands(photo_folder, folder_rows):
    assert dangpli.image_files(photo_folder) == [row["path"] for row in parse(folder_rows)]
    assert len(folder_rows) == 15


def test_rows_equal_the_commands_and_a_killed_worker_loses_no_image(client, photo_folder, folder_rows, tmp_path):
    output = tmp_path / "rows.jsonl"
    killed = []

    def kill_a_worker(_rows):
        if not killed:  # after the first partition: the others are queued or running
            pids = client.run(os.getpid)
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    summary = dangpli.dask.score(dangpli.image_files(photo_folder), output, client, partition_size=2,
                                 on_partition=kill_a_worker)
    assert killed
    lines = output.read_text().splitlines()
    assert sorted(lines) == sorted(folder_rows)  # every path once, each row byte for byte the command's
    assert summary.written == 15 and summary.errors == 1 and not summary.failed_partitions
    assert any("error" in row for row in parse(lines))
    # the models are loaded once per worker process, not per image or partition
    loads = client.run(dangpli.dask.analyzers_loaded)
    assert all(n <= 1 for n in loads.values()), loads


def test_a_stopped_run_resumes_where_it_stopped(client, photo_folder, folder_rows, tmp_path):
    output = tmp_path / "rows.jsonl"
    # Three rows of an earlier run (changed, to see that they are kept, not recomputed), and a
    # fourth cut short by a kill mid-write.
    earlier = parse(folder_rows[:3])
    for row in earlier:
        row["resumed"] = True
    output.write_text("".join(json.dumps(row) + "\n" for row in earlier) + folder_rows[3][:20])
    summary = dangpli.dask.score(dangpli.image_files(photo_folder), output, client, partition_size=4)
    assert summary.skipped == 3 and summary.written == 12
    rows = parse(output.read_text().splitlines())
    assert rows[:3] == earlier
    assert sorted(json.dumps(r, sort_keys=True) for r in rows[3:]) == \
        sorted(json.dumps(r, sort_keys=True) for r in parse(folder_rows[3:]))
    again = dangpli.dask.score(dangpli.image_files(photo_folder), output, client)
    assert again.skipped == 15 and again.written == 0


def test_an_output_that_is_not_ours_is_refused_untouched(client, photo_folder, tmp_path):
    output = tmp_path / "notes.jsonl"
    output.write_text("shopping list\n")
    with pytest.raises(dangpli.DataError, match="notes.jsonl:1: not a row of dangpli analyze"):
        dangpli.dask.score(dangpli.image_files(photo_folder), output, client)
    assert output.read_text() == "shopping list\n"


def test_no_image_is_ever_taken_for_the_output(client, photo_folder, tmp_path):
    # `a.jpg b.jpg` made b.jpg the output: it was cut at its last newline byte, then refused (exit 3).
    photo = tmp_path / "b.jpg"
    photo.write_bytes((FACES / "happy-baby.jpeg").read_bytes())
    before = photo.read_bytes()
    r = subprocess.run([sys.executable, "-m", "dangpli.dask", str(FACES / "neutral.jpeg"), str(photo)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "named like an image" in r.stderr, r.stderr
    # An output that is an input through a link, or a file with no row of ours, is left whole.
    link = tmp_path / "rows.jsonl"
    link.symlink_to(photo)
    with pytest.raises(dangpli.InputError, match="the output would replace one of the images"):
        dangpli.dask.score([str(photo)], link, client)
    notes = tmp_path / "notes.jsonl"
    notes.write_bytes(b"no newline at the end")
    with pytest.raises(dangpli.DataError, match="notes.jsonl:1: not a row of dangpli analyze"):
        dangpli.dask.score(dangpli.image_files(photo_folder), notes, client)
    assert notes.read_bytes() == b"no newline at the end"
    assert photo.read_bytes() == before


def test_an_output_another_run_is_writing_is_refused_untouched(photo_folder, folder_rows, tmp_path):
    # Two runs on one output wrote every row twice, and the second cut the first's row in flight.
    output = tmp_path / "rows.jsonl"
    in_flight = folder_rows[0] + "\n" + folder_rows[1][:20]
    output.write_text(in_flight)
    with open(output, "a") as other_run:
        fcntl.flock(other_run.fileno(), fcntl.LOCK_EX)
        with pytest.raises(dangpli.InputError, match="rows.jsonl: another run is writing rows to it"):
            dangpli.dask.score(dangpli.image_files(photo_folder), output, None)
        # The command says so before it loads the models and starts a cluster (it took 7 s to refuse).
        r = subprocess.run([sys.executable, "-m", "dangpli.dask", str(photo_folder), str(output), "--workers", "1"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 3 and "another run is writing rows to it" in r.stderr, r.stderr
        assert "distributed" not in r.stderr
    assert output.read_text() == in_flight


def test_the_documented_command(photo_folder, folder_rows, tmp_path):
    output = tmp_path / "faces.jsonl"
    r = subprocess.run([sys.executable, "-m", "dangpli.dask", str(photo_folder), str(output), "--workers", "2"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stderr  # one input is not an image, as with `dangpli analyze`
    assert "15 rows written" in r.stderr
    assert sorted(output.read_text().splitlines()) == sorted(folder_rows)


def test_the_commands_usage_errors_start_nothing(photo_folder, tmp_path):
    output = tmp_path / "faces.jsonl"
    for bad in (["--tta", "sideways"], ["--detector", "haar"], ["--workers", "0"], ["--balance", "1.5"],
                ["--balance", "nan"]):
        r = subprocess.run([sys.executable, "-m", "dangpli.dask", str(photo_folder), str(output), *bad],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 2, (bad, r.stderr)
        assert not output.exists()


def test_an_output_that_cannot_be_written_or_a_missing_scheduler_is_said_before_any_work(photo_folder, tmp_path, capsys):
    # Each was found after a local cluster started (Dask's own warnings on stderr), and all were exit 7.
    # In this process: three more interpreters importing distributed cost half a minute.
    # A FIFO blocked the open without a word, /dev/full was read without end (gigabytes of zeros).
    fifo = tmp_path / "rows.fifo"
    os.mkfifo(fifo)
    for output, says in ((tmp_path / "missing" / "faces.jsonl", "does not exist"), (tmp_path, "a folder"),
                         (fifo, "not a regular file"), ("/dev/full", "not a regular file")):
        assert dangpli.dask.main([str(photo_folder), str(output)]) == 7
        err = capsys.readouterr().err
        assert err.startswith(f"dangpli.dask: {output}: ") and says in err, err
        assert len(err.splitlines()) == 1, err
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        assert dangpli.dask.main([str(photo_folder), str(tmp_path / "faces.jsonl"), "--scheduler", "tcp://127.0.0.1:1"]) == 6
    assert "cannot reach the scheduler tcp://127.0.0.1:1" in capsys.readouterr().err
    assert not (tmp_path / "faces.jsonl").exists()


def test_a_name_that_is_not_utf8_is_scored_once(client, tmp_path):
    # os.walk gives such a name with surrogates; the row names it with U+FFFD, as the command does:
    # a resumed run must still see it as done, not score it again.
    folder = tmp_path / "latin1"
    folder.mkdir()
    photo = os.path.join(os.fsencode(folder), b"caf\xe9.jpg")
    with open(os.path.join(FACES, "angry.jpg"), "rb") as source, open(photo, "wb") as copy:
        copy.write(source.read())
    output = tmp_path / "rows.jsonl"
    first = dangpli.dask.score(dangpli.image_files(folder), output, client)
    assert first.written == 1 and first.errors == 0
    assert parse(output.read_text().splitlines())[0]["path"].endswith("caf\ufffd.jpg")
    again = dangpli.dask.score(dangpli.image_files(folder), output, client)
    assert again.skipped == 1 and again.written == 0
    # Two names that differ only in such bytes would share that row name: refused before any work
    # (a resume counted the second as scored).
    with open(os.path.join(os.fsencode(folder), b"caf\xea.jpg"), "wb") as copy:
        copy.write(b"")
    with pytest.raises(dangpli.InputError, match="differ only in bytes that are not UTF-8"):
        dangpli.dask.score(dangpli.image_files(folder), output, client)
    assert len(output.read_text().splitlines()) == 1
