"""``vbqppl``: the Typer application. Thin: parse arguments, call the library, print.

Library errors (:class:`vbqppl.errors.VbqpplError`) become one Vietnamese line on stderr and a
non-zero exit code, and so does output that cannot be written (disk full, ``ulimit -f``); nothing
else is caught, so a real bug still shows its traceback.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import typer

from vbqppl.errors import VbqpplError

app = typer.Typer(
    name="vbqppl",
    help="Rà soát văn bản quy phạm pháp luật: tách cấu trúc, tìm trích dẫn, phát hiện chồng chéo.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])


def friendly(func: F) -> F:
    """Turn library errors into one line on stderr and the error's exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except VbqpplError as err:
            typer.echo(f"Lỗi: {err}", err=True)
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("Đã dừng theo yêu cầu.", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def _group() -> None:
    """Rà soát văn bản quy phạm pháp luật: tách cấu trúc, tìm trích dẫn, phát hiện chồng chéo."""
    # a callback keeps the commands a group even when only one command's module is imported


def main() -> None:
    from vbqppl_cli.routes import register

    register(sys.argv)  # the module of the command asked for, or all of them

    out = sys.stdout  # None when the caller closed it (``>&-``)
    if out is not None and hasattr(out, "reconfigure"):
        out.reconfigure(encoding="utf-8")
    whole: _WholeWrites | None = None
    if out is not None:
        with contextlib.suppress(AttributeError, OSError, ValueError):
            if not out.isatty():
                out.flush()
                whole = _WholeWrites(out.fileno())
                unbuffered = bool(getattr(out, "write_through", False))  # python -u
                layer = whole if unbuffered else io.BufferedWriter(whole)
                sys.stdout = io.TextIOWrapper(layer, encoding="utf-8", write_through=unbuffered)
    try:
        try:
            app()
        finally:
            if sys.stdout is not None:
                sys.stdout.flush()  # what is still buffered fails here, not unseen at exit
    except BrokenPipeError:
        # the reader went away (``| head``): stop quietly, as click does for the command's writes
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except OSError as err:
        if err.errno not in _OUTPUT_ERRORS:
            raise
        if whole is not None:
            whole.dropped = True  # what is still buffered is not tried again at exit
        print(f"Lỗi: không ghi được kết quả: {_OUTPUT_ERRORS[err.errno]}.", file=sys.stderr)
        sys.exit(1)


class _WholeWrites(io.RawIOBase):
    """Standard output that writes every byte it is given or raises: Python's own loses the
    rest of a large block whose write a file size limit (``ulimit -f``) cuts short, and the
    command would end with success and its result cut. After a failed write it writes nothing
    more (the buffer it failed on would go out twice if the device recovered): it raises the
    same error again, and once the failure is reported (``dropped``) takes writes silently."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self.fd = fd
        self.failed: OSError | None = None
        self.dropped = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        if self.dropped:
            return len(view)
        if self.failed is not None:
            raise self.failed
        done = 0
        try:
            while done < len(view):
                done += os.write(self.fd, view[done:])  # OSError (EFBIG, ENOSPC) if none fits
        except OSError as err:
            self.failed = err
            raise
        return done


# Why output could not be written (the command's result is incomplete: the exit code says so).
_OUTPUT_ERRORS = {
    errno.ENOSPC: "đĩa đã đầy",
    errno.EDQUOT: "vượt hạn mức dung lượng đĩa",
    errno.EFBIG: "tệp vượt giới hạn kích thước (ulimit -f)",
    errno.EIO: "lỗi vào/ra của thiết bị",
}
