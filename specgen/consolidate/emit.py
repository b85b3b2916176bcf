"""The proposal as the files of a project: YAML in the layout of FORMAT §1, and a report of the
votes. Every change's `reason` is left empty: validation fails (E-NO-REASON) until a person
writes why the town differs."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from specgen.codes import check_digit, official_name
from specgen.consolidate.propose import Proposal
from specgen.model import (
    REQUIREMENT_FIELDS,
    Catalog,
    Change,
    Municipality,
    Requirement,
    Section,
    Standard,
)
from specgen.project import TownCatalog

__all__ = ["project_files", "town_catalog_yaml"]

_HEADER = "# yaml-language-server: $schema=../specgen/schemas/{schema}.schema.json\n"
_TO_WRITE = (
    "# specgen consolidate が提案した個別仕様。各変更の reason（理由）を記入してください。\n"
    "# 空のままでは検証で E-NO-REASON となります。expect は提案時の共通仕様の値です。\n"
)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]  # libyaml's emitter when present
    """Block scalars for text with line breaks, keys in the order given."""


def _text(dumper: Any, value: str) -> Any:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text)


def _dump(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000,
        default_flow_style=False,
    )  # fmt: skip


def _requirement(requirement: Requirement, *, with_id: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": requirement.id} if with_id else {}
    for name in REQUIREMENT_FIELDS:
        value = getattr(requirement, name)
        if name == "metrics":
            if value:
                out["metrics"] = dict(value)
        elif name == "standard" and value is not None:
            out["standard"] = {
                k: getattr(value, k)
                for k in ("document", "version", "function_id", "section")
                if getattr(value, k) is not None
            }
        elif isinstance(value, tuple):
            out[name] = list(value)
        elif value is not None and name != "id" and not (name == "kind" and value == "functional"):
            out[name] = value  # kind: functional is the default, written only when it is not
    return out


def _yaml_value(value: Any) -> Any:
    """A model value as YAML writes it: a Standard as its mapping, a tuple as a list."""
    if isinstance(value, Standard):
        return {
            k: getattr(value, k)
            for k in ("document", "version", "function_id", "section")
            if getattr(value, k) is not None
        }
    if isinstance(value, tuple):
        return [_yaml_value(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _yaml_value(v) for k, v in value.items()}
    return value


def _section(section: Section) -> dict[str, Any]:
    out: dict[str, Any] = {"id": section.id, "title": section.title}
    if section.body is not None:
        out["body"] = section.body
    if section.requirements:
        out["requirements"] = [_requirement(r, with_id=True) for r in section.requirements]
    if section.sections:
        out["sections"] = [_section(s) for s in section.sections]
    return out


def _change(change: Change) -> dict[str, Any]:
    out: dict[str, Any] = {"op": change.op}
    if change.op == "add":
        out["section"] = change.section
        if change.after:
            out["after"] = change.after
        assert change.requirement is not None
        out["requirement"] = _requirement(change.requirement, with_id=False)
    if change.set:
        out["set"] = {k: _yaml_value(v) for k, v in change.set.items()}
    if change.unset:
        out["unset"] = list(change.unset)
    if change.expect:
        out["expect"] = {k: _yaml_value(v) for k, v in change.expect.items()}
    out["reason"] = ""
    return out


def town_catalog_yaml(catalog: Catalog, municipality: Municipality) -> str:
    """A town's complete catalog as `consolidate` reads it (schema town-catalog)."""
    block: dict[str, Any] = {"code": municipality.code, "name": municipality.name}
    if municipality.name_en:
        block["name_en"] = municipality.name_en
    if municipality.prefix:
        block["prefix"] = municipality.prefix
    document = {
        "specgen": 1,
        "municipality": block,
        "sections": [_section(s) for s in catalog.sections],
    }
    return _HEADER.format(schema="town-catalog") + _dump(document)


def _slug(town: TownCatalog) -> str:
    name = town.municipality.name_en or ""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"{town.municipality.code}-{slug}" if slug else town.municipality.code


def project_files(
    proposal: Proposal, *, like: str | None, metrics: Sequence[str]
) -> dict[str, str]:
    """specgen.yaml, requirements/baseline.yaml, municipalities/*.yaml and the report."""
    files: dict[str, str] = {}
    files["specgen.yaml"] = like if like is not None else _project(proposal, metrics)
    files["requirements/baseline.yaml"] = (
        _HEADER.format(schema="catalog")
        + "# specgen consolidate が各団体の要件から提案した共通仕様（FORMAT §7）。\n"
        + _dump({"specgen": 1, "sections": [_section(s) for s in proposal.baseline.sections]})
    )
    for town, changes in proposal.deltas:
        block: dict[str, Any] = {"code": town.municipality.code, "name": town.municipality.name}
        if town.municipality.name_en:
            block["name_en"] = town.municipality.name_en
        if town.municipality.prefix:
            block["prefix"] = town.municipality.prefix
        document: dict[str, Any] = {"specgen": 1, "municipality": block}
        if changes:
            document["changes"] = {c.target: _change(c) for c in changes}
        files[f"municipalities/{_slug(town)}.yaml"] = (
            _HEADER.format(schema="municipality") + _TO_WRITE + _dump(document)
        )
    files["consolidate-report.md"] = _report(proposal)
    return files


def _project(proposal: Proposal, metrics: Sequence[str]) -> str:
    """A specgen.yaml to start from: the towns' prefecture as issuer, metrics to describe."""
    first = proposal.deltas[0][0].municipality.code if proposal.deltas else "170003"
    prefecture = f"{first[:2]}000"
    code = f"{prefecture}{check_digit(prefecture)}"
    document = {
        "specgen": 1,
        "project": {
            "id": "consolidated",
            "title": "共通仕様（統合案）",
            "issuer": {"code": code, "name": official_name(code) or code},
            "version": "0.1",
            "date": "2000-01-01",
        },
        "metrics": {
            name: {"label": name, "unit": "", "better": "none"} for name in sorted(metrics)
        },
    }
    return (
        _HEADER.format(schema="project")
        + "# specgen consolidate の提案。title・date（仮の値）と metrics の label・unit・\n"
        + "# better を記入してください（--like で既存の specgen.yaml を指定すると写します）。\n"
        + _dump(document)
    )


def _report(proposal: Proposal) -> str:
    """What a person checks before adopting the proposal."""
    towns = [t for t, _ in proposal.deltas]
    out = [
        "# consolidate の報告",
        "",
        f"- 団体：{'、'.join(t.municipality.name for t in towns)}（{len(towns)} 団体）",
        f"- 共通仕様に入れる条件：{proposal.quorum} 団体以上が持つ要件",
        f"- 共通仕様の要件：{len(proposal.present)} 件",
        f"- 記入が必要な理由（reason）：{sum(len(c) for _, c in proposal.deltas)} 件",
        "",
        "## 条件に満たず、各団体の追加とした要件",
        "",
    ]
    out += [f"- {rid}：{n} 団体" for rid, n in proposal.below_quorum] or ["（なし）"]
    out += ["", "## 団体の間で値が分かれた項目（多数決）", ""]
    out += ["| 要件ID | 項目 | 票 | 採用 | 同数の扱い |", "| --- | --- | --- | --- | --- |"]
    ties = {"": "－", "stricter": "厳しい方", "canonical": "既定の順"}
    for vote in proposal.votes:
        skip = _shared_start([k for k, _ in vote.counts])
        counts = "、".join(f"{_value(vote.field, k, skip)}（{n}）" for k, n in vote.counts)
        out.append(f"| {vote.id} | {_field(vote.field)} | {counts} | "
                   f"{_value(vote.field, vote.chosen, skip)} | {ties[vote.tie]} |")  # fmt: skip
    out += ["", "## ID が異なるが内容がほぼ同一の要件（対応づけの候補）", ""]
    names = {t.municipality.code: t.municipality.name for t in towns}
    out += [
        f"- {names[m.first[0]]} {m.first[1]} ≈ {names[m.second[0]]} {m.second[1]}"
        f"（類似度 {m.similarity:.2f}）：同じ要件なら ID をそろえてから再実行してください"
        for m in proposal.mappings
    ] or ["（なし）"]
    out += ["", "## 個別仕様で表せない相違", ""]
    out += [f"- {c}" for c in proposal.caveats] or ["（なし）"]
    return "\n".join(out) + "\n"


_FIELDS = {
    "title": "要件名", "statement": "要件内容", "level": "区分", "kind": "種類", "notes": "備考",
    "acceptance": "受入基準", "rationale": "理由・背景", "legal_basis": "根拠法令",
    "standard": "標準仕様書", "tags": "タグ", "section": "節", "section.title": "節の見出し",
    "section.body": "節の本文", "section.parent": "上位の節",
}  # fmt: skip
_LEVELS = {"mandatory": "必須", "optional": "任意", "prohibited": "実装不可"}


def _field(path: str) -> str:
    """A field path as the report names it: 区分, 要件内容, metrics.rto_h …"""
    return _FIELDS.get(path, path)


def _shared_start(keys: Sequence[str]) -> int:
    """Where texts voted on start to differ, less a little context: two long statements that
    differ in their third line are shown from there, not by their common first words."""
    texts = [json.loads(k) for k in keys]
    if len(texts) < 2 or not all(isinstance(t, str) for t in texts):
        return 0
    common = next(
        (i for i, chars in enumerate(zip(*texts, strict=False)) if len(set(chars)) > 1),
        min(len(t) for t in texts),
    )
    return max(0, common - 8) if common > 30 else 0


def _value(path: str, key: str, skip: int = 0) -> str:
    """A voted value (its canonical JSON) as a person reads it: 任意, not "optional"; a long
    text from `skip`, where the variants differ."""
    value = json.loads(key)
    if value is None:
        return "（なし）"
    if path == "level" and value in _LEVELS:
        return _LEVELS[value]
    if isinstance(value, str):
        return _cell(("…" + value[skip:]) if skip else value)
    if isinstance(value, list):
        return _cell("、".join(str(v) for v in value))
    return _cell(
        str(value) if not isinstance(value, dict) else json.dumps(value, ensure_ascii=False)
    )


def _cell(value: str) -> str:
    text = value if len(value) <= 40 else value[:39] + "…"
    return text.replace("|", "\\|").replace("\n", " ")
