"""The wheel holds every package: a package missing from pyproject's list only fails outside an
editable install (vbqppl.checks was missing once)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _package_dirs() -> dict[str, Path]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setup = config["tool"]["setuptools"]
    roots = {name: ROOT / path for name, path in setup["package-dir"].items()}
    listed = {}
    for name in setup["packages"]:
        top = max((r for r in roots if name == r or name.startswith(r + ".")), key=len)
        rest = name[len(top) :].lstrip(".")
        listed[name] = roots[top].joinpath(*rest.split(".")) if rest else roots[top]
    return listed


def test_every_listed_package_exists() -> None:
    missing = [name for name, path in _package_dirs().items() if not path.is_dir()]
    assert missing == []


def test_every_python_package_is_listed() -> None:
    listed = {path.resolve() for path in _package_dirs().values()}
    found = {
        init.parent.resolve()
        for top in ("vbqppl", "cli")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert sorted(str(p.relative_to(ROOT)) for p in found - listed) == []
