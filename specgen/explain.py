"""`specgen explain`: a requirement's provenance, like `git blame` for one requirement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from specgen import messages as m
from specgen.errors import InvalidInput, Location, UsageError, did_you_mean
from specgen.merge import Effective, Step, baseline_provenance, provenance_of
from specgen.model import Requirement, Standard
from specgen.validate import Validation

__all__ = ["explain_lines"]


def explain_lines(validation: Validation, rid: str, code: str | None = None) -> list[str]:
    """The report for requirement `rid`: every participant's treatment, or one full chain."""
    loaded = validation.input
    baseline = {r.id: (s, r) for s, r in loaded.catalog.requirements()}
    effective = sorted(validation.effective, key=lambda e: e.municipality.code)
    added_by = [e for e in effective if rid in e.status and rid not in baseline]
    if rid not in baseline and not added_by:
        successor = _replaced_by(validation, rid)
        if successor is not None:
            new_id, site = successor
            return [
                f"{rid}: replaced by {new_id} (formerly: {rid}, {site.short()})",
                *explain_lines(validation, new_id, code),
            ]
        known = list(baseline) + [r for e in effective for r in e.status]
        raise InvalidInput(
            [
                m.EXPLAIN_UNKNOWN.at(
                    Location("specgen.yaml"), suggestion=did_you_mean(rid, known), id=rid
                )
            ]
        )
    if code is not None:
        chosen = [e for e in effective if e.municipality.code == code]
        if not chosen:
            codes = ", ".join(e.municipality.code for e in effective)
            raise UsageError(f"--municipality {code}: not a participant (known: {codes})")
        return _chain_report(validation, chosen[0], rid)
    lines: list[str] = []
    if rid in baseline:
        section, requirement = baseline[rid]
        lines.append(f"{rid} {requirement.title}  [{section.id}]  {requirement.location.short()}")
        lines.extend(_formerly_lines(requirement, "  "))
        lines.append("  baseline:")
        for name, chain in baseline_provenance(requirement).items():
            lines.append(
                f"    {name:<24} {_value(chain[0].value)}  ({chain[0].file}:{chain[0].line})"
            )
    else:
        lines.append(f"{rid}: not in the baseline")
    lines.append("  participants:")
    for result in effective:
        lines.extend(_treatment(result, rid))
    lines.extend(_shared_lines(validation, rid))
    return lines


def _shared_lines(validation: Validation, rid: str) -> list[str]:
    """What the one shared system implements, where a participant's need set it."""
    shared = validation.shared.requirements.get(rid) if validation.shared else None
    if shared is None or not shared.set_by:
        return []
    names = validation.shared.names if validation.shared else {}
    lines = ["  shared system (every document states these):"]
    for path, codes in sorted(shared.set_by.items()):
        who = ", ".join(f"{c} {names.get(c, c)}" for c in codes)
        lines.append(f"    {path:<24} {_value(shared.value(path))}  (needed by {who})")
    return lines


def _formerly_lines(requirement: Requirement, indent: str) -> list[str]:
    """The IDs a requirement replaces (`formerly`): a renamed or promoted requirement."""
    return [
        f"{indent}formerly: {old} (the ID it replaces; {requirement.formerly_site(old).short()})"
        for old in requirement.formerly
    ]


def _replaced_by(validation: Validation, rid: str) -> tuple[str, Location] | None:
    """The requirement whose `formerly` names `rid`, and where it says so."""
    loaded = validation.input
    candidates = [r for _, r in loaded.catalog.requirements()] + [
        c.requirement
        for municipality in loaded.municipalities
        for c in municipality.changes
        if c.op == "add" and c.requirement is not None
    ]
    for requirement in candidates:
        if rid in requirement.formerly:
            return requirement.id, requirement.formerly_site(rid)
    return None


def _who(result: Effective) -> str:
    m = result.municipality
    return f"{m.code} {m.name}"


def _treatment(result: Effective, rid: str) -> list[str]:
    status = result.status.get(rid)
    head = f"    {_who(result)}: "
    if status is None:
        exclusion = next((e for e in result.excluded if e.id == rid), None)
        if exclusion is None:
            return [head + "does not have it"]
        via = f" with section {exclusion.via}" if exclusion.via else ""
        return [
            head + f"excluded{via} ({exclusion.change.location.short()})",
            f"      reason: {exclusion.reason}",
        ]
    if status == "baseline":
        return [head + "unchanged"]
    if status == "added":
        change = next(c for c in result.added if c.target == rid)
        assert change.requirement is not None  # an add always carries its requirement
        return [
            head + f"added to {change.section} ({change.location.short()})",
            *_formerly_lines(change.requirement, "      "),
            f"      reason: {change.reason}",
        ]
    modified = next(m for m in result.modified if m.change.target == rid)
    lines = [head + f"modified, {modified.cls} ({modified.change.location.short()})"]
    for f in modified.fields:
        lines.append(f"      {f.field}: {_value(f.baseline)} → {_value(f.value)}  [{f.cls}]")
    lines.append(f"      reason: {modified.change.reason}")
    return lines


def _chain_report(validation: Validation, result: Effective, rid: str) -> list[str]:
    requirement = next((r for _, r in result.catalog.requirements() if r.id == rid), None)
    if requirement is None:
        lines = [f"{rid} in {_who(result)}:"]
        lines.extend(_treatment(result, rid))
        return lines
    status = result.status[rid]
    lines = [f"{rid} {requirement.title} in {_who(result)} ({status})"]
    chains = provenance_of(result, requirement)
    for name, chain in chains.items():
        lines.append(f"  {name}")
        lines.extend(_step(step) for step in chain)
    lines.extend(_shared_lines(validation, rid))
    return lines


def _step(step: Step) -> str:
    where = f"{step.file}:{step.line}"
    who = step.municipality or "-"
    cls = step.cls or ""
    reason = f"  — {step.reason}" if step.reason else ""
    return f"    {where:<40} {step.op:<8} {who:<7} {cls:<8} {_value(step.value)}{reason}"


def _value(value: Any) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, Standard):
        parts: Sequence[str | None] = (value.document, value.version, value.function_id)
        return " ".join(p for p in parts if p)
    if isinstance(value, tuple):
        return "、".join(value)
    text = str(value).replace("\n", "⏎")
    return text if len(text) <= 60 else text[:59] + "…"
