"""The JSON outputs (FORMAT §9): the joint model and each effective catalog, as stable text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from specgen.joint import JointSpec
from specgen.merge import Effective, Step, provenance_of
from specgen.model import (
    REQUIREMENT_FIELDS,
    Metric,
    Municipality,
    Procurement,
    Project,
    Requirement,
    Standard,
)
from specgen.placeholders import fill_placeholders
from specgen.shared import Shared, SharedSystem, is_nonstandard

__all__ = ["dumps", "effective_document", "joint_document", "requirement_document"]

FORMAT_VERSION = 1


def dumps(document: Mapping[str, Any]) -> bytes:
    """UTF-8 JSON with a fixed layout: the same model always gives the same bytes.

    orjson writes exactly what `json.dumps(..., ensure_ascii=False, indent=2)` writes, ten
    times faster: the standard library falls back to its pure-Python encoder when indenting.
    """
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def plain(value: Any) -> Any:
    """A model value as JSON data: tuples as lists, a Standard as its set keys."""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Standard):
        return {
            key: getattr(value, key)
            for key in ("document", "version", "function_id", "section")
            if getattr(value, key) is not None
        }
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    return value


def requirement_document(
    requirement: Requirement,
    section: str,
    registry: Mapping[str, Metric],
    filled: Mapping[str, int | float] | None = None,
) -> dict[str, Any]:
    """id, section, every set field (kind defaulted, statement rendered), metrics; `filled`
    overrides the values the statement's placeholders show (the joint spec's totals)."""
    out: dict[str, Any] = {"id": requirement.id, "section": section}
    for name in REQUIREMENT_FIELDS:
        value = getattr(requirement, name)
        if name == "statement":
            shown = {**requirement.metrics, **filled} if filled else requirement.metrics
            out[name] = fill_placeholders(value, shown, registry)
        elif name == "metrics":
            out[name] = dict(sorted(value.items()))
        elif value is not None:
            out[name] = plain(value)
    if requirement.formerly:  # only when written: the JSON of earlier projects stays as it was
        out["formerly"] = list(requirement.formerly)
    return out


def project_document(project: Project) -> dict[str, Any]:
    issuer = {"code": project.issuer.code, "name": project.issuer.name}
    if project.issuer.name_en:
        issuer["name_en"] = project.issuer.name_en
    return {
        "id": project.id,
        "title": project.title,
        "title_en": project.title_en,
        "issuer": issuer,
        "version": project.version,
        "date": project.date,
        "language": project.language,
        "metrics": {
            name: {
                "label": m.label,
                "label_en": m.label_en,
                "unit": m.unit,
                "better": m.better,
                "joint": m.joint,
                "aggregate": m.aggregate,
            }
            for name, m in sorted(project.metrics.items())
        },
    }


def procurement_document(procurement: Procurement | None) -> dict[str, Any]:
    """The `procurement:` block, every field present (null when not given)."""
    p = procurement or Procurement()
    return {
        "subject": p.subject,
        "method": p.method,
        "lead": p.lead,
        "period": {"from": p.period_from, "to": p.period_to},
        "ceiling_yen": p.ceiling_yen,
        "schedule": [{"date": date, "event": event} for date, event in p.schedule],
        "cost_sharing": p.cost_sharing,
        "contact": p.contact,
    }


def shared_document(shared: Shared) -> dict[str, Any]:
    """What the shared system implements: the governing level and strictest metrics."""
    return {"level": shared.level, "metrics": dict(sorted(shared.metrics.items()))}


def municipality_document(municipality: Municipality) -> dict[str, Any]:
    return {
        "code": municipality.code,
        "name": municipality.name,
        "name_en": municipality.name_en,
        "prefix": municipality.prefix,
        "profile": dict(municipality.profile),
    }


def _step(step: Step) -> dict[str, Any]:
    return {
        "file": step.file,
        "line": step.line,
        "op": step.op,
        "municipality": step.municipality,
        "class": step.cls,
        "reason": step.reason,
        "value": plain(step.value),
    }


def effective_document(
    effective: Effective, project: Project, system: SharedSystem | None = None
) -> dict[str, Any]:
    """OUT/municipalities/<code>/spec.json; `system` gives each requirement's `shared`."""
    registry = project.metrics
    requirements = []
    provenance: dict[str, Any] = {}
    for section, requirement in effective.catalog.requirements():
        entry = requirement_document(requirement, section.id, registry)
        entry["status"] = effective.status[requirement.id]
        entry["nonstandard"] = is_nonstandard(requirement)
        shared = system.requirements.get(requirement.id) if system else None
        entry["shared"] = shared_document(shared) if shared else None
        requirements.append(entry)
        chains = provenance_of(effective, requirement)
        provenance[requirement.id] = {
            name: [_step(step) for step in chain] for name, chain in chains.items()
        }
    return {
        "specgen": FORMAT_VERSION,
        "municipality": municipality_document(effective.municipality),
        "requirements": requirements,
        "excluded": [
            {"id": e.id, "reason": e.reason, "reason_code": e.reason_code, "via": e.via}
            for e in effective.excluded
        ],
        "provenance": provenance,
    }


def joint_document(joint: JointSpec) -> dict[str, Any]:
    """OUT/joint/spec.json."""
    registry = joint.project.metrics
    requirements = []
    system = joint.shared
    codes = [m.code for m in joint.municipalities]
    for item in joint.requirements:
        totals = system.requirements[item.requirement.id].totals
        entry = requirement_document(item.stated, item.section, registry, totals)
        entry["common"] = item.common
        entry["differs"] = dict(sorted(item.differs.items()))
        entry["model"] = {
            "level": item.requirement.level,
            "metrics": dict(sorted(item.requirement.metrics.items())),
        }
        entry["use"] = {code: system.use(item.requirement.id, code) for code in codes}
        entry["nonstandard"] = is_nonstandard(item.requirement)
        requirements.append(entry)
    annexes: dict[str, Any] = {}
    for annex in joint.annexes:
        added = []
        for change in annex.added:
            assert change.requirement is not None and change.section is not None
            entry = requirement_document(change.requirement, change.section, registry)
            entry["after"] = change.after
            entry["reason"] = change.reason
            entry["reason_code"] = change.reason_code
            entry["nonstandard"] = is_nonstandard(change.requirement)
            entry["use"] = {code: system.use(change.target, code) for code in codes}
            added.append(entry)
        annexes[annex.municipality.code] = {
            "added": added,
            "modified": [
                {
                    "id": m.change.target,
                    "class": m.cls,
                    "changes": {
                        f.field: {
                            "baseline": plain(f.baseline),
                            "value": plain(f.value),
                            "class": f.cls,
                            "joint": plain(_stated(system, m.change.target, f.field, f.baseline)),
                        }
                        for f in m.fields
                    },
                    "reason": m.change.reason,
                    "reason_code": m.change.reason_code,
                }
                for m in annex.modified
            ],
            "excluded": [
                {"id": e.id, "reason": e.reason, "reason_code": e.reason_code, "via": e.via}
                for e in annex.excluded
            ],
            "excluded_sections": [
                {"id": c.target, "reason": c.reason, "reason_code": c.reason_code}
                for c in annex.excluded_sections
            ],
        }
    return {
        "specgen": FORMAT_VERSION,
        "project": project_document(joint.project),
        "municipalities": [municipality_document(m) for m in joint.municipalities],
        "requirements": requirements,
        "annexes": annexes,
        "per_municipality_metrics": {
            rid: {name: dict(sorted(table.items())) for name, table in sorted(metrics.items())}
            for rid, metrics in joint.per_municipality_metrics.items()
        },
        "per_municipality_totals": {
            rid: dict(sorted(shared.totals.items()))
            for rid, shared in system.requirements.items()
            if shared.totals
        },
        "procurement": procurement_document(joint.project.procurement),
    }


def _stated(system: SharedSystem, rid: str, path: str, baseline: Any) -> Any:
    """What the joint spec's common part states for `path` of `rid`: the governing value of
    a level or strictest metric, else the baseline's."""
    shared = system.requirements.get(rid)
    return shared.value(path) if shared is not None and shared.governs(path) else baseline
