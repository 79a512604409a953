"""Ingest: files, folders and globs into the store.

The parent process hashes every file and skips those it has seen with the same hash (a second
run over the same folder reads and hashes, and writes nothing). The rest are read and parsed in
worker processes; the parent writes them in the order the files were given, several files per
transaction, each file whole with its file state (document, units, citations, relations, search
index, source bytes, file state, log entry: :func:`_write_file`), so a run killed at any moment
leaves every document whole or absent and the next run finishes the job. Unreadable files are
reported and skipped; nothing stops the run but a failing database.

A document whose number (số ký hiệu) and issuer match one already stored, or a file whose
content changed since it was ingested, is a new version: it is not written unless the caller
chose ``on_conflict="replace"`` (the older one goes) or ``"keep-both"``. By default it is listed
as waiting for that choice and the store is left as it was.

Parsing runs in :mod:`vbqppl.store.workers`; with ``jobs > 1`` a script that calls
:func:`ingest` needs the usual ``if __name__ == "__main__":`` guard (workers start by forkserver).
"""

from __future__ import annotations

import glob
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from vbqppl.errors import StoreError
from vbqppl.read import os_error_message
from vbqppl.store import schema
from vbqppl.store.db import Store, chunks, driver_sql, explain, get_meta, insert_rows, now, set_meta
from vbqppl.store.documents import (
    delete_documents,
    save_rows,
    save_source,
    sha256_of,
)
from vbqppl.store.resolve import STALE, ResolutionReport, resolve_store
from vbqppl.store.sketches import claim, save_sketch
from vbqppl.store.workers import Parsed, Todo, parsed_stream, read_capped

SUFFIXES = frozenset(
    {".txt", ".md", ".docx", ".doc", ".rtf", ".odt", ".html", ".htm", ".pdf", ".json", ".gz"}
)
POLICIES = ("ask", "replace", "keep-both")
# files.outcome: the last word on a path; all but "failed" and "conflict" (when no choice is
# given) are final for that content, so the path is skipped while its hash stays the same.
FINAL = frozenset({"ok", "unreadable", "duplicate", "replaced"})


# --- which files --------------------------------------------------------------------------


def expand_paths(args: Sequence[str | os.PathLike[str]]) -> tuple[list[Path], list[str]]:
    """Files named, files under folders (supported formats, no README, no hidden ones) and
    glob matches, each once, in a stable order; and the arguments that matched nothing."""
    found: dict[str, Path] = {}
    missing: list[str] = []
    for arg in args:
        p = Path(arg).expanduser()
        if p.is_dir():
            hits = [
                f
                for f in sorted(p.rglob("*"))
                if (f.is_file() or _dead_link(f))
                and f.suffix.lower() in SUFFIXES
                and f.name.lower() != "readme.md"
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            ]
        elif p.is_file() or _dead_link(p):
            hits = [p]
        elif glob.has_magic(str(arg)):
            hits = [Path(g) for g in sorted(glob.glob(str(p), recursive=True)) if Path(g).is_file()]
        else:
            hits = []
        if not hits:
            missing.append(str(arg))
        for f in hits:
            full = f.absolute() if _dead_link(f) else f.resolve()
            found.setdefault(str(full), full)
    return list(found.values()), missing


def _dead_link(p: Path) -> bool:
    """A symlink that leads nowhere (dangling, or a loop): listed so that it is reported,
    not silently left out."""
    return p.is_symlink() and not p.exists()


# --- writing, in the parent ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    outcome: str  # stored | replaced | duplicate | unreadable | failed | conflict
    message: str | None = None
    document_id: int | None = None
    number: str | None = None
    # number and name keys of the documents this one replaced (their links resolve again)
    replaced_keys: tuple[str, ...] = ()


@dataclass
class IngestReport:
    files: int = 0  # files found
    counts: Counter[str] = field(default_factory=Counter)  # outcome -> files (this run)
    results: list[FileResult] = field(default_factory=list)  # files worked on (not skipped)
    missing: list[str] = field(default_factory=list)  # arguments that matched no file
    seconds: float = 0.0
    resolution: ResolutionReport | None = None

    @property
    def stored(self) -> int:
        return self.counts["stored"] + self.counts["replaced"]

    @property
    def problems(self) -> list[FileResult]:
        return [r for r in self.results if r.outcome in ("unreadable", "failed", "conflict")]


@dataclass(frozen=True, slots=True)
class _Prior:
    sha256: str
    outcome: str
    document_id: int | None


def _priors(conn: Connection, paths: Sequence[Path]) -> dict[str, _Prior]:
    """What the store last recorded at each of ``paths`` (by the primary key on the path: one
    new file is looked up, not the store's hundred thousand)."""
    t = schema.files
    cols = (t.c.path, t.c.sha256, t.c.outcome, t.c.document_id)
    return {
        r.path: _Prior(r.sha256, r.outcome, r.document_id)
        for part in chunks(str(p) for p in paths)
        for r in conn.execute(select(*cols).where(t.c.path.in_(part)))
    }


def _stored_by_sha(conn: Connection, sha: str) -> list[tuple[int, str | None]]:
    sql = "SELECT id, source_path FROM documents WHERE source_sha256 = ?"
    return [(row[0], row[1]) for row in driver_sql(conn, sql, (sha,))]


def _same_document(
    conn: Connection, document: Mapping[str, Any], exclude: set[int]
) -> list[tuple[int, str]]:
    """Stored documents this one (its ``documents`` row) is a version of: same number key and
    a compatible issuer (the database compares issuers: a number such as 01/2010/QĐ-UBND is
    shared by every province, hundreds of documents in a big store)."""
    key, issuer = document["number_key"], document["issuer_key"]
    if key is None:
        return []
    sql = "SELECT id, source_path FROM documents WHERE number_key = ?"
    params: tuple[str, ...] = (key,)
    if issuer is not None:
        sql += " AND (issuer_key IS NULL OR issuer_key = ?)"
        params = (key, issuer)
    return [
        (row[0], row[1] or f"#{row[0]}")
        for row in driver_sql(conn, sql, params)
        if row[0] not in exclude
    ]


def _record_file(
    conn: Connection, run_id: int, item: Todo, outcome: str, message: str | None, doc_id: int | None
) -> None:
    path = str(item.path)
    stamp = now()
    state = "ok" if outcome in ("stored", "replaced") else outcome
    values = (item.sha256, item.size, state, message, doc_id, stamp, path)
    sql = (
        "INSERT INTO files (sha256, size, outcome, message, document_id, updated_at, path)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256,"
        " size = excluded.size, outcome = excluded.outcome, message = excluded.message,"
        " document_id = excluded.document_id, updated_at = excluded.updated_at"
    )
    driver_sql(conn, sql, values)
    event = {
        "run_id": run_id,
        "path": path,
        "sha256": item.sha256,
        "outcome": outcome,
        "message": message,
        "document_id": doc_id,
        "at": stamp,
    }
    insert_rows(conn, schema.ingest_events, [event])


def _write_file(
    conn: Connection,
    run_id: int,
    item: Todo,
    parsed: Parsed,
    prior: _Prior | None,
    policy: str,
    keep_bytes: bool,
) -> FileResult:
    """Everything one file leads to (document, units, links, search index, source bytes,
    file state, log entry), inside the caller's transaction: the per-document write."""
    path = str(item.path)
    rows = parsed.rows
    if rows is None:
        outcome = "unreadable" if parsed.unreadable else "failed"
        _record_file(conn, run_id, item, outcome, parsed.error, None)
        return FileResult(path, outcome, parsed.error)
    owners = _stored_by_sha(conn, item.sha256)
    twin = [p for _, p in owners if p != path]
    if twin:  # already stored by another path: the same document, no new copy
        msg = f"trùng nội dung với {twin[0]}"
        _record_file(conn, run_id, item, "duplicate", msg, None)
        return FileResult(path, "duplicate", msg)
    same_content = {i for i, _ in owners}
    earlier = prior.document_id if prior else None  # what this path held before
    # --force on an unchanged file: its own earlier document is replaced in place
    mine = {earlier} if earlier is not None and earlier in same_content else set()
    versions = _same_document(conn, rows.document, exclude=mine)
    if earlier is not None and not mine and all(earlier != i for i, _ in versions):
        versions.append((earlier, path))  # the file changed: a new version of its document
    number = rows.document["number"]
    if versions and policy == "ask":
        where = ", ".join(p for _, p in versions[:3])
        what = f"văn bản số {number}" if number else "phiên bản khác của tệp này"
        msg = (
            f"{what} đã có trong kho ({where}); chạy lại với --replace để thay thế "
            f"hoặc --keep-both để giữ cả hai: {path}"
        )
        _record_file(conn, run_id, item, "conflict", msg, None)
        return FileResult(path, "conflict", msg, None, number)
    gone = sorted(mine | ({i for i, _ in versions} if policy == "replace" else set()))
    named: tuple[str | None] | None = None
    if gone:
        conn.execute(
            update(schema.files)
            .where(schema.files.c.document_id.in_(gone), schema.files.c.path != path)
            .values(outcome="replaced", updated_at=now())
        )
        t = schema.documents
        replaced_keys = tuple(
            k
            for row in conn.execute(select(t.c.number_key, t.c.name_key).where(t.c.id.in_(gone)))
            for k in row
            if k
        )
        # a new version of one number keeps the name findings and review items know it by
        sql = "SELECT alias FROM documents WHERE id = ? AND number_key = ?"
        row = driver_sql(conn, sql, (gone[0], rows.document["number_key"])).first()
        named = (row[0],) if row is not None else None
        delete_documents(conn, gone)
    save_source(
        conn,
        sha256=item.sha256,
        size=item.size,
        fmt=rows.document["source_format"],
        content=_bytes_of(item) if keep_bytes else None,
        path=path,
    )
    saved = rows.document["source_sha256"] == item.sha256  # the same bytes: one source row
    doc_id = save_rows(conn, rows, parsed.passages, replaces=named, source_saved=saved)
    if parsed.sketch is not None:
        save_sketch(conn, doc_id, parsed.sketch, fresh=True)
    outcome = "replaced" if set(gone) - mine else "stored"
    note = "thay thế văn bản #" + ", #".join(map(str, gone)) if outcome == "replaced" else None
    _record_file(conn, run_id, item, outcome, note, doc_id)
    return FileResult(path, outcome, note, doc_id, number, replaced_keys if gone else ())


def _bytes_of(item: Todo) -> bytes | None:
    """The file's bytes again (from the page cache), if they are still what was parsed."""
    try:
        data = read_capped(item.path)
    except OSError:
        return None
    return data if sha256_of(data) == item.sha256 else None


def _no_flush_wait(conn: Connection) -> None:
    """PostgreSQL: do not wait for the WAL flush at each batch's commit. A server crash can
    then lose the last moments of commits, each document whole with its ``files`` row, so the
    next run redoes exactly those: atomic and consistent, as SQLite's WAL with
    synchronous=NORMAL."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL synchronous_commit = off")


Progress = Callable[[str, int, int], None]  # (path, done, total)


def ingest(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    on_conflict: str = "ask",
    keep_bytes: bool = True,
    force: bool = False,
    progress: Progress | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> IngestReport:
    """Ingest ``paths`` (files, folders, globs) into ``store``; see the module docstring."""
    if on_conflict not in POLICIES:
        raise ValueError(f"on_conflict must be one of {POLICIES}")
    started = time.perf_counter()
    files, missing = expand_paths(paths)
    report = IngestReport(files=len(files), missing=missing)
    with store.read() as conn:
        priors = _priors(conn, files)
        stale = get_meta(conn, STALE) is not None
    todo: list[Todo] = []
    for f in files:
        try:
            data = read_capped(f)
        except OSError as err:
            unreadable = FileResult(str(f), "unreadable", os_error_message(err, str(f)))
            report.results.append(unreadable)
            report.counts["unreadable"] += 1
            if on_result:
                on_result(unreadable)
            continue
        item = Todo(f, sha256_of(data), len(data))
        prior = priors.get(str(f))
        if prior and prior.sha256 == item.sha256 and not force:
            if prior.outcome in FINAL:
                report.counts["unchanged"] += 1
                continue
            if prior.outcome == "conflict" and on_conflict == "ask":
                report.counts["waiting"] += 1
                continue
        todo.append(item)
    if todo:
        _run(
            store,
            todo,
            priors,
            report,
            jobs or os.cpu_count() or 1,
            on_conflict,
            keep_bytes,
            progress,
            on_result,
            [str(p) for p in paths],
        )
    if report.stored or stale:
        done = [r for r in report.results if r.outcome in ("stored", "replaced")]
        # a store marked stale (a resolution that did not finish) is resolved whole
        report.resolution = resolve_store(
            store,
            None if stale else {r.document_id for r in done if r.document_id is not None},
            keys={k for r in done for k in r.replaced_keys},
        )
    report.seconds = time.perf_counter() - started
    return report


# Documents written per transaction: one commit per document was the writer's largest cost
# (each commit rewrites the same index pages to the WAL). A batch also ends when its first
# document has waited this long, so that slow parsing does not hold written documents back.
BATCH_DOCS = 64
BATCH_SECONDS = 2.0


def _batches(
    stream: Iterator[tuple[Todo, Parsed]], size: int = BATCH_DOCS, seconds: float = BATCH_SECONDS
) -> Iterator[list[tuple[Todo, Parsed]]]:
    """The parsed files in order, in lists of at most ``size`` (or ``seconds`` old)."""
    batch: list[tuple[Todo, Parsed]] = []
    started = 0.0
    for pair in stream:
        if not batch:
            started = time.monotonic()
        batch.append(pair)
        if len(batch) >= size or time.monotonic() - started >= seconds:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_batch(
    store: Store,
    run_id: int,
    batch: list[tuple[Todo, Parsed]],
    priors: dict[str, _Prior],
    policy: str,
    keep_bytes: bool,
) -> list[FileResult]:
    """Several files in one transaction, each in its own savepoint: a file the database
    refuses is rolled back alone and recorded as failed. A failing database (disk full, lock,
    lost connection) rolls the whole batch back, so every file is whole or absent, with its
    ``files`` row, and the next run redoes the absent ones."""
    results: list[FileResult] = []
    try:
        with store.begin() as conn:
            _no_flush_wait(conn)
            for queued, parsed in batch:
                # what the worker read is what counts (the file may have changed since hashed)
                item = Todo(queued.path, parsed.sha256, parsed.size) if parsed.sha256 else queued
                try:
                    with conn.begin_nested():
                        result = _write_file(
                            conn,
                            run_id,
                            item,
                            parsed,
                            priors.get(str(item.path)),
                            policy,
                            keep_bytes,
                        )
                except SQLAlchemyError as err:
                    if isinstance(err, OperationalError):  # the next file would fail the same way
                        raise
                    msg = f"không ghi được vào kho ({explain(err)}): {item.path}"
                    _record_file(conn, run_id, item, "failed", msg, None)
                    result = FileResult(str(item.path), "failed", msg)
                results.append(result)
            if any(r.outcome in ("stored", "replaced") for r in results):
                set_meta(conn, STALE, "1")
    except SQLAlchemyError as err:
        raise StoreError(f"lỗi cơ sở dữ liệu {store.name}: {explain(err)}") from err
    return results


def _run(
    store: Store,
    todo: list[Todo],
    priors: dict[str, _Prior],
    report: IngestReport,
    jobs: int,
    policy: str,
    keep_bytes: bool,
    progress: Progress | None,
    on_result: Callable[[FileResult], None] | None,
    arguments: list[str],
) -> None:
    with store.begin() as conn:
        run_id = int(
            conn.execute(
                insert(schema.ingest_runs)
                .values(started_at=now(), arguments={"paths": arguments, "on_conflict": policy})
                .returning(schema.ingest_runs.c.id)
            ).scalar_one()
        )
        claim(conn)
    total = len(todo)
    if progress:
        progress("", 0, total)
    done = 0
    # a batch and more ahead: the workers parse the next batch while this one is written
    for batch in _batches(parsed_stream(todo, jobs, ahead=BATCH_DOCS + 4 * jobs)):
        for result in _write_batch(store, run_id, batch, priors, policy, keep_bytes):
            done += 1
            report.counts[result.outcome] += 1
            report.results.append(result)
            if on_result:
                on_result(result)
            if progress:
                progress(result.path, done, total)
    with store.begin() as conn:
        conn.execute(
            update(schema.ingest_runs)
            .where(schema.ingest_runs.c.id == run_id)
            .values(finished_at=now(), counts=dict(report.counts))
        )
