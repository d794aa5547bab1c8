"""The layering rules and the size limits, checked on the source itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"
SQL_IMPORT = re.compile(r"^(from|import) (sqlmodel|sqlalchemy)\b", re.MULTILINE)
MODULE_LINES = 275  # "about 250": a few long-established modules sit just above it
FUNCTION_LINES = 40


def _modules(*parts: str) -> list[Path]:
    return sorted(p for p in BOT.joinpath(*parts).rglob("*.py") if "migrations" not in p.parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("layer", ["domain", "services", "slack"])
def test_no_sql_outside_the_database_layer(layer: str) -> None:
    offenders = [p for p in _modules(layer) if SQL_IMPORT.search(p.read_text())]
    assert offenders == []


def test_the_domain_depends_on_nothing_of_ours_outside_it() -> None:
    outward = ("bot.db", "bot.services", "bot.slack", "bot.clock", "bot.config")
    offenders = {
        str(p.relative_to(BOT)): sorted(m for m in _imports(p) if m.startswith(outward))
        for p in _modules("domain")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_surfaces_render_domain_values_not_rows() -> None:
    offenders = [
        p for p in _modules("slack", "surfaces") if any(m.startswith("bot.db") for m in _imports(p))
    ]
    assert offenders == []


def test_modules_stay_small() -> None:
    long = {
        str(p.relative_to(BOT)): n
        for p in _modules()
        if (n := len(p.read_text().splitlines())) > MODULE_LINES
    }
    assert long == {}


def test_functions_stay_short() -> None:
    long: dict[str, int] = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > FUNCTION_LINES:
                    long[f"{path.relative_to(BOT)}:{node.name}"] = size
    assert long == {}
