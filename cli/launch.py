"""The ``vbqppl`` program: hand the command to a running ``vbqppl serve`` when there is one,
else run it here.

Python's start and the toolkit's imports take about a second before a command does any work
(sqlalchemy, numpy, typer, the rules, the compiled patterns): most of ``vbqppl ingest NEW
--check``'s time for a light document. ``vbqppl serve`` (:mod:`vbqppl_cli.serve`) keeps all of
that loaded; this module, which imports only the standard library's small modules, passes it the
command line, the working directory, the environment, the umask and the standard input, output
and error (the file descriptors themselves, so that a terminal stays a terminal), then waits for
the exit code. Ctrl-C is passed on to the command. Whenever the server does not answer, or
serves another installation, or stops because the sources changed, the command runs here as
before: the server changes when a command starts, never what it does.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import sys
from typing import Any

SOCKET_ENV = "VBQPPL_SERVE_SOCKET"  # where the server listens (default: socket_path())
OFF_ENV = "VBQPPL_NO_SERVER"  # set (to anything but "" or "0"): never use a server
_HEADER = struct.Struct("!I")
_MAX_MESSAGE = 64 << 20  # an environment and a command line (JSON-escaped), never more
_ANSWER_WITHIN = 10.0  # seconds for the server to take a command: else it runs here


def socket_path() -> str:
    """The server's socket: ``$VBQPPL_SERVE_SOCKET``, else one per user in the runtime directory
    (``$XDG_RUNTIME_DIR``) or in ``/tmp/vbqppl-UID`` (a directory only its owner can enter)."""
    given = os.environ.get(SOCKET_ENV)
    if given:
        return given
    base = os.environ.get("XDG_RUNTIME_DIR") or os.path.join(
        os.environ.get("TMPDIR") or "/tmp", f"vbqppl-{os.getuid()}"
    )
    return os.path.join(base, "vbqppl-serve.sock")


def installation() -> dict[str, str]:
    """What a server and its callers must share: the interpreter, its environment's prefix,
    this package's folder and the library's (a server started from another checkout, virtual
    environment or Python runs other code), the mount and process namespaces (a client in
    a container sharing the runtime folder sees other files and other process ids), and the
    limits of its control group (:func:`cgroup_limits`; a caller under one runs directly)."""
    import importlib.util

    spec = importlib.util.find_spec("vbqppl")
    out = {
        "python": sys.version,
        "prefix": sys.prefix,
        "cli": os.path.dirname(os.path.abspath(__file__)),
        "library": str(spec.origin if spec else ""),
        "cgroup": cgroup_limits(),
    }
    for ns in ("mnt", "pid"):
        try:
            out[ns] = os.readlink(f"/proc/self/ns/{ns}")
        except OSError:
            out[ns] = ""
    return out


UNLIMITED = "memory=max cpu=max"  # what :func:`cgroup_limits` says of a group without limits


def cgroup_limits(proc: str = "/proc/self/cgroup", root: str = "/sys/fs/cgroup") -> str:
    """The tightest memory and processor limits of the control groups this process is in and
    of their parents, as "memory=BYTES cpu=QUOTA/PERIOD" ("max" for none): two processes in
    different groups under the same limits (two terminals' scopes) compare equal. Version 2
    groups, and version 1's memory and cpu controllers; "" where the system has none."""
    try:
        with open(proc, encoding="utf-8") as f:
            entries = [line.rstrip("\n").split(":", 2) for line in f if line.count(":") >= 2]
    except OSError:
        return ""
    memory: list[int] = []
    cpu: list[tuple[int, int]] = []
    for _, controllers, path in entries:
        found = controllers.split(",")
        files: dict[str, list[Any]]
        if controllers == "":  # version 2: one hierarchy, every controller's files
            base, files = root, {"memory.max": memory, "cpu.max": cpu}
        else:
            base = os.path.join(root, controllers)
            files = {}
            if "memory" in found:
                files["memory.limit_in_bytes"] = memory
            if "cpu" in found:
                files["cpu.cfs_quota_us"] = cpu
        parts = [p for p in path.split("/") if p]
        for k in range(len(parts), -1, -1):  # the group, then each one above it
            for name, into in files.items():
                _limit_in(os.path.join(base, *parts[:k], name), into)
    quota = min(cpu, key=lambda qp: qp[0] / qp[1]) if cpu else None
    return f"memory={min(memory) if memory else 'max'} cpu=" + (
        f"{quota[0]}/{quota[1]}" if quota else "max"
    )


def _limit_in(path: str, into: list[Any]) -> None:
    """Add the limit a control group's file gives (a number, or a quota and its period) to
    ``into``; nothing for "max", -1 (version 1's none) or a file that cannot be read."""
    try:
        with open(path, encoding="utf-8") as f:
            words = f.read().split()
    except OSError:
        return
    if not words or words[0] in ("max", "-1"):
        return
    if words[0].isdigit() and int(words[0]) >= 1 << 60:  # version 1's "no limit" (page counter max)
        return
    with contextlib.suppress(ValueError):
        if path.endswith("cpu.max"):
            into.append((int(words[0]), int(words[1]) if len(words) > 1 else 100000))
        elif path.endswith("cfs_quota_us"):
            period = os.path.join(os.path.dirname(path), "cpu.cfs_period_us")
            try:
                with open(period, encoding="utf-8") as f:
                    into.append((int(words[0]), int(f.read().split()[0])))
            except (OSError, IndexError):
                into.append((int(words[0]), 100000))
        else:
            into.append(int(words[0]))


# The resource limits (``ulimit``) a command runs under: the caller's, set in the server's child.
LIMITS = (
    "RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_DATA", "RLIMIT_FSIZE", "RLIMIT_MEMLOCK",
    "RLIMIT_NOFILE", "RLIMIT_NPROC", "RLIMIT_RSS", "RLIMIT_STACK",
)  # fmt: skip


def resource_limits() -> dict[str, list[int]]:
    """This process's resource limits (soft, hard) of :data:`LIMITS` that the system has."""
    import resource

    return {
        name: list(resource.getrlimit(getattr(resource, name)))
        for name in LIMITS
        if hasattr(resource, name)
    }


def peer_uid(sock: socket.socket) -> int | None:
    """The user id of the process at the other end of a Unix socket (None where the system
    does not say: then neither side trusts the other)."""
    if not hasattr(socket, "SO_PEERCRED"):
        return None
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return int(struct.unpack("3i", creds)[1])


class Channel:
    """Messages over a connected socket: each its length, then its JSON, with file descriptors
    alongside when some are passed. Reads what arrives into a buffer: two messages sent in a
    row may come in one read."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def send(self, message: dict[str, Any], fds: list[int] | None = None) -> None:
        data = json.dumps(message).encode()
        data = _HEADER.pack(len(data)) + data
        sent = socket.send_fds(self.sock, [data], fds) if fds else 0
        if sent < len(data):
            self.sock.sendall(data[sent:])

    def receive(self, fds: int = 0) -> tuple[dict[str, Any], list[int]]:
        """The next message and the file descriptors (up to ``fds``) that came with it.
        Raises ``ConnectionError`` when the other side closed first."""
        got: list[int] = []
        try:
            return self._read(fds, got)
        except BaseException:
            for fd in got:  # passed with a message that never came whole: not kept open
                with contextlib.suppress(OSError):
                    os.close(fd)
            raise

    def _read(self, fds: int, got: list[int]) -> tuple[dict[str, Any], list[int]]:
        while True:
            if len(self.buffer) >= _HEADER.size:
                (size,) = _HEADER.unpack_from(self.buffer)
                if size > _MAX_MESSAGE:
                    raise ConnectionError("message too long")
                end = _HEADER.size + size
                if len(self.buffer) >= end:
                    data, self.buffer = self.buffer[_HEADER.size : end], self.buffer[end:]
                    return json.loads(data), got
            if fds and not got:
                more, received, _, _ = socket.recv_fds(self.sock, 1 << 16, fds)
                got.extend(received)
            else:
                more = self.sock.recv(1 << 16)
            if not more:
                raise ConnectionError("closed")
            self.buffer += more


def connect(path: str | None = None) -> socket.socket | None:
    """A connection to the server, or None when none listens there."""
    path = path or socket_path()
    if not os.path.exists(path):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
        if peer_uid(sock) != os.getuid():
            raise OSError("not our server")  # another user's socket: never handed anything
    except OSError:
        sock.close()
        return None
    return sock


def via_server(argv: list[str]) -> int | None:
    """Run ``argv`` in the server: its exit code, or None when the server cannot run it (the
    caller runs it itself; nothing of it has run)."""
    if os.name != "posix" or not hasattr(socket, "AF_UNIX"):
        return None  # no Unix sockets, no fork (Windows): commands always run here
    try:
        cwd = os.getcwd()
    except OSError:
        return None  # a folder deleted under the caller: the command says so itself
    mine = installation()
    if mine["cgroup"] not in ("", UNLIMITED):
        # a control group's memory or processor limit: the command must run inside it (a
        # served command runs in the server's group, shared by every command it serves)
        return None
    sock = connect()
    if sock is None:
        return None
    with sock:
        channel = Channel(sock)
        mask = os.umask(0)
        os.umask(mask)
        request = {
            "argv": argv,
            "cwd": cwd,
            "env": dict(os.environ),
            "umask": mask,
            "nice": os.nice(0),
            "limits": resource_limits(),
            "installation": mine,
        }
        # Until the command's process is known a signal ends this process (nothing ran: the
        # command starts only on "go"); from then on it goes to the command's process group.
        child: list[int] = []
        sent: list[int] = []

        def forward(signum: int, _frame: object) -> None:
            if not child:
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)
                return
            sent.append(signum)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child[0], signum)

        forwarded = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
        previous = {s: signal.signal(s, forward) for s in forwarded}
        try:
            try:
                sock.settimeout(_ANSWER_WITHIN)  # a server stopped (Ctrl-Z) or stuck
                channel.send(request, [0, 1, 2])
                reply, _ = channel.receive()
                pid = reply.get("pid")
                if not isinstance(pid, int):
                    return None  # stale, another installation's: it said so and ran nothing
                child.append(pid)
                channel.send({"go": True})
                sock.settimeout(None)
            except (OSError, ValueError):
                return None  # no standard stream to pass, or no answer: nothing ran
            try:
                reply, _ = channel.receive()
                return int(reply["exit"])
            except (OSError, ValueError, KeyError):
                if sent:  # the command died of the signal passed on: so does its caller
                    signal.signal(sent[-1], signal.SIG_DFL)
                    os.kill(os.getpid(), sent[-1])
                print("Lỗi: tiến trình của vbqppl serve dừng bất thường.", file=sys.stderr)
                return 1
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def main() -> None:
    """The ``vbqppl`` entry point."""
    argv = sys.argv
    if os.environ.get(OFF_ENV, "") in ("", "0") and argv[1:2] != ["serve"]:
        code = via_server(["vbqppl", *argv[1:]])
        if code is not None:
            sys.exit(code)
    from vbqppl_cli.app import main as run_here

    run_here()


if __name__ == "__main__":
    main()
