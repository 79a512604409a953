"""Opening the store: a SQLite file (the default) or a PostgreSQL URL, migrated to the latest
schema, with database errors turned into one-line :class:`~vbqppl.errors.StoreError`.

``--db vbqppl.db`` (or ``VBQPPL_DB``) is a SQLite file in WAL mode; ``--db postgresql://...``
is a PostgreSQL database (psycopg 3). Every write that belongs together runs in one
``with store.begin() as conn:`` block: one transaction, all or nothing.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    Connection,
    CursorResult,
    Engine,
    Table,
    create_engine,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from vbqppl.errors import StoreError
from vbqppl.store import schema

DEFAULT_DB = "vbqppl.db"
ENV_VAR = "VBQPPL_DB"
BUSY_ENV = "VBQPPL_BUSY_TIMEOUT"  # seconds a SQLite writer waits for another one's lock
BUSY_DEFAULT = 60.0


def busy_timeout() -> float:
    try:
        return max(0.0, float(os.environ.get(BUSY_ENV, BUSY_DEFAULT)))
    except ValueError:
        return BUSY_DEFAULT


def database_url(target: str | None = None) -> URL:
    """``--db`` value (or ``VBQPPL_DB``, or ``vbqppl.db``) as a SQLAlchemy URL.

    A plain path is a SQLite file; ``postgresql://`` and ``postgres://`` use psycopg 3 (and
    so does an address naming another PostgreSQL driver).
    """
    value = target or os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" not in value:
        return URL.create("sqlite", database=str(Path(value).expanduser()))
    try:
        url = make_url(value)
    except ArgumentError as err:
        raise StoreError(f"địa chỉ cơ sở dữ liệu không hợp lệ: {value}") from err
    if url.drivername == "postgres":
        url = url.set(drivername="postgresql")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"chỉ hỗ trợ SQLite và PostgreSQL, không hỗ trợ: {url.drivername}")
    # the one driver of each the store is written for (COPY, JSON adapters: psycopg 3), whatever
    # driver the address names ("postgresql+psycopg2://" failed deep inside a write)
    return url.set(
        drivername="postgresql+psycopg" if url.get_backend_name() != "sqlite" else "sqlite"
    )


def shown(url: URL) -> str:
    """The URL as it can be printed: no password; a SQLite file as its path."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


_WRITE = "vbqppl_write"  # execution option: this connection's transaction will write


T = TypeVar("T")

# Bound parameters per IN (...) list: SQLite and PostgreSQL both cap a statement's parameters.
IN_CHUNK = 500


def chunks(values: Iterable[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``values`` sorted into lists of at most ``size``, for ``column.in_(...)`` queries."""
    ordered = sorted(values)  # type: ignore[type-var]
    for at in range(0, len(ordered), size):
        yield ordered[at : at + size]


#: Threads reading the rows of many documents from a SQLite file at once (:func:`select_in`).
#: Rows a store wrote in ingest order lie apart on disk, one read each: with the page cache
#: cold, one territory's 4,700 sketches took 2.1-2.4 s to read one after another here, 0.8-1.1 s
#: with 16 threads (the disk serves reads side by side). With the pages in memory the threads
#: only contend for the interpreter (0.5 s against 0.15 s): so the rows are read by the
#: connection itself until a chunk shows the disk's pace, and by the threads from then on.
READERS = 16
READERS_FROM = 400  # ids left to read: fewer are not worth the threads
COLD = 2e-4  # seconds per id of a chunk: slower than this, its rows came from the disk
_READ_CHUNK = 100  # ids per statement


#: What changes whenever documents are stored, replaced or removed (each file an ingest
#: records is an event): two connections reading the same values read the same documents
_MARK = "SELECT (SELECT max(id) FROM documents), (SELECT max(id) FROM ingest_events)"


class _Moved(Exception):
    """A reader's connection sees another state of the store than the caller's."""


def select_in(conn: Connection, sql: str, ids: Iterable[int]) -> list[tuple[Any, ...]]:
    """The rows of ``sql``, a statement of the driver's with ``{marks}`` where the ``IN``
    list's placeholders go, for every id of ``ids``, in id order (when ``sql`` orders each
    statement's rows by id). Of a SQLite file whose pages are not in memory, the ids left are
    read by :data:`READERS` threads, each with a read-only connection of its own in a
    transaction that sees the state ``conn`` sees (:data:`_MARK`); when one sees another (an
    ingest committed meanwhile), ``conn`` reads the rest itself."""
    ordered = sorted(set(ids))
    # a write transaction reads its own uncommitted rows, which other connections do not see
    path = None if conn.get_execution_options().get(_WRITE) else _sqlite_file(conn)
    out: list[tuple[Any, ...]] = []
    at, slow = 0, False
    while at < len(ordered):
        if slow and path is not None and len(ordered) - at >= READERS_FROM:
            mark = tuple(driver_sql(conn, _MARK).one())
            try:
                return out + _read_in_threads(path, sql, ordered[at:], mark)
            except _Moved:
                path = None
                continue
        part = ordered[at : at + (_READ_CHUNK if path is not None else IN_CHUNK)]
        started = time.perf_counter()
        out.extend(driver_sql(conn, sql.format(marks=",".join("?" * len(part))), part))
        slow = time.perf_counter() - started > COLD * len(part)
        at += len(part)
    return out


def _sqlite_file(conn: Connection) -> Path | None:
    """The SQLite file ``conn`` reads, or None (PostgreSQL, a database in memory)."""
    if conn.dialect.name != "sqlite":
        return None
    name = conn.engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    path = Path(name).absolute()
    return path if path.is_file() else None


def _read_in_threads(
    path: Path, sql: str, ids: Sequence[int], mark: tuple[Any, ...]
) -> list[tuple[Any, ...]]:
    import sqlite3
    import threading
    from concurrent.futures import ThreadPoolExecutor

    local = threading.local()
    opened: list[sqlite3.Connection] = []
    lock = threading.Lock()

    def read(part: Sequence[int]) -> list[tuple[Any, ...]]:
        db = getattr(local, "db", None)
        if db is None:
            db = sqlite3.connect(
                f"{path.as_uri()}?mode=ro",
                uri=True,
                timeout=busy_timeout(),
                check_same_thread=False,
            )
            local.db = db
            with lock:
                opened.append(db)
            db.execute("BEGIN")  # one snapshot for all this reader's statements
            if tuple(db.execute(_MARK).fetchone()) != mark:
                raise _Moved
        return db.execute(sql.format(marks=",".join("?" * len(part))), part).fetchall()

    parts = [ids[at : at + _READ_CHUNK] for at in range(0, len(ids), _READ_CHUNK)]
    pool = ThreadPoolExecutor(READERS, thread_name_prefix="vbqppl-read")
    try:
        return [row for rows in pool.map(read, parts) for row in rows]
    except sqlite3.Error as err:
        raise StoreError(f"không đọc được kho dữ liệu {path}: {err}") from err
    finally:
        pool.shutdown(cancel_futures=True)  # Ctrl-C: the parts not begun are dropped
        for db in opened:
            db.close()


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (each with the same keys) into ``table``, by one ``executemany`` of the
    driver with the values as they are stored (JSON columns serialised as SQLAlchemy does,
    ``json.dumps``), without SQLAlchemy's per-statement and per-row work: that work was most
    of the writer's time in a bulk ingest. psycopg sends the rows in one pipeline; a multi-row
    INSERT instead (SQLAlchemy's "insertmanyvalues") made psycopg parse a new long statement
    for every document. From ``COPY_MIN`` rows, PostgreSQL gets them by one COPY."""
    if not rows:
        return
    sql, values = _driver_insert(conn, table, rows)
    if len(values) >= COPY_MIN and conn.dialect.name == "postgresql":
        _copy(conn, table, tuple(rows[0]), values)
    else:
        conn.exec_driver_sql(sql, values)


# Rows from which PostgreSQL gets them by COPY, one statement for the lot (an executemany runs
# the INSERT once per row: 220,000 times for the units of 3,000 generated documents). Ingest of
# those 3,000, A/B in turns: client CPU 24.0-25.2 s -> 19.9-21.1 s, wall 63.0-64.3 -> 58.9-61.1.
COPY_MIN = 16


def _copy(conn: Connection, table: Table, columns: tuple[str, ...], values: list[Any]) -> None:
    """``values`` into ``table`` by psycopg's COPY, in the connection's transaction."""
    import psycopg

    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'COPY "{table.name}" ({names}) FROM STDIN'
    raw: Any = conn.connection.driver_connection  # psycopg.Connection
    try:
        with raw.cursor() as cur, cur.copy(sql) as copy:
            for row in values:
                copy.write_row(row)
    except psycopg.Error as err:  # as SQLAlchemy raises it for a statement it runs itself
        raise DBAPIError.instance(sql, None, err, psycopg.Error) from err


def insert_row(conn: Connection, table: Table, row: Mapping[str, Any]) -> int:
    """Insert one row into a table with an integer ``id``; that id."""
    sql, values = _driver_insert(conn, table, [row])
    if conn.dialect.name == "sqlite":
        return int(conn.exec_driver_sql(sql, values[0]).lastrowid)
    return int(conn.exec_driver_sql(sql + " RETURNING id", values[0]).scalar_one())


def driver_sql(
    conn: Connection, sql: str, params: Sequence[Any] = ()
) -> CursorResult[*tuple[Any, ...]]:
    """``sql``, written with ``?`` placeholders, run by the driver itself (``%s`` for
    psycopg): for the small statements a bulk ingest runs per document, where building and
    compiling a SQLAlchemy statement each time costs more than the database's work."""
    if conn.dialect.name != "sqlite":
        sql = sql.replace("?", "%s")
    return conn.exec_driver_sql(sql, tuple(params))


def _driver_insert(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]
) -> tuple[str, list[tuple[Any, ...]]]:
    """The INSERT statement for ``rows``' keys, and their values as the driver takes them."""
    columns = tuple(rows[0])
    sqlite = conn.dialect.name == "sqlite"
    sql, json_at = _insert_sql(table, columns, "?" if sqlite else "%s")
    pick = itemgetter(*columns)
    values = [pick(r) for r in rows] if len(columns) > 1 else [(pick(r),) for r in rows]
    if json_at:
        if sqlite:
            as_json: Any = json.dumps
        else:
            from psycopg.types.json import Json as as_json
        values = [
            tuple(as_json(v) if i in json_at else v for i, v in enumerate(row)) for row in values
        ]
    return sql, values


@cache
def _insert_sql(table: Table, columns: tuple[str, ...], mark: str) -> tuple[str, frozenset[int]]:
    """The statement, and which of the values are JSON."""
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join([mark] * len(columns))})'
    return sql, frozenset(i for i, c in enumerate(columns) if isinstance(table.c[c].type, JSON))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Store:
    """An open store: the engine, and what the error messages call it."""

    engine: Engine
    name: str

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises.

        On SQLite it is a write transaction from its first statement (``BEGIN IMMEDIATE``): a
        block that reads and then writes cannot be refused at its first write because another
        writer committed in between (SQLITE_BUSY_SNAPSHOT, raised at once, without waiting).
        """
        with self.engine.connect() as conn:
            conn.execution_options(**{_WRITE: True})
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_engine(url: URL) -> Engine:
    wait = busy_timeout()
    engine = create_engine(url, connect_args={"timeout": wait})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, say when a transaction begins, so that DDL
        # and every statement of a block are in one transaction (SQLAlchemy's documented recipe).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def open_store(target: str | None = None, *, create: bool = True, migrate: bool = True) -> Store:
    """Open (and by default create and migrate) the store named by ``target``.

    ``create=False`` refuses to make a new SQLite file: commands that only read say that the
    store does not exist yet instead of answering from an empty one.
    """
    url = database_url(target)
    name = shown(url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        if not create and url.database not in (None, "", ":memory:") and not path.exists():
            raise StoreError(f"chưa có kho dữ liệu {name}: hãy chạy `vbqppl ingest` trước")
        if path.parent and not path.parent.exists():
            raise StoreError(f"không có thư mục chứa kho dữ liệu: {path.parent}")
        engine = _sqlite_engine(url)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    store = Store(engine=engine, name=name)
    try:
        with translate_errors(store):
            with engine.connect():
                pass
            if migrate:
                upgrade(store)
    except BaseException:
        engine.dispose()
        raise
    return store


def _alembic_config(conn: Connection | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    location = resources.files("vbqppl.store").joinpath("migrations")
    cfg.set_main_option("script_location", str(location))
    cfg.attributes["connection"] = conn
    return cfg


@cache
def head_revision() -> str:
    """The newest named migration: the highest-numbered file of ``migrations/versions``, each
    named as its revision (``0006_link_name_index``; a test holds this to alembic's own
    answer). Read without importing alembic, which a command that opens an up-to-date store
    does not need (a few tenths of a second)."""
    folder = resources.files("vbqppl.store").joinpath("migrations", "versions")
    names = [p.name for p in folder.iterdir() if p.name[:4].isdigit() and p.name.endswith(".py")]
    return max(names).removesuffix(".py")


def current_revision(conn: Connection) -> str | None:
    """The revision the store is at (None: not made yet), as alembic records it."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(store: Store, revision: str = "head") -> None:
    """Apply the named migrations up to ``revision`` (all of them by default), in one
    transaction. Does nothing when the store is already there."""
    with store.read() as conn:
        if revision == "head" and current_revision(conn) == head_revision():
            return
    from alembic import command  # only to migrate: its import costs a few tenths of a second

    try:
        with store.begin() as conn:
            command.upgrade(_alembic_config(conn), revision)
    except SQLAlchemyError as err:
        if "unaccent" in str(err):
            raise StoreError(
                f"cơ sở dữ liệu {store.name} cần extension unaccent: nhờ quản trị viên chạy "
                "CREATE EXTENSION unaccent; trong cơ sở dữ liệu này"
            ) from err
        raise


# What the database drivers say (English), and what the user is told instead.
_EXPLAINED = (
    (
        ("database is locked", "database table is locked"),
        "kho đang bị một tiến trình khác khoá ghi (đã chờ {wait:.0f} giây); "
        "hãy chờ tiến trình đó xong rồi chạy lại",
    ),
    (
        ("database or disk is full", "no space left on device", "disk full"),
        "hết chỗ trên đĩa chứa kho; các văn bản đã ghi vẫn nguyên vẹn, "
        "hãy giải phóng dung lượng rồi chạy lại",
    ),
    (
        ("unable to open database file", "readonly database", "attempt to write a readonly"),
        "không mở hoặc không ghi được tệp kho (kiểm tra quyền ghi của thư mục và tệp)",
    ),
    (
        ("file is not a database", "database disk image is malformed"),
        "tệp kho không phải cơ sở dữ liệu SQLite hợp lệ hoặc đã hỏng",
    ),
    (
        ("connection refused", "could not connect", "connection failed", "timeout expired"),
        "không kết nối được tới máy chủ PostgreSQL (máy chủ chưa chạy, sai địa chỉ hoặc cổng)",
    ),
    (
        ("password authentication failed", "no pg_hba.conf entry"),
        "máy chủ PostgreSQL từ chối đăng nhập (sai tên người dùng hoặc mật khẩu)",
    ),
)


def explain(err: BaseException) -> str:
    """One Vietnamese line for a database error (the driver's first line when unknown)."""
    detail = str(getattr(err, "orig", None) or err).strip().splitlines()
    first = detail[0] if detail else type(err).__name__
    lowered = first.lower()
    for needles, message in _EXPLAINED:
        if any(n in lowered for n in needles):
            return message.format(wait=busy_timeout())
    return first


@contextmanager
def translate_errors(store: Store | None = None) -> Iterator[None]:
    """Database errors become a one-line :class:`StoreError` naming the store."""
    try:
        yield
    except SQLAlchemyError as err:
        where = f" {store.name}" if store else ""
        raise StoreError(f"lỗi cơ sở dữ liệu{where}: {explain(err)}") from err


@contextmanager
def opened(target: str | None = None, *, create: bool = True) -> Iterator[Store]:
    """``with opened(db) as store:`` open, translate database errors, close."""
    store = open_store(target, create=create)
    try:
        with translate_errors(store):
            yield store
    finally:
        store.close()


# --- small facts about the store ----------------------------------------------------------


def get_meta(conn: Connection, key: str) -> str | None:
    return conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == key)).scalar()


def set_meta(conn: Connection, key: str, value: str | None) -> None:
    t = schema.meta
    done = conn.execute(t.update().where(t.c.key == key).values(value=value)).rowcount
    if not done:
        conn.execute(t.insert().values(key=key, value=value))
