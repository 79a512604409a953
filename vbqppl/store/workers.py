"""Reading and parsing files in worker processes, for ingest.

Each worker reads a file, hashes it, parses it, sketches its units and cuts its search
passages; the results come back in the order the files were given, up to a writer's batch
ahead of the writer. Workers run at a lower priority than the writer, ignore Ctrl-C (the parent
handles it) and exit by themselves when the parent dies, even by SIGKILL.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from vbqppl.errors import ReadError, VbqpplError
from vbqppl.parse import parse_document
from vbqppl.read import MAX_BYTES, os_error_message, read_bytes
from vbqppl.read.safety import check_size
from vbqppl.store.documents import DocumentRows, document_rows, sha256_of
from vbqppl.store.search import Passage, passages
from vbqppl.store.sketches import Sketch, document_sketch


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a worker sends back: the document as the rows it is stored as (plain values
    unpickle several times faster in the parent than the model's objects), with its search
    passages; or why not."""

    sha256: str | None = None
    size: int = 0
    rows: DocumentRows | None = None
    passages: tuple[Passage, ...] = ()
    error: str | None = None
    unreadable: bool = False
    sketch: Sketch | None = None  # its units' LSH band keys (vbqppl.store.sketches)


def read_capped(path: Path) -> bytes:
    """The file's bytes, one more than the readers accept at most (they refuse it then)."""
    with path.open("rb") as fh:
        return fh.read(MAX_BYTES + 1)


def parse_path(path: str) -> Parsed:
    """Read, hash and parse one file, and cut its search passages; never raises (the
    worker's whole job)."""
    try:
        data = read_capped(Path(path))
    except OSError as err:
        return Parsed(error=os_error_message(err, path), unreadable=True)
    sha, size = sha256_of(data), len(data)
    try:
        if size > MAX_BYTES:  # only the first bytes were read: name the file's real size
            check_size(_size_on_disk(path, size), path, MAX_BYTES)
        doc = parse_document(read_bytes(data, name=path), path=path)
        return Parsed(
            sha, size, document_rows(doc), tuple(passages(doc)), sketch=document_sketch(doc)
        )
    except ReadError as err:
        return Parsed(sha, size, error=str(err), unreadable=True)
    except Exception as err:  # a parser bug must not stop the run: report it, go on
        msg = f"lỗi khi phân tích ({type(err).__name__}: {err}): {path}"
        return Parsed(sha, size, error=msg)


def _size_on_disk(path: str, read: int) -> int:
    try:
        return max(read, os.stat(path).st_size)
    except OSError:
        return read


# How much lower the workers' scheduling priority is than the writer's. The writer is the
# pipeline's one serial stage and, on PostgreSQL, waits for the server at every statement: when
# it or the server's backend becomes ready to run it should not wait for a parsing worker's
# time slice. Workers lose no throughput (they use every cycle the writer leaves).
WORKER_NICE = 10


def _worker_init(main_pid: int) -> None:
    """Workers leave Ctrl-C to the parent, exit when it dies (even by SIGKILL) and yield the
    processor to the writer (:data:`WORKER_NICE`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):
        os.nice(WORKER_NICE)
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(main_pid, 0)
            except ProcessLookupError:
                os._exit(1)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


@dataclass(frozen=True, slots=True)
class Todo:
    path: Path
    sha256: str
    size: int


# Files in the workers' hands or parsed and waiting for the writer, at most (as bytes read):
# the parsed rows of one file take a few times its size in the writer's memory.
AHEAD_BYTES = 64 << 20


def parsed_stream(
    todo: Sequence[Todo], jobs: int, *, ahead: int | None = None
) -> Iterator[tuple[Todo, Parsed]]:
    """Parse in worker processes, ``ahead`` files ahead (4 per worker by default; fewer when
    they are large, see :data:`AHEAD_BYTES`); yield in the order given. A writer that writes
    files in batches wants at least a batch ahead, so that the workers go on parsing while it
    writes one.

    Workers are started with ``forkserver`` (``spawn`` where there is none), so a script that
    calls :func:`ingest` with ``jobs > 1`` needs the usual ``if __name__ == "__main__":`` guard.
    """
    if jobs <= 1 or len(todo) <= 1:
        for item in todo:
            yield item, parse_path(str(item.path))
        return
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["vbqppl.store.workers"])
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(),)
    )
    pending: deque[tuple[Todo, Future[Parsed]]] = deque()
    items = iter(todo)
    most = ahead or jobs * 4
    held = 0  # bytes of the pending files

    def submit() -> None:
        nonlocal held
        while len(pending) < most and (held < AHEAD_BYTES or len(pending) < jobs):
            item = next(items, None)
            if item is None:
                return
            pending.append((item, pool.submit(parse_path, str(item.path))))
            held += item.size

    try:
        submit()
        while pending:
            item, job = pending.popleft()
            held -= item.size
            try:
                result = job.result()
            except BrokenProcessPool as err:
                raise VbqpplError(
                    f"một tiến trình phân tích bị dừng đột ngột (hết bộ nhớ?) khi đọc {item.path}; "
                    "các văn bản đã nạp vẫn còn nguyên, chạy lại để nạp tiếp (thử -j 1)"
                ) from err
            submit()
            yield item, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
