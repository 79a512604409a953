"""``vbqppl review list|show|assign|decide|note|history|reopen|export|sync``: the review queue."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from vbqppl.describe import describe_unit
from vbqppl.errors import VbqpplError
from vbqppl.review import (
    CAUSE_NAMES,
    LogEntry,
    ReviewItem,
    SyncReport,
    add_note,
    assign,
    decide,
    get_item,
    history,
    load_items,
    match_status,
    reopen,
    reviewer,
    sync,
)
from vbqppl.review.model import CAUSES, RELATION_VERBS, match_choice
from vbqppl.store.db import opened
from vbqppl.store.validity import vn_date
from vbqppl_cli.app import app, friendly
from vbqppl_cli.options import db_option

review_app = typer.Typer(
    help="Hàng đợi rà soát: mục cần rà soát theo Điều 39 Nghị định 79/2025/NĐ-CP và theo phát hiện.",
    no_args_is_help=True,
)
app.add_typer(review_app, name="review")

USER_HELP = "Người rà soát (mặc định: biến môi trường VBQPPL_USER, hoặc tên đăng nhập)."
VERSION_HELP = (
    "Phiên bản của mục mà bạn đã xem (vbqppl review show); nếu mục đã bị người khác thay đổi "
    "sau phiên bản này, thay đổi bị từ chối thay vì ghi đè."
)


def _user_option() -> Any:
    return typer.Option(None, "--user", "-u", help=USER_HELP, show_default=False)


def _version_option() -> Any:
    return typer.Option(None, "--version", help=VERSION_HELP, show_default=False)


def _json_option() -> Any:
    return typer.Option(False, "--json", help="In kết quả dạng JSON.")


def _dump(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _cut(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _where(item: ReviewItem) -> str:
    if not item.units:
        return "toàn văn bản"
    left = item.remaining
    shown = ", ".join(describe_unit(u) for u in (left or tuple(u.unit for u in item.units))[:2])
    more = len(left or item.units) - 2
    return shown + (f" (+{more})" if more > 0 else "")


def item_table(items: Sequence[ReviewItem]) -> str:
    """A readable table: one line per item."""
    head = f"{'#':>4}  {'trạng thái':13} {'ưu tiên':10} {'văn bản':18} {'đơn vị':30} {'lý do':14} {'phụ trách':12} {'hạn':10}"
    lines = [head, "-" * len(head)]
    for i in items:
        cause = i.rule or CAUSE_NAMES.get(i.cause, i.cause)
        lines.append(
            f"{i.id:>4}  {i.status:13} {i.priority:10} {_cut(i.document, 18):18} "
            f"{_cut(_where(i), 30):30} {_cut(cause, 14):14} {_cut(i.assignee or '-', 12):12} "
            f"{vn_date(i.deadline) if i.deadline else '-':10}"
        )
    return "\n".join(lines)


def item_text(item: ReviewItem) -> str:
    lines = [
        f"Mục rà soát #{item.id} (phiên bản {item.version}) — {item.status}",
        f"Văn bản: {item.document_label}",
        f"Lý do ({CAUSE_NAMES.get(item.cause, item.cause)}): {item.reason}",
    ]
    if item.trigger:
        lines.append(
            f"Văn bản kích hoạt: {item.trigger}" + (f" (qua {item.via})" if item.via else "")
        )
    if item.rule:
        lines.append(f"Quy tắc: {item.rule} (phát hiện {item.finding_id})")
    for u in item.units:
        state = f"đã xử lý: {u.outcome} ({u.handled_by})" if u.handled else "còn phải rà soát"
        lines.append(f"  - {describe_unit(u.unit)} [{u.unit}]: {state}")
    lines.append(f"Kiến nghị: {item.recommendation or '(chưa có)'}")
    lines.append(
        f"Phụ trách: {item.assignee or '(chưa giao)'}; ưu tiên: {item.priority}; "
        f"hạn: {vn_date(item.deadline) if item.deadline else '(chưa đặt)'}"
    )
    if item.handled_by or item.outcome:
        when = f" từ ngày {vn_date(item.handled_on)}" if item.handled_on else ""
        lines.append(f"Đã xử lý: {item.outcome or '?'} bởi {item.handled_by or '?'}{when}")
    for n in item.notes:
        lines.append(f"Ghi chú ({n.get('user')}, {n.get('at')}): {n.get('text')}")
    return "\n".join(lines)


def log_text(entries: Sequence[LogEntry]) -> str:
    lines = []
    for e in entries:
        what = e.field or ""
        if e.field:
            what = f"{e.field}: {e.old_value if e.old_value is not None else '∅'} → {e.new_value if e.new_value is not None else '∅'}"
        refused = " [BỊ TỪ CHỐI: dựa trên phiên bản cũ]" if e.outcome == "refused" else ""
        base = f" (phiên bản {e.version})" if e.version is not None else ""
        lines.append(f"#{e.item_id} {e.at} {e.user} {e.action}{base} {what}{refused}".rstrip())
    return "\n".join(lines) or "(chưa có thay đổi nào)"


def sync_line(report: SyncReport) -> str:
    """ "Hàng đợi rà soát: mở 3 mục (...), đóng 2 mục, 1 mục xử lý một phần." """
    opened = ", ".join(f"{n} {CAUSE_NAMES[c]}" for c, n in sorted(report.opened.items()))
    parts = [f"mở {report.total_opened} mục" + (f" ({opened})" if opened else "")]
    parts.append(f"đóng {len(report.closed)} mục")
    if report.partly:
        parts.append(f"{len(report.partly)} mục được xử lý một phần")
    if report.merged:
        parts.append(f"{report.merged} đã có (gộp, không mở lại)")
    return "Hàng đợi rà soát: " + ", ".join(parts) + "."


@review_app.command("list")
@friendly
def list_cmd(
    status: str = typer.Option(
        "mở", "--status", "-s", help="mở (mặc định), đóng, tất cả, hoặc một trạng thái cụ thể."
    ),
    cause: str | None = typer.Option(
        None, "--cause", help="finding (phát hiện), amended (văn bản bị tác động), basis (căn cứ)."
    ),
    document: str | None = typer.Option(None, "--document", help="Số ký hiệu văn bản."),
    assignee: str | None = typer.Option(None, "--assignee", help="Người phụ trách."),
    rule: str | None = typer.Option(None, "--rule", help="Quy tắc của phát hiện."),
    priority: str | None = typer.Option(None, "--priority", help="cao, trung bình, thấp."),
    db: str | None = db_option(),
    as_json: bool = _json_option(),
) -> None:
    """Liệt kê các mục rà soát (mặc định: các mục đang mở), có lọc."""
    statuses = (
        None if status.strip().lower() in ("tất cả", "tat ca", "all") else match_status(status)
    )
    causes = None
    if cause:
        found = match_choice(cause, CAUSES) or next(
            (c for c, n in CAUSE_NAMES.items() if match_choice(cause, (n,))), None
        )
        if found is None:
            raise VbqpplError(f"không có nguyên nhân {cause!r}; chọn: {', '.join(CAUSES)}")
        causes = [found]
    with opened(db, create=False) as store, store.read() as conn:
        items = load_items(
            conn,
            statuses=statuses,
            causes=causes,
            document=document,
            assignee=assignee,
            rule=rule,
            priority=priority,
        )
    if as_json:
        _dump([i.to_json() for i in items])
        return
    typer.echo(item_table(items))
    typer.echo(f"\n{len(items)} mục.")


@review_app.command("show")
@friendly
def show_cmd(
    item_id: int = typer.Argument(..., help="Số của mục rà soát."),
    db: str | None = db_option(),
    as_json: bool = _json_option(),
) -> None:
    """Xem một mục rà soát: văn bản, đơn vị, lý do, kiến nghị, người phụ trách, phiên bản."""
    with opened(db, create=False) as store, store.read() as conn:
        item = get_item(conn, item_id)
    if as_json:
        _dump(item.to_json())
    else:
        typer.echo(item_text(item))


def _done(item: ReviewItem, as_json: bool, what: str) -> None:
    if as_json:
        _dump(item.to_json())
    else:
        typer.echo(f"Đã {what} mục rà soát #{item.id} (phiên bản {item.version}): {item.status}.")


@review_app.command("assign")
@friendly
def assign_cmd(
    item_id: int = typer.Argument(..., help="Số của mục rà soát."),
    to: str | None = typer.Option(None, "--to", help="Người phụ trách."),
    priority: str | None = typer.Option(None, "--priority", help="cao, trung bình, thấp."),
    deadline: str | None = typer.Option(
        None, "--deadline", help="Hạn (YYYY-MM-DD hoặc DD/MM/YYYY)."
    ),
    user: str | None = _user_option(),
    version: int | None = _version_option(),
    db: str | None = db_option(),
    as_json: bool = _json_option(),
) -> None:
    """Giao mục rà soát cho người phụ trách, đặt mức ưu tiên và hạn."""
    if to is None and priority is None and deadline is None:
        raise VbqpplError("cần ít nhất một trong --to, --priority, --deadline")
    who = reviewer(user)
    with opened(db, create=False) as store:
        item = assign(
            store,
            item_id,
            user=who,
            assignee=to,
            priority=priority,
            deadline=deadline,
            version=version,
        )
    _done(item, as_json, "giao")


@review_app.command("decide")
@friendly
def decide_cmd(
    item_id: int = typer.Argument(..., help="Số của mục rà soát."),
    handling: str = typer.Option(
        ...,
        "--handling",
        help="Hình thức xử lý: giữ nguyên, sửa đổi, bổ sung, thay thế, bãi bỏ toàn bộ, bãi bỏ "
        "một phần, ban hành mới, đình chỉ việc thi hành, ngưng hiệu lực, hết hiệu lực theo thời gian.",
    ),
    status: str | None = typer.Option(
        None,
        "--status",
        help="Trạng thái mới (mặc định: đã kiến nghị; giữ nguyên thì đóng mục).",
    ),
    by: str | None = typer.Option(None, "--by", help="Số văn bản xử lý (khi --status 'đã xử lý')."),
    user: str | None = _user_option(),
    version: int | None = _version_option(),
    db: str | None = db_option(),
    as_json: bool = _json_option(),
) -> None:
    """Ghi quyết định (hình thức xử lý kiến nghị) cho một mục rà soát."""
    who = reviewer(user)
    with opened(db, create=False) as store:
        item = decide(
            store,
            item_id,
            user=who,
            handling=handling,
            status=status,
            handled_by=by,
            version=version,
        )
    _done(item, as_json, "ghi quyết định cho")


@review_app.command("note")
@friendly
def note_cmd(
    item_id: int = typer.Argument(..., help="Số của mục rà soát."),
    text: str = typer.Argument(..., help="Nội dung ghi chú."),
    user: str | None = _user_option(),
    version: int | None = _version_option(),
    db: str | None = db_option(),
    as_json: bool = _json_option(),
) -> None:
    """Thêm ghi chú vào một mục rà soát."""
    who = reviewer(user)
    with opened(db, create=False) as store:
        item = add_note(store, item_id, text, user=who, version=version)
    _done(item, as_json, "ghi chú vào")


@review_app.command("reopen")
@friendly
def reopen_cmd(
    item_id: int = typer.Argument(..., help="Số của mục rà soát."),
    user: str | None = _user_option(),
    version: int | None = _version_option(),
    db: str | None = db_option(),
    as_json: bool = _json_option(),
) -> None:
    """Mở lại một mục rà soát đã đóng (nhật ký vẫn giữ kết quả cũ)."""
    who = reviewer(user)
    with opened(db, create=False) as store:
        item = reopen(store, item_id, user=who, version=version)
    _done(item, as_json, "mở lại")


@review_app.command("history")
@friendly
def history_cmd(
    item_id: int | None = typer.Argument(None, help="Số của mục (bỏ trống: cả hàng đợi)."),
    db: str | None = db_option(),
    as_json: bool = _json_option(),
) -> None:
    """Nhật ký thay đổi: ai, khi nào, trường nào, giá trị cũ, giá trị mới, có bị từ chối không."""
    with opened(db, create=False) as store, store.read() as conn:
        if item_id is not None:
            get_item(conn, item_id)
        entries = history(conn, item_id)
    if as_json:
        _dump([e.to_json() for e in entries])
    else:
        typer.echo(log_text(entries))


EXPORT_COLUMNS = (
    "id",
    "status",
    "priority",
    "document",
    "document_label",
    "units",
    "cause",
    "rule",
    "reason",
    "trigger",
    "recommendation",
    "assignee",
    "deadline",
    "handled_by",
    "handled_on",
    "outcome",
    "version",
)


@review_app.command("export")
@friendly
def export_cmd(
    fmt: str = typer.Option("json", "--format", "-f", help="json hoặc csv."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Tệp ghi ra (mặc định: màn hình)."
    ),
    status: str = typer.Option("tất cả", "--status", "-s", help="mở, đóng, tất cả (mặc định)."),
    db: str | None = db_option(),
) -> None:
    """Xuất toàn bộ hàng đợi rà soát (JSON hoặc CSV), kèm đơn vị và trạng thái xử lý."""
    if fmt not in ("json", "csv"):
        raise VbqpplError(f"định dạng không hợp lệ: {fmt} (chọn json hoặc csv)")
    statuses = (
        None if status.strip().lower() in ("tất cả", "tat ca", "all") else match_status(status)
    )
    with opened(db, create=False) as store, store.read() as conn:
        items = load_items(conn, statuses=statuses)
    if fmt == "json":
        text = json.dumps([i.to_json() for i in items], ensure_ascii=False, indent=2) + "\n"
    else:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(EXPORT_COLUMNS)
        for i in items:
            row = i.to_json()
            row["units"] = "; ".join(u.unit for u in i.units)
            w.writerow([row[c] if row[c] is not None else "" for c in EXPORT_COLUMNS])
        text = buf.getvalue()
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        raise VbqpplError(f"không ghi được tệp {output}: {err.strerror or err}") from None
    typer.echo(f"Đã xuất {len(items)} mục rà soát vào {output}.")


@review_app.command("sync")
@friendly
def sync_cmd(db: str | None = db_option(), as_json: bool = _json_option()) -> None:
    """Mở và đóng các mục rà soát theo văn bản đã có trong kho (việc này tự chạy sau ingest)."""
    with opened(db, create=False) as store, store.begin() as conn:
        report = sync(conn)
    if as_json:
        _dump(sync_json(report))
    else:
        typer.echo(sync_line(report))


def sync_json(report: SyncReport) -> dict[str, Any]:
    return {
        "opened": dict(report.opened),
        "opened_ids": report.opened_ids,
        "closed": report.closed,
        "partly_handled": report.partly,
        "merged": report.merged,
    }


# --- the review part of `vbqppl demo` ---------------------------------------------------------


def demo_story(quiet: Sequence[Path], acting: Sequence[Path], at: str) -> list[str]:
    """Ingest the documents that act on no other one into a temporary store, run the checks,
    then ingest the acting documents: the items opened by cause, then the ones closed."""
    import tempfile

    from vbqppl.checks import load_view, run_checks
    from vbqppl.review import open_for_findings
    from vbqppl.store.db import open_store
    from vbqppl.store.ingest import ingest

    lines = ["", "Hàng đợi rà soát (Điều 39 Nghị định 79/2025/NĐ-CP và các phát hiện):"]
    with tempfile.TemporaryDirectory(prefix="vbqppl-review-") as tmp:
        store = open_store(str(Path(tmp) / "review.db"))
        try:
            ingest(store, list(quiet), jobs=1, on_conflict="keep-both")
            with store.begin() as conn:
                first = sync(conn)
                found = open_for_findings(conn, run_checks(load_view(conn, at)))
            lines.append(
                f"1. Nạp {len(quiet)} văn bản không tác động đến văn bản khác, chạy rà soát: "
                f"mở {first.total_opened + found.total_opened} mục theo phát hiện."
            )
            ingest(store, list(acting), jobs=1, on_conflict="keep-both")
            with store.begin() as conn:
                second = sync(conn)
                items = {i.id: i for i in load_items(conn)}
        finally:
            store.close()
    names = ", ".join(sorted({i.trigger for i in items.values() if i.trigger}))
    lines.append(
        f"2. Nạp {len(acting)} văn bản sửa đổi, thay thế, bãi bỏ ({names}): "
        + sync_line(second)[18:]
    )
    for item_id in second.opened_ids:
        i = items[item_id]
        lines.append(f"   - mở #{i.id} {i.document} ({CAUSE_NAMES[i.cause]}): {_opened_why(i)}")
        if i.status == "đã xử lý":
            lines.append(f"     → đóng ngay: {_handled(i)}")
    for item_id in second.closed:
        i = items[item_id]
        if item_id not in second.opened_ids:
            lines.append(
                f"   - đóng #{i.id} {i.document} ({i.rule or CAUSE_NAMES[i.cause]}): {_handled(i)}"
            )
    left = [i for i in items.values() if not i.closed]
    by_cause = Counter(CAUSE_NAMES[i.cause] for i in left)
    lines.append(
        f"Còn mở {len(left)} mục: "
        + ", ".join(f"{n} {c}" for c, n in sorted(by_cause.items()))
        + "."
    )
    return lines


def _opened_why(i: ReviewItem) -> str:
    verb = RELATION_VERBS.get(i.trigger_type or "", "tác động đến")
    if i.cause == "basis":
        return f"ban hành căn cứ {i.via}, văn bản mà {i.trigger} {verb}"
    return f"{i.trigger} {verb} văn bản này"


def _handled(i: ReviewItem) -> str:
    when = f" từ ngày {vn_date(i.handled_on)}" if i.handled_on else ""
    return f"{i.outcome} bởi {i.handled_by}{when}"
