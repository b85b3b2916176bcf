"""`specgen explain`: a requirement's provenance, like `git blame` for one requirement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from specgen import messages as m
from specgen.errors import InvalidInput, Location, UsageError, did_you_mean
from specgen.labels import labels_for
from specgen.merge import Effective, Step, baseline_provenance, provenance_of
from specgen.model import Requirement, Standard
from specgen.validate import Validation

__all__ = ["explain_lines"]


def explain_lines(
    validation: Validation, rid: str, code: str | None = None, language: str = "en"
) -> list[str]:
    """The report for requirement `rid`: every participant's treatment, or one full chain,
    worded in `language` (the YAML field names stay as written)."""
    return _Explainer(validation, language).lines(rid, code)


class _Explainer:
    """The report's lines in one language."""

    def __init__(self, validation: Validation, language: str) -> None:
        self.validation = validation
        self.language = "ja" if language == "ja" else "en"

    def say(self, key: str, **values: Any) -> str:
        return m.explain_line(key, self.language, **values)

    def value(self, value: Any, field: str = "") -> str:
        if value is None:
            return self.say("unset")
        if field == "level" and self.language == "ja":
            return getattr(m.level_words(value), "ja", str(value))
        return _value(value)

    def word(self, prefix: str, value: str | None) -> str:
        """A class or status as the documents word it in Japanese; in English the YAML
        spelling (`tighten`, `modified`), as explain has always printed it."""
        if not value:
            return ""
        if self.language != "ja":
            return value
        return labels_for("ja").get(f"{prefix}_{value}", value)

    def cls(self, cls: str | None) -> str:
        return self.word("class", cls)

    def lines(self, rid: str, code: str | None) -> list[str]:
        validation = self.validation
        loaded = validation.input
        baseline = {r.id: (s, r) for s, r in loaded.catalog.requirements()}
        effective = sorted(validation.effective, key=lambda e: e.municipality.code)
        added_by = [e for e in effective if rid in e.status and rid not in baseline]
        if rid not in baseline and not added_by:
            successor = _replaced_by(validation, rid)
            if successor is not None:
                new_id, site = successor
                return [
                    self.say("replaced", id=rid, new=new_id, site=site.short()),
                    *self.lines(new_id, code),
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
            return self.chain(chosen[0], rid)
        lines: list[str] = []
        if rid in baseline:
            section, requirement = baseline[rid]
            lines.append(
                f"{rid} {requirement.title}  [{section.id}]  {requirement.location.short()}"
            )
            lines.extend(self.formerly(requirement, "  "))
            lines.append("  " + self.say("baseline"))
            for name, chain in baseline_provenance(requirement).items():
                shown = self.value(chain[0].value, name)
                lines.append(f"    {name:<24} {shown}  ({chain[0].file}:{chain[0].line})")
        else:
            lines.append(self.say("not_baseline", id=rid))
        lines.append("  " + self.say("participants"))
        for result in effective:
            lines.extend(self.treatment(result, rid))
        lines.extend(self.shared(rid))
        return lines

    def shared(self, rid: str) -> list[str]:
        """What the one shared system implements, where a participant's need set it."""
        system = self.validation.shared
        shared = system.requirements.get(rid) if system else None
        if system is None or shared is None or not shared.set_by:
            return []
        lines = ["  " + self.say("shared")]
        for path, codes in sorted(shared.set_by.items()):
            who = ", ".join(f"{c} {system.names.get(c, c)}" for c in codes)
            shown = self.value(shared.value(path), path)
            lines.append(f"    {path:<24} {shown}  {self.say('needed_by', who=who)}")
        return lines

    def formerly(self, requirement: Requirement, indent: str) -> list[str]:
        """The IDs a requirement replaces (`formerly`): a renamed or promoted requirement."""
        return [
            indent + self.say("formerly", old=old, site=requirement.formerly_site(old).short())
            for old in requirement.formerly
        ]

    def treatment(self, result: Effective, rid: str) -> list[str]:
        status = result.status.get(rid)
        head = f"    {_who(result)}: "
        if status is None:
            exclusion = next((e for e in result.excluded if e.id == rid), None)
            if exclusion is None:
                return [head + self.say("absent")]
            via = self.say("with_section", section=exclusion.via) if exclusion.via else ""
            site = exclusion.change.location.short()
            return [
                head + self.say("excluded", via=via, site=site),
                "      " + self.say("reason", reason=exclusion.reason),
            ]
        if status == "baseline":
            return [head + self.say("unchanged")]
        if status == "added":
            change = next(c for c in result.added if c.target == rid)
            assert change.requirement is not None  # an add always carries its requirement
            return [
                head + self.say("added", section=change.section, site=change.location.short()),
                *self.formerly(change.requirement, "      "),
                "      " + self.say("reason", reason=change.reason),
            ]
        modified = next(m for m in result.modified if m.change.target == rid)
        site = modified.change.location.short()
        lines = [head + self.say("modified", cls=self.cls(modified.cls), site=site)]
        for f in modified.fields:
            was, now = self.value(f.baseline, f.field), self.value(f.value, f.field)
            lines.append(f"      {f.field}: {was} → {now}  [{self.cls(f.cls)}]")
        lines.append("      " + self.say("reason", reason=modified.change.reason))
        return lines

    def chain(self, result: Effective, rid: str) -> list[str]:
        requirement = next((r for _, r in result.catalog.requirements() if r.id == rid), None)
        if requirement is None:
            return [self.say("in_town", id=rid, who=_who(result)), *self.treatment(result, rid)]
        status = result.status[rid]
        word = self.word("status", status)
        lines = [self.say("chain", id=rid, title=requirement.title, who=_who(result), status=word)]
        for name, chain in provenance_of(result, requirement).items():
            lines.append(f"  {name}")
            lines.extend(self.step(step, name) for step in chain)
        lines.extend(self.shared(rid))
        return lines

    def step(self, step: Step, field: str) -> str:
        where = f"{step.file}:{step.line}"
        who = step.municipality or "-"
        cls = self.cls(step.cls)
        reason = f"  — {step.reason}" if step.reason else ""
        shown = self.value(step.value, field)
        return f"    {where:<40} {step.op:<8} {who:<7} {cls:<8} {shown}{reason}"


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
