"""Akoma Ntoso interchange: schema-valid exports, exact round trips, modifications, safe import."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from lxml import etree
from typer.testing import CliRunner

from tests.evaluation import manifest, parsed, real_corpus_present
from tests.test_properties import TEXTS
from vbqppl.akn import (
    FrbrUri,
    document_uri,
    from_akn,
    passive_from_akn,
    passive_relations,
    to_akn,
    to_akn_bytes,
    validate,
)
from vbqppl.akn.body import AKN_NS
from vbqppl.akn.safe import parse_xml
from vbqppl.akn.uri import number_from_slug, slug, work_uri
from vbqppl.errors import ReadError, UnsafeInputError
from vbqppl.model import Document
from vbqppl.parse import parse_document
from vbqppl.read import read_file
from vbqppl_cli import commands  # noqa: F401  (registers the commands)
from vbqppl_cli.app import app

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = yaml.safe_load((ROOT / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))
FILES = [d["file"] for d in MANIFEST["documents"]]
NS = {"a": AKN_NS}


@cache
def demo(file: str) -> Document:
    return parse_document(read_file(ROOT / "corpus" / file), path=f"corpus/{file}")


@cache
def demo_by_number() -> dict[str, Document]:
    return {d.metadata.number: d for d in map(demo, FILES) if d.metadata.number}


def same_document(a: Document, b: Document) -> None:
    assert b.text == a.text
    assert b.to_json() == a.to_json()
    assert b.units == a.units and b.citations == a.citations and b.relations == a.relations


# --- the URI scheme ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quyết định", "quyet-dinh"),
        ("12/2024/QĐ-UBND", "12-2024-qd-ubnd"),
        ("Luật Đất đai", "luat-dat-dai"),
        ("01/2016/TTLT-BTC-BTP", "01-2016-ttlt-btc-btp"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


@pytest.mark.parametrize(
    "number",
    ["12/2024/QĐ-UBND", "45/2020/NĐ-CP", "59/2020/QH14", "02/2017/TT-VPCP", "126/VBHN-VPQH",
     "01/2016/TTLT-BTC-BTP", "33/2021/QĐ-TTg", "1680/QĐ-UBND"],
)  # fmt: skip
def test_number_slug_reads_back(number: str) -> None:
    assert number_from_slug(slug(number)) == number


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("45/2020/NĐ-CP",), "/akn/vn/act/nghi-dinh/2020/45-2020-nd-cp"),
        (("12/2024/QĐ-UBND", "hoa-lam"), "/akn/vn-hoa-lam/act/quyet-dinh/2024/12-2024-qd-ubnd"),
        (("59/2020/QH14",), "/akn/vn/act/luat/2020/59-2020-qh14"),
        (("126/VBHN-VPQH", None, "2025-06-20"), "/akn/vn/act/van-ban-hop-nhat/2025/126-vbhn-vpqh"),
    ],
)
def test_work_uri(args: tuple[Any, ...], expected: str) -> None:
    number, place, issued = (*args, None, None)[:3]
    uri = work_uri(number, place=place, issued=issued)
    assert uri is not None and str(uri) == expected
    assert FrbrUri.parse(expected).work() == expected


def test_uri_levels_parse_back() -> None:
    text = (
        "/akn/vn-hoa-lam/act/quyet-dinh/2024/12-2024-qd-ubnd/vie@2024-03-15/!main~art_7__para_1.xml"
    )
    uri = FrbrUri.parse(text)
    assert (uri.locality, uri.subtype, uri.date, uri.number) == (
        "hoa-lam",
        "quyet-dinh",
        "2024",
        "12-2024-qd-ubnd",
    )
    assert (uri.language, uri.version, uri.component, uri.portion, uri.format) == (
        "vie",
        "2024-03-15",
        "main",
        "art_7__para_1",
        "xml",
    )
    assert str(uri) == text
    with pytest.raises(ValueError):
        FrbrUri.parse("/akn/za/act/2009/1")


def test_a_name_without_a_date_names_no_work() -> None:
    assert work_uri(None, name="Luật Đất đai") is None
    uri = work_uri(None, name="Luật Đất đai", issued="2024-01-18")
    assert uri is not None and str(uri) == "/akn/vn/act/luat/2024/luat-dat-dai"


# --- the demo corpus --------------------------------------------------------------------------


@pytest.mark.parametrize("file", FILES)
def test_demo_export_validates_and_reads_back(file: str) -> None:
    doc = demo(file)
    data = to_akn_bytes(doc)
    assert validate(parse_xml(data)) == []
    same_document(doc, from_akn(data))


def test_quoted_amendment_text_is_a_mod_not_a_unit() -> None:
    doc = demo_by_number()["16/2025/QĐ-UBND"]
    root = to_akn(doc)
    article = root.find(".//a:mod/a:quotedStructure/a:article", NS)
    assert article is not None and article.findtext("a:num", namespaces=NS) == "Điều 14."
    assert article.get("eId", "").endswith("__qstr_1__art_14")
    body_articles = [a.get("eId") for a in root.iterfind(".//a:body/a:article", NS)]
    assert body_articles == [u.id for u in doc.units if u.kind == "article"]
    phrases = [q.text for q in root.iterfind(".//a:mod/a:quotedText", NS)]
    assert "Sở Nội vụ" in phrases and "Sở Lao động - Thương binh và Xã hội" in phrases
    assert "art_14" not in {u.id for u in from_akn(to_akn_bytes(doc)).units}


_KIND = {  # relation type in the manifest -> the modification elements allowed for it
    "amends": {("textualMod", "substitution"), ("textualMod", "insertion")},
    "repeals": {("textualMod", "repeal")},
    "replaces": {("forceMod", "endOfEnactment")},
    "expires": {("forceMod", "endOfEnactment")},
}


def _mods(root: etree._Element, box: str) -> list[tuple[str, str, str, str]]:
    out = []
    for el in root.iterfind(f".//a:analysis/a:{box}/*", NS):
        name = etree.QName(el).localname
        src = el.find("a:source", NS)
        dest = el.find("a:destination", NS)
        assert src is not None and dest is not None
        out.append((name, el.get("type", ""), src.get("href", ""), dest.get("href", "")))
    return out


@pytest.mark.parametrize(
    "rel", MANIFEST["relations"], ids=[f"{r['from']}-{r['type']}-{r['to']}" for r in MANIFEST["relations"]]
)  # fmt: skip
def test_modifications_name_the_target_units(rel: dict[str, Any]) -> None:
    """The manifest's relations (written by hand) in the amending document's export, and the
    same in the amended document's export given the others as its passive relations."""
    docs = demo_by_number()
    source, target = docs[rel["from"]], docs[rel["to"]]
    target_uri = document_uri(target.metadata).work()
    source_uri = document_uri(source.metadata).work()
    active = _mods(to_akn(source), "activeModifications")
    wanted = {f"{target_uri}/~{u}" for u in rel["units"]} or {target_uri}
    hits = [m for m in active if m[3] in wanted]
    assert {m[3] for m in hits} == wanted
    assert {(m[0], m[1]) for m in hits} <= _KIND[rel["type"]]

    passive = passive_relations(target, docs.values())
    data = to_akn_bytes(target, passive=passive)
    assert validate(parse_xml(data)) == []
    inbound = [m for m in _mods(parse_xml(data), "passiveModifications") if source_uri in m[2]]
    assert {m[3] for m in inbound} >= ({f"#{u}" for u in rel["units"]} or {"#"})
    assert [(p.by.number, p.relation) for p in passive_from_akn(data)] == [
        (p.by.number, p.relation) for p in passive
    ]
    same_document(target, from_akn(data))


def test_passive_modifications_come_from_the_argument_only() -> None:
    target = demo_by_number()["12/2024/QĐ-UBND"]
    assert _mods(to_akn(target), "passiveModifications") == []
    assert passive_from_akn(to_akn_bytes(target)) == []


def test_insertion_and_old_new_texts() -> None:
    root = to_akn(demo_by_number()["16/2025/QĐ-UBND"])
    mods = {m[3].rsplit("~", 1)[-1]: m for m in _mods(root, "activeModifications")}
    assert mods["att_1__art_7__para_1__point_đ"][1] == "insertion"
    assert mods["att_1__art_8__para_2"][1] == "substitution"
    replaced = root.find(".//a:activeModifications/a:textualMod[a:old]", NS)
    assert replaced is not None
    old = root.find(f".//*[@eId='{replaced.find('a:old', NS).get('href')[1:]}']", NS)  # type: ignore[union-attr]
    assert old is not None and old.text == "Sở Lao động - Thương binh và Xã hội"


# --- any text ---------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_parsed_text_exports_valid_and_reads_back(text: str) -> None:
    doc = parse_document(text)
    data = to_akn_bytes(doc)
    assert validate(parse_xml(data)) == []
    same_document(doc, from_akn(data))


def test_characters_xml_cannot_hold_still_read_back() -> None:
    doc = parse_document("Điều 1. Phạm vi\x0c\n1. Khoản\x00 một\r\nĐiều 2. Hai\x1b\n")
    data = to_akn_bytes(doc)
    assert validate(parse_xml(data)) == []
    same_document(doc, from_akn(data))


# --- another tool's Akoma Ntoso -----------------------------------------------------------------

FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">
  <act name="quyet-dinh">
    <meta>
      <identification source="#x">
        <FRBRWork>
          <FRBRthis value="/akn/vn/act/quyet-dinh/2024/7-2024-qd-ubnd/!main"/>
          <FRBRuri value="/akn/vn/act/quyet-dinh/2024/7-2024-qd-ubnd"/>
          <FRBRdate date="2024-01-02" name="Generation"/>
          <FRBRauthor href="#ubnd"/>
          <FRBRcountry value="vn"/>
          <FRBRnumber value="7/2024/QĐ-UBND"/>
        </FRBRWork>
        <FRBRExpression>
          <FRBRthis value="/akn/vn/act/quyet-dinh/2024/7-2024-qd-ubnd/vie@/!main"/>
          <FRBRuri value="/akn/vn/act/quyet-dinh/2024/7-2024-qd-ubnd/vie@"/>
          <FRBRdate date="2024-01-02" name="Generation"/>
          <FRBRauthor href="#ubnd"/>
          <FRBRlanguage language="vie"/>
        </FRBRExpression>
        <FRBRManifestation>
          <FRBRthis value="/akn/vn/act/quyet-dinh/2024/7-2024-qd-ubnd/vie@/!main.xml"/>
          <FRBRuri value="/akn/vn/act/quyet-dinh/2024/7-2024-qd-ubnd/vie@.akn"/>
          <FRBRdate date="2024-01-02" name="Generation"/>
          <FRBRauthor href="#ubnd"/>
        </FRBRManifestation>
      </identification>
      <analysis source="#x">
        <activeModifications>
          <textualMod type="repeal" eId="m1">
            <source href="#art_2"/>
            <destination href="/akn/vn/act/quyet-dinh/2020/15-2020-qd-ubnd/~art_3"/>
          </textualMod>
        </activeModifications>
      </analysis>
      <references source="#x">
        <TLCOrganization eId="ubnd" href="/ontology/organization/ubnd" showAs="Ủy ban nhân dân tỉnh X"/>
      </references>
    </meta>
    <body>
      <chapter eId="chp_1">
        <num>Chương I</num>
        <heading>QUY ĐỊNH
          CHUNG</heading>
        <article eId="art_1">
          <num>Điều 1.</num>
          <heading>Phạm vi</heading>
          <paragraph eId="art_1__para_1">
            <num>1.</num>
            <content>
              <p>Theo <ref href="/akn/vn/act/nghi-dinh/2020/45-2020-nd-cp/~art_5">Điều 5
                Nghị định số 45/2020/NĐ-CP</ref>.</p>
            </content>
          </paragraph>
        </article>
        <article eId="art_2">
          <num>Điều 2.</num>
          <content><p>Bãi bỏ Điều 3.</p></content>
        </article>
      </chapter>
    </body>
  </act>
</akomaNtoso>
"""


def test_another_tools_akoma_ntoso_reads_by_lines() -> None:
    data = FOREIGN.encode("utf-8")
    assert validate(parse_xml(data)) == []
    doc = from_akn(data)
    assert doc.metadata.number == "7/2024/QĐ-UBND"
    assert doc.metadata.issuer == "Ủy ban nhân dân tỉnh X"
    assert [(u.id, u.kind, u.label, u.heading, u.parent) for u in doc.units] == [
        ("chp_1", "chapter", "Chương I", "QUY ĐỊNH CHUNG", None),
        ("art_1", "article", "Điều 1", "Phạm vi", "chp_1"),
        ("art_1__para_1", "clause", "1.", None, "art_1"),
        ("art_2", "article", "Điều 2", None, "chp_1"),
    ]
    assert doc.text.splitlines() == [
        "Chương I QUY ĐỊNH CHUNG",
        "Điều 1. Phạm vi",
        "1. Theo Điều 5 Nghị định số 45/2020/NĐ-CP.",
        "Điều 2. Bãi bỏ Điều 3.",
    ]
    for u in doc.units:
        assert doc.text[u.span.start : u.span.end].startswith(u.label)
    (cite,) = doc.citations
    assert cite.text == "Điều 5 Nghị định số 45/2020/NĐ-CP"
    assert doc.text[cite.span.start : cite.span.end] == cite.text
    assert (cite.target.number, cite.target.unit, cite.from_unit) == (
        "45/2020/NĐ-CP",
        "art_5",
        "art_1__para_1",
    )
    (rel,) = doc.relations
    assert (rel.type, rel.from_unit, rel.target.number, rel.target.unit) == (
        "repeals",
        "art_2",
        "15/2020/QĐ-UBND",
        "art_3",
    )


# --- safety -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">&x;</akomaNtoso>',
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">&b;</akomaNtoso>',
    ],
    ids=["external-entity", "entity-expansion"],
)
def test_entities_and_dtds_are_refused(payload: bytes) -> None:
    with pytest.raises(UnsafeInputError):
        from_akn(payload)


def test_size_cap_and_wrong_inputs() -> None:
    data = to_akn_bytes(demo("qd-16-2025-ubnd.txt"))
    with pytest.raises(UnsafeInputError):
        parse_xml(data, max_bytes=1000)
    with pytest.raises(ReadError):
        from_akn(b"not xml at all")
    with pytest.raises(ReadError):
        from_akn(b"<html><body/></html>")


def test_the_schema_rejects_what_it_should() -> None:
    root = to_akn(demo("qd-16-2025-ubnd.txt"))
    body = root.find(".//a:body", NS)
    assert body is not None
    etree.SubElement(body, f"{{{AKN_NS}}}p").text = "a paragraph straight in the body"
    assert validate(root)


# --- the command line ---------------------------------------------------------------------------

runner = CliRunner()


def test_cli_parse_akn_and_import_it_back(tmp_path: Path) -> None:
    src = ROOT / "corpus" / "qd-16-2025-ubnd.txt"
    out = runner.invoke(app, ["parse", str(src), "--format", "akn"])
    assert out.exit_code == 0, out.output
    xml = tmp_path / "qd-16.xml"
    xml.write_text(out.stdout, encoding="utf-8")
    assert validate(parse_xml(xml.read_bytes())) == []
    back = runner.invoke(app, ["import", "akn", str(xml)])
    assert back.exit_code == 0, back.output
    direct = runner.invoke(app, ["parse", str(src)])
    assert json.loads(back.stdout) == json.loads(direct.stdout)


def test_cli_import_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<akomaNtoso", encoding="utf-8")
    result = runner.invoke(app, ["import", "akn", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi:") and result.stderr.count("\n") == 1
    two = runner.invoke(app, ["parse", str(bad), str(bad), "--format", "akn"])
    assert two.exit_code != 0 and two.stderr.startswith("Lỗi:")


# --- the real corpus ----------------------------------------------------------------------------


@pytest.mark.realcorpus
def test_real_corpus_exports_validate_and_read_back() -> None:
    assert real_corpus_present()
    failures = []
    for doc_id in manifest():
        doc = parsed(doc_id)
        data = to_akn_bytes(doc)
        errors = validate(parse_xml(data))
        back = from_akn(data)
        if errors or back.text != doc.text or back.to_json() != doc.to_json():
            failures.append(doc_id)
    assert failures == [], failures
