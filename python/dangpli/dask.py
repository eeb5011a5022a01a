"""Scoring a folder of images on a Dask cluster, into the JSONL of `dangpli analyze --format jsonl`.

The one command (a local cluster of 2 worker processes; --scheduler ADDRESS uses a running one):

    python3 -m dangpli.dask PHOTOS_DIR faces.jsonl --workers 2

or from Python:

    from distributed import Client, LocalCluster
    import dangpli.dask
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
        dangpli.dask.score(dangpli.image_files("photos"), "faces.jsonl", client)

The paths become a dask bag; map_partitions runs analyze_partition on the workers, where each
worker process loads the models once (not once per image) and reads each image with the
library. Every path gets exactly one row, written to the output as soon as its partition comes
back: {"path", "width", "height", "faces"}, or {"path", "error"} for an image that cannot be read.
A worker that dies takes no image with it: Dask runs its partitions again elsewhere, and a
partition that fails on every try becomes error rows, never a gap. The output is appended to, so
a run that stopped is resumed by running it again: paths already in the output are skipped.
"""

import argparse
import fcntl
import json
import os
import stat
import sys
import threading
from dataclasses import dataclass, field

_missing_package = None  # the command says it after its --help, in one line (main)
try:
    import dask.bag
    import distributed  # noqa: F401 (used in functions; checked here, once)
except ModuleNotFoundError as missing:
    if __name__ != "__main__":
        raise
    _missing_package = (missing.name or "dask").split(".")[0]

import dangpli

# One analyzer per worker thread and settings; a worker process usually has one thread.
_local = threading.local()
_loads = 0
_loads_lock = threading.Lock()


def _analyzer(options):
    key = tuple(sorted(options.items()))
    cache = getattr(_local, "analyzers", None)
    if cache is None:
        cache = _local.analyzers = {}
    if key not in cache:
        global _loads
        # The worker's cores are filled by the workers themselves: one OpenCV thread each.
        dangpli.set_threads(1)
        cache[key] = dangpli.Analyzer(**options)
        with _loads_lock:
            _loads += 1
    return cache[key]


def analyzers_loaded():
    """How many analyzers (models) this process has loaded for analyze_partition."""
    return _loads


def analyze_partition(paths, options=None):
    """The JSONL rows (text, no newline) of `paths`, in order, with this worker's analyzer.
    Never raises for a bad image: it gets an error row."""
    analyzer = _analyzer(options or {})
    return [analyzer.analyze_file_json(path) for path in paths]


@dataclass
class Summary:
    """What score() did."""
    output: str
    skipped: int = 0              # paths already in the output (a resumed run)
    written: int = 0              # rows written by this run
    errors: int = 0               # of which error rows
    failed_partitions: list = field(default_factory=list)  # messages of partitions given up


def done_paths(output):
    """The paths already in `output` (a JSONL of rows). A last line cut short by a run that was
    killed mid-write is removed from the file, once every whole line before it has been read as a
    row of ours. Raises DataError naming the line of a row that is not one of ours, the file
    untouched."""
    if not os.path.exists(output):
        return set()
    with open(output, "rb+") as f:
        data = f.read()
        whole = data.rfind(b"\n") + 1
        done = set()
        for number, line in enumerate(data[:whole].splitlines(), 1):
            try:
                done.add(json.loads(line)["path"])
            except (ValueError, KeyError, TypeError) as e:
                raise dangpli.DataError(f"{output}:{number}: not a row of dangpli analyze ({e})") from None
        rest = data[whole:]
        # A cut row begins as ours; anything else (a file that was never our JSONL) is left whole.
        if rest and not rest.startswith(b'{"path":'):
            line_number = data.count(b"\n") + 1
            raise dangpli.DataError(f"{output}:{line_number}: not a row of dangpli analyze")
        if rest:
            f.truncate(whole)
    return done


def refuse_output_over_inputs(output, paths):
    """Raises InputError where `output` is one of `paths`: the same name, or the same file through
    a link (it would be appended to, and a cut last line removed)."""
    same = f"{output}: the output would replace one of the images"
    if os.path.abspath(output) in {os.path.abspath(p) for p in paths}:
        raise dangpli.InputError(same)
    try:
        out = os.stat(output)
    except OSError:
        return  # not there yet: no image can be it
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            continue  # an image that cannot be read gets its error row
        if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
            raise dangpli.InputError(f"{same} ({p})")


def score(paths, output, client, *, partition_size=8, options=None, on_partition=None):
    """Analyses every path not yet in `output` on `client`'s cluster and appends one JSONL row per
    path to `output`, each partition's rows flushed to disk as it comes back (in completion order;
    every row names its path). `options` are Analyzer's keyword arguments (detector, model, tta,
    min_face, max_pixels, thresholds, balance, tilt_retry). `on_partition(rows)` is called after each partition is
    written. Returns a Summary. Raises OSError as check_output() does, and InputError where another
    run is writing rows to `output`."""
    output = os.fspath(output)
    paths = [os.fspath(p) for p in paths]
    refuse_output_over_inputs(output, paths)
    # A row names its path in UTF-8, bad bytes as U+FFFD: two names that differ only there would
    # share a row, and a resume would count the second as scored.
    first_of = {}
    for p in paths:
        other = first_of.setdefault(dangpli._as_utf8(p), p)
        if other != p:
            raise dangpli.InputError(f"{dangpli._as_utf8(p)}: two images whose names differ only in bytes that are "
                                     "not UTF-8 would share one row name; rename one")
    check_output(output)  # a FIFO blocked the open in silence; /dev/full was read without end
    with open(output, "a", encoding="utf-8") as out:
        # One run at a time per output: a second wrote every row again, and cut the first's row in
        # flight as a killed run's, which made every later resume fail. The kernel drops the lock
        # however the run ends.
        _lock_output(out, output)
        done = done_paths(output)
        todo = [p for p in paths if dangpli._as_utf8(p) not in done]  # as its row names it
        summary = Summary(output, skipped=len(paths) - len(todo))
        if not todo:
            return summary

        from distributed import as_completed

        bag = dask.bag.from_sequence(todo, partition_size=partition_size)
        chunks = [todo[i:i + partition_size] for i in range(0, len(todo), partition_size)]
        assert bag.npartitions == len(chunks), "dask.bag split the paths differently"
        rows = bag.map_partitions(analyze_partition, options or {})
        futures = client.compute(rows.to_delayed())
        partition_of = {future.key: chunk for future, chunk in zip(futures, chunks)}
        for future in as_completed(futures):
            chunk = partition_of[future.key]
            try:
                lines = future.result()
            except Exception as e:  # noqa: BLE001 - a partition given up by the cluster, e.g. KilledWorker
                why = f"{type(e).__name__}: {e}".splitlines()[0]
                summary.failed_partitions.append(why)
                lines = [dangpli._native.error_row_json(p, f"{p}: its partition failed on the cluster: {why}")
                         for p in chunk]
            out.write("".join(line + "\n" for line in lines))
            out.flush()
            os.fsync(out.fileno())
            summary.written += len(lines)
            summary.errors += sum(1 for line in lines if "error" in json.loads(line))
            if on_partition is not None:
                on_partition(lines)
    return summary


def _lock_output(out, output):
    """Takes `out`'s lock for this run, or raises InputError naming `output` where another run holds it."""
    try:
        fcntl.flock(out.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise dangpli.InputError(f"{output}: another run is writing rows to it; let it end (or stop it), "
                                 "then run this again to go on") from None


def check_output(output):
    """Raises OSError, "OUTPUT: why", for an output that cannot be appended to and resumed from: a
    folder, a device, FIFO or socket (/dev/stdout on a pipe among them), a file not writable, a
    folder that is missing or not writable. Creates nothing."""
    if os.path.isdir(output):
        raise OSError(f"{output}: a folder, not a file to write rows to")
    if os.path.exists(output):
        if not stat.S_ISREG(os.stat(output).st_mode):
            raise OSError(f"{output}: not a regular file (a device, FIFO or socket); rows go to a file, which a "
                          "later run reads to resume")
        if not os.access(output, os.W_OK):
            raise OSError(f"{output}: cannot be written (permission denied)")
        return
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        raise OSError(f"{output}: its folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OSError(f"{output}: its folder {folder} cannot be written (permission denied)")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m dangpli.dask",
        description="Score the images of folders (or files) on a Dask cluster into the JSONL of "
                    "`dangpli analyze --format jsonl`; run it again to resume.")
    parser.add_argument("inputs", nargs="+", help="image files and folders (searched recursively)")
    parser.add_argument("output", help="the JSONL file to append rows to (paths already in it are skipped)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of a local cluster (default 2)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler instead of a local cluster")
    parser.add_argument("--partition-size", type=int, default=8, help="images per task (default 8)")
    parser.add_argument("--detector", default=dangpli.DEFAULT_DETECTOR, choices=dangpli.DETECTORS,
                        help="the face detector (default %(default)s)")
    parser.add_argument("--model", help="emotion model (.onnx with its card; default: the bundled one)")
    parser.add_argument("--tta", default=dangpli.DEFAULT_TTA, choices=dangpli.TTAS,
                        help="views averaged per face (default %(default)s)")
    parser.add_argument("--balance", type=float,
                        help="class balance, 0 (as the model was trained) to 1 (all emotions equally likely); "
                             f"default {dangpli.DEFAULT_BALANCE}, as `dangpli analyze`")
    args = parser.parse_args(argv)
    if args.workers < 1 or args.partition_size < 1:
        parser.error("--workers and --partition-size must be at least 1")
    if args.balance is not None and not 0.0 <= args.balance <= 1.0:  # also refuses nan
        parser.error(f"--balance {args.balance}: must be between 0 and 1")
    # The output is the last argument: `a.jpg b.jpg` named b.jpg as the output, forgotten.
    if dangpli.has_image_extension(dangpli._as_utf8(os.path.basename(args.output))):
        parser.error(f"{args.output}: named like an image, but the last argument is the output; "
                     "give the JSONL file to write rows to last")
    if _missing_package:
        # One line, as dangpli's own commands, not a traceback and exit 1 (which means error rows).
        print(f"dangpli.dask: needs Dask: no module named '{_missing_package}' (Debian: apt-get install "
              "python3-dask python3-distributed)", file=sys.stderr)
        return 6

    try:
        paths = []
        for item in args.inputs:
            paths.extend(dangpli.image_files(item) if os.path.isdir(item) else [item])
        options = {"detector": args.detector, "model": args.model, "tta": args.tta}
        if args.balance is not None:  # unset: the Analyzer's default, which a card without a prior skips
            options["balance"] = args.balance
        # An output that cannot be written, or that another run is writing, stops here, before the
        # models load and any cluster starts (score() takes the run's own lock).
        check_output(args.output)
        if os.path.exists(args.output):
            with open(args.output, "a", encoding="utf-8") as probe:
                _lock_output(probe, args.output)
        dangpli.Analyzer(**options)  # so does a bad model or setting
        from distributed import Client, LocalCluster
        if args.scheduler:
            try:
                client = Client(args.scheduler)
            except OSError as e:  # not an output that failed (exit 7): the cluster is not there
                print(f"dangpli.dask: cannot reach the scheduler {args.scheduler}: {e}", file=sys.stderr)
                return 6
            with client:
                summary = score(paths, args.output, client, partition_size=args.partition_size, options=options)
        else:
            with LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=":0") as cluster, \
                    Client(cluster) as client:
                summary = score(paths, args.output, client, partition_size=args.partition_size, options=options)
    except (dangpli.InputError, dangpli.DataError) as e:
        print(f"dangpli.dask: {e}", file=sys.stderr)
        return 3
    except dangpli.ModelError as e:
        print(f"dangpli.dask: model error: {e}", file=sys.stderr)
        return 4
    except OSError as e:
        print(f"dangpli.dask: {e}", file=sys.stderr)
        return 7
    except KeyboardInterrupt:
        print("dangpli.dask: interrupted; run the same command again to go on", file=sys.stderr)
        return 130
    print(f"{summary.written} rows written to {summary.output} ({summary.errors} errors), "
          f"{summary.skipped} already there", file=sys.stderr)
    return 1 if summary.errors else 0


if __name__ == "__main__":
    # Run from the imported module, not __main__: the workers unpickle dangpli.dask's functions by
    # reference, and a __main__ function would be pickled by value with its thread-local cache.
    # Without Dask there are no workers (and the import would fail): this main answers --help or says so.
    if _missing_package:
        sys.exit(main())
    from dangpli.dask import main as _main
    sys.exit(_main())
