"""``vbqppl serve``: a resident process that keeps the toolkit loaded, so that the ``vbqppl``
commands started while it runs skip Python's start and the imports (about a second of a short
command such as ``ingest NEW --check``).

Each command runs in a child process forked from the server, with its caller's standard streams
(the file descriptors, passed over the socket by :mod:`vbqppl_cli.launch`), working directory,
environment and umask: it does what it does when started directly, and a command that fails
cannot harm the server or another command. The server holds no store open; each command opens
its own. It serves only its own installation and only its own user (the socket is its owner's
alone, and the peer's uid is checked). It stops on Ctrl-C, on ``vbqppl serve --stop``, and by
itself when a source file or rule file of the toolkit changes after its start: the command that
finds it so runs without it, on the new code.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import gc
import importlib
import locale
import os
import resource
import signal
import socket
import stat
import sys
import threading
import time
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import typer

from vbqppl.errors import VbqpplError
from vbqppl_cli.app import app, friendly
from vbqppl_cli.launch import Channel, connect, installation, peer_uid, socket_path

# A document in the shape of the real ones, parsed once at the start: the patterns of the
# parser, the citations and the relations are compiled then, not in each command.
_WARM_UP = """ỦY BAN NHÂN DÂN TỈNH BẮC NAM
Số: 1/2025/QĐ-UBND
Bắc Nam, ngày 2 tháng 1 năm 2025
QUYẾT ĐỊNH
Sửa đổi Quyết định số 2/2024/QĐ-UBND
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;
QUYẾT ĐỊNH:
Chương I
QUY ĐỊNH CHUNG
Điều 1. Sửa đổi, bổ sung một số điều của Quyết định số 2/2024/QĐ-UBND
1. Sửa đổi khoản 2 Điều 3 như sau:
“2. Thời hạn giải quyết là 10 ngày làm việc.”
a) Điểm a.
Điều 2. Hiệu lực thi hành
Quyết định này có hiệu lực kể từ ngày 15 tháng 01 năm 2025.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn A
"""


# What a command imports as it runs rather than at its module's import (found by comparing
# sys.modules before and after an `ingest --check`): typer's option conversion (pydantic,
# 0.1 s), the SQLite dialect and driver, numpy's submodules, the sketches' codec, threads.
_ALSO_USED = (
    "sqlite3",
    "sqlalchemy.dialects.sqlite",
    "pydantic",
    "typer._adapters",
    "typer._coercion",
    "numpy.random",
    "numpy.ma",
    "encodings.utf_32_le",
    "concurrent.futures.thread",
)


def preload() -> None:
    """Import every command and what it uses, read every rule file, compile the patterns."""
    from vbqppl.checks import focus  # noqa: F401  (check --document's path)
    from vbqppl.parse import parse_document
    from vbqppl.rules import load_rules, rule_names
    from vbqppl_cli.routes import register

    register([])
    for name in rule_names():
        load_rules(name)
    parse_document(_WARM_UP)
    for name in _ALSO_USED:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def watched() -> list[Path]:
    """The folders whose files the running code comes from: the library, the command line and
    the rules."""
    import vbqppl
    import vbqppl.rules

    here = Path(__file__).resolve().parent
    return [Path(str(m.__file__)).parent for m in (vbqppl, vbqppl.rules)] + [here]


def stamp(paths: Iterable[Path]) -> frozenset[tuple[str, int, int]]:
    """Every file under ``paths`` with its modification time and size (compared, not hashed:
    a few hundred ``stat`` calls, a millisecond)."""
    files: list[str] = []
    for root in paths:
        if root.is_file():
            files.append(str(root))
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            kept = (n for n in names if n.endswith((".py", ".yaml", ".yml", ".json", ".xsd")))
            files.extend(os.path.join(folder, n) for n in kept)
    out: set[tuple[str, int, int]] = set()
    for name in files:
        with contextlib.suppress(OSError):  # removed meanwhile: its absence is the change
            st = os.stat(name)
            out.add((name, st.st_mtime_ns, st.st_size))
    return frozenset(out)


def _own_folder(path: str) -> None:
    """Make the socket's folder if missing (only its owner may enter it); refuse a symbolic
    link, a folder another user owns or others may write to (but a sticky one such as /tmp)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    st = os.lstat(folder)
    sticky = bool(st.st_mode & stat.S_ISVTX)
    if (
        stat.S_ISLNK(st.st_mode)
        or not stat.S_ISDIR(st.st_mode)
        or (st.st_uid != os.getuid() and not sticky)
        or (st.st_mode & 0o022 and not sticky)
    ):
        raise VbqpplError(f"thư mục {folder} không an toàn cho socket của vbqppl serve")


_REQUEST_WITHIN = 5.0  # seconds for a caller to send its request once connected

#: Variables read once, when Python starts or a module is imported: a caller whose values
#: differ from the server's gets a command started directly (which reads its own)
_FIXED_AT_START = ("PYTHON", "OMP_", "OPENBLAS_", "MKL_", "TYPER_", "_TYPER_")


def _fixed(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k.startswith(_FIXED_AT_START)}


def _exit_code(err: SystemExit) -> int:
    if err.code is None:
        return 0
    if isinstance(err.code, int):
        return err.code
    print(err.code, file=sys.stderr)
    return 1


def _become_caller(request: dict[str, Any]) -> dict[int, tuple[int, int]]:
    """In the forked child: the caller's session-less process, environment, time zone, locale,
    umask, niceness, folder and command line; returns the caller's resource limits
    (``ulimit``) to set once the command's streams and threads are made (:func:`_limits`)."""
    os.setsid()  # a process group of its own: the caller's signals go to it and what it starts
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()  # TZ as the caller has it: the default --at is today's date there
    with contextlib.suppress(locale.Error):
        locale.setlocale(locale.LC_CTYPE, "")
    os.umask(int(request["umask"]))
    limits = _limits(request)  # ValueError if one cannot be granted: the caller runs it itself
    lower = int(request.get("nice", 0)) - os.nice(0)
    if lower > 0:
        os.nice(lower)
    os.chdir(request["cwd"])
    sys.argv = [str(a) for a in request["argv"]]
    return limits


def _limits(request: dict[str, Any]) -> dict[int, tuple[int, int]]:
    """The caller's resource limits (``ulimit``) that differ from this process's, to set on
    the command (:func:`_run_command`, once its streams and threads are made: a low limit on
    open files or processes would refuse them); ValueError for a hard limit above this one's
    that only a privileged process could raise."""
    out: dict[int, tuple[int, int]] = {}
    for name, (soft, hard) in dict(request.get("limits", {})).items():
        which = getattr(resource, name)
        now = resource.getrlimit(which)
        if now == (soft, hard):
            continue
        if _above(int(hard), now[1]) and os.geteuid() != 0:
            raise ValueError(f"{name}: {hard} > {now[1]}")
        out[which] = (int(soft), int(hard))
    return out


def _above(a: int, b: int) -> bool:
    """Whether limit ``a`` is above limit ``b`` (RLIM_INFINITY above every number)."""
    inf = resource.RLIM_INFINITY
    return a != b and (a == inf or (b != inf and a > b))


def _watch_caller(conn: socket.socket, done: threading.Event) -> None:
    """Hang the command up (SIGHUP to its process group, as a closed terminal does) when its
    caller goes away before it ends."""

    def wait() -> None:
        with contextlib.suppress(OSError):
            while conn.recv(1 << 12):
                pass
        if not done.is_set():
            os.killpg(0, signal.SIGHUP)

    threading.Thread(target=wait, daemon=True).start()


def _run_command(channel: Channel, request: dict[str, Any], fds: list[int]) -> int:
    """In the forked child: become the caller's command, run it once the caller says go,
    report its exit code."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # a command's own children are waited for
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, signal.SIG_DFL)
    log = os.fdopen(os.dup(2), "w", encoding="utf-8", errors="backslashreplace")  # the server's
    started = time.perf_counter()
    try:
        limits = _become_caller(request)
    except (OSError, ValueError, KeyError, TypeError):
        channel.send({"refused": "setup"})  # the caller runs it and says what is wrong
        return 1
    channel.send({"pid": os.getpid()})
    try:
        if not channel.receive()[0].get("go"):
            return 1
    except (OSError, ValueError):
        return 1  # the caller gave up waiting (it runs the command itself): not run here
    channel.sock.settimeout(None)
    # the received descriptors may have taken any number, 0 to 2 too (a server started with
    # its own streams closed): moved above 2 first, then onto 0, 1 and 2
    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 3) for fd in fds]
    for fd in fds:
        os.close(fd)
    for target, fd in enumerate(high):
        os.dup2(fd, target)
        os.close(fd)
    # new streams over them, as a Python started by the caller has (stderr line-buffered,
    # stdout when a terminal)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    line = 1 if os.isatty(1) else -1
    sys.stdout = open(1, "w", buffering=line, encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(  # noqa: SIM115
        2, "w", buffering=1, encoding="utf-8", errors="backslashreplace", closefd=False
    )
    done = threading.Event()
    _watch_caller(channel.sock, done)
    code = 1
    try:
        for which, soft_hard in limits.items():
            resource.setrlimit(which, soft_hard)
        from vbqppl_cli.app import main

        main()
        code = 0
    except SystemExit as err:
        code = _exit_code(err)
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        code = 130
    except BaseException:  # a bug: its traceback, as the command started directly shows it
        sys.excepthook(*sys.exc_info())
    finally:
        with contextlib.suppress(Exception):
            atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError):
                stream.flush()
    done.set()
    with contextlib.suppress(OSError):  # the caller may be gone
        channel.send({"exit": code})
    used = resource.getrusage(resource.RUSAGE_SELF)
    with contextlib.suppress(OSError, ValueError):
        print(
            f"{time.strftime('%H:%M:%S')}  PID {os.getpid()} xong: mã {code}, "
            f"{time.perf_counter() - started:.2f} s, CPU {used.ru_utime + used.ru_stime:.2f} s, "
            f"bộ nhớ đỉnh {used.ru_maxrss / 1024:.0f} MB",
            file=log,
            flush=True,
        )
    return code


class Server:
    """The socket's accept loop (:func:`serve_forever`), each command in a forked child."""

    def __init__(self, path: str, extra_watch: Iterable[Path] = ()) -> None:
        self.path = path
        self.watch = [*watched(), *extra_watch]
        self.stamp = stamp(self.watch)  # before the imports: an edit made meanwhile counts
        self.served = 0
        self.since = time.strftime("%Y-%m-%d %H:%M:%S")
        self.installation = installation()
        self.fixed = _fixed(dict(os.environ))

    def serve_forever(self, ready: Any = None) -> str:
        """Serve until asked to stop; why it stopped."""
        _own_folder(self.path)
        # one server per socket: the lock is held while it runs (two started together do not
        # both pass the check below)
        lock = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock)
            raise VbqpplError(
                f"vbqppl serve đã chạy ở {self.path} (dừng bằng: vbqppl serve --stop)"
            ) from None
        try:
            return self._serve(ready)
        finally:
            os.close(lock)

    def _serve(self, ready: Any) -> str:
        running = connect(self.path)
        if running is not None:
            running.close()
            raise VbqpplError(
                f"vbqppl serve đã chạy ở {self.path} (dừng bằng: vbqppl serve --stop)"
            )
        with contextlib.suppress(FileNotFoundError):
            if not stat.S_ISSOCK(os.lstat(self.path).st_mode):
                raise VbqpplError(f"{self.path} đã có và không phải socket: không ghi đè")
            os.unlink(self.path)  # left by a server that did not stop cleanly
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            listener.bind(self.path)
        finally:
            os.umask(old)
        listener.listen(16)
        inode = os.stat(self.path).st_ino
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the children are reaped by the kernel
        if ready is not None:
            ready()
        try:
            while True:
                try:
                    conn, _ = listener.accept()
                except OSError:  # out of descriptors for a moment: the next one
                    time.sleep(0.1)
                    continue
                why = self._answer(conn, listener)
                if why:
                    return why
        except KeyboardInterrupt:
            return "Ctrl-C hoặc tín hiệu dừng"
        finally:
            listener.close()
            with contextlib.suppress(OSError):
                if os.stat(self.path).st_ino == inode:
                    os.unlink(self.path)

    def _answer(self, conn: socket.socket, listener: socket.socket) -> str | None:
        """Read one request and answer it (a command: in a child); a reason to stop, if any."""
        fds: list[int] = []
        with conn:
            try:
                if peer_uid(conn) != os.getuid():
                    return None  # another user's, or a system that cannot say whose
                conn.settimeout(_REQUEST_WITHIN)  # a caller that connects and says nothing
                channel = Channel(conn)
                request, fds = channel.receive(fds=3)
                if request.get("stop"):
                    channel.send({"stopped": True})
                    return "vbqppl serve --stop"
                if request.get("status"):
                    channel.send(self.status())
                    return None
                if request.get("installation") != self.installation:
                    channel.send({"refused": "installation"})
                    return None
                if _fixed(dict(request.get("env", {}))) != self.fixed:
                    channel.send({"refused": "environment"})
                    return None
                if stamp(self.watch) != self.stamp:
                    channel.send({"refused": "sources changed"})
                    return "mã nguồn hoặc quy tắc của vbqppl đã thay đổi"
                if len(fds) != 3:
                    channel.send({"refused": "streams"})
                    return None
                self.served += 1
                pid = os.fork()
                if pid:
                    words = " ".join(_shown(a) for a in request.get("argv", []))
                    print(
                        f"{time.strftime('%H:%M:%S')}  PID {pid}: {words}",
                        file=sys.stderr,
                        flush=True,
                    )
                else:  # the child: never back in this loop
                    code = 1
                    try:
                        listener.close()
                        code = _run_command(channel, request, fds)
                    except BaseException:
                        with contextlib.suppress(BaseException):
                            traceback.print_exc()
                    finally:
                        os._exit(code)
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                return None  # a caller that went away or spoke nonsense: the next one
            finally:
                for fd in fds:
                    with contextlib.suppress(OSError):
                        os.close(fd)
        return None

    def status(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "served": self.served,
            "since": self.since,
            "socket": self.path,
        }


def _shown(arg: object) -> str:
    """An argument as the server's log shows it: a URL (a PostgreSQL one may hold a password)
    as its scheme only."""
    text = str(arg)
    return text.split("://", 1)[0] + "://…" if "://" in text else text


def ask(path: str, message: dict[str, Any]) -> dict[str, Any] | None:
    """Send ``message`` to the server at ``path``: its answer, or None when none runs there."""
    sock = connect(path)
    if sock is None:
        return None
    with sock:
        channel = Channel(sock)
        try:
            channel.send(message)
            return channel.receive()[0]
        except (OSError, ValueError):
            return None


@app.command("serve")
@friendly
def serve_cmd(
    socket_file: str | None = typer.Option(
        None, "--socket", help="Đường dẫn socket (mặc định: $VBQPPL_SERVE_SOCKET hoặc thư mục tạm)."
    ),
    stop: bool = typer.Option(False, "--stop", help="Dừng máy chủ đang chạy."),
    show: bool = typer.Option(
        False, "--status", help="Máy chủ có chạy không, đã phục vụ bao nhiêu lệnh."
    ),
    watch: list[Path] = typer.Option(
        [], "--watch", hidden=True, help="Tệp theo dõi thêm: đổi thì máy chủ dừng (cho kiểm thử)."
    ),
) -> None:
    """Chạy thường trú để mỗi lệnh vbqppl khởi động ngay (không nạp lại Python và thư viện).

    Các lệnh vbqppl chạy trong lúc máy chủ chạy tự đi qua nó, với thư mục, biến môi trường,
    đầu vào và đầu ra của người gọi; kết quả như khi chạy trực tiếp. Đặt VBQPPL_NO_SERVER=1 để
    một lệnh không dùng máy chủ."""
    if os.name != "posix" or not hasattr(socket, "AF_UNIX"):
        raise VbqpplError("vbqppl serve cần Linux hoặc macOS (socket Unix và fork)")
    path = socket_file or socket_path()
    if stop or show:
        answer = ask(path, {"stop": True} if stop else {"status": True})
        if answer is None:
            typer.echo(f"Không có vbqppl serve nào chạy ở {path}.")
            raise typer.Exit(1 if show else 0)
        if stop:
            typer.echo(f"Đã dừng vbqppl serve ở {path}.")
        else:
            typer.echo(
                f"vbqppl serve chạy ở {path} (PID {answer['pid']}, từ {answer['since']}), "
                f"đã phục vụ {answer['served']} lệnh."
            )
        return
    typer.echo("vbqppl serve: đang nạp thư viện và quy tắc...", err=True)
    server = Server(path, watch)
    preload()
    gc.freeze()  # what is loaded now stays shared with the children (no copy on collection)

    def ready() -> None:
        typer.echo(
            f"vbqppl serve: sẵn sàng ở {path} (PID {os.getpid()}). Các lệnh vbqppl từ nay "
            "khởi động ngay; dừng bằng Ctrl-C hoặc vbqppl serve --stop.",
            err=True,
        )

    signal.signal(signal.SIGTERM, signal.default_int_handler)
    why = server.serve_forever(ready)
    typer.echo(f"vbqppl serve: đã dừng ({why}).", err=True)
