"""The graph of the demo corpus with its manifest's links: nodes, edges, exports, one
document's neighbourhood."""

from __future__ import annotations

import json
from io import BytesIO

import networkx as nx
import pytest

from tests.store.corpus_docs import MANIFEST, linked, load_linked
from vbqppl.store.db import Store
from vbqppl.store.graph import (
    FORMATS,
    doc_node,
    document_graph,
    export,
    load_graph,
    neighbourhood,
    unit_node,
)


@pytest.fixture
def demo(store: Store) -> tuple[nx.MultiDiGraph, dict[str, int], Store]:
    ids = load_linked(store)
    with store.read() as conn:
        return load_graph(conn), ids, store


def _edges(g: nx.MultiDiGraph, typ: str) -> set[tuple[str, str]]:
    return {(u, v) for u, v, d in g.edges(data=True) if d["type"] == typ}


def test_nodes_and_edges(demo: tuple[nx.MultiDiGraph, dict[str, int], Store]) -> None:
    g, ids, _ = demo
    docs = [n for n, d in g.nodes(data=True) if d["kind"] == "document"]
    units = [n for n, d in g.nodes(data=True) if d["kind"] == "unit"]
    assert len(docs) == len(MANIFEST["documents"])
    assert len(units) == sum(len(d.units) for d in linked().values())
    assert len(_edges(g, "part-of")) == len(units)
    assert (doc_node(ids["27/2024/QĐ-UBND"]), doc_node(ids["08/2019/QĐ-UBND"])) in _edges(
        g, "replaces"
    )
    assert (doc_node(ids["11/2025/QĐ-UBND"]), doc_node(ids["15/2020/QĐ-UBND"])) in _edges(
        g, "repeals"
    )
    assert (doc_node(ids["41/2025/QĐ-UBND"]), doc_node(ids["17/2021/QĐ-UBND"])) in _edges(
        g, "expires"
    )
    point_c = unit_node(ids["12/2024/QĐ-UBND"], "att_1__art_10__para_1__point_c")
    assert (doc_node(ids["16/2025/QĐ-UBND"]), point_c) in _edges(g, "repeals")
    assert (doc_node(ids["16/2025/QĐ-UBND"]), doc_node(ids["12/2024/QĐ-UBND"])) in _edges(
        g, "bases-on"
    )
    # what the corpus does not hold is an external node, cited by all who cite it
    ext = "ext:63/2010/NĐ-CP"
    assert g.nodes[ext]["kind"] == "external"
    assert {u for u, _ in g.in_edges(ext)} == {
        doc_node(ids["12/2024/QĐ-UBND"]),
        doc_node(ids["16/2025/QĐ-UBND"]),
        doc_node(ids["52/2025/QĐ-UBND"]),
    }
    # a citation from a unit starts at the unit; to a missing unit, it ends at the document
    dead = [
        d for u, v, d in g.edges(data=True)
        if u == unit_node(ids["31/2024/QĐ-UBND"], "art_5__para_1") and v == doc_node(ids["12/2024/QĐ-UBND"])
    ]  # fmt: skip
    assert [d["target_unit"] for d in dead] == ["att_1__art_25"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_read_back(demo: tuple[nx.MultiDiGraph, dict[str, int], Store], fmt: str) -> None:
    g, _, _ = demo
    data = export(g, fmt)
    if fmt == "graphml":
        back = nx.read_graphml(BytesIO(data))
    elif fmt == "gexf":
        back = nx.read_gexf(BytesIO(data))
    else:
        back = nx.node_link_graph(json.loads(data), edges="links")
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    some = doc_node(1)
    assert back.nodes[some]["label"] == g.nodes[some]["label"]


def test_neighbourhood(demo: tuple[nx.MultiDiGraph, dict[str, int], Store]) -> None:
    _, ids, store = demo
    with store.read() as conn:
        sub = document_graph(conn, [ids["12/2024/QĐ-UBND"]])
    hood = neighbourhood(sub, ids["12/2024/QĐ-UBND"])
    changed_by = {(n.other, n.type) for n in hood.changed_by}
    assert changed_by == {
        (doc_node(ids[n]), t)
        for n in ("16/2025/QĐ-UBND", "52/2025/QĐ-UBND")
        for t in ("amends", "repeals")
    }
    assert "att_1__art_10__para_1__point_c" in {n.here_unit for n in hood.changed_by}
    cited_by = {n.other for n in hood.cited_by}
    assert cited_by == {
        doc_node(ids[n])
        for n in ("16/2025/QĐ-UBND", "31/2024/QĐ-UBND", "1735/KH-UBND", "52/2025/QĐ-UBND")
    }
    assert "ext:61/2018/NĐ-CP" in {n.other for n in hood.cites}
    assert "ext:Luật Tổ chức chính quyền địa phương" in {n.other for n in hood.cites}
    assert hood.changes == []
    amender = neighbourhood(sub, ids["16/2025/QĐ-UBND"])
    assert {n.type for n in amender.changes} == {"amends", "repeals"}
