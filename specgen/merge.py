"""Applying municipality deltas to the baseline, with provenance recorded as each change applies.

The merge rules (FORMAT.md §5 and §7); each has a test named after it in tests/test_merge.py.

1. rule_changes_commute: changes are keyed by target ID and applied in ID order, so the result
   never depends on file order, dict order or PYTHONHASHSEED.
2. rule_modify_replaces_fields: `set` replaces a field's value; lists are replaced, not merged.
3. rule_metrics_merge_by_key: `set: {metrics: {...}}` changes only the metrics it names;
   `unset: [metrics.NAME]` removes one metric, `unset: [metrics]` all of them.
4. rule_unset_removes_optional_fields: `unset` removes optional fields; a required field
   (title, statement, level) cannot be unset, and `set`/`unset` may not name the same field.
5. rule_expect_guards_baseline: every field (metric) named in `expect` must equal the baseline
   value, else E-STALE-EXPECT: the delta was written against an older baseline.
6. rule_exclude_removes_subtree: `exclude` of a section removes it with everything under it.
7. rule_changes_may_not_touch_exclusions: a modify inside an excluded section, an add into an
   excluded section or after an excluded requirement is E-CHANGE-CONFLICT.
8. rule_add_placement: an added requirement joins its section's own requirement list, right after
   `after` or at the end of the list; several at one place go in ID order.
9. rule_absent_target_fails: a modify or exclude naming an ID the baseline lacks, or an add of
   an ID it has, is an error; a change is never a silent no-op.
10. rule_classification: level optional→mandatory tightens, mandatory→optional relaxes, any move
    to or from prohibited is neutral; a metric by its registry `better` (a new metric tightens,
    an unset one relaxes, `better: none` is neutral); every other field is neutral. A change
    relaxes when any of its fields relaxes (W-RELAX), else tightens when any field tightens.
11. rule_provenance_chain: each field's chain starts at the baseline file:line (or at the
    municipality's add) and gains one step per change; its last value is the effective value.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from specgen import messages as m
from specgen.errors import Diagnostic, Location, did_you_mean
from specgen.model import (
    REQUIRED_FIELDS,
    REQUIREMENT_FIELDS,
    Catalog,
    Change,
    Metric,
    Municipality,
    Requirement,
    Section,
)
from specgen.placeholders import placeholder_names

__all__ = [
    "Effective",
    "Exclusion",
    "FieldChange",
    "ModifiedRequirement",
    "Step",
    "apply_delta",
    "baseline_provenance",
    "classify_field",
    "field_items",
    "requirement_with",
]

Class = Literal["tighten", "relax", "neutral"]
Status = Literal["baseline", "modified", "added"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One link of a provenance chain: where a value came from and why."""

    file: str
    line: int
    op: Literal["baseline", "add", "modify"]
    municipality: str | None
    cls: Class | None
    reason: str | None
    value: Any


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldChange:
    """One field (or one metric, `metrics.NAME`) a modify changed: baseline → value."""

    field: str
    baseline: Any
    value: Any
    cls: Class


@dataclass(frozen=True, slots=True, kw_only=True)
class ModifiedRequirement:
    change: Change
    fields: tuple[FieldChange, ...]
    cls: Class


@dataclass(frozen=True, slots=True, kw_only=True)
class Exclusion:
    """One excluded baseline requirement; `via` names the excluded section it fell with."""

    id: str
    change: Change
    via: str | None

    @property
    def reason(self) -> str:
        return self.change.reason

    @property
    def reason_code(self) -> str | None:
        return self.change.reason_code


@dataclass(frozen=True, slots=True, kw_only=True)
class Effective:
    """One municipality's effective catalog and how it came to be."""

    municipality: Municipality
    catalog: Catalog
    status: Mapping[str, Status]
    excluded: tuple[Exclusion, ...]
    excluded_sections: tuple[Change, ...]
    added: tuple[Change, ...]
    modified: tuple[ModifiedRequirement, ...]
    provenance: Mapping[str, Mapping[str, tuple[Step, ...]]] = field(compare=False)


def field_items(requirement: Requirement) -> Iterator[tuple[str, Any]]:
    """(field, value) for every set field; metrics as one item per `metrics.NAME`."""
    for name in REQUIREMENT_FIELDS:
        value = getattr(requirement, name)
        if name == "metrics":
            for metric in sorted(value):
                yield f"metrics.{metric}", value[metric]
        elif value is not None:
            yield name, value


def classify_field(name: str, old: Any, new: Any, registry: Mapping[str, Metric]) -> Class:
    """Whether changing field `name` from `old` to `new` (None: absent) tightens or relaxes."""
    if name == "level":
        if old == new or "prohibited" in (old, new):
            return "neutral"
        return "tighten" if new == "mandatory" else "relax"
    if name.startswith("metrics."):
        metric = registry.get(name.removeprefix("metrics."))
        if metric is None or metric.better == "none" or old == new:
            return "neutral"
        if old is None:
            return "tighten"
        if new is None:
            return "relax"
        stricter = new < old if metric.better == "lower" else new > old
        return "tighten" if stricter else "relax"
    return "neutral"


def change_class(classes: Iterable[Class]) -> Class:
    seen = set(classes)
    if "relax" in seen:
        return "relax"
    return "tighten" if "tighten" in seen else "neutral"


def baseline_provenance(requirement: Requirement) -> dict[str, tuple[Step, ...]]:
    """The one-step chains of a baseline requirement's fields."""
    return _first_steps(requirement, "baseline", None, None, requirement.location)


def _first_steps(
    requirement: Requirement,
    op: Literal["baseline", "add"],
    municipality: str | None,
    reason: str | None,
    fallback: Location,
) -> dict[str, tuple[Step, ...]]:
    """One chain per field, starting where the requirement was written."""
    chains: dict[str, tuple[Step, ...]] = {}
    for name, value in field_items(requirement):
        where = requirement.locations.get(name, fallback)
        chains[name] = (
            Step(
                file=where.file,
                line=where.line,
                op=op,
                municipality=municipality,
                cls=None,
                reason=reason,
                value=value,
            ),
        )
    return chains


@dataclass
class _Index:
    """Where everything in the baseline is: IDs, parents, and the sections' own lists."""

    requirements: dict[str, Requirement] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    parent: dict[str, str | None] = field(default_factory=dict)
    holder: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, catalog: Catalog) -> _Index:
        index = cls()

        def visit(section: Section, parent: str | None) -> None:
            index.sections.setdefault(section.id, section)
            index.parent.setdefault(section.id, parent)
            for requirement in section.requirements:
                index.requirements.setdefault(requirement.id, requirement)
                index.holder.setdefault(requirement.id, section.id)
            for child in section.sections:
                visit(child, section.id)

        for top in catalog.sections:
            visit(top, None)
        return index

    def ancestors(self, section_id: str | None) -> Iterator[str]:
        while section_id is not None:
            yield section_id
            section_id = self.parent.get(section_id)

    def all_ids(self) -> set[str]:
        return set(self.requirements) | set(self.sections)


_INDEX_CACHE: dict[int, tuple[Catalog, _Index]] = {}


def _index(catalog: Catalog) -> _Index:
    cached = _INDEX_CACHE.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    index = _Index.of(catalog)
    _INDEX_CACHE.clear()
    _INDEX_CACHE[id(catalog)] = (catalog, index)
    return index


class _Problems:
    """Collects one municipality's diagnostics (worded in specgen.messages)."""

    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality
        self.found: list[Diagnostic] = []

    def add(self, diagnostic: Diagnostic) -> None:
        self.found.append(diagnostic)


def apply_delta(
    baseline: Catalog, municipality: Municipality, registry: Mapping[str, Metric]
) -> tuple[Effective, list[Diagnostic]]:
    """The municipality's effective catalog; a change with an error is reported and skipped."""
    index = _index(baseline)
    problems = _Problems(municipality)
    code = municipality.code
    changes = sorted(municipality.changes, key=lambda c: c.target)

    excluded_sections: dict[str, Change] = {}
    excluded_requirements: dict[str, Change] = {}
    for change in changes:
        if change.op == "exclude" and _check_exclude(change, index, problems):
            if change.target in index.sections:
                excluded_sections[change.target] = change
            else:
                excluded_requirements[change.target] = change

    def excluded_by(section_id: str | None) -> str | None:
        return next((s for s in index.ancestors(section_id) if s in excluded_sections), None)

    for change in [*excluded_sections.values(), *excluded_requirements.values()]:
        start = index.holder.get(change.target) or index.parent.get(change.target)
        cover = excluded_by(start)
        if cover is not None:
            problems.add(m.EXCLUSION_COVERED.at(change.location, id=change.target, section=cover))

    modified: dict[str, Requirement] = {}
    modifications: list[ModifiedRequirement] = []
    provenance: dict[str, dict[str, tuple[Step, ...]]] = {}
    additions: list[Change] = []
    for change in changes:
        if not change.reason.strip() and "reason" in change.locations:
            problems.add(m.EMPTY_REASON.at(change.locations["reason"], id=change.target))
        if change.op == "exclude":
            continue
        if change.op == "modify":
            result = _modify(change, index, excluded_by, registry, problems)
            if result is not None:
                requirement, applied, chains = result
                modified[change.target] = requirement
                modifications.append(applied)
                provenance[change.target] = chains
        else:
            added = _check_add(change, index, excluded_by, excluded_requirements, problems)
            if added is not None:
                additions.append(change)
                provenance[change.target] = _added_provenance(change, added, code)
                _check_placeholders(added, registry, problems, change.location)

    placed: dict[tuple[str, str | None], list[Requirement]] = {}
    for change in additions:
        assert change.requirement is not None and change.section is not None
        placed.setdefault((change.section, change.after), []).append(change.requirement)

    exclusions: list[Exclusion] = []
    # Only the sections on the path to a change are rebuilt; the rest are shared as they are.
    touched: set[str] = set()
    for rid in [*modified, *excluded_requirements]:
        touched.update(index.ancestors(index.holder[rid]))
    for section_id, _ in placed:
        touched.update(index.ancestors(section_id))
    for section_id in excluded_sections:
        touched.update(index.ancestors(section_id))

    def rebuild(section: Section) -> Section | None:
        if section.id not in touched:
            return section
        if section.id in excluded_sections:
            change = excluded_sections[section.id]
            exclusions.extend(
                Exclusion(id=r.id, change=change, via=section.id)
                for s in section.walk()
                for r in s.requirements
            )
            return None
        own: list[Requirement] = []
        for requirement in section.requirements:
            if requirement.id in excluded_requirements:
                exclusions.append(
                    Exclusion(
                        id=requirement.id, change=excluded_requirements[requirement.id], via=None
                    )
                )
            else:
                own.append(modified.get(requirement.id, requirement))
            own.extend(placed.get((section.id, requirement.id), ()))
        own.extend(placed.get((section.id, None), ()))
        children = tuple(
            child for child in (rebuild(s) for s in section.sections) if child is not None
        )
        return replace(section, requirements=tuple(own), sections=children)

    sections = tuple(s for s in (rebuild(top) for top in baseline.sections) if s is not None)
    status: dict[str, Status] = {}
    catalog = Catalog(sections=sections)
    for _, requirement in catalog.requirements():
        if requirement.id in modified:
            status[requirement.id] = "modified"
        elif requirement.id in provenance:
            status[requirement.id] = "added"
        else:
            status[requirement.id] = "baseline"
    effective = Effective(
        municipality=municipality,
        catalog=catalog,
        status=status,
        excluded=tuple(exclusions),
        excluded_sections=tuple(excluded_sections[s] for s in sorted(excluded_sections)),
        added=tuple(additions),
        modified=tuple(modifications),
        provenance=provenance,
    )
    return effective, problems.found


def provenance_of(effective: Effective, requirement: Requirement) -> Mapping[str, tuple[Step, ...]]:
    """A requirement's chains: recorded ones for changed requirements, else the baseline's."""
    return effective.provenance.get(requirement.id) or baseline_provenance(requirement)


def _unknown_target(change: Change, index: _Index, problems: _Problems, what: str) -> None:
    candidates = index.requirements if what == "requirement" else index.all_ids()
    problems.add(
        m.UNKNOWN_TARGET.at(
            change.location,
            suggestion=did_you_mean(change.target, candidates),
            op=change.op,
            id=change.target,
            what=what,
        )
    )


def _check_exclude(change: Change, index: _Index, problems: _Problems) -> bool:
    _only_fields(change, ("op", "reason", "reason_code", "key"), problems)
    target = change.target
    if target in index.requirements:
        requirement = index.requirements[target]
        if requirement.level == "mandatory":
            problems.add(
                m.EXCLUDE_MANDATORY.at(change.location, id=target, title=requirement.title)
            )
        return True
    if target in index.sections:
        count = sum(
            r.level == "mandatory" for s in index.sections[target].walk() for r in s.requirements
        )
        if count:
            problems.add(m.EXCLUDE_MANDATORY_SECTION.at(change.location, id=target, count=count))
        return True
    _unknown_target(change, index, problems, "requirement or section")
    return False


def _only_fields(change: Change, allowed: tuple[str, ...], problems: _Problems) -> None:
    for key in ("set", "unset", "expect", "section", "after", "requirement"):
        if key in change.locations and key not in allowed:
            problems.add(
                m.FIELD_OF_OTHER_OP.at(
                    change.locations[key], key=key, op=change.op, id=change.target
                )
            )


def _modify(
    change: Change,
    index: _Index,
    excluded_by: Any,
    registry: Mapping[str, Metric],
    problems: _Problems,
) -> tuple[Requirement, ModifiedRequirement, dict[str, tuple[Step, ...]]] | None:
    _only_fields(change, ("op", "reason", "reason_code", "key", "set", "unset", "expect"), problems)
    target = change.target
    baseline = index.requirements.get(target)
    if baseline is None:
        if target in index.sections:
            problems.add(m.MODIFY_SECTION.at(change.location, id=target))
        else:
            _unknown_target(change, index, problems, "requirement")
        return None
    blocker = excluded_by(index.holder[target])
    if blocker is not None:
        problems.add(m.MODIFY_IN_EXCLUDED.at(change.location, id=target, section=blocker))
        return None
    if not change.set and not change.unset:
        problems.add(m.MODIFY_NOTHING.at(change.location, id=target))
        return None
    ok = True
    set_names = set(change.set)
    set_metrics = set(change.set.get("metrics", {}))
    for name in change.unset:
        where = change.locations.get(f"unset.{name}", change.location)
        if name in REQUIRED_FIELDS:
            problems.add(m.UNSET_REQUIRED.at(where, name=name, id=target))
            ok = False
        elif (
            name in set_names
            or (name.startswith("metrics.") and name.removeprefix("metrics.") in set_metrics)
            or (name == "metrics" and set_metrics)
        ):
            problems.add(m.SET_AND_UNSET.at(where, id=target, name=name))
            ok = False
    ok = _check_expect(change, baseline, problems) and ok
    for metric in sorted(set_metrics):
        if metric not in registry:
            problems.add(
                m.SET_UNKNOWN_METRIC.at(
                    change.locations.get(f"set.metrics.{metric}", change.location),
                    suggestion=did_you_mean(metric, registry),
                    name=metric,
                )
            )
            ok = False
    if not ok:
        return None

    before = dict(field_items(baseline))
    after = dict(before)
    for name, value in change.set.items():
        if name == "metrics":
            for metric, number in value.items():
                after[f"metrics.{metric}"] = number
        else:
            after[name] = value
    for name in change.unset:
        if name == "metrics":
            for key in [k for k in after if k.startswith("metrics.")]:
                del after[key]
        else:
            after.pop(name, None)

    noops: list[str] = []
    touched: list[str] = []
    for name, value in change.set.items():
        if name == "metrics":
            for metric, number in value.items():
                key = f"metrics.{metric}"
                (noops if before.get(key) == number else touched).append(key)
        else:
            (noops if before.get(name) == value else touched).append(name)
    for name in change.unset:
        keys = (
            [k for k in before if k == name or k.startswith(f"{name}.")]
            if name == "metrics"
            else [name]
        )
        present = [k for k in keys if k in before]
        if present:
            touched.extend(present)
        else:
            noops.append(name)
    if noops:
        problems.add(
            m.SETS_SAME_VALUE.at(change.location, id=target, fields=", ".join(sorted(noops)))
        )
    fields = tuple(
        FieldChange(
            field=name,
            baseline=before.get(name),
            value=after.get(name),
            cls=classify_field(name, before.get(name), after.get(name), registry),
        )
        for name in sorted(set(touched), key=_field_order)
    )
    cls = change_class(f.cls for f in fields)
    relaxing = [f.field for f in fields if f.cls == "relax"]
    if relaxing:
        problems.add(m.RELAXES.at(change.location, id=target, fields=", ".join(relaxing)))
    texts = [f.field for f in fields if f.field in ("title", "statement")]
    if texts:
        problems.add(
            m.TEXT_CHANGED.at(
                change.locations.get(f"set.{texts[0]}", change.location),
                id=target,
                fields=" and ".join(texts),
            )
        )

    requirement = requirement_with(baseline, after)
    _check_placeholders(requirement, registry, problems, change.location)
    chains = dict(baseline_provenance(baseline))
    for fc in fields:
        key = f"set.{fc.field}" if fc.value is not None else f"unset.{fc.field}"
        where = change.locations.get(key) or change.locations.get(
            f"unset.{fc.field.split('.')[0]}", change.location
        )
        step = Step(
            file=where.file,
            line=where.line,
            op="modify",
            municipality=problems.municipality.code,
            cls=fc.cls,
            reason=change.reason,
            value=fc.value,
        )
        chains[fc.field] = (*chains.get(fc.field, ()), step)
    return requirement, ModifiedRequirement(change=change, fields=fields, cls=cls), chains


def _field_order(name: str) -> tuple[int, str]:
    head = name.split(".")[0]
    return (REQUIREMENT_FIELDS.index(head) if head in REQUIREMENT_FIELDS else 99, name)


def requirement_with(baseline: Requirement, values: Mapping[str, Any]) -> Requirement:
    """`baseline` with its fields replaced by `values` (the shape of `field_items`)."""
    metrics = {k.removeprefix("metrics."): v for k, v in values.items() if k.startswith("metrics.")}
    plain: dict[str, Any] = {
        name: values.get(name) for name in REQUIREMENT_FIELDS if name != "metrics"
    }
    return replace(baseline, **plain, metrics=metrics)


def _check_expect(change: Change, baseline: Requirement, problems: _Problems) -> bool:
    """E-STALE-EXPECT for every field (every metric) whose baseline value is not the expected."""
    checks: list[tuple[str, Any, Any]] = []
    for name, expected in change.expect.items():
        if name == "metrics":
            checks.extend(
                (f"metrics.{metric}", value, baseline.metrics.get(metric))
                for metric, value in expected.items()
            )
        else:
            checks.append((name, expected, getattr(baseline, name)))
    stale = [(key, expected, actual) for key, expected, actual in checks if expected != actual]
    for key, expected, actual in stale:
        problems.add(
            m.STALE_EXPECT.at(
                change.locations.get(f"expect.{key}", change.location),
                id=change.target,
                field=key,
                expected=_show(expected),
                actual=_show(actual),
            )
        )
    return not stale


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return repr(list(value))
    if isinstance(value, str) and len(value) > 40:
        return repr(value[:40] + "…")
    return repr(value)


def _check_add(
    change: Change,
    index: _Index,
    excluded_by: Any,
    excluded_requirements: Mapping[str, Change],
    problems: _Problems,
) -> Requirement | None:
    _only_fields(
        change,
        ("op", "reason", "reason_code", "key", "section", "after", "requirement"),
        problems,
    )
    target = change.target
    municipality = problems.municipality
    if target in index.requirements or target in index.sections:
        where = (index.requirements.get(target) or index.sections[target]).location
        message = m.ADD_EXISTS_PREFIX if municipality.prefix else m.ADD_EXISTS
        problems.add(
            message.at(change.location, id=target, first=where.short(), prefix=municipality.prefix)
        )
        return None
    if change.requirement is None or change.section is None:
        return None  # the schema has reported what is missing
    section = change.section
    where = change.locations.get("section", change.location)
    if section not in index.sections:
        if section in index.requirements:
            problems.add(
                m.ADD_INTO_REQUIREMENT.at(
                    where, id=target, section=section, holder=index.holder[section]
                )
            )
        else:
            problems.add(
                m.ADD_UNKNOWN_SECTION.at(
                    where,
                    suggestion=did_you_mean(section, index.sections),
                    id=target,
                    section=section,
                )
            )
        return None
    blocker = excluded_by(section)
    if blocker is not None:
        message = m.ADD_INTO_EXCLUDED if blocker == section else m.ADD_INTO_EXCLUDED_BELOW
        problems.add(message.at(where, id=target, section=section, through=blocker))
        return None
    after = change.after
    if after is not None:
        where = change.locations.get("after", change.location)
        if index.holder.get(after) != section:
            if after in index.requirements:
                problems.add(
                    m.AFTER_ELSEWHERE.at(
                        where, id=target, after=after, holder=index.holder[after], section=section
                    )
                )
            else:
                own = [r.id for r in index.sections[section].requirements]
                message = m.AFTER_UNKNOWN if own else m.AFTER_UNKNOWN_EMPTY
                problems.add(
                    message.at(
                        where,
                        suggestion=did_you_mean(after, own),
                        id=target,
                        after=after,
                        section=section,
                        listed=", ".join(own[:8]),
                    )
                )
            return None
        if after in excluded_requirements:
            problems.add(m.AFTER_EXCLUDED.at(where, id=target, after=after))
            return None
    prefix = municipality.prefix
    if prefix and not target.startswith(f"{prefix}-"):
        problems.add(m.ADD_WITHOUT_PREFIX.at(change.location, id=target, prefix=prefix))
    return change.requirement


def _added_provenance(
    change: Change, requirement: Requirement, code: str
) -> dict[str, tuple[Step, ...]]:
    return _first_steps(requirement, "add", code, change.reason, change.location)


def _check_placeholders(
    requirement: Requirement,
    registry: Mapping[str, Metric],
    problems: _Problems,
    fallback: Location,
) -> None:
    check_placeholders(requirement, registry, problems.found, fallback)


def check_placeholders(
    requirement: Requirement,
    registry: Mapping[str, Metric],
    found: list[Diagnostic],
    fallback: Location,
) -> None:
    """E-UNKNOWN-METRIC for metrics outside the registry and `${name}`s the requirement lacks."""
    where = requirement.locations.get("statement", fallback)
    for name in placeholder_names(requirement.statement):
        if name not in registry:
            found.append(
                m.PLACEHOLDER_UNKNOWN.at(
                    where, suggestion=did_you_mean(name, registry), id=requirement.id, name=name
                )
            )
        elif name not in requirement.metrics:
            found.append(m.PLACEHOLDER_UNSET.at(where, id=requirement.id, name=name))
    for name in sorted(requirement.metrics):
        if name not in registry:
            found.append(
                m.METRIC_NOT_REGISTERED.at(
                    requirement.locations.get(f"metrics.{name}", where),
                    suggestion=did_you_mean(name, registry),
                    id=requirement.id,
                    name=name,
                )
            )
