"""A picture of the documents around a flagged document, drawn as inline SVG (no script, no
network): the document in the middle, the documents it cites or acts on and those citing or
acting on it on a ring, arrows coloured by the kind of link. Every label is escaped."""

from __future__ import annotations

import math
from html import escape

from vbqppl.report.data import DocGraph

WIDTH, HEIGHT = 760, 380
EDGE_COLOURS = {
    "bases-on": "#1f5fa8",
    "cites": "#8a8a8a",
    "amends": "#d97a00",
    "replaces": "#c0392b",
    "repeals": "#8e1b1b",
    "expires": "#7d3c98",
    "suspends": "#b03a7a",
}
EDGE_NAMES = {
    "bases-on": "căn cứ",
    "cites": "dẫn chiếu",
    "amends": "sửa đổi, bổ sung",
    "replaces": "thay thế",
    "repeals": "bãi bỏ",
    "expires": "tuyên bố hết hiệu lực",
    "suspends": "đình chỉ",
}
NODE_FILL = {
    "còn hiệu lực": "#e3f4e1",
    "hết hiệu lực toàn bộ": "#f6d5d5",
    "hết hiệu lực một phần": "#fcebcf",
    "chưa có hiệu lực": "#e6eefb",
}


def _e(text: str) -> str:
    return escape(text, quote=True)


def _width(label: str) -> float:
    return max(90, 7.2 * len(label) + 16)


def _edge_point(
    x: float, y: float, w: float, dx: float, dy: float, gap: float
) -> tuple[float, float]:
    """Where the line from a box's centre in direction (dx, dy) leaves the box, plus ``gap``."""
    t = min((w / 2) / abs(dx) if dx else math.inf, 15 / abs(dy) if dy else math.inf)
    norm = math.hypot(dx, dy) or 1
    return x + dx * t + dx / norm * gap, y + dy * t + dy / norm * gap


def draw(graph: DocGraph) -> str:
    cx, cy = WIDTH / 2, HEIGHT / 2 - 10
    focus = next((n for n in graph.nodes if n.focus), graph.nodes[0])
    ring = [n for n in graph.nodes if n is not focus]
    pos = {focus.id: (cx, cy)}
    for i, n in enumerate(ring):
        a = -math.pi / 2 + 2 * math.pi * i / max(1, len(ring))
        half = _width(n.label) / 2 + 4  # keep the whole box inside the picture
        x = min(max(cx + 300 * math.cos(a), half), WIDTH - half)
        pos[n.id] = (x, cy + 135 * math.sin(a))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="graph" aria-label="{_e("Quan hệ của " + graph.document)}">',
        "<defs>",
    ]
    for typ, colour in EDGE_COLOURS.items():
        out.append(
            f'<marker id="arr-{typ}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{colour}"/></marker>'
        )
    out.append("</defs>")
    widths = {n.id: _width(n.label) for n in graph.nodes}
    for e in graph.edges:
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        dx, dy = x2 - x1, y2 - y1
        sx, sy = _edge_point(x1, y1, widths[e.source], dx, dy, 2)
        tx, ty = _edge_point(x2, y2, widths[e.target], -dx, -dy, 3)
        colour = EDGE_COLOURS.get(e.type, "#555")
        marker = f"arr-{e.type}" if e.type in EDGE_COLOURS else "arr-cites"
        label = EDGE_NAMES.get(e.type, e.type) + (f" ×{e.count}" if e.count > 1 else "")
        out.append(
            f'<line x1="{sx:.0f}" y1="{sy:.0f}" x2="{tx:.0f}" y2="{ty:.0f}" stroke="{colour}" '
            f'stroke-width="{1.5 if e.type == "cites" else 2.2}" marker-end="url(#{marker})">'
            f"<title>{_e(label)}</title></line>"
        )
    for n in graph.nodes:
        x, y = pos[n.id]
        w = widths[n.id]
        fill = NODE_FILL.get(n.status or "", "#f0f0f0") if n.status else "#ffffff"
        stroke = "#222" if n.focus else ("#999" if n.status is None else "#555")
        dash = ' stroke-dasharray="4 3"' if n.status is None else ""
        out.append(
            f"<g><title>{_e(n.title)}{_e(' — ' + n.status) if n.status else ''}</title>"
            f'<rect x="{x - w / 2:.0f}" y="{y - 15:.0f}" width="{w:.0f}" height="30" rx="6" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{2.5 if n.focus else 1}"{dash}/>'
            f'<text x="{x:.0f}" y="{y + 5:.0f}" text-anchor="middle" font-size="13" '
            f'font-weight="{"bold" if n.focus else "normal"}">{_e(n.label)}</text></g>'
        )
    if graph.more:
        out.append(
            f'<text x="10" y="{HEIGHT - 8}" font-size="12" fill="#555">'
            f"{_e(f'và {graph.more} văn bản liên quan khác không vẽ')}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def legend() -> list[tuple[str, str]]:
    return [(EDGE_NAMES[k], c) for k, c in EDGE_COLOURS.items()]
