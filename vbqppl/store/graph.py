"""The corpus as a networkx graph: documents and units as nodes; cites, bases-on, amends,
replaces, repeals (and the other relation types) as edges, plus part-of from each unit to its
parent. Targets the corpus does not hold are ``external`` nodes named by their number or name,
so nothing cited is lost. Later stages add ``similar`` edges to the same graph.

:func:`build_graph` is a function of catalog records; :func:`load_graph` reads the store.
Node ids: ``doc:12``, ``unit:12:art_5__para_2``, ``ext:45/2020/NĐ-CP``.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import networkx as nx
from sqlalchemy import Connection

from vbqppl.describe import describe_unit
from vbqppl.store.catalog import DocRecord, LinkRecord, load_documents, load_links, load_units
from vbqppl.store.validity import record_start

FORMATS = ("graphml", "gexf", "json")


def doc_node(doc_id: int) -> str:
    return f"doc:{doc_id}"


def unit_node(doc_id: int, unit_id: str) -> str:
    return f"unit:{doc_id}:{unit_id}"


def _clean(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """GraphML and GEXF take str, int, float and bool values only: drop the Nones."""
    return {k: v for k, v in attrs.items() if v is not None}


def build_graph(
    docs: Mapping[int, DocRecord],
    links: Iterable[LinkRecord],
    units: Mapping[int, Mapping[str, str | None]] | None = None,
) -> nx.MultiDiGraph:
    """A graph of ``docs`` and ``links``; with ``units`` (``{doc: {unit: parent}}``) the units
    are nodes too and links start and end at units where they can."""
    g = nx.MultiDiGraph()
    for d in docs.values():
        g.add_node(
            doc_node(d.id),
            **_clean(
                {
                    "kind": "document",
                    "label": d.label,
                    "number": d.number,
                    "type": d.type,
                    "issuer": d.issuer,
                    "issued": d.issued,
                    "effective": record_start(d),
                    "title": d.title,
                }
            ),
        )
    units = units or {}
    for doc_id, tree in units.items():
        if doc_id not in docs:
            continue
        for uid, parent in tree.items():
            g.add_node(
                unit_node(doc_id, uid),
                kind="unit",
                document=doc_id,
                unit=uid,
                label=f"{describe_unit(uid)} — {docs[doc_id].label}",
            )
            up = unit_node(doc_id, parent) if parent else doc_node(doc_id)
            g.add_edge(unit_node(doc_id, uid), up, type="part-of")
    for link in links:
        if link.document_id not in docs:
            continue
        src = doc_node(link.document_id)
        if link.from_unit and link.from_unit in units.get(link.document_id, {}):
            src = unit_node(link.document_id, link.from_unit)
        target = link.resolved_document_id
        if target is not None and target in docs:
            dst = doc_node(target)
            if link.resolved_unit and link.resolved_unit in units.get(target, {}):
                dst = unit_node(target, link.resolved_unit)
        else:
            dst = f"ext:{link.target_label}"
            if dst not in g:
                g.add_node(dst, kind="external", label=link.target_label)
        g.add_edge(
            src,
            dst,
            **_clean(
                {
                    "type": link.type,
                    "target_unit": link.target_unit,
                    "effective": link.effective,
                    "text": link.text,
                }
            ),
        )
    return g


def load_graph(conn: Connection, *, with_units: bool = True) -> nx.MultiDiGraph:
    """The whole store as a graph."""
    docs = load_documents(conn)
    links = load_links(conn, "citation") + load_links(conn, "relation")
    return build_graph(docs, links, load_units(conn) if with_units else None)


def export(g: nx.MultiDiGraph, fmt: str) -> bytes:
    """The graph as GraphML, GEXF or node-link JSON."""
    if fmt == "json":
        data = nx.node_link_data(g, edges="links")
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    buf = BytesIO()
    if fmt == "graphml":
        nx.write_graphml(g, buf, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(g, buf, encoding="utf-8")
    else:
        raise ValueError(f"định dạng đồ thị không hỗ trợ: {fmt}")
    return buf.getvalue()


# --- one document's neighbourhood -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A link seen from one document: the other end, and the units at either end."""

    type: str
    other: str  # a node id: doc:N or ext:...
    other_label: str
    here_unit: str | None = None
    there_unit: str | None = None
    effective: str | None = None


@dataclass
class Neighbourhood:
    cites: list[Neighbour] = field(default_factory=list)  # what it cites (and its bases)
    cited_by: list[Neighbour] = field(default_factory=list)  # what cites it
    changed_by: list[Neighbour] = field(default_factory=list)  # relations acting on it
    changes: list[Neighbour] = field(default_factory=list)  # relations it states


CITES = ("cites", "bases-on")


def _document_of(g: nx.MultiDiGraph, node: str) -> tuple[str, str | None]:
    data = g.nodes[node]
    if data.get("kind") == "unit":
        return doc_node(data["document"]), data["unit"]
    return node, None


def neighbourhood(g: nx.MultiDiGraph, doc_id: int) -> Neighbourhood:
    """What a document cites, what cites it, what changed it and what it changed."""
    me = doc_node(doc_id)
    mine = {me} | {n for n, d in g.nodes(data=True) if d.get("document") == doc_id}
    out = Neighbourhood()
    for u, v, data in g.edges(data=True):
        typ = data.get("type")
        if typ == "part-of" or (u not in mine and v not in mine):
            continue
        if u in mine:
            here = _document_of(g, u)[1]
            other, there = _document_of(g, v)
            there = there or data.get("target_unit")  # a unit of a document not in the corpus
            bucket = out.cites if typ in CITES else out.changes
        else:
            here = _document_of(g, v)[1]
            other, there = _document_of(g, u)
            bucket = out.cited_by if typ in CITES else out.changed_by
        bucket.append(
            Neighbour(
                type=typ,
                other=other,
                other_label=g.nodes[other].get("label", other),
                here_unit=here,
                there_unit=there,
                effective=data.get("effective"),
            )
        )
    return out


def document_graph(conn: Connection, doc_ids: Collection[int]) -> nx.MultiDiGraph:
    """The part of the graph that touches ``doc_ids``: their links both ways, with units."""
    links = load_links(conn, "citation", touching=doc_ids) + load_links(
        conn, "relation", touching=doc_ids
    )
    involved = set(doc_ids) | {link.document_id for link in links}
    involved |= {link.resolved_document_id for link in links if link.resolved_document_id}
    docs = load_documents(conn, involved)
    return build_graph(docs, links, load_units(conn, involved))
