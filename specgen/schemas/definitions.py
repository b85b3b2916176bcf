"""The JSON Schemas (Draft 2020-12) of specgen's input files, built once from the model's fields.

The published `*.schema.json` files beside this module are generated from these definitions
(`python -m specgen.schemas.definitions`) and a test keeps them in sync; editors with the YAML
language server use them through a `# yaml-language-server: $schema=` comment.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from specgen.model import KINDS, LEVELS, PROCUREMENT_METHODS, REASON_CODES, REQUIREMENT_FIELDS

__all__ = ["ID_PATTERN", "INPUT_SCHEMAS", "METRIC_NAME_PATTERN", "OUTPUT_SCHEMAS", "schema_json"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
ID_PATTERN = r"^[A-Z][A-Z0-9]*(?:[-.][A-Z0-9]+)*$"
METRIC_NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
FORMATS = ("markdown", "docx", "json", "pdf", "xlsx", "csv", "html")

Schema = dict[str, Any]


def _text(description: str, **extra: Any) -> Schema:
    return {"type": "string", "description": description, **extra}


def _id(description: str) -> Schema:
    return _text(description, pattern=ID_PATTERN, maxLength=40)


_VERSION_FIELD = {"specgen": {"const": 1, "description": "format version; always 1"}}

_METRIC_VALUES: Schema = {
    "type": "object",
    "description": "measurable values keyed by metric name from the registry in specgen.yaml",
    "propertyNames": {"pattern": METRIC_NAME_PATTERN},
    "additionalProperties": {"type": "number"},
}

_STANDARD: Schema = {
    "type": "object",
    "description": "the national standard this requirement follows (標準仕様書の参照)",
    "required": ["document"],
    "additionalProperties": False,
    "properties": {
        "document": _text("document title, e.g. 住民記録システム標準仕様書", minLength=1),
        "version": _text("edition, e.g. 第4.0版 (quote numbers)"),
        "function_id": _text("機能ID: 7 digits, quoted", pattern=r"^[0-9]{7}$"),
        "section": _text("section number in the standard, e.g. 1.1.1"),
    },
}


_FORMERLY: Schema = {
    "description": "the ID (or IDs) this requirement replaces: a requirement of an earlier "
    "version, or a municipality's addition taken into the common part; specgen diff shows "
    "one 移動 row instead of a 削除 and a 新設. It may not name an ID the project still has",
    # One schema for both shapes (each keyword applies to its own type), so that a wrong ID
    # gets the same located message and hint as any other ID.
    "type": ["string", "array"],
    "pattern": ID_PATTERN,
    "maxLength": 40,
    "items": _id("a replaced ID"),
    "minItems": 1,
    "uniqueItems": True,
}


def _requirement_properties() -> dict[str, Schema]:
    texts = {
        "title": "見出し: a short name of the requirement",
        "statement": "要件: Markdown; each newline is a line break; ${metric} is filled in, "
        "$${ writes a literal ${",
        "rationale": "要件の考え方・理由",
        "notes": "備考",
        "acceptance": "確認方法・検収基準",
    }
    properties: dict[str, Schema] = {name: _text(text, minLength=1) for name, text in texts.items()}
    properties["level"] = {
        "enum": list(LEVELS),
        "description": "mandatory 必須 (実装必須機能) | optional 任意 (標準オプション機能) | "
        "prohibited 実装不可 (実装不可機能)",
    }
    properties["kind"] = {"enum": list(KINDS), "description": "kind of requirement"}
    properties["legal_basis"] = {
        "type": "array",
        "description": "根拠法令, e.g. 住民基本台帳法 第22条",
        "items": {"type": "string", "minLength": 1},
    }
    properties["standard"] = _STANDARD
    properties["metrics"] = _METRIC_VALUES
    properties["tags"] = {
        "type": "array",
        "description": "free keywords for filtering, e.g. 窓口",
        "items": {"type": "string", "minLength": 1},
    }
    assert set(properties) == set(REQUIREMENT_FIELDS)
    return {name: properties[name] for name in REQUIREMENT_FIELDS}


def _project_schema() -> Schema:
    metric: Schema = {
        "type": "object",
        "required": ["label", "unit", "better"],
        "additionalProperties": False,
        "properties": {
            "label": _text("label in documents, e.g. 応答時間", minLength=1),
            "label_en": _text("English label", minLength=1),
            "unit": _text("unit, e.g. 秒"),
            "better": {
                "enum": ["lower", "higher", "none"],
                "description": "which direction is stricter: lower | higher | none",
            },
            "joint": {
                "enum": ["strictest", "per_municipality"],
                "description": "how the joint spec states differing values (default strictest, "
                "per_municipality when better is none)",
            },
            "aggregate": {
                "enum": ["sum", "none"],
                "description": "per_municipality: whether the participants' values add up to a "
                "total the joint spec states (terminals, users); default none",
            },
        },
    }
    date = _text("date YYYY-MM-DD", pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    procurement: Schema = {
        "type": "object",
        "description": "the joint procurement itself (調達概要); every field optional",
        "additionalProperties": False,
        "properties": {
            "subject": _text("件名 of the procurement", minLength=1),
            "method": {
                "enum": list(PROCUREMENT_METHODS),
                "description": "調達方式: general_competitive 一般競争入札 | "
                "comprehensive_evaluation 総合評価落札方式 | proposal 公募型プロポーザル方式 | "
                "negotiated 随意契約",
            },
            "lead": _text(
                "代表団体: the code of a participating municipality, quoted", minLength=1
            ),
            "period": {
                "type": "object",
                "description": "契約期間",
                "additionalProperties": False,
                "properties": {"from": date, "to": date},
            },
            "ceiling_yen": {
                "type": "integer",
                "description": "予定価格の上限 in yen, tax included",
                "minimum": 0,
            },
            "schedule": {
                "type": "array",
                "description": "調達スケジュール: dates and events, in order",
                "items": {
                    "type": "object",
                    "required": ["date", "event"],
                    "additionalProperties": False,
                    "properties": {"date": date, "event": _text("event", minLength=1)},
                },
            },
            "cost_sharing": _text("費用按分: how build and running costs are split", minLength=1),
            "contact": _text("問合せ先", minLength=1),
        },
    }
    return {
        "$schema": DRAFT,
        "$id": "urn:specgen:schema:project:1",
        "title": "specgen project file (specgen.yaml)",
        "type": "object",
        "required": ["specgen", "project"],
        "additionalProperties": False,
        "properties": {
            **_VERSION_FIELD,
            "project": {
                "type": "object",
                "required": ["id", "title", "issuer", "version", "date"],
                "additionalProperties": False,
                "properties": {
                    "id": _text("slug of the project", pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
                    "title": _text("document title", minLength=1),
                    "title_en": _text("English title", minLength=1),
                    "issuer": {
                        "type": "object",
                        "required": ["code", "name"],
                        "additionalProperties": False,
                        "properties": {
                            "code": _text("全国地方公共団体コード, 6 digits, quoted", minLength=1),
                            "name": _text("issuer name, e.g. 石川県", minLength=1),
                            "name_en": _text("English name", minLength=1),
                            "department": _text(
                                "担当部署, e.g. 総務部 市町支援課 (printed on the cover)",
                                minLength=1,
                            ),
                        },
                    },
                    "version": _text('document version, quoted: "1.0"', minLength=1),
                    "date": _text(
                        "document date YYYY-MM-DD (never the build clock)",
                        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                    ),
                    "language": {"enum": ["ja", "en"], "description": "labels: ja | en"},
                },
            },
            "catalog": {
                "type": "array",
                "description": "catalog files or directories, in this order",
                "items": {"type": "string", "minLength": 1},
                "minItems": 1,
            },
            "municipalities": _text("directory of municipality files", minLength=1),
            "templates": _text("directory of template overrides", minLength=1),
            "output": _text("output directory", minLength=1),
            "formats": {
                "type": "array",
                "description": "outputs built by default: markdown, docx, json, …",
                "items": {"enum": list(FORMATS)},
                "uniqueItems": True,
                "minItems": 1,
            },
            "limits": {
                "type": "object",
                "description": "what rendering one document may take; a template that goes "
                "past a limit is E-TEMPLATE",
                "additionalProperties": False,
                "properties": {
                    "render_seconds": {
                        "type": "number",
                        "description": "seconds per document (default 120)",
                        "exclusiveMinimum": 0,
                        "maximum": 3600,
                    },
                    "render_mib": {
                        "type": "integer",
                        "description": "MiB of Markdown per document (default 256)",
                        "minimum": 1,
                        "maximum": 4096,
                    },
                },
            },
            "procurement": procurement,
            "profile": {
                "type": "object",
                "description": "labels of the municipalities' profile keys (団体別諸元); a key "
                "neither this nor specgen knows is W-PROFILE-KEY",
                "propertyNames": {"pattern": METRIC_NAME_PATTERN},
                "additionalProperties": {
                    "type": "object",
                    "required": ["label"],
                    "additionalProperties": False,
                    "properties": {
                        "label": _text("label in documents, e.g. 年間異動件数", minLength=1),
                        "label_en": _text("English label", minLength=1),
                        "unit": _text("unit printed after a number, e.g. 件", minLength=1),
                    },
                },
            },
            "history": {
                "type": "array",
                "description": "改定履歴: the versions of this document, oldest first",
                "items": {
                    "type": "object",
                    "required": ["version", "date", "description"],
                    "additionalProperties": False,
                    "properties": {
                        "version": _text('version, quoted: "1.0"', minLength=1),
                        "date": date,
                        "description": _text("what changed (改定内容)", minLength=1),
                    },
                },
            },
            "evaluation": {
                "type": "object",
                "description": "how `specgen score` turns answers to optional requirements "
                "into points (FORMAT §9)",
                "additionalProperties": False,
                "properties": {
                    "points": {
                        "type": "number",
                        "description": "points of an optional requirement no other rule "
                        "names (default 1)",
                        "minimum": 0,
                    },
                    "partial": {
                        "type": "number",
                        "description": "share of the points a △ earns (default 0.5)",
                        "minimum": 0,
                        "maximum": 1,
                    },
                    "chapters": {
                        "type": "object",
                        "description": "section number → points of that section, shared "
                        "evenly by its optional requirements",
                        "propertyNames": {"pattern": r"^[0-9]+(\.[0-9]+)*$"},
                        "additionalProperties": {"type": "number", "minimum": 0},
                    },
                    "requirements": {
                        "type": "object",
                        "description": "requirement ID → its points",
                        "propertyNames": {"pattern": ID_PATTERN},
                        "additionalProperties": {"type": "number", "minimum": 0},
                    },
                },
            },
            "metrics": {
                "type": "object",
                "description": "registry of measurable quantities",
                "propertyNames": {"pattern": METRIC_NAME_PATTERN},
                "additionalProperties": metric,
            },
        },
    }


def _catalog_schema() -> Schema:
    requirement: Schema = {
        "type": "object",
        "required": ["id", "title", "statement", "level"],
        "additionalProperties": False,
        "properties": {
            "id": _id("requirement ID, e.g. RES-0010"),
            **_requirement_properties(),
            "formerly": _FORMERLY,
        },
    }
    section: Schema = {
        "type": "object",
        "required": ["id", "title"],
        "additionalProperties": False,
        "properties": {
            "id": _id("section ID, e.g. RES"),
            "title": _text("section title", minLength=1),
            "body": _text("Markdown introduction or narrative text"),
            "requirements": {
                "type": "array",
                "description": "the section's own requirements, before its subsections",
                "items": {"$ref": "#/$defs/requirement"},
            },
            "sections": {
                "type": "array",
                "description": "subsections, any depth",
                "items": {"$ref": "#/$defs/section"},
            },
        },
    }
    return {
        "$schema": DRAFT,
        "$id": "urn:specgen:schema:catalog:1",
        "title": "specgen baseline catalog file (requirements/*.yaml)",
        "type": "object",
        "required": ["specgen", "sections"],
        "additionalProperties": False,
        "properties": {
            **_VERSION_FIELD,
            "sections": {
                "type": "array",
                "description": "the chapters of this file, in document order",
                "items": {"$ref": "#/$defs/section"},
            },
        },
        "$defs": {"section": section, "requirement": requirement},
    }


def _municipality_schema() -> Schema:
    fields = _requirement_properties()
    unset_pattern = "^(?:" + "|".join(REQUIREMENT_FIELDS) + r")$|^metrics\.[a-z][a-z0-9_]*$"
    change: Schema = {
        "type": "object",
        "required": ["op", "reason"],
        "additionalProperties": False,
        "properties": {
            "op": {"enum": ["modify", "exclude", "add"], "description": "modify | exclude | add"},
            "reason": _text("理由: why this municipality differs (required)"),
            "reason_code": {"enum": list(REASON_CODES)},
            "set": {
                "type": "object",
                "description": "modify: fields to set (metrics merge by key)",
                "additionalProperties": False,
                "properties": fields,
            },
            "unset": {
                "type": "array",
                "description": "modify: optional fields to remove, or metrics.NAME",
                "items": {"type": "string", "pattern": unset_pattern},
            },
            "expect": {
                "type": "object",
                "description": "modify: the baseline values this change was written against",
                "additionalProperties": False,
                "properties": fields,
            },
            "section": _id("add: the section the requirement joins"),
            "after": _id("add: the requirement it follows (default: end of the section)"),
            "requirement": {
                "type": "object",
                "description": "add: the new requirement (its id is the key)",
                "required": ["title", "statement", "level"],
                "additionalProperties": False,
                "properties": {**fields, "formerly": _FORMERLY},
            },
        },
        "allOf": [
            {
                "if": {"properties": {"op": {"const": "add"}}, "required": ["op"]},
                "then": {"required": ["section", "requirement"]},
            },
        ],
    }
    return {
        "$schema": DRAFT,
        "$id": "urn:specgen:schema:municipality:1",
        "title": "specgen municipality delta file (municipalities/*.yaml)",
        "type": "object",
        "required": ["specgen", "municipality"],
        "additionalProperties": False,
        "properties": {
            **_VERSION_FIELD,
            "municipality": {
                "type": "object",
                "required": ["code", "name"],
                "additionalProperties": False,
                "properties": {
                    "code": _text(
                        "全国地方公共団体コード: 6 digits with check digit, quoted", minLength=1
                    ),
                    "name": _text("official name, e.g. 輪島市", minLength=1),
                    "name_en": _text("English name", minLength=1),
                    "prefix": _text(
                        "prefix of the IDs this municipality adds, e.g. WJM",
                        pattern=r"^[A-Z][A-Z0-9]*$",
                    ),
                },
            },
            "profile": {
                "type": "object",
                "description": "団体別諸元: free-form scalars shown in the annex",
                "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
            },
            "changes": {
                "type": ["object", "null"],
                "description": "changes keyed by the target ID",
                "propertyNames": {"pattern": ID_PATTERN, "maxLength": 40},
                "additionalProperties": {"$ref": "#/$defs/change"},
            },
        },
        "$defs": {"change": change},
    }


def _output_requirement(extra: dict[str, Schema], required: tuple[str, ...]) -> Schema:
    fields = _requirement_properties()
    fields["statement"] = _text("the statement as rendered: placeholders filled, $${ shown as ${")
    return {
        "type": "object",
        "required": ["id", "section", "title", "statement", "level", "kind", "metrics", *required],
        "additionalProperties": False,
        "properties": {
            "id": _id("requirement ID"),
            "section": _id("the section that holds it"),
            **fields,
            "formerly": {
                "type": "array",
                "description": "the IDs it replaces, when its file names them (formerly:)",
                "items": _id("a replaced ID"),
            },
            **extra,
        },
    }


_NULLABLE_TEXT: Schema = {"type": ["string", "null"]}
_REASON_CODE: Schema = {"enum": [*REASON_CODES, None]}
_MUNICIPALITY_OUT: Schema = {
    "type": "object",
    "required": ["code", "name", "name_en", "prefix", "profile"],
    "additionalProperties": False,
    "properties": {
        "code": _text("全国地方公共団体コード", pattern=r"^[0-9]{6}$"),
        "name": {"type": "string"},
        "name_en": _NULLABLE_TEXT,
        "prefix": _NULLABLE_TEXT,
        "profile": {"type": "object"},
    },
}
_EXCLUDED_OUT: Schema = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "reason", "reason_code", "via"],
        "additionalProperties": False,
        "properties": {
            "id": _id("the excluded requirement"),
            "reason": {"type": "string"},
            "reason_code": _REASON_CODE,
            "via": {"type": ["string", "null"], "description": "the excluded section it fell with"},
        },
    },
}
_CLASS: Schema = {"enum": ["tighten", "relax", "neutral"]}
_NONSTANDARD: Schema = {
    "type": "boolean",
    "description": "標準仕様外: the requirement cites no 機能ID of a national standard",
}
_SHARED: Schema = {
    "type": "object",
    "description": "what the one shared system implements: the governing level and strictest "
    "metrics (the strictest any participant using it needs)",
    "required": ["level", "metrics"],
    "additionalProperties": False,
    "properties": {"level": {"enum": list(LEVELS)}, "metrics": _METRIC_VALUES},
}
_USE: Schema = {
    "type": "object",
    "description": "利用: municipality code → uses | not_used (excluded) | not_applicable "
    "(another participant's addition)",
    "additionalProperties": {"enum": ["uses", "not_used", "not_applicable"]},
}


def _effective_schema() -> Schema:
    step: Schema = {
        "type": "object",
        "required": ["file", "line", "op", "municipality", "class", "reason", "value"],
        "additionalProperties": False,
        "properties": {
            "file": {"type": "string"},
            "line": {"type": "integer", "minimum": 0},
            "op": {"enum": ["baseline", "add", "modify"]},
            "municipality": {"type": ["string", "null"]},
            "class": {"enum": ["tighten", "relax", "neutral", None]},
            "reason": _NULLABLE_TEXT,
            "value": {"description": "the value as written; null when the step unset it"},
        },
    }
    return {
        "$schema": DRAFT,
        "$id": "urn:specgen:schema:effective:1",
        "title": "a municipality's effective catalog (OUT/municipalities/<code>/spec.json)",
        "type": "object",
        "required": ["specgen", "municipality", "requirements", "excluded", "provenance"],
        "additionalProperties": False,
        "properties": {
            **_VERSION_FIELD,
            "municipality": _MUNICIPALITY_OUT,
            "requirements": {
                "type": "array",
                "items": _output_requirement(
                    {
                        "status": {"enum": ["baseline", "modified", "added"]},
                        "nonstandard": _NONSTANDARD,
                        "shared": {**_SHARED, "type": ["object", "null"]},
                    },
                    ("status", "nonstandard", "shared"),
                ),
            },
            "excluded": _EXCLUDED_OUT,
            "provenance": {
                "type": "object",
                "description": "requirement ID → field (metrics as metrics.NAME) → steps, "
                "oldest first",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "minItems": 1, "items": step},
                },
            },
        },
    }


_DATE_OR_NULL: Schema = {"type": ["string", "null"]}
_PROCUREMENT_OUT: Schema = {
    "type": "object",
    "description": "specgen.yaml's procurement block (調達概要); null where not given",
    "required": [
        "subject", "method", "lead", "period", "ceiling_yen", "schedule", "cost_sharing", "contact"
    ],
    "additionalProperties": False,
    "properties": {
        "subject": _NULLABLE_TEXT,
        "method": {"enum": [*PROCUREMENT_METHODS, None]},
        "lead": _NULLABLE_TEXT,
        "period": {
            "type": "object",
            "required": ["from", "to"],
            "additionalProperties": False,
            "properties": {"from": _DATE_OR_NULL, "to": _DATE_OR_NULL},
        },
        "ceiling_yen": {"type": ["integer", "null"]},
        "schedule": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["date", "event"],
                "additionalProperties": False,
                "properties": {"date": {"type": "string"}, "event": {"type": "string"}},
            },
        },
        "cost_sharing": _NULLABLE_TEXT,
        "contact": _NULLABLE_TEXT,
    },
}  # fmt: skip


def _joint_schema() -> Schema:
    change: Schema = {
        "type": "object",
        "required": ["baseline", "value", "class", "joint"],
        "additionalProperties": False,
        "properties": {
            "baseline": {},
            "value": {},
            "class": _CLASS,
            "joint": {
                "description": "what the common part states: the governing value of a level or "
                "strictest metric, else the baseline's"
            },
        },
    }
    annex: Schema = {
        "type": "object",
        "required": ["added", "modified", "excluded", "excluded_sections"],
        "additionalProperties": False,
        "properties": {
            "added": {
                "type": "array",
                "items": _output_requirement(
                    {
                        "after": {"type": ["string", "null"]},
                        "reason": {"type": "string"},
                        "reason_code": _REASON_CODE,
                        "nonstandard": _NONSTANDARD,
                        "use": _USE,
                    },
                    ("after", "reason", "reason_code", "nonstandard", "use"),
                ),
            },
            "modified": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "class", "changes", "reason", "reason_code"],
                    "additionalProperties": False,
                    "properties": {
                        "id": _id("the modified requirement"),
                        "class": _CLASS,
                        "changes": {"type": "object", "additionalProperties": change},
                        "reason": {"type": "string"},
                        "reason_code": _REASON_CODE,
                    },
                },
            },
            "excluded": _EXCLUDED_OUT,
            "excluded_sections": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "reason", "reason_code"],
                    "additionalProperties": False,
                    "properties": {
                        "id": _id("the excluded section"),
                        "reason": {"type": "string"},
                        "reason_code": _REASON_CODE,
                    },
                },
            },
        },
    }
    return {
        "$schema": DRAFT,
        "$id": "urn:specgen:schema:joint:1",
        "title": "the joint model (OUT/joint/spec.json)",
        "type": "object",
        "required": [
            "specgen",
            "project",
            "municipalities",
            "requirements",
            "annexes",
            "per_municipality_metrics",
            "per_municipality_totals",
            "procurement",
        ],
        "additionalProperties": False,
        "properties": {
            **_VERSION_FIELD,
            "project": {"type": "object", "required": ["id", "title", "issuer", "version", "date"]},
            "municipalities": {"type": "array", "items": _MUNICIPALITY_OUT},
            "requirements": {
                "type": "array",
                "items": _output_requirement(
                    {
                        "common": {"type": "boolean"},
                        "differs": {
                            "type": "object",
                            "additionalProperties": {"enum": ["modified", "excluded"]},
                        },
                        "model": {
                            "type": "object",
                            "description": "モデル値: the baseline's level and metrics",
                            "required": ["level", "metrics"],
                            "additionalProperties": False,
                            "properties": {
                                "level": {"enum": list(LEVELS)},
                                "metrics": _METRIC_VALUES,
                            },
                        },
                        "use": _USE,
                        "nonstandard": _NONSTANDARD,
                    },
                    ("common", "differs", "model", "use", "nonstandard"),
                ),
            },
            "annexes": {"type": "object", "additionalProperties": annex},
            "per_municipality_totals": {
                "type": "object",
                "description": "requirement ID → metric → the participants' total, for the "
                "per_municipality metrics whose registry says aggregate: sum",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {"type": "number"},
                },
            },
            "procurement": _PROCUREMENT_OUT,
            "per_municipality_metrics": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "additionalProperties": {"type": "number"},
                    },
                },
            },
        },
    }


def _score_schema() -> Schema:
    counts: Schema = {
        "type": "object",
        "description": "answers of the requirements of one level, both sheets",
        "required": ["○", "△", "×", "blank"],
        "additionalProperties": False,
        "properties": {key: {"type": "integer", "minimum": 0} for key in ("○", "△", "×", "blank")},
    }
    ids: Schema = {"type": "array", "items": {"type": "string"}}
    problem: Schema = {
        "type": "object",
        "required": ["severity", "code", "message", "file", "line", "column", "hint"],
        "additionalProperties": False,
        "properties": {
            "severity": {"enum": ["error", "warning"]},
            "code": {"type": "string", "pattern": "^[EW]-[A-Z-]+$"},
            "message": {"type": "string"},
            "file": {"type": "string"},
            "line": {"type": "integer", "description": "the cell's row (0: the whole file)"},
            "column": {"type": "integer", "description": "the cell's column number"},
            "sheet": {"type": "string"},
            "cell": {"type": "string", "description": "e.g. L12"},
            "hint": {"type": ["string", "null"]},
        },
    }
    form: Schema = {
        "type": "object",
        "required": [
            "file", "vendor", "readable", "valid", "disqualified", "unmet_mandatory",
            "unmet_prohibited", "mandatory", "optional", "prohibited", "optional_coverage",
            "customization_cost_thousand_yen", "nonfunctional_unmet", "partial", "points",
            "max_points",
            "problems",
        ],
        "additionalProperties": False,
        "properties": {
            "file": {"type": "string", "description": "the form as named on the command line"},
            "vendor": {"type": "string", "description": "商号又は名称 from the cover, or empty"},
            "readable": {"type": "boolean"},
            "valid": {
                "type": "boolean",
                "description": "no error: this spec's form, unaltered, answered in ○/△/×",
            },
            "disqualified": {
                "type": "boolean",
                "description": "a mandatory requirement answered × or not at all, or a "
                "実装不可 one answered × or not at all",
            },
            "unmet_mandatory": ids,
            "unmet_prohibited": ids,
            "mandatory": counts,
            "optional": counts,
            "prohibited": counts,
            "optional_coverage": {"type": "number", "minimum": 0, "maximum": 1},
            "customization_cost_thousand_yen": {"type": "number", "minimum": 0},
            "nonfunctional_unmet": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "metric", "target", "achieved"],
                    "additionalProperties": False,
                    "properties": {
                        "id": {"type": "string"},
                        "metric": {"type": "string"},
                        "target": {"type": "number"},
                        "achieved": {"type": "number"},
                    },
                },
            },
            "partial": {
                "type": "array",
                "description": "every △ answer, with its 代替案・補足 and cost",
                "items": {
                    "type": "object",
                    "required": ["id", "alternative", "cost"],
                    "additionalProperties": False,
                    "properties": {
                        "id": {"type": "string"},
                        "alternative": {"type": "string"},
                        "cost": {"type": "number", "minimum": 0},
                    },
                },
            },
            "points": {"type": ["number", "null"], "description": "null when not valid"},
            "max_points": {"type": "number"},
            "problems": {"type": "array", "items": problem},
        },
    }  # fmt: skip
    return {
        "$schema": DRAFT,
        "$id": "urn:specgen:schema:score:1",
        "title": "specgen score --format json: one object per returned response form",
        "type": "array",
        "items": form,
    }


OUTPUT_SCHEMAS: dict[str, Schema] = {
    "joint": _joint_schema(),
    "effective": _effective_schema(),
    "score": _score_schema(),
}


def _town_catalog_schema() -> Schema:
    """A town's complete catalog (the input of `specgen consolidate`): a catalog file with
    the `municipality:` block of a municipality file."""
    catalog, municipality = _catalog_schema(), _municipality_schema()
    properties = catalog["properties"]
    # A town's own catalog has no earlier version to name: formerly: is a project's.
    del catalog["$defs"]["requirement"]["properties"]["formerly"]
    return {
        **catalog,
        "$id": "urn:specgen:schema:town-catalog:1",
        "title": "specgen town catalog (a municipality's complete catalog, for consolidate)",
        "required": ["specgen", "municipality", "sections"],
        "properties": {**properties, "municipality": municipality["properties"]["municipality"]},
    }


INPUT_SCHEMAS: dict[str, Schema] = {
    "project": _project_schema(),
    "catalog": _catalog_schema(),
    "municipality": _municipality_schema(),
    "town-catalog": _town_catalog_schema(),
}


def schema_json(schema: Schema) -> str:
    """The published text of a schema: stable key order, UTF-8, trailing newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def _write_published() -> None:
    here = Path(__file__).parent
    for name, schema in {**INPUT_SCHEMAS, **OUTPUT_SCHEMAS}.items():
        (here / f"{name}.schema.json").write_text(schema_json(schema), encoding="utf-8")


if __name__ == "__main__":
    _write_published()
