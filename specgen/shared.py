"""The one shared system: what it implements (実装) and what each participant uses (利用).

Several municipalities procure one system, so a requirement has one level and one value of each
`strictest` metric: the strictest that any participant using the requirement needs. Every
document states that governing value; a participant's own differing value is its need
(本団体の要求水準), never a competing figure. A `per_municipality` metric has each user's
value and, with `aggregate: sum`, their total. A participant that excludes a requirement does
not use it (利用しない); the system still implements it for the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from specgen import messages as m
from specgen.errors import Diagnostic
from specgen.merge import Effective
from specgen.model import Catalog, FieldPath, Level, Metric, Requirement

__all__ = [
    "Shared",
    "SharedSystem",
    "is_nonstandard",
    "shared_problems",
    "shared_system",
    "standard_chapters",
    "strictest",
]

Use = Literal["uses", "not_used", "not_applicable"]
_LEVEL_RANK = {"optional": 0, "mandatory": 1}
_SHARED_FIELDS = frozenset({"level", "title", "statement"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Shared:
    """One requirement as the shared system implements it, and whose needs decided that."""

    model: Requirement  # the baseline's (or the adding participant's) requirement: モデル値
    level: Level
    metrics: Mapping[str, int | float]  # strictest metrics at the governing value
    set_by: Mapping[str, tuple[str, ...]]  # field path → codes whose need governs (≠ model)
    users: tuple[str, ...]  # codes of the participants that use it
    totals: Mapping[str, int | float]  # `aggregate: sum` per_municipality metrics: the total
    added: bool = False  # a participant's addition, not the baseline's
    conflict: bool = False  # users disagree on 実装不可: the model's level is kept

    def governs(self, path: str) -> bool:
        """Whether `path` has one value for every participant: the level, a strictest metric,
        and the title and statement (what the system does is the common text; a
        participant's rewording is its own requirement, agreed separately)."""
        if path in _SHARED_FIELDS:
            return True
        metric = FieldPath(path).metric
        return metric is not None and metric in self.metrics

    def value(self, path: str) -> object:
        """The governing value of `path` (see `governs`)."""
        if path == "level":
            return self.level
        if path in _SHARED_FIELDS:
            return self.model.get(path)
        metric = FieldPath(path).metric
        return self.metrics.get(metric) if metric is not None else None


@dataclass(frozen=True, slots=True, kw_only=True)
class SharedSystem:
    """Every requirement of the joint procurement (baseline and additions) as implemented."""

    requirements: Mapping[str, Shared]
    participants: tuple[str, ...]  # codes, sorted

    names: Mapping[str, str]  # code → name

    def fingerprint(self) -> str:
        """Text that changes whenever what a participant's own spec shows of the others does:
        every value another participant's need sets, and the participants' names."""
        lines = [f"{code}={name}" for code, name in sorted(self.names.items())]
        for rid, shared in sorted(self.requirements.items()):
            if shared.set_by or shared.conflict or shared.totals:
                lines.append(
                    f"{rid}:{shared.level}:{sorted(shared.metrics.items())}:"
                    f"{sorted(shared.set_by.items())}:{sorted(shared.totals.items())}:"
                    f"{shared.conflict}"
                )
        return "\n".join(lines)

    def use(self, requirement_id: str, code: str) -> Use:
        """利用: whether participant `code` uses the requirement; another's addition is N/A."""
        shared = self.requirements[requirement_id]
        if code in shared.users:
            return "uses"
        return "not_applicable" if shared.added else "not_used"


def shared_system(
    baseline: Catalog, effective: Sequence[Effective], registry: Mapping[str, Metric]
) -> SharedSystem:
    """The governing level and metrics of every requirement, from every participant's catalog.

    A participant's requirement is the baseline's unless it modified it (its record holds the
    result) or excluded it, so only those are looked up: 20,000 requirements × 19
    participants need not be walked.
    """
    participants = sorted(effective, key=lambda e: e.municipality.code)
    codes = [e.municipality.code for e in participants]
    changed: dict[str, dict[str, Requirement | None]] = {}
    for result in participants:
        code = result.municipality.code
        for record in result.modified:
            changed.setdefault(record.change.target, {})[code] = record.requirement
        for exclusion in result.excluded:
            changed.setdefault(exclusion.id, {})[code] = None
    found: dict[str, Shared] = {}
    for _, requirement in baseline.requirements():
        own = changed.get(requirement.id)
        if own is None:
            users = [(code, requirement) for code in codes]
        else:
            users = [(code, r) for code in codes if (r := own.get(code, requirement)) is not None]
        found[requirement.id] = _shared(requirement, users, registry, added=False)
    additions: dict[str, list[tuple[str, Requirement]]] = {}
    for result in participants:
        for change in result.added:
            if change.requirement is not None and change.target not in found:
                additions.setdefault(change.target, []).append(
                    (result.municipality.code, change.requirement)
                )
    for rid, users in sorted(additions.items()):
        found[rid] = _shared(users[0][1], users, registry, added=True)
    return SharedSystem(
        requirements=found,
        participants=tuple(codes),
        names={e.municipality.code: e.municipality.name for e in participants},
    )


def strictest(values: Iterable[int | float], metric: Metric) -> int | float | None:
    """The strictest of `values` by the metric's `better`; None when there are none."""
    pool = list(values)
    if not pool:
        return None
    return min(pool) if metric.better == "lower" else max(pool)


def _shared(
    model: Requirement,
    users: Sequence[tuple[str, Requirement]],
    registry: Mapping[str, Metric],
    *,
    added: bool,
) -> Shared:
    if users and all(r is model for _, r in users):
        return _unchanged(model, users, registry, added=added)
    levels = {r.level for _, r in users} or {model.level}
    conflict = "prohibited" in levels and len(levels) > 1
    if conflict or levels == {"prohibited"}:
        level: Level = model.level if conflict else "prohibited"
    else:
        level = max(levels, key=lambda lv: _LEVEL_RANK[lv])
    set_by: dict[str, tuple[str, ...]] = {}
    if level != model.level and not conflict:
        set_by["level"] = tuple(code for code, r in users if r.level == level)
    metrics: dict[str, int | float] = {}
    totals: dict[str, int | float] = {}
    names = set(model.metrics).union(*(r.metrics for _, r in users))
    for name in sorted(names):
        metric = registry.get(name)
        values = [(code, r.metrics[name]) for code, r in users if name in r.metrics]
        if metric is None:
            continue
        if metric.joint == "per_municipality":
            if metric.aggregate == "sum" and values:
                totals[name] = sum(v for _, v in values)
            continue
        if not values:
            continue
        best = (
            model.metrics.get(name, values[0][1])
            if metric.better == "none"
            else strictest((v for _, v in values), metric)
        )
        assert best is not None
        metrics[name] = best
        if best != model.metrics.get(name):
            set_by[FieldPath.metric_named(name)] = tuple(code for code, v in values if v == best)
    return Shared(
        model=model,
        level=level,
        metrics=metrics,
        set_by=set_by,
        users=tuple(code for code, _ in users),
        totals=totals,
        conflict=conflict,
        added=added,
    )


def _unchanged(
    model: Requirement,
    users: Sequence[tuple[str, Requirement]],
    registry: Mapping[str, Metric],
    *,
    added: bool,
) -> Shared:
    """`_shared` of a requirement every user keeps as the model has it (the common case)."""
    metrics: dict[str, int | float] = {}
    totals: dict[str, int | float] = {}
    for name, value in model.metrics.items():
        metric = registry.get(name)
        if metric is None:
            continue
        if metric.joint == "per_municipality":
            if metric.aggregate == "sum":
                totals[name] = sum(value for _ in users)  # as _shared adds them up
        else:
            metrics[name] = value
    return Shared(
        model=model,
        level=model.level,
        metrics=dict(sorted(metrics.items())),
        set_by={},
        users=tuple(code for code, _ in users),
        totals=totals,
        added=added,
    )


def standard_chapters(baseline: Catalog) -> dict[str, str]:
    """Each section's chapter, for the chapters that hold a requirement citing a 機能ID.

    Such a chapter follows a national standard, whose functions are a closed list: a function
    the standard lacks (標準仕様外) belongs in a chapter of its own.
    """
    found: dict[str, str] = {}
    for chapter in baseline.sections:
        if any(_function_id(r) for s in chapter.walk() for r in s.requirements):
            found.update((s.id, chapter.id) for s in chapter.walk())
    return found


_NOT_FUNCTIONS = ("non_functional", "service")


def is_nonstandard(requirement: Requirement) -> bool:
    """標準仕様外: a function (not a non-functional or service requirement) that cites no
    機能ID of a national standard."""
    return requirement.kind not in _NOT_FUNCTIONS and _function_id(requirement) is None


def _function_id(requirement: Requirement) -> str | None:
    return requirement.standard.function_id if requirement.standard else None


def shared_problems(
    system: SharedSystem, effective: Iterable[Effective], baseline: Catalog
) -> list[Diagnostic]:
    """W-TIGHTEN-COMMON, W-LEVEL-SHARED and E-LEVEL-CONFLICT for each participant's changes of
    what the shared system implements; W-NONSTANDARD for a 標準仕様外 addition placed in a
    chapter of a national standard."""
    found: list[Diagnostic] = []
    names = {e.municipality.code: e.municipality.name for e in effective}
    chapters = standard_chapters(baseline)
    titles = {s.id: s.title for s in baseline.walk_sections()}
    for result in sorted(effective, key=lambda e: e.municipality.code):
        code, name = result.municipality.code, result.municipality.name
        for record in result.modified:
            change = record.change
            shared = system.requirements.get(change.target)
            if shared is None:
                continue
            for f in record.fields:
                if not shared.governs(f.field):
                    continue
                where = change.site("set", f.field)
                others = [names[c] for c in shared.users if c != code]
                if f.field == "level" and shared.conflict:
                    found.append(
                        m.LEVEL_CONFLICT.at(
                            where,
                            id=change.target,
                            name=name,
                            level=m.level_words(f.value),
                            others=", ".join(others) or "-",
                        )
                    )
                elif code in shared.set_by.get(f.field, ()) and f.cls == "tighten" and others:
                    found.append(
                        m.TIGHTENS_COMMON.at(
                            where,
                            id=change.target,
                            name=name,
                            field=m.field_words(f.field),
                            model=_shown(f.baseline, f.field),
                            value=_shown(f.value, f.field),
                        )
                    )
                elif f.field == "level" and f.value != shared.level and f.value != "prohibited":
                    found.append(
                        m.LEVEL_SHARED.at(
                            where,
                            id=change.target,
                            name=name,
                            level=m.level_words(f.value),
                            shared=m.level_words(shared.level),
                            others=", ".join(others) or "-",
                        )
                    )
        for change in result.added:
            requirement = change.requirement
            chapter = chapters.get(change.section or "")
            if requirement is None or chapter is None or not is_nonstandard(requirement):
                continue
            found.append(
                m.NONSTANDARD.at(
                    change.site("section"),
                    id=change.target,
                    name=name,
                    chapter=titles.get(chapter, chapter),
                )
            )
    return found


def _shown(value: object, field: str) -> str:
    if value is None:
        return "(none)"
    return m.level_words(value) if field == "level" else str(value)
