"""Mutation fuzzing of the reader and the parser over real documents, each parse in a worker
process with a time bound, so a hang is caught and reported instead of stalling the run.

Mutations (seeded, so a failure can be replayed with its document, kind and seed):
deleted lines, duplicated lines, shuffled blocks of lines, random bytes written over the
UTF-8 bytes (then read back through the reader, which may refuse them), and truncation at a
random byte (often in the middle of a character). Used by ``test_fuzz_corpus.py`` (a bounded
sample) and ``bench/fuzz_corpus.py`` (the whole corpus, with figures).
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.pool import Pool
from pathlib import Path

from vbqppl.errors import ReadError
from vbqppl.model import Document

KINDS = ("delete", "duplicate", "shuffle", "bytes", "truncate")


def _lines(text: str, rng: random.Random, change: Callable[[list[str]], None]) -> bytes:
    lines = text.split("\n")
    change(lines)
    return "\n".join(lines).encode("utf-8")


def mutate(text: str, kind: str, seed: int) -> bytes:
    """``text`` changed one way (``kind``), as the bytes of a file."""
    rng = random.Random(seed)
    n = max(1, len(text.split("\n")))
    share = rng.choice((0.01, 0.1, 0.3))
    picks = max(1, int(n * share))

    def delete(lines: list[str]) -> None:
        for _ in range(min(picks, len(lines) - 1)):
            del lines[rng.randrange(len(lines))]

    def duplicate(lines: list[str]) -> None:
        for _ in range(picks):
            i = rng.randrange(len(lines))
            lines[i:i] = lines[i : i + rng.randint(1, 5)] * rng.randint(1, 3)

    def shuffle(lines: list[str]) -> None:
        size = rng.randint(1, 20)
        blocks = [lines[i : i + size] for i in range(0, len(lines), size)]
        for _ in range(picks):
            a, b = rng.randrange(len(blocks)), rng.randrange(len(blocks))
            blocks[a], blocks[b] = blocks[b], blocks[a]
        lines[:] = [x for block in blocks for x in block]

    if kind == "delete":
        return _lines(text, rng, delete)
    if kind == "duplicate":
        return _lines(text, rng, duplicate)
    if kind == "shuffle":
        return _lines(text, rng, shuffle)
    data = bytearray(text.encode("utf-8"))
    if kind == "bytes":
        for _ in range(max(1, int(len(data) * rng.choice((0.0001, 0.001, 0.01))))):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if kind == "truncate":
        return bytes(data[: rng.randrange(len(data) + 1)])
    raise ValueError(f"unknown mutation {kind!r}")


def check_document(doc: Document) -> None:
    """What every parse must give whatever the input: spans inside the text, units nested in
    their parents, every citation quoting its own span."""
    n = len(doc.text)
    by_id = {u.id: u for u in doc.units}
    assert len(by_id) == len(doc.units), "duplicate unit ids"
    for u in doc.units:
        assert 0 <= u.span.start <= u.span.end <= n, (u.id, u.span)
        if u.parent is not None:
            assert by_id[u.parent].span.contains(u.span), (u.id, u.parent)
    for c in doc.citations:
        assert doc.text[c.span.start : c.span.end] == c.text, c
    for r in doc.relations:
        assert 0 <= r.span.start <= r.span.end <= n, r


@dataclass(frozen=True, slots=True)
class Outcome:
    document: str
    kind: str
    seed: int
    seconds: float  # inside the worker (or the bound, when it hung)
    status: str  # parsed | refused (a ReadError: fine) | crashed | hung
    detail: str = ""


def fuzz_one(job: tuple[str, str, str, int]) -> Outcome:
    """In the worker: mutate, read, parse, check. Never raises."""
    from vbqppl.parse import parse_document
    from vbqppl.read import read_bytes

    name, text, kind, seed = job
    started = time.perf_counter()
    try:
        raw = read_bytes(mutate(text, kind, seed), name=f"{name}.txt")
        check_document(parse_document(raw))
        status, detail = "parsed", ""
    except ReadError as err:
        status, detail = "refused", str(err)
    except Exception as err:  # the finding: a crash or a broken invariant
        status, detail = "crashed", f"{type(err).__name__}: {err}"[:300]
    return Outcome(name, kind, seed, time.perf_counter() - started, status, detail)


def _pool() -> Pool:
    return multiprocessing.get_context("fork").Pool(1, maxtasksperchild=200)


def fuzz(
    documents: Sequence[Path],
    *,
    seeds: Sequence[int] = (0,),
    kinds: Sequence[str] = KINDS,
    per_document: float = 10.0,
    budget: float | None = None,
) -> Iterator[Outcome]:
    """Every (document, kind, seed) through :func:`fuzz_one` in a worker; a job that takes
    longer than ``per_document`` seconds is a hang (the worker is killed and replaced). Stops
    starting new documents once ``budget`` seconds have gone."""
    started = time.monotonic()
    pool = _pool()
    try:
        for path in documents:
            if budget is not None and time.monotonic() - started > budget:
                return
            text = path.read_text(encoding="utf-8")
            for seed in seeds:
                for kind in kinds:
                    job = (path.stem, text, kind, seed)
                    pending = pool.apply_async(fuzz_one, (job,))
                    try:
                        yield pending.get(timeout=per_document)
                    except multiprocessing.TimeoutError:
                        pool.terminate()
                        pool.join()
                        pool = _pool()
                        yield Outcome(path.stem, kind, seed, per_document, "hung")
    finally:
        pool.terminate()
        pool.join()
