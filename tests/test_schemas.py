"""The published JSON Schemas: what editors use to complete and check files as users type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from support import REPO

from specgen.load import load_document
from specgen.schemas import INPUT_SCHEMAS

BUNDLED = [
    ("specgen.yaml", "project"),
    *((f"requirements/{p.name}", "catalog") for p in sorted((REPO / "requirements").glob("*.yaml"))),
    *((f"municipalities/{p.name}", "municipality")
      for p in sorted((REPO / "municipalities").glob("*.yaml"))),
]  # fmt: skip


@pytest.mark.parametrize(("relpath", "kind"), BUNDLED)
def test_every_bundled_file_conforms_to_its_published_schema(relpath: str, kind: str) -> None:
    document, problems = load_document(REPO, relpath)
    assert problems == [] and document is not None
    Draft202012Validator.check_schema(INPUT_SCHEMAS[kind])
    Draft202012Validator(INPUT_SCHEMAS[kind]).validate(document.data)
    first = (REPO / relpath).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert first.endswith(f"specgen/schemas/{kind}.schema.json")


def properties(schema: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            yield f"{path}.{name}", sub
        for key, sub in schema.items():
            if key != "properties":
                yield from properties(sub, f"{path}/{key}")
        for name, sub in schema.get("properties", {}).items():
            yield from properties(sub, f"{path}.{name}")
    elif isinstance(schema, list):
        for item in schema:
            yield from properties(item, path)


@pytest.mark.parametrize("kind", sorted(INPUT_SCHEMAS))
def test_every_field_tells_the_editor_what_it_is(kind: str) -> None:
    """Completion shows a description or the allowed values for every field."""
    vague = [
        path
        for path, sub in properties(INPUT_SCHEMAS[kind])
        if not ({"description", "enum", "const"} & set(sub))
        and sub.get("type") != "object"
        and "$ref" not in sub
    ]
    assert vague == [], vague


@pytest.mark.parametrize("kind", sorted(INPUT_SCHEMAS))
def test_unknown_fields_are_refused_everywhere(kind: str) -> None:
    """additionalProperties: false on every object with named fields, so typos are flagged."""

    def objects(schema: Any) -> Iterator[dict[str, Any]]:
        if isinstance(schema, dict):
            if "properties" in schema:
                yield schema
            for key, sub in schema.items():
                if key != "allOf":  # if/then conditions select, they do not define fields
                    yield from objects(sub)
        elif isinstance(schema, list):
            for sub in schema:
                yield from objects(sub)

    open_objects = [sorted(o["properties"]) for o in objects(INPUT_SCHEMAS[kind])
                    if o.get("additionalProperties") is not False and "if" not in o]  # fmt: skip
    assert open_objects == []
