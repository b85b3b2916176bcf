"""The JSON outputs and their published schemas agree field by field, in both directions.

Validation against the schemas (additionalProperties: false everywhere) proves the serialiser
writes nothing the schema does not declare; this test proves the converse: every property a
schema declares is written by the serialiser for a project that sets every optional field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from support import copy_of_bundled, run_cli

from specgen.schemas.definitions import OUTPUT_SCHEMAS

# Optional fields the bundled project leaves unset, set here: an added requirement with every
# field, and a baseline reference to a standard's section.
EVERY_FIELD_ADDED = """
  WJM-0099:
    op: add
    section: DSR-CERT-SURVEY
    reason: 全ての任意項目を持つ追加要件。
    reason_code: local_operation
    requirement:
      title: 全項目を持つ要件
      statement: 全ての項目を出力できること。
      level: optional
      kind: functional
      rationale: 出力形式の確認のため。
      notes: 備考。
      acceptance: 出力を確認する。
      legal_basis: [住民基本台帳法 第1条]
      standard: {document: 住民記録システム標準仕様書, version: 第4.0版, function_id: "0010099", section: "1.1.1"}
      metrics: {response_time_s: 3}
      tags: [確認]
      formerly: WJM-0098
"""


def _resolve(root: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].split("/")[-1]]
    return schema


def _walk(
    root: dict[str, Any],
    schema: dict[str, Any],
    instance: Any,
    path: str,
    declared: dict[str, set[str]],
    seen: dict[str, set[str]],
) -> None:
    """Record, per object of the schema, the properties it declares and those written."""
    schema = _resolve(root, schema)
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key, ()):
            if (_resolve(root, option).get("type") == "object") == isinstance(instance, dict):
                _walk(root, option, instance, path, declared, seen)
    if isinstance(instance, dict):
        properties = schema.get("properties")
        if properties is not None:
            declared.setdefault(path, set()).update(properties)
            seen.setdefault(path, set()).update(instance)
            for key, value in instance.items():
                if key in properties:
                    _walk(root, properties[key], value, f"{path}.{key}", declared, seen)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for key, value in instance.items():
                if properties is None or key not in properties:
                    _walk(root, extra, value, f"{path}.*", declared, seen)
    elif isinstance(instance, list) and isinstance(schema.get("items"), dict):
        for item in instance:
            _walk(root, schema["items"], item, f"{path}[]", declared, seen)


def test_every_declared_output_field_is_written(tmp_path: Path) -> None:
    root = copy_of_bundled(tmp_path / "noto")
    with (root / "municipalities/172049-wajima.yaml").open("a", encoding="utf-8") as stream:
        stream.write(EVERY_FIELD_ADDED)
    catalog = root / "requirements/10-juki.yaml"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(
        text.replace('function_id: "0010001"}', 'function_id: "0010001", section: "1.1"}', 1),
        "utf-8",
    )
    out = tmp_path / "out"
    result = run_cli("build", str(root), "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    for kind, files in (
        ("joint", [out / "joint/spec.json"]),
        ("effective", sorted(out.glob("municipalities/*/spec.json"))),
    ):
        schema = OUTPUT_SCHEMAS[kind]
        declared: dict[str, set[str]] = {}
        seen: dict[str, set[str]] = {}
        for file in files:
            document = json.loads(file.read_text(encoding="utf-8"))
            Draft202012Validator(schema).validate(document)  # nothing undeclared is written
            _walk(schema, schema, document, "$", declared, seen)
        unwritten = {path: sorted(names - seen[path]) for path, names in declared.items()}
        assert {path: names for path, names in unwritten.items() if names} == {}, kind
        assert len(declared) > 5  # the walk reached the nested objects
