"""The whole-store check, a few territories at a time, in worker processes.

The pair checks compare two local documents only when they apply in one territory
(:mod:`vbqppl.checks.territory`); a central document with every document. So a store can be
checked part by part: each part holds the local documents of some territories (whole
territories, packed while the part holds at most ``part_size`` documents), and its view also
holds the central documents, the documents its own cite or act on or are cited or acted on by,
and those acting on any of these (their relations give the others' validity and wording in
force). A part keeps the findings naming one of its own documents; the first part owns the
central documents too. A finding seen by two parts (a citation between two territories) has
one id and is kept once.

Memory is then one part's view per worker, not the store's: a view of the 10,000-document
generated store peaks at about 2.8 GB, and the store's texts alone (1.4 GB of UTF-8 at 100,000
documents) would not fit in 4 GiB as Python strings. A store that fits in one part (the real
corpus, a province's store) is checked in one view, exactly as before.

Known limits: every part loads and checks the central documents again (the findings among them
are kept from the first part only), so a store with many central documents and many parts
repeats that work once per part; the parts read the store one after another, so an ingest
running at the same time may be seen by some parts and not others.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from sqlalchemy import Connection, select

from vbqppl.checks.finding import Finding
from vbqppl.checks.focus import linked_documents, with_actors
from vbqppl.checks.registry import run_checks, sort_findings
from vbqppl.checks.territory import territory
from vbqppl.checks.view import document_rank, load_view
from vbqppl.errors import VbqpplError
from vbqppl.store import schema
from vbqppl.store.db import Store, open_store
from vbqppl.store.sketches import stored_keys

#: Local documents per part (unless one territory has more): a view of 4,733 generated
#: documents (a merged province of the 100,000 store) peaks at 1.27 GB.
PART_SIZE = 5000


@dataclass(frozen=True)
class Part:
    """Documents whose findings one view gives: ``own`` (local documents of ``places``, and the
    central documents for the first part) and ``central`` (loaded into every part's view)."""

    places: tuple[str, ...]
    own: tuple[int, ...]
    central: tuple[int, ...]


def plan(conn: Connection, part_size: int = PART_SIZE) -> list[Part]:
    """The store's documents in parts of whole territories, taken in the order of their names,
    each part with at most ``part_size`` local documents unless one territory alone has more;
    one part for a store whose local documents are no more than that."""
    d = schema.documents
    by: dict[str | None, list[int]] = defaultdict(list)
    for r in conn.execute(select(d.c.id, d.c.number, d.c.issuer).order_by(d.c.id)):
        rank = document_rank(r.number, r.issuer)
        by[territory(r.issuer, rank.scope if rank else None)].append(r.id)
    central = tuple(by.pop(None, []))
    groups: list[tuple[list[str], list[int]]] = []
    for place in sorted(p for p in by if p is not None):
        if not groups or len(groups[-1][1]) + len(by[place]) > part_size:
            groups.append(([], []))
        groups[-1][0].append(place)
        groups[-1][1].extend(by[place])
    parts = [Part(tuple(places), tuple(sorted(own)), central) for places, own in groups]
    if not parts:
        return [Part((), central, central)]
    parts[0] = Part(parts[0].places, tuple(sorted(parts[0].own + central)), central)
    return parts


def check_part(
    conn: Connection, at: str, part: Part, rules: Collection[str] | None = None
) -> list[Finding]:
    """The findings of ``rules`` naming one of ``part.own``, from a view of what they need."""
    own = set(part.own)
    ids = with_actors(conn, own | set(part.central) | linked_documents(conn, own))
    view = load_view(conn, at, documents=ids)
    view.memo["known_keys"] = stored_keys(conn, list(view.documents))
    names = {view.name(i) for i in own if i in view.documents}
    return run_checks(view, rules=rules, documents=names)


def _check_part_in_worker(
    target: str, at: str, part: Part, rules: Collection[str] | None
) -> list[Finding]:
    store = open_store(target, create=False, migrate=False)
    try:
        with store.read() as conn:
            return check_part(conn, at, part, rules)
    finally:
        store.close()


Progress = Callable[[int, int], None]


def check_store(
    store: Store,
    at: str,
    rules: Collection[str] | None = None,
    jobs: int = 1,
    part_size: int = PART_SIZE,
    progress: Progress | None = None,
) -> list[Finding]:
    """Every finding of ``rules`` (all by default) on the store at ``at``, as
    :func:`run_checks` on the whole store's view gives them, checked part by part
    (:func:`plan`) in ``jobs`` worker processes."""
    with store.read() as conn:
        parts = plan(conn, part_size)
        if len(parts) == 1:
            view = load_view(conn, at)
            view.memo["known_keys"] = stored_keys(conn, list(view.documents))
            return run_checks(view, rules=rules)
    found: dict[str, Finding] = {}
    if jobs <= 1:
        for n, part in enumerate(parts, 1):
            with store.read() as conn:
                found.update((f.id, f) for f in check_part(conn, at, part, rules))
            gc.collect()
            if progress:
                progress(n, len(parts))
    else:
        target = store.engine.url.render_as_string(hide_password=False)
        for findings in _in_workers(target, at, parts, rules, jobs, progress):
            found.update((f.id, f) for f in findings)
    return sort_findings(found.values())


def _in_workers(
    target: str,
    at: str,
    parts: Sequence[Part],
    rules: Collection[str] | None,
    jobs: int,
    progress: Progress | None,
) -> list[list[Finding]]:
    """Each part's findings, checked in ``jobs`` processes, each process one part (its memory
    goes back to the system after it)."""
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    out: list[list[Finding]] = []
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(parts), os.cpu_count() or 1),
        mp_context=ctx,
        max_tasks_per_child=1,
    ) as pool:
        rules_list = list(rules) if rules is not None else None
        biggest_first = sorted(parts, key=lambda p: -len(p.own))  # the last ones end together
        jobs_left: set[Future[list[Finding]]] = {
            pool.submit(_check_part_in_worker, target, at, part, rules_list)
            for part in biggest_first
        }
        try:
            while jobs_left:
                done, jobs_left = wait(jobs_left, return_when=FIRST_COMPLETED)
                for job in done:
                    out.append(job.result())
                    if progress:
                        progress(len(out), len(parts))
        except BrokenProcessPool as err:
            raise VbqpplError(
                "một tiến trình kiểm tra bị dừng đột ngột (hết bộ nhớ?); "
                "chạy lại với -j 1 hoặc --part-size nhỏ hơn"
            ) from err
        except BaseException:
            for job in jobs_left:
                job.cancel()
            raise
    return out
