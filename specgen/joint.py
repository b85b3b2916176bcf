"""The joint model (単一の仕様書): the common part as stated, and one annex per municipality.

A requirement is common when every participant keeps it unchanged. Its level and `strictest`
metrics are stated as the shared system implements them (specgen.shared): the strictest that a
participant using it needs. A `per_municipality` metric keeps the baseline value and gets a
table of each keeping participant's value. Nothing is lost: `rebuild_effective` recovers each
municipality's effective catalog from the joint model alone, and a test holds it to that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from specgen.merge import (
    Effective,
    Exclusion,
    ModifiedRequirement,
    field_items,
    placed_in_order,
    requirement_with,
)
from specgen.model import Catalog, Change, Municipality, Project, Requirement, Section
from specgen.shared import SharedSystem, shared_system, strictest

__all__ = [
    "Annex",
    "JointRequirement",
    "JointSpec",
    "build_joint",
    "rebuild_effective",
    "strictest",
]

Difference = Literal["modified", "excluded"]


@dataclass(frozen=True, slots=True, kw_only=True)
class JointRequirement:
    """A baseline requirement of the common part: as written, as stated, and who differs."""

    requirement: Requirement
    stated: Requirement
    section: str
    differs: Mapping[str, Difference]

    @property
    def common(self) -> bool:
        return not self.differs


@dataclass(frozen=True, slots=True, kw_only=True)
class Annex:
    """別紙: what one municipality adds, modifies (baseline → its value) and excludes."""

    municipality: Municipality
    added: tuple[Change, ...]
    modified: tuple[ModifiedRequirement, ...]
    excluded: tuple[Exclusion, ...]
    excluded_sections: tuple[Change, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class JointSpec:
    project: Project
    catalog: Catalog
    requirements: tuple[JointRequirement, ...]
    municipalities: tuple[Municipality, ...]
    annexes: tuple[Annex, ...]
    per_municipality_metrics: Mapping[str, Mapping[str, Mapping[str, int | float]]]
    shared: SharedSystem

    def annex(self, code: str) -> Annex:
        return next(a for a in self.annexes if a.municipality.code == code)


def build_joint(
    project: Project,
    baseline: Catalog,
    effective: Iterable[Effective],
    system: SharedSystem | None = None,
) -> JointSpec:
    """The joint model of `baseline` and every participant's effective catalog; `system` is
    what the shared system implements (computed here when not given)."""
    participants = sorted(effective, key=lambda e: e.municipality.code)
    registry = project.metrics
    if system is None:
        system = shared_system(baseline, participants, registry)
    kept: list[dict[str, Requirement]] = [
        {r.id: r for _, r in e.catalog.requirements()} for e in participants
    ]
    requirements: list[JointRequirement] = []
    per_municipality: dict[str, dict[str, dict[str, int | float]]] = {}
    for section, requirement in baseline.requirements():
        differs: dict[str, Difference] = {}
        for result, reqs in zip(participants, kept, strict=True):
            code = result.municipality.code
            if requirement.id not in reqs:
                differs[code] = "excluded"
            elif result.status.get(requirement.id) == "modified":
                differs[code] = "modified"
        shared = system.requirements[requirement.id]
        for name in sorted(
            set(requirement.metrics).union(
                *(r[requirement.id].metrics for r in kept if requirement.id in r)
            )
        ):
            metric = registry.get(name)
            if metric is None or metric.joint != "per_municipality":
                continue
            table = {
                result.municipality.code: reqs[requirement.id].metrics[name]
                for result, reqs in zip(participants, kept, strict=True)
                if requirement.id in reqs and name in reqs[requirement.id].metrics
            }
            if table:
                per_municipality.setdefault(requirement.id, {})[name] = table
        metrics = {**requirement.metrics, **shared.metrics}
        stated = (
            replace(requirement, level=shared.level, metrics=metrics)
            if metrics != requirement.metrics or shared.level != requirement.level
            else requirement
        )
        requirements.append(
            JointRequirement(
                requirement=requirement, stated=stated, section=section.id, differs=differs
            )
        )
    annexes = tuple(_annex(result) for result in participants)
    for annex in annexes:
        for change in annex.added:
            assert change.requirement is not None
            for name, value in sorted(change.requirement.metrics.items()):
                metric = registry.get(name)
                if metric is not None and metric.joint == "per_municipality":
                    per_municipality.setdefault(change.target, {}).setdefault(name, {})[
                        annex.municipality.code
                    ] = value
    return JointSpec(
        project=project,
        catalog=baseline,
        requirements=tuple(requirements),
        municipalities=tuple(r.municipality for r in participants),
        annexes=annexes,
        per_municipality_metrics=per_municipality,
        shared=system,
    )


def _annex(result: Effective) -> Annex:
    return Annex(
        municipality=result.municipality,
        added=tuple(sorted(result.added, key=lambda c: c.target)),
        modified=tuple(sorted(result.modified, key=lambda m: m.change.target)),
        excluded=result.excluded,
        excluded_sections=result.excluded_sections,
    )


def rebuild_effective(joint: JointSpec, code: str) -> Catalog:
    """One municipality's effective catalog, recovered from the joint model alone."""
    annex = joint.annex(code)
    excluded = {e.id for e in annex.excluded}
    excluded_sections = {c.target for c in annex.excluded_sections}
    modified = {m.change.target: m for m in annex.modified}
    placed: dict[tuple[str, str | None], list[Requirement]] = {}
    for change in annex.added:
        assert change.requirement is not None and change.section is not None
        placed.setdefault((change.section, change.after), []).append(change.requirement)

    def rebuild(section: Section) -> Section | None:
        if section.id in excluded_sections:
            return None
        own: list[Requirement] = []
        for requirement in section.requirements:
            if requirement.id not in excluded:
                entry = modified.get(requirement.id)
                own.append(_modified(requirement, entry) if entry else requirement)
            own.extend(placed_in_order(placed, section.id, requirement.id))
        own.extend(placed_in_order(placed, section.id, None))
        children = tuple(c for c in (rebuild(s) for s in section.sections) if c is not None)
        return replace(section, requirements=tuple(own), sections=children)

    sections = tuple(s for s in (rebuild(top) for top in joint.catalog.sections) if s is not None)
    return Catalog(sections=sections)


def _modified(requirement: Requirement, entry: ModifiedRequirement) -> Requirement:
    values: dict[str, Any] = dict(field_items(requirement))
    for change in entry.fields:
        if change.value is None:
            values.pop(change.field, None)
        else:
            values[change.field] = change.value
    return requirement_with(requirement, values)
