"""The jyuki-stnd corpus as a specgen catalog, and the YAML writer the benchmarks share."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DEFAULT_ROWS",
    "ID_PATTERN",
    "ISSUER",
    "LEVEL_BY_CATEGORY",
    "dump_yaml",
    "escape_statement",
    "jyuki_catalog",
    "load_jyuki_rows",
    "write_corpus_project",
]

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ROWS = REPO / "tests" / "data" / "jyuki-stnd-v1" / "rows.json"

ID_PATTERN = re.compile(r"[A-Z][A-Z0-9]*(?:[-.][A-Z0-9]+)*")
ID_MAX_LENGTH = 40

ISSUER: dict[str, str] = {"code": "170003", "name": "石川県"}

# Version 1.0 of the standard names its categories this way; later versions call them
# 実装必須機能 / 標準オプション機能 / 実装不可機能, which FORMAT §4 maps onto the same levels.
LEVEL_BY_CATEGORY: dict[str, str] = {
    "実装すべき機能": "mandatory",
    "実装してもしなくても良い機能": "optional",
    "実装しない機能": "prohibited",
}
STANDARD_DOCUMENT = "住民記録システム標準仕様書"
STANDARD_VERSION = "第1.0版"
SECTION_PREFIX = "JK"

_HIERARCHY_NODE = re.compile(r"(\d+(?:\.\d+)*)\.?\s*(.*)")


def load_jyuki_rows(path: Path = DEFAULT_ROWS) -> list[dict[str, Any]]:
    """The rows of a jyuki-stnd rows.json (the file is a `{meta, rows}` document)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = document["rows"]
    return rows


def escape_statement(text: str) -> str:
    """Write a literal `${` as `$${`, the format's escape, so no text reads as a placeholder."""
    return text.replace("${", "$${")


@dataclass
class _Node:
    id: str
    title: str
    requirements: list[dict[str, Any]] = field(default_factory=list)
    children: dict[str, _Node] = field(default_factory=dict)

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {"id": self.id, "title": self.title}
        if self.requirements:
            document["requirements"] = self.requirements
        if self.children:
            document["sections"] = [child.to_document() for child in self.children.values()]
        return document


def _parse_hierarchy(hierarchy: str) -> tuple[tuple[str, str], ...]:
    """`"4. 異動 > 4.1. 届出 > 4.1.0."` → `(("4", "異動"), ("4.1", "届出"), ("4.1.0", ""))`."""
    path = []
    for part in hierarchy.split(" > "):
        match = _HIERARCHY_NODE.fullmatch(part.strip())
        if match is None:
            raise ValueError(f"unexpected hierarchy element {part!r} in {hierarchy!r}")
        path.append((match.group(1), match.group(2).strip()))
    return tuple(path)


def _check_id(identifier: str, seen: set[str]) -> None:
    if ID_PATTERN.fullmatch(identifier) is None or len(identifier) > ID_MAX_LENGTH:
        raise ValueError(f"{identifier!r} is not a valid specgen ID")
    if identifier in seen:
        raise ValueError(f"{identifier!r} is defined twice")
    seen.add(identifier)


def jyuki_catalog(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Convert jyuki-stnd rows into a catalog document (FORMAT §4), one requirement per row.

    Each element of a row's `hierarchy` becomes a section `JK<number>` (`JK1`, `JK1.1`, …); the
    untitled "x.0." groups of the standard (items common to their parent) are titled
    "<parent>（共通）". A row whose hierarchy also has subsections (4.4 beside 4.1–4.6) gets a
    section of its own, `JK<row section>`, so document order follows the standard's numbering.
    The requirement keeps the synthetic `row_id`, takes the section name as title, the verbatim
    text as statement, the level from the category, and cites the standard's section number.
    """
    materialized = list(rows)
    paths = [_parse_hierarchy(str(row["hierarchy"])) for row in materialized]
    has_subsections = {path[:depth] for path in paths for depth in range(1, len(path))}

    roots: dict[str, _Node] = {}
    seen: set[str] = set()
    for row, path in zip(materialized, paths, strict=True):
        full_path = path
        if path in has_subsections:
            full_path = (*path, (str(row["section"]), str(row["name"])))
        siblings, parent_title, node = roots, "", None
        for number, title in full_path:
            section_id = f"{SECTION_PREFIX}{number}"
            node = siblings.get(section_id)
            if node is None:
                _check_id(section_id, seen)
                node = _Node(id=section_id, title=title or f"{parent_title}（共通）")
                siblings[section_id] = node
            siblings, parent_title = node.children, node.title
        assert node is not None  # a hierarchy has at least one element
        category = str(row["category_source"])
        if category not in LEVEL_BY_CATEGORY:
            raise ValueError(f"row {row['row_id']}: unknown category {category!r}")
        requirement_id = str(row["row_id"])
        _check_id(requirement_id, seen)
        node.requirements.append(
            {
                "id": requirement_id,
                "title": str(row["name"]),
                "statement": escape_statement(str(row["text"])),
                "level": LEVEL_BY_CATEGORY[category],
                "standard": {
                    "document": STANDARD_DOCUMENT,
                    "version": STANDARD_VERSION,
                    "section": str(row["section"]),
                },
            }
        )
    return {"specgen": 1, "sections": [root.to_document() for root in roots.values()]}


# --- YAML writing -------------------------------------------------------------------------

try:
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # PyYAML built without libyaml: same output, slower
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]


class _Dumper(_BaseDumper):
    """Block style; multi-line text as `|` scalars; look-alikes of numbers and dates quoted."""


# PyYAML already quotes what its YAML 1.1 resolver would type (011002, 1.10, yes, 2026-11-26).
# These catch what other readers type beyond that: YAML 1.2 (0o17, 1e3), YAML 1.1's y/n.
_NUMBER_LIKE = re.compile(r"[-+]?\.?[0-9][0-9A-Za-z_.:+-]*")
_WORDS = "y n yes no on off true false null ~ .inf -.inf +.inf .nan"
_WORD_LIKE = frozenset(_WORDS.split())


def _represent_str(dumper: _Dumper, data: str) -> yaml.ScalarNode:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    if _NUMBER_LIKE.fullmatch(data) or data.lower() in _WORD_LIKE:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _represent_str)

# Wide enough that no single-line text is ever folded at a space.
YAML_WIDTH = 1 << 16


def dump_yaml(document: Mapping[str, Any]) -> str:
    """A specgen YAML file: `specgen: 1` first, then the document's keys in their order."""
    ordered = {"specgen": 1, **{key: value for key, value in document.items() if key != "specgen"}}
    text: str = yaml.dump(
        ordered,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=YAML_WIDTH,
        indent=2,
    )
    return text


def corpus_project() -> dict[str, Any]:
    """The specgen.yaml of the corpus project: Ishikawa Prefecture issuing the bare catalog."""
    return {
        "specgen": 1,
        "project": {
            "id": "jyuki-stnd-v1",
            "title": "住民記録システム標準仕様書【第1.0版】第3章 機能要件（検証用コーパス）",
            "issuer": dict(ISSUER),
            "version": "1.0",
            "date": "2026-04-01",
            "language": "ja",
        },
        "catalog": ["requirements/"],
    }


def write_corpus_project(
    directory: Path | str, rows: Sequence[Mapping[str, Any]] | None = None
) -> Path:
    """Write specgen.yaml and requirements/jyuki.yaml (no municipalities); return the directory."""
    root = Path(directory)
    catalog = jyuki_catalog(load_jyuki_rows() if rows is None else rows)
    (root / "requirements").mkdir(parents=True, exist_ok=True)
    (root / "specgen.yaml").write_text(dump_yaml(corpus_project()), encoding="utf-8")
    (root / "requirements" / "jyuki.yaml").write_text(dump_yaml(catalog), encoding="utf-8")
    return root
