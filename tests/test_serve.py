"""``vbqppl serve`` and the ``vbqppl`` launcher: a command run through the server does what it
does run directly (output, exit code, working directory, environment), and whenever the server
cannot serve it the command runs directly."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from vbqppl_cli.launch import OFF_ENV, SOCKET_ENV, Channel

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "corpus" / "bl-qd-17-2021-ubnd.txt"
pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets")


@dataclass
class Served:
    path: str
    process: subprocess.Popen[bytes]
    log: Path
    watch: Path

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != OFF_ENV}
        return {**env, SOCKET_ENV: self.path, **extra}

    def run(
        self, *args: str, cwd: Path | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "vbqppl_cli.launch", *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=self.env(**env),
            timeout=120,
        )

    def served(self) -> int:
        out = self.run("serve", "--status")
        assert out.returncode == 0, out.stderr
        return int(out.stdout.split("đã phục vụ ")[1].split()[0])


def _wait(condition: object, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Served]:
    # a short folder: a socket's path has room for about a hundred bytes
    folder = (
        Path(os.environ.get("TMPDIR") or "/tmp") / f"vbqppl-test-{os.getpid()}-{time.time_ns()}"
    )
    folder.mkdir(mode=0o700)
    path = str(folder / "s.sock")
    watch = tmp_path / "watched.txt"
    watch.write_text("0")
    log = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if k != OFF_ENV}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "vbqppl_cli.launch",
                "serve",
                "--socket",
                path,
                "--watch",
                str(watch),
            ],
            stdout=sink,
            stderr=sink,
            env=env,
        )
    served = Served(path, process, log, watch)
    try:
        _wait(lambda: "sẵn sàng" in log.read_text(encoding="utf-8") or process.poll() is not None)
        assert process.poll() is None, log.read_text(encoding="utf-8")
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(folder)


def test_a_command_through_the_server_prints_what_it_prints_directly(server: Served) -> None:
    direct = server.run("parse", str(DOC), **{OFF_ENV: "1"})
    before = server.served()
    through = server.run("parse", str(DOC))
    assert server.served() == before + 1  # it did go through the server
    assert through.returncode == direct.returncode == 0
    assert through.stdout == direct.stdout and '"schema"' in through.stdout
    log = server.log.read_text(encoding="utf-8")
    assert "vbqppl parse" in log and "xong: mã 0" in log


def test_a_failing_command_keeps_its_exit_code_and_its_one_line(
    server: Served, tmp_path: Path
) -> None:
    missing = str(tmp_path / "không-có.txt")
    direct = server.run("parse", missing, **{OFF_ENV: "1"})
    through = server.run("parse", missing)
    assert through.returncode == direct.returncode == 2
    assert through.stderr == direct.stderr
    assert through.stderr.startswith("Lỗi: ") and "Traceback" not in through.stderr
    assert server.process.poll() is None  # the server serves on


def test_the_caller_s_folder_and_environment_are_the_command_s(
    server: Served, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "vb.txt").write_text(DOC.read_text(encoding="utf-8"), encoding="utf-8")
    out = server.run("ingest", "vb.txt", "-q", cwd=work, VBQPPL_DB="kho.db")
    assert out.returncode == 0, out.stderr
    assert (work / "kho.db").is_file()  # a relative file, in the caller's folder
    listed = server.run("list", cwd=work, VBQPPL_DB="kho.db")
    assert listed.returncode == 0 and "17/2021/QĐ-UBND" in listed.stdout


def test_the_server_stops_when_its_sources_change(server: Served) -> None:
    direct = server.run("parse", str(DOC), **{OFF_ENV: "1"})
    server.watch.write_text("1 and longer")
    after = server.run("parse", str(DOC))  # runs directly, on the code as it now is
    assert after.returncode == 0 and after.stdout == direct.stdout
    server.process.wait(30)
    assert not os.path.exists(server.path)
    assert "đã thay đổi" in server.log.read_text(encoding="utf-8")


def test_stop_and_a_second_server_on_the_same_socket(server: Served) -> None:
    second = server.run("serve", "--socket", server.path)
    assert second.returncode == 1 and "đã chạy" in second.stderr
    stopped = server.run("serve", "--stop")
    assert stopped.returncode == 0 and "Đã dừng" in stopped.stdout
    assert server.process.wait(30) == 0
    assert not os.path.exists(server.path)
    status = server.run("serve", "--status")
    assert status.returncode == 1 and "Không có" in status.stdout


def test_another_installation_is_refused(server: Served) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(server.path)
        channel = Channel(sock)
        request = {"argv": ["vbqppl", "parse", str(DOC)], "cwd": "/", "env": {}, "umask": 0o22}
        channel.send({**request, "installation": "/elsewhere"}, [0, 1, 2])
        assert channel.receive()[0] == {"refused": "installation"}
    assert server.served() == 0


def test_ctrl_c_reaches_the_command(server: Served, tmp_path: Path) -> None:
    # interrupted, a waiting command stops as it does directly
    client, _ = _waiting_command(server, tmp_path)
    client.send_signal(signal.SIGINT)
    _, err = client.communicate(timeout=60)
    assert client.returncode == 130
    assert "Đã dừng theo yêu cầu" in err.decode()
    assert server.process.poll() is None


def test_without_a_server_the_command_runs_here(tmp_path: Path) -> None:
    stale = tmp_path / "s.sock"
    stale.write_text("")  # a file left where a socket was: nothing listens
    out = subprocess.run(
        [sys.executable, "-m", "vbqppl_cli.launch", "parse", str(DOC)],
        capture_output=True,
        text=True,
        env={**{k: v for k, v in os.environ.items() if k != OFF_ENV}, SOCKET_ENV: str(stale)},
        timeout=120,
    )
    assert out.returncode == 0 and '"schema"' in out.stdout


def _child_pid(server: Served) -> int:
    """The process id of the last command the server started (its log says it)."""
    _wait(lambda: ": vbqppl parse" in server.log.read_text(encoding="utf-8"))
    line = [x for x in server.log.read_text(encoding="utf-8").splitlines() if ": vbqppl" in x][-1]
    return int(line.split("PID ")[1].split(":")[0])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _waiting_command(server: Served, folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    """A command through the server that waits (it reads a pipe no one writes to): its
    caller, and its own process id."""
    fifo = folder / "chờ.txt"
    os.mkfifo(fifo)
    client = subprocess.Popen(
        [sys.executable, "-m", "vbqppl_cli.launch", "parse", str(fifo)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=server.env(),
    )
    pid = _child_pid(server)
    time.sleep(0.5)  # the command is now opening the pipe
    return client, pid


def test_a_command_whose_caller_dies_is_hung_up(server: Served, tmp_path: Path) -> None:
    client, pid = _waiting_command(server, tmp_path)
    assert _alive(pid)
    client.kill()  # SIGKILL: the caller cannot pass anything on
    client.wait(30)
    _wait(lambda: not _alive(pid), 30)  # hung up, as a closed terminal hangs a command up


def test_a_signal_passed_on_ends_caller_and_command_alike(server: Served, tmp_path: Path) -> None:
    client, pid = _waiting_command(server, tmp_path)
    client.send_signal(signal.SIGTERM)
    client.wait(60)
    assert client.returncode == -signal.SIGTERM  # as a command started directly dies of it
    _wait(lambda: not _alive(pid), 30)


def test_requests_cut_short_leave_no_descriptor_open(server: Served) -> None:
    fd_dir = Path(f"/proc/{server.process.pid}/fd")
    if not fd_dir.is_dir():
        pytest.skip("no /proc")
    before = len(list(fd_dir.iterdir()))
    for _ in range(5):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(server.path)
            socket.send_fds(sock, [b"\x00\x00\x10\x00{"], [0, 1, 2])  # 4 KiB announced, 1 sent
    out = server.run("parse", str(DOC))  # served after them
    assert out.returncode == 0 and server.served() == 1
    assert len(list(fd_dir.iterdir())) == before


def test_a_regular_file_at_the_socket_path_is_kept(tmp_path: Path) -> None:
    victim = tmp_path / "quan-trong.txt"
    victim.write_text("giữ nguyên")
    out = subprocess.run(
        [sys.executable, "-m", "vbqppl_cli.launch", "serve", "--socket", str(victim)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1 and "không phải socket" in out.stderr
    assert victim.read_text() == "giữ nguyên"


def test_a_caller_with_other_start_up_variables_runs_directly(server: Served) -> None:
    out = server.run("parse", str(DOC), PYTHONWARNINGS="error::DeprecationWarning")
    assert out.returncode == 0 and '"schema"' in out.stdout
    assert server.served() == 0  # the server reads these once: it left this one to the caller


def test_without_unix_sockets_every_command_runs_here(
    server: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has neither Unix sockets for every Python nor fork: the launcher never tries."""
    from vbqppl_cli import launch

    monkeypatch.setenv(SOCKET_ENV, server.path)
    monkeypatch.setattr(launch.os, "name", "nt")
    assert launch.via_server(["vbqppl", "parse", str(DOC)]) is None
    monkeypatch.setattr(launch.os, "name", "posix")
    assert server.served() == 0


def test_the_caller_s_time_zone_gives_today_s_date(server: Served, tmp_path: Path) -> None:
    # 26 hours apart: whatever the hour, "today" differs between the two zones
    db = str(tmp_path / "kho.db")
    assert server.run("ingest", str(DOC), "--db", db, "-q").returncode == 0
    seen = {}
    for tz in ("Etc/GMT-14", "Etc/GMT+12"):
        direct = server.run("status", "17/2021/QĐ-UBND", "--db", db, TZ=tz, **{OFF_ENV: "1"})
        through = server.run("status", "17/2021/QĐ-UBND", "--db", db, TZ=tz)
        assert through.returncode == direct.returncode == 0
        assert through.stdout == direct.stdout
        seen[tz] = through.stdout
    assert seen["Etc/GMT-14"] != seen["Etc/GMT+12"]  # the date in force is the caller's today
    assert server.served() == 3


def test_the_caller_s_resource_limits_are_the_command_s(server: Served, tmp_path: Path) -> None:
    """A caller's ``ulimit -f`` (file size) holds in the command: its JSON is cut at the limit
    through the server as it is directly (the server's own limit is none: without the
    caller's, the whole JSON would be written)."""
    import resource

    hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    cap = 4096

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (cap, hard))

    def parse_into(name: str, **env: str) -> tuple[int, int]:
        out = tmp_path / name
        with out.open("wb") as sink:
            done = subprocess.run(
                [sys.executable, "-m", "vbqppl_cli.launch", "parse", str(DOC)],
                stdout=sink,
                stderr=subprocess.DEVNULL,
                env=server.env(**env),
                preexec_fn=small_files,
                timeout=120,
            )
        return done.returncode, out.stat().st_size

    whole = server.run("parse", str(DOC), **{OFF_ENV: "1"})
    assert len(whole.stdout.encode()) > cap
    direct = parse_into("direct.json", **{OFF_ENV: "1"})
    before = server.log.read_text(encoding="utf-8").count(" xong: mã 1,")
    through = parse_into("served.json")
    # it ran in the server's child (a child refused for its limits is no "xong" line)
    _wait(lambda: server.log.read_text(encoding="utf-8").count(" xong: mã 1,") == before + 1)
    # cut at the limit alike, and a failure both ways (one line: not a success cut short)
    assert through == direct and direct[0] == 1 and direct[1] <= cap


def test_control_group_limits_are_the_tightest_along_the_path(tmp_path: Path) -> None:
    """What a caller and the server compare: the lowest memory limit and the tightest processor
    quota of the caller's groups and those above them (version 2 and version 1 layouts), the
    same for two groups under the same limits."""
    from vbqppl_cli.launch import cgroup_limits

    def tree(files: dict[str, str], cgroup: str) -> str:
        for rel, value in files.items():
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / rel).write_text(value)
        proc = tmp_path / f"cgroup-{len(list(tmp_path.iterdir()))}"
        proc.write_text(cgroup)
        return cgroup_limits(str(proc), str(tmp_path))

    v2 = {
        "user.slice/memory.max": "max\n",
        "user.slice/cpu.max": "max 100000\n",
        "user.slice/a.scope/memory.max": "max\n",
        "user.slice/b.scope/memory.max": "4294967296\n",
        "user.slice/b.scope/cpu.max": "50000 100000\n",
    }
    assert tree(v2, "0::/user.slice/a.scope\n") == "memory=max cpu=max"
    assert tree(v2, "0::/user.slice/b.scope\n") == "memory=4294967296 cpu=50000/100000"
    v1 = {
        "memory/job/memory.limit_in_bytes": "1073741824\n",
        "memory/job/step/memory.limit_in_bytes": "9223372036854771712\n",
        "cpu,cpuacct/job/cpu.cfs_quota_us": "-1\n",
    }
    got = tree(v1, "4:memory:/job/step\n2:cpu,cpuacct:/job\n")
    assert got == "memory=1073741824 cpu=max"
    assert cgroup_limits(str(tmp_path / "none"), str(tmp_path)) == ""
