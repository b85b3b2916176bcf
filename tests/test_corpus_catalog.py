"""The jyuki-stnd corpus converts into a catalog whose YAML keeps every row's text verbatim."""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import corpus  # noqa: E402

ROWS_FILE = Path(__file__).resolve().parent / "data" / "jyuki-stnd-v1" / "rows.json"
ID_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(?:[-.][A-Z0-9]+)*$")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return corpus.load_jyuki_rows(ROWS_FILE)


@pytest.fixture(scope="module")
def catalog(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return corpus.jyuki_catalog(rows)


@pytest.fixture(scope="module")
def text(catalog: dict[str, Any]) -> str:
    return corpus.dump_yaml(catalog)


def walk(sections: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for section in sections:
        yield section
        yield from walk(section.get("sections", []))


def requirements(catalog: dict[str, Any]) -> list[dict[str, Any]]:
    """In document order: a section's own requirements, then its subsections'."""
    return [r for s in walk(catalog["sections"]) for r in s.get("requirements", [])]


def test_yaml_round_trips_to_the_same_data(catalog: dict[str, Any], text: str) -> None:
    assert text.startswith("specgen: 1\n")
    assert yaml.safe_load(text) == catalog
    assert yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == catalog


def test_every_id_is_unique_and_well_formed(catalog: dict[str, Any]) -> None:
    sections = list(walk(catalog["sections"]))
    ids = [s["id"] for s in sections] + [r["id"] for r in requirements(catalog)]
    assert len(ids) == len(set(ids))
    for identifier in ids:
        assert ID_PATTERN.match(identifier), identifier
        assert len(identifier) <= 40


def test_one_requirement_per_row_in_the_rows_order(
    rows: list[dict[str, Any]], catalog: dict[str, Any]
) -> None:
    found = requirements(catalog)
    assert [r["id"] for r in found] == [row["row_id"] for row in rows]
    assert Counter(r["level"] for r in found) == {
        "mandatory": 132,
        "optional": 18,
        "prohibited": 47,
    }


def test_statements_keep_line_based_lists_verbatim(rows: list[dict[str, Any]], text: str) -> None:
    loaded = {r["id"]: r for r in requirements(yaml.safe_load(text))}
    listed = 0
    for row in rows:
        statement = loaded[row["row_id"]]["statement"]
        assert statement == row["text"]
        bullets = [line for line in row["text"].split("\n") if line.startswith("・")]
        assert bullets == [line for line in statement.split("\n") if line.startswith("・")]
        listed += bool(bullets)
    assert listed >= 20  # rows that carry ・ lists
    assert "statement: |" in text  # multi-line text is written as literal blocks


def test_hierarchy_becomes_nested_sections(catalog: dict[str, Any]) -> None:
    sections = {s["id"]: s for s in walk(catalog["sections"])}
    assert sections["JK1"]["title"] == "管理項目"
    assert [s["id"] for s in sections["JK1"]["sections"]] == ["JK1.1", "JK1.2", "JK1.3"]
    assert sections["JK4.1.0"]["title"] == "届出（共通）"
    # 4.4 sits beside the subsections 4.0–4.6, so it is a section of its own, in number order
    children = [s["id"] for s in sections["JK4"]["sections"]]
    assert children.index("JK4.3") < children.index("JK4.4") < children.index("JK4.5")
    assert "requirements" not in sections["JK4"]
    assert [r["id"] for r in sections["JK4.4"]["requirements"]] == ["JK1-0900-M"]


def test_requirements_cite_the_standard_section_without_a_function_id(
    catalog: dict[str, Any],
) -> None:
    first = requirements(catalog)[0]
    assert first["title"] == "日本人住民データの管理"
    assert first["standard"] == {
        "document": "住民記録システム標準仕様書",
        "version": "第1.0版",
        "section": "1.1.1",
    }


def test_literal_placeholder_syntax_is_escaped(rows: list[dict[str, Any]]) -> None:
    row = {**rows[0], "text": "ログの形式は ${業務システムID}:${リソース名} とする。"}
    statement = requirements(corpus.jyuki_catalog([row]))[0]["statement"]
    assert statement == "ログの形式は $${業務システムID}:$${リソース名} とする。"


@pytest.mark.parametrize(
    "value", ["1.1", "3.10", "011002", "170003", "yes", "on", "y", "2026-11-26", "0o17", "1e3"]
)
def test_strings_that_read_as_other_types_are_quoted(value: str) -> None:
    text = corpus.dump_yaml({"value": value})
    assert yaml.safe_load(text) == {"specgen": 1, "value": value}
    assert f"value: '{value}'" in text


def test_write_corpus_project_writes_project_file_and_catalog(tmp_path: Path) -> None:
    corpus.write_corpus_project(tmp_path)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.yaml"))
    assert written == ["requirements/jyuki.yaml", "specgen.yaml"]
    project = yaml.safe_load((tmp_path / "specgen.yaml").read_text(encoding="utf-8"))
    assert project["project"]["issuer"] == {"code": "170003", "name": "石川県"}
    catalog = yaml.safe_load((tmp_path / "requirements" / "jyuki.yaml").read_text("utf-8"))
    assert len(requirements(catalog)) == 197


def test_the_corpus_catalog_validates_cleanly_with_specgen(tmp_path: Path) -> None:
    from specgen.validate import validate_project

    corpus.write_corpus_project(tmp_path)
    result = validate_project(tmp_path, strict=True)
    assert result.diagnostics == ()
    assert sum(1 for _ in result.input.catalog.requirements()) == 197
