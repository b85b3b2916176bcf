"""Checking loaded documents against the JSON Schemas, with jsonschema's errors turned into
located diagnostics that name the field, what was expected and what was found."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

import fastjsonschema

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

from specgen import messages as m
from specgen.errors import Diagnostic, Location, did_you_mean
from specgen.load import Document, YamlPath
from specgen.messages import Words
from specgen.model import REQUIREMENT_FIELDS
from specgen.schemas.definitions import ID_PATTERN, INPUT_SCHEMAS, OUTPUT_SCHEMAS, schema_json

__all__ = ["INPUT_SCHEMAS", "OUTPUT_SCHEMAS", "SCHEMAS", "check_schema", "schema_json"]

SCHEMAS = {**INPUT_SCHEMAS, **OUTPUT_SCHEMAS}

_NOUNS = {"sections": "section", "requirements": "requirement", "changes": "change"}
_NOUNS_JA = {"sections": "節", "requirements": "要件", "changes": "変更"}


@cache
def _validator(name: str) -> Draft202012Validator:
    # Imported here: jsonschema is only needed once a file is known to be invalid.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(INPUT_SCHEMAS[name])


@cache
def _fast_validator(name: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python by fastjsonschema: ten times faster on valid input.

    It only answers "valid or not"; jsonschema then finds every error with its path. The
    schemas use nothing whose meaning differs between Draft 2020-12 and Draft 7 (a property
    test checks that both agree on mutated files).
    """
    schema = {**INPUT_SCHEMAS[name], "$schema": "http://json-schema.org/draft-07/schema#"}
    return fastjsonschema.compile(schema, use_default=False)


def is_valid(data: Any, name: str) -> bool:
    try:
        _fast_validator(name)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def check_schema(document: Document, name: str) -> list[Diagnostic]:
    """Every schema violation of `document` against the schema called `name`."""
    if document.data is None:
        return [m.EMPTY_FILE.at(Location(document.file, 1, 1))]
    if is_valid(document.data, name):
        return []
    found: list[Diagnostic] = []
    for error in _validator(name).iter_errors(document.data):
        found.extend(_diagnose(document, error))
    return found


def _diagnose(doc: Document, error: ValidationError) -> list[Diagnostic]:
    path: YamlPath = tuple(error.absolute_path)
    kind = error.validator
    value: Any = error.instance
    expected: Any = error.validator_value
    schema: Any = error.schema
    field = _field_name(path)
    # Value errors name the holder of the field; object errors name the object itself.
    holder = path[:-1] if path and isinstance(path[-1], str) else path
    where = _describe(doc, path if kind in ("required", "additionalProperties") else holder)
    if kind == "required":
        present = value if isinstance(value, dict) else {}
        missing = [name for name in expected if name not in present]
        out = []
        for name in missing:
            if path == () and name == "specgen":
                out.append(m.NO_FORMAT_VERSION.at(Location(doc.file, 1, 1)))
            elif len(path) == 2 and path[0] == "changes" and name == "reason":
                out.append(m.NO_REASON_FIELD.at(doc.key_at(path), where=where))
            else:
                out.append(m.MISSING_FIELD.at(doc.key_at(path), where=where, name=name))
        return out
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        out = []
        for key in value:
            if key in allowed:
                continue
            site = doc.key_at((*path, key))
            if key == "id" and path and path[-1] in ("set", "requirement", "expect"):
                out.append(m.ID_IN_CHANGE.at(site, where=where))
            else:
                out.append(
                    m.UNKNOWN_FIELD.at(
                        site,
                        suggestion=did_you_mean(key, allowed),
                        key=key,
                        where=where,
                        allowed=", ".join(allowed),
                    )
                )
        return out
    location = doc.at(path)
    if kind == "type" or (kind == "enum" and not isinstance(value, str | dict | list)):
        expects_text = (
            expected == "string"
            or (isinstance(expected, list) and "string" in expected)
            or (kind == "enum" and all(isinstance(v, str) for v in expected))
        )
        if expects_text and isinstance(value, bool | int | float) and path in doc.raw:
            raw = doc.raw[path]
            found = (
                Words("a boolean", "真偽値")
                if isinstance(value, bool)
                else Words("a number", "数値")
            )
            return [m.QUOTE_IT.at(location, field=field, raw=raw, found=found, value=value)]
        if kind == "enum":
            return [_enum_error(field, where, value, error, location)]
        return [
            m.WRONG_TYPE.at(
                location,
                suggestion=_number_slip(value) if expected in ("number", "integer") else None,
                field=field,
                where=where,
                expected=_type_words(expected),
                found=_type_words(_type_of(value)),
            )
        ]
    if kind == "enum":
        return [_enum_error(field, where, value, error, location)]
    if kind == "const":
        message = m.WRONG_VERSION if field == "specgen" else m.WRONG_CONSTANT
        return [message.at(location, field=field, expected=expected, value=value)]
    if kind == "pattern":
        return [_pattern_error(doc, path, field, where, value, error)]
    if kind in ("minLength", "minItems"):
        return [m.EMPTY_VALUE.at(location, field=field, where=where)]
    if kind == "maxLength":
        return [
            m.TOO_LONG.at(location, field=field, where=where, length=len(value), limit=expected)
        ]
    if kind == "uniqueItems":
        return [m.REPEATED_ITEM.at(location, field=field, where=where)]
    if kind == "propertyNames":
        return []  # reported through the sub-error on the key itself
    return [m.SCHEMA_OTHER.at(location, where=where, detail=error.message)]


# The words the documents print for each value (必須, 除外 …): a clerk types them where the
# file wants the English value. They are not accepted (one spelling keeps files, diffs and
# tools simple), but named in the hint.
_JAPANESE_VALUES = {
    "必須": "mandatory", "任意": "optional", "実装不可": "prohibited",
    "追加": "add", "変更": "modify", "修正": "modify", "除外": "exclude", "利用しない": "exclude",
    "機能要件": "functional", "非機能要件": "non_functional", "帳票要件": "form",
    "データ要件": "data", "連携要件": "interface", "役務要件": "service",
    "強化": "lower", "一般競争入札": "general_competitive", "公募型プロポーザル": "proposal",
    "公募型プロポーザル方式": "proposal", "随意契約": "negotiated",
}  # fmt: skip


def visible(value: str) -> str:
    """`value` as a clerk can read it: a leading or trailing space or tab, and any full-width
    space, named (「exclude（全角スペース）」) instead of escaped as \\u3000."""
    named = value.replace("\u3000", "（全角スペース）").replace("\t", "（タブ）")
    stripped = named.rstrip(" ")
    named = stripped + "（半角スペース）" * (len(named) - len(stripped))
    lead = len(named) - len(named.lstrip(" "))
    return "（半角スペース）" * lead + named.lstrip(" ")


def _enum_error(
    field: str, where: str, value: Any, error: ValidationError, location: Location
) -> Diagnostic:
    options: Any = error.validator_value
    choices = [str(c) for c in options]
    hint: str | Words | None = None
    if isinstance(value, str):
        trimmed = unicodedata.normalize("NFKC", value).strip()
        english = _JAPANESE_VALUES.get(trimmed)
        if english in choices:
            hint = Words(
                f"write {english}: the file takes the English value of {trimmed}",
                f"「{trimmed}」は {english} と書いてください（ファイルには英語の値を書きます）",
            )
        elif trimmed in choices:
            hint = Words(
                f"delete the spaces around it: {trimmed}",
                f"前後の空白を削除して {trimmed} と書いてください",
            )
        else:
            hint = did_you_mean(value, choices)
        value = Words(value, visible(value))
    return m.NOT_ONE_OF.at(
        location, suggestion=hint, field=field, where=where, choices=", ".join(choices), value=value
    )


_NUMBER_WITH_UNIT = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*(\D+)")


def _number_slip(value: Any) -> Words | None:
    """What to type for a number written in full-width digits (２) or with a unit (2秒)."""
    if not isinstance(value, str):
        return None
    plain = unicodedata.normalize("NFKC", value).strip()
    if re.fullmatch(r"[-+]?\d+(?:\.\d+)?", plain):
        return Words(
            f"write the number in half-width digits: {plain}",
            f"数値は半角の数字で {plain} と書いてください",
        )
    if (match := _NUMBER_WITH_UNIT.fullmatch(plain)) is not None:
        number, unit = match.groups()
        return Words(
            f"write the number without its unit: {number} (the unit {unit} is the metric's)",
            f"単位を付けずに {number} と書いてください（単位「{unit}」は specgen.yaml の数値要件に"
            "登録されています）",
        )
    return None


def _pattern_error(
    doc: Document,
    path: YamlPath,
    field: str,
    where: str,
    value: Any,
    error: ValidationError,
) -> Diagnostic:
    # A failing property name arrives with the mapping's path and the key as the instance.
    if error.parent is not None and error.parent.validator == "propertyNames":
        location = doc.key_at((*path, value))
        field = "key"
    else:
        location = doc.at(path)
    if len(path) >= 2 and path[-2] == "unset":
        return m.UNSET_NOT_A_FIELD.at(
            location,
            suggestion=did_you_mean(value, REQUIREMENT_FIELDS),
            where=_describe(doc, path[:-2]),
            value=value,
        )
    if error.validator_value == ID_PATTERN:
        ascii_form = unicodedata.normalize("NFKC", value).replace("ー", "-").replace("‐", "-")
        ascii_form = ascii_form.replace("－", "-").strip()
        shown = Words(value, visible(value)) if isinstance(value, str) else value
        if ascii_form != value and re.match(ID_PATTERN, ascii_form):
            return m.ID_IN_ASCII.at(
                location, field=field, where=where, value=shown, ascii=ascii_form
            )
        return m.NOT_AN_ID.at(location, field=field, where=where, value=shown)
    return m.NO_MATCH.at(
        location, field=field, where=where, pattern=error.validator_value, value=value
    )


def _field_name(path: YamlPath) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "file"


def _describe(doc: Document, path: YamlPath) -> Words:
    """A reader's name for the thing at `path`: "requirement 'RES-0010' (standard)" /
    「要件「RES-0010」（standard）」."""
    node: Any = doc.data
    label = label_ja = ""
    rest: list[str] = []
    for i, part in enumerate(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        container = path[i - 1] if i else None
        if isinstance(container, str) and container in _NOUNS:
            noun, noun_ja = _NOUNS[container], _NOUNS_JA[container]
            if isinstance(part, str):
                name = part
            elif isinstance(node, dict) and isinstance(node.get("id"), str):
                name = node["id"]
            else:
                name = ""
            number = part + 1 if isinstance(part, int) else 0
            label = f"{noun} '{name}'" if name else f"{noun} #{number}"
            label_ja = f"{noun_ja}「{name}」" if name else f"{number}番目の{noun_ja}"
            rest = []
        elif isinstance(part, str) and part not in _NOUNS:
            rest.append(part)
    dotted = ".".join(rest)
    if not label:
        return Words(dotted, dotted) if rest else Words("the file", "ファイル")
    if rest:
        return Words(f"{label} ({dotted})", f"{label_ja}（{dotted}）")
    return Words(label, label_ja)


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


_TYPE_WORDS = {
    "string": ("text", "文字列"),
    "number": ("a number", "数値"),
    "integer": ("a whole number", "整数"),
    "boolean": ("true or false", "true 又は false"),
    "array": ("a list", "リスト"),
    "object": ("a mapping", "マッピング"),
    "null": ("empty", "空"),
}


def _type_words(expected: Any) -> Words:
    kinds = expected if isinstance(expected, list) else [expected]
    words = [_TYPE_WORDS.get(kind, (str(kind), str(kind))) for kind in kinds]
    return Words(" or ".join(en for en, _ in words), "又は".join(ja for _, ja in words))
