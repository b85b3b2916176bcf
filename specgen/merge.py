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

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from specgen import messages as m
from specgen.errors import Diagnostic, Location, did_you_mean
from specgen.model import (
    REQUIRED_FIELDS,
    REQUIREMENT_FIELDS,
    Catalog,
    Change,
    FieldPath,
    Metric,
    Municipality,
    Requirement,
    Section,
)
from specgen.placeholders import placeholder_names

__all__ = [
    "Baseline",
    "Effective",
    "Exclusion",
    "Exclusions",
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
    requirement: Requirement  # the requirement after the change


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


def field_items(requirement: Requirement) -> Iterator[tuple[FieldPath, Any]]:
    """(path, value) for every set field; metrics as one item per `metrics.NAME`."""
    for name in REQUIREMENT_FIELDS:
        value = getattr(requirement, name)
        if name == "metrics":
            for metric in sorted(value):
                yield FieldPath.metric_named(metric), value[metric]
        elif value is not None:
            yield FieldPath(name), value


def classify_field(name: str, old: Any, new: Any, registry: Mapping[str, Metric]) -> Class:
    """Whether changing field `name` from `old` to `new` (None: absent) tightens or relaxes."""
    path = FieldPath(name)
    if path == "level":
        if old == new or "prohibited" in (old, new):
            return "neutral"
        return "tighten" if new == "mandatory" else "relax"
    if path.metric is not None:
        metric = registry.get(path.metric)
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
        chains[str(name)] = (  # plain str keys: the JSON writer takes no subclass
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


@dataclass(frozen=True, slots=True)
class Baseline:
    """The baseline catalog and where everything in it is: IDs, parents, the sections' own
    lists. Built once per project and passed to every municipality's merge."""

    catalog: Catalog
    requirements: Mapping[str, Requirement]
    sections: Mapping[str, Section]
    parent: Mapping[str, str | None]
    holder: Mapping[str, str]  # requirement ID → the section whose own list holds it

    @classmethod
    def of(cls, catalog: Catalog) -> Baseline:
        requirements: dict[str, Requirement] = {}
        sections: dict[str, Section] = {}
        parent: dict[str, str | None] = {}
        holder: dict[str, str] = {}
        pending: list[tuple[Section, str | None]] = [(top, None) for top in catalog.sections]
        pending.reverse()
        while pending:  # depth first, in document order; the first definition of an ID wins
            section, above = pending.pop()
            sections.setdefault(section.id, section)
            parent.setdefault(section.id, above)
            for requirement in section.requirements:
                requirements.setdefault(requirement.id, requirement)
                holder.setdefault(requirement.id, section.id)
            pending.extend((child, section.id) for child in reversed(section.sections))
        return cls(catalog, requirements, sections, parent, holder)

    def ancestors(self, section_id: str | None) -> Iterator[str]:
        """The section and those above it, innermost first."""
        while section_id is not None:
            yield section_id
            section_id = self.parent.get(section_id)

    def all_ids(self) -> set[str]:
        return set(self.requirements) | set(self.sections)

    def mandatory_under(self, section_id: str) -> int:
        return sum(
            r.level == "mandatory" for s in self.sections[section_id].walk() for r in s.requirements
        )


@dataclass(frozen=True, slots=True)
class Exclusions:
    """What one municipality excludes, each entry with its change."""

    baseline: Baseline
    sections: Mapping[str, Change]
    requirements: Mapping[str, Change]

    def covering(self, section_id: str | None) -> str | None:
        """The excluded section that `section_id` is or lies in, if any."""
        return next((s for s in self.baseline.ancestors(section_id) if s in self.sections), None)


class _Problems:
    """Collects one municipality's diagnostics (worded in specgen.messages)."""

    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality
        self.found: list[Diagnostic] = []

    def add(self, diagnostic: Diagnostic) -> None:
        self.found.append(diagnostic)


Chains = dict[str, tuple[Step, ...]]


@dataclass(frozen=True, slots=True)
class _Modified:
    """A modify that applied: the new requirement, what changed, and its fields' chains."""

    requirement: Requirement
    record: ModifiedRequirement
    chains: Chains


def apply_delta(
    baseline: Baseline, municipality: Municipality, registry: Mapping[str, Metric]
) -> tuple[Effective, list[Diagnostic]]:
    """The municipality's effective catalog; a change with an error is reported and skipped.

    The steps: read the exclusions, warn of those another covers, apply each modify and add
    in ID order, place the additions, rebuild the sections a change touches.
    """
    problems = _Problems(municipality)
    changes = sorted(municipality.changes, key=lambda c: c.target)
    exclusions = _exclusions(changes, baseline, problems)
    _warn_covered_exclusions(exclusions, baseline, problems)
    modified: dict[str, _Modified] = {}
    additions: list[Change] = []
    provenance: dict[str, Chains] = {}
    for change in changes:
        if not change.reason.strip() and "reason" in change.locations:
            problems.add(m.EMPTY_REASON.at(change.site("reason"), id=change.target))
        if change.op == "modify":
            result = _modify(change, baseline, exclusions, registry, problems)
            if result is not None:
                modified[change.target] = result
                provenance[change.target] = result.chains
        elif change.op == "add":
            added = _check_add(change, baseline, exclusions, problems, changes)
            if added is not None:
                additions.append(change)
                provenance[change.target] = _first_steps(
                    added, "add", municipality.code, change.reason, change.location
                )
                _check_placeholders(added, registry, problems, change.location)
    rebuild = _Rebuild(
        baseline,
        exclusions,
        {rid: result.requirement for rid, result in modified.items()},
        _placements(additions),
    )
    catalog, excluded = rebuild.catalog()
    effective = Effective(
        municipality=municipality,
        catalog=catalog,
        status=_statuses(baseline, excluded, modified, additions),
        excluded=excluded,
        excluded_sections=tuple(exclusions.sections[s] for s in sorted(exclusions.sections)),
        added=tuple(additions),
        modified=tuple(result.record for result in modified.values()),
        provenance=provenance,
    )
    return effective, problems.found


def _exclusions(changes: Iterable[Change], baseline: Baseline, problems: _Problems) -> Exclusions:
    sections: dict[str, Change] = {}
    requirements: dict[str, Change] = {}
    for change in changes:
        if change.op == "exclude" and _check_exclude(change, baseline, problems):
            if change.target in baseline.sections:
                sections[change.target] = change
            else:
                requirements[change.target] = change
    return Exclusions(baseline, sections, requirements)


def _warn_covered_exclusions(
    exclusions: Exclusions, baseline: Baseline, problems: _Problems
) -> None:
    """W-NOOP for an exclusion that an excluded section above it already makes."""
    for change in [*exclusions.sections.values(), *exclusions.requirements.values()]:
        start = baseline.holder.get(change.target) or baseline.parent.get(change.target)
        cover = exclusions.covering(start)
        if cover is not None:
            problems.add(m.EXCLUSION_COVERED.at(change.location, id=change.target, section=cover))


def _after_own_addition(change: Change, changes: Sequence[Change]) -> bool:
    """Whether `after` names another addition of the same municipality into the same section
    whose own chain of `after`s ends at a baseline requirement or the section's end (never
    back at `change`): it is then placed right after that addition."""
    adds = {c.target: c for c in changes if c.op == "add"}
    seen = {change.target}
    current = adds.get(change.after or "")
    while current is not None and current.section == change.section:
        if current.target in seen:
            return False
        seen.add(current.target)
        if current.after is None or current.after not in adds:
            return True
        current = adds[current.after]
    return False


def placed_in_order(
    placed: Mapping[tuple[str, str | None], Sequence[Requirement]], section: str, after: str | None
) -> list[Requirement]:
    """The additions placed after `after` in `section`, each followed by those placed after
    it (a municipality may place an addition after its own)."""
    out: list[Requirement] = []
    for requirement in placed.get((section, after), ()):
        out.append(requirement)
        out.extend(placed_in_order(placed, section, requirement.id))
    return out


def _placements(additions: Iterable[Change]) -> dict[tuple[str, str | None], list[Requirement]]:
    """Added requirements by (section, the requirement they follow; None: at the end)."""
    placed: dict[tuple[str, str | None], list[Requirement]] = {}
    for change in additions:
        assert change.requirement is not None and change.section is not None
        placed.setdefault((change.section, change.after), []).append(change.requirement)
    return placed


@dataclass(frozen=True, slots=True)
class _Rebuild:
    """The effective sections: only those on the path to a change are rebuilt, the others are
    shared as they are."""

    baseline: Baseline
    exclusions: Exclusions
    modified: Mapping[str, Requirement]
    placed: Mapping[tuple[str, str | None], list[Requirement]]

    def catalog(self) -> tuple[Catalog, tuple[Exclusion, ...]]:
        touched = self._touched()
        sections: list[Section] = []
        excluded: list[Exclusion] = []
        for top in self.baseline.catalog.sections:
            section, gone = self._section(top, touched)
            excluded.extend(gone)
            if section is not None:
                sections.append(section)
        return Catalog(sections=tuple(sections)), tuple(excluded)

    def _touched(self) -> set[str]:
        touched: set[str] = set()
        holder, ancestors = self.baseline.holder, self.baseline.ancestors
        for rid in [*self.modified, *self.exclusions.requirements]:
            touched.update(ancestors(holder[rid]))
        for section_id, _ in self.placed:
            touched.update(ancestors(section_id))
        for section_id in self.exclusions.sections:
            touched.update(ancestors(section_id))
        return touched

    def _section(
        self, section: Section, touched: set[str]
    ) -> tuple[Section | None, list[Exclusion]]:
        """The section as the municipality has it (None: excluded), and what it excluded."""
        if section.id not in touched:
            return section, []
        if section.id in self.exclusions.sections:
            change = self.exclusions.sections[section.id]
            gone = [
                Exclusion(id=r.id, change=change, via=section.id)
                for s in section.walk()
                for r in s.requirements
            ]
            return None, gone
        own: list[Requirement] = []
        excluded: list[Exclusion] = []
        for requirement in section.requirements:
            exclusion = self.exclusions.requirements.get(requirement.id)
            if exclusion is not None:
                excluded.append(Exclusion(id=requirement.id, change=exclusion, via=None))
            else:
                own.append(self.modified.get(requirement.id, requirement))
            own.extend(placed_in_order(self.placed, section.id, requirement.id))
        own.extend(placed_in_order(self.placed, section.id, None))
        children: list[Section] = []
        for child in section.sections:
            kept, gone = self._section(child, touched)
            excluded.extend(gone)
            if kept is not None:
                children.append(kept)
        return replace(section, requirements=tuple(own), sections=tuple(children)), excluded


def _statuses(
    baseline: Baseline,
    excluded: Iterable[Exclusion],
    modified: Iterable[str],
    additions: Iterable[Change],
) -> dict[str, Status]:
    """Each effective requirement's status, looked up by ID (the order is the baseline's)."""
    gone = {exclusion.id for exclusion in excluded}
    status: dict[str, Status] = dict.fromkeys(
        (rid for rid in baseline.requirements if rid not in gone), "baseline"
    )
    status.update(dict.fromkeys(modified, "modified"))
    status.update((change.target, "added") for change in additions)
    return status


def provenance_of(effective: Effective, requirement: Requirement) -> Mapping[str, tuple[Step, ...]]:
    """A requirement's chains: recorded ones for changed requirements, else the baseline's."""
    return effective.provenance.get(requirement.id) or baseline_provenance(requirement)


_WHAT_JA = {"requirement": "要件", "requirement or section": "要件又は節"}


def _unknown_target(change: Change, baseline: Baseline, problems: _Problems, what: str) -> None:
    candidates = baseline.requirements if what == "requirement" else baseline.all_ids()
    problems.add(
        m.UNKNOWN_TARGET.at(
            change.location,
            suggestion=did_you_mean(change.target, candidates),
            op=change.op,
            id=change.target,
            what=m.Words(what, _WHAT_JA.get(what, what)),
        )
    )


def _check_exclude(change: Change, baseline: Baseline, problems: _Problems) -> bool:
    _only_fields(change, ("op", "reason", "reason_code", "key"), problems)
    target = change.target
    if target in baseline.requirements:
        requirement = baseline.requirements[target]
        if requirement.level == "mandatory":
            problems.add(
                m.EXCLUDE_MANDATORY.at(change.location, id=target, title=requirement.title)
            )
        return True
    if target in baseline.sections:
        count = baseline.mandatory_under(target)
        if count:
            problems.add(m.EXCLUDE_MANDATORY_SECTION.at(change.location, id=target, count=count))
        return True
    _unknown_target(change, baseline, problems, "requirement or section")
    return False


def _only_fields(change: Change, allowed: tuple[str, ...], problems: _Problems) -> None:
    for key in ("set", "unset", "expect", "section", "after", "requirement"):
        if key in change.locations and key not in allowed:
            problems.add(
                m.FIELD_OF_OTHER_OP.at(change.site(key), key=key, op=change.op, id=change.target)
            )


# -- modify, in steps ------------------------------------------------------------------------


def _modify(
    change: Change,
    baseline: Baseline,
    exclusions: Exclusions,
    registry: Mapping[str, Metric],
    problems: _Problems,
) -> _Modified | None:
    """Apply one modify: check it, compute the new values, classify and warn, record the
    provenance. None when it has an error (reported)."""
    _only_fields(change, ("op", "reason", "reason_code", "key", "set", "unset", "expect"), problems)
    original = _modify_target(change, baseline, exclusions, problems)
    if original is None or not _modify_is_sound(change, original, registry, problems):
        return None
    before = dict(field_items(original))
    after = _values_after(change, before)
    touched = _touched_paths(change, before, problems)
    fields = tuple(
        FieldChange(
            field=str(path),
            baseline=before.get(path),
            value=after.get(path),
            cls=classify_field(path, before.get(path), after.get(path), registry),
        )
        for path in sorted(set(touched), key=FieldPath.order)
    )
    _warn_of_changes(change, fields, problems)
    requirement = requirement_with(original, after)
    _check_placeholders(requirement, registry, problems, change.location)
    record = ModifiedRequirement(
        change=change,
        fields=fields,
        cls=change_class(f.cls for f in fields),
        requirement=requirement,
    )
    chains = _modified_chains(change, original, fields, problems.municipality.code)
    return _Modified(requirement, record, chains)


def _modify_target(
    change: Change, baseline: Baseline, exclusions: Exclusions, problems: _Problems
) -> Requirement | None:
    """The baseline requirement a modify changes, if it may change it."""
    target = change.target
    original = baseline.requirements.get(target)
    if original is None:
        if target in baseline.sections:
            problems.add(m.MODIFY_SECTION.at(change.location, id=target))
        else:
            _unknown_target(change, baseline, problems, "requirement")
        return None
    blocker = exclusions.covering(baseline.holder[target])
    if blocker is not None:
        problems.add(m.MODIFY_IN_EXCLUDED.at(change.location, id=target, section=blocker))
        return None
    if not change.set and not change.unset:
        written = any(key.startswith(("set.", "unset.")) for key in change.locations)
        if not written:  # a set or unset written but invalid has its own diagnostic already
            problems.add(m.MODIFY_NOTHING.at(change.location, id=target))
        return None
    return original


def _modify_is_sound(
    change: Change, original: Requirement, registry: Mapping[str, Metric], problems: _Problems
) -> bool:
    """Required fields kept, no field both set and unset, `expect` current, metrics known."""
    ok = True
    set_metrics = set(change.set.get("metrics", {}))
    for name in change.unset:
        path = FieldPath(name)
        where = change.site("unset", name)
        if name in REQUIRED_FIELDS:
            problems.add(m.UNSET_REQUIRED.at(where, name=name, id=change.target))
            ok = False
        elif (
            name in change.set or path.metric in set_metrics or (name == "metrics" and set_metrics)
        ):
            problems.add(m.SET_AND_UNSET.at(where, id=change.target, name=name))
            ok = False
    ok = _check_expect(change, original, problems) and ok
    for metric in sorted(set_metrics):
        if metric not in registry:
            problems.add(
                m.SET_UNKNOWN_METRIC.at(
                    change.site("set", FieldPath.metric_named(metric)),
                    suggestion=did_you_mean(metric, registry),
                    name=metric,
                )
            )
            ok = False
    return ok


def _values_after(change: Change, before: Mapping[FieldPath, Any]) -> dict[FieldPath, Any]:
    """The requirement's values (as `field_items` gives them) once `set` and `unset` apply."""
    after = dict(before)
    for name, value in change.set.items():
        if name == "metrics":
            for metric, number in value.items():
                after[FieldPath.metric_named(metric)] = number
        else:
            after[FieldPath(name)] = value
    for name in change.unset:
        if name == "metrics":
            for path in [p for p in after if p.metric is not None]:
                del after[path]
        else:
            after.pop(FieldPath(name), None)
    return after


def _touched_paths(
    change: Change, before: Mapping[FieldPath, Any], problems: _Problems
) -> list[FieldPath]:
    """The paths a modify changes; W-NOOP for what it sets to the value already there."""
    noops: list[str] = []
    touched: list[FieldPath] = []
    for name, value in change.set.items():
        if name == "metrics":
            for metric, number in value.items():
                path = FieldPath.metric_named(metric)
                (noops if before.get(path) == number else touched).append(path)
        else:
            (noops if before.get(FieldPath(name)) == value else touched).append(FieldPath(name))
    for name in change.unset:
        if name == "metrics":
            present = [p for p in before if p.metric is not None]
        else:
            present = [p for p in (FieldPath(name),) if p in before]
        if present:
            touched.extend(present)
        else:
            noops.append(name)
    if noops:
        problems.add(
            m.SETS_SAME_VALUE.at(change.location, id=change.target, fields=", ".join(sorted(noops)))
        )
    return touched


def _warn_of_changes(change: Change, fields: Sequence[FieldChange], problems: _Problems) -> None:
    """W-RELAX for a relaxation, W-TEXT-CHANGED for a replaced title or statement."""
    relaxing = [f.field for f in fields if f.cls == "relax"]
    if relaxing:
        problems.add(m.RELAXES.at(change.location, id=change.target, fields=", ".join(relaxing)))
    texts = [f.field for f in fields if f.field in ("title", "statement")]
    if texts:
        problems.add(
            m.TEXT_CHANGED.at(
                change.site("set", texts[0]), id=change.target, fields=" and ".join(texts)
            )
        )


def _modified_chains(
    change: Change, original: Requirement, fields: Sequence[FieldChange], code: str
) -> Chains:
    """The baseline's chains, one step longer for each field the modify changed."""
    chains = dict(baseline_provenance(original))
    for fc in fields:
        path = FieldPath(fc.field)
        if fc.value is not None:
            where = change.site("set", path)
        else:  # `unset: [metrics]` is written once for all the metrics it removes
            where = change.locations.get(f"unset.{path}") or change.site("unset", path.field)
        step = Step(
            file=where.file,
            line=where.line,
            op="modify",
            municipality=code,
            cls=fc.cls,
            reason=change.reason,
            value=fc.value,
        )
        chains[fc.field] = (*chains.get(fc.field, ()), step)
    return chains


def requirement_with(
    baseline: Requirement, values: Mapping[FieldPath, Any] | Mapping[str, Any]
) -> Requirement:
    """`baseline` with its fields replaced by `values` (the shape of `field_items`)."""
    paths = {FieldPath(k): v for k, v in values.items()}
    metrics = {p.metric: v for p, v in paths.items() if p.metric is not None}
    plain: dict[str, Any] = {
        name: paths.get(FieldPath(name)) for name in REQUIREMENT_FIELDS if name != "metrics"
    }
    return replace(baseline, **plain, metrics=metrics)


def _check_expect(change: Change, baseline: Requirement, problems: _Problems) -> bool:
    """E-STALE-EXPECT for every field (every metric) whose baseline value is not the expected."""
    checks: list[tuple[FieldPath, Any, Any]] = []
    for name, expected in change.expect.items():
        if name == "metrics":
            checks.extend(
                (FieldPath.metric_named(metric), value, baseline.metrics.get(metric))
                for metric, value in expected.items()
            )
        else:
            checks.append((FieldPath(name), expected, getattr(baseline, name)))
    stale = [(path, expected, actual) for path, expected, actual in checks if expected != actual]
    for path, expected, actual in stale:
        problems.add(
            m.STALE_EXPECT.at(
                change.site("expect", path),
                id=change.target,
                field=path,
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
    baseline: Baseline,
    exclusions: Exclusions,
    problems: _Problems,
    changes: Sequence[Change] = (),
) -> Requirement | None:
    _only_fields(
        change,
        ("op", "reason", "reason_code", "key", "section", "after", "requirement"),
        problems,
    )
    target = change.target
    municipality = problems.municipality
    if target in baseline.requirements or target in baseline.sections:
        where = (baseline.requirements.get(target) or baseline.sections[target]).location
        message = m.ADD_EXISTS_PREFIX if municipality.prefix else m.ADD_EXISTS
        problems.add(
            message.at(change.location, id=target, first=where.short(), prefix=municipality.prefix)
        )
        return None
    if change.requirement is None or change.section is None:
        return None  # the schema has reported what is missing
    section = change.section
    where = change.site("section")
    if section not in baseline.sections:
        if section in baseline.requirements:
            problems.add(
                m.ADD_INTO_REQUIREMENT.at(
                    where, id=target, section=section, holder=baseline.holder[section]
                )
            )
        else:
            problems.add(
                m.ADD_UNKNOWN_SECTION.at(
                    where,
                    suggestion=did_you_mean(section, baseline.sections),
                    id=target,
                    section=section,
                )
            )
        return None
    blocker = exclusions.covering(section)
    if blocker is not None:
        message = m.ADD_INTO_EXCLUDED if blocker == section else m.ADD_INTO_EXCLUDED_BELOW
        problems.add(message.at(where, id=target, section=section, through=blocker))
        return None
    after = change.after
    if after is not None and _after_own_addition(change, changes):
        after = None  # placed after the municipality's own addition, itself checked
    if after is not None:
        where = change.site("after")
        if baseline.holder.get(after) != section:
            if after in baseline.requirements:
                problems.add(
                    m.AFTER_ELSEWHERE.at(
                        where,
                        id=target,
                        after=after,
                        holder=baseline.holder[after],
                        section=section,
                    )
                )
            else:
                own = [r.id for r in baseline.sections[section].requirements]
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
        if after in exclusions.requirements:
            problems.add(m.AFTER_EXCLUDED.at(where, id=target, after=after))
            return None
    prefix = municipality.prefix
    if prefix and not target.startswith(f"{prefix}-"):
        problems.add(m.ADD_WITHOUT_PREFIX.at(change.location, id=target, prefix=prefix))
    return change.requirement


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
                    requirement.locations.get(FieldPath.metric_named(name), where),
                    suggestion=did_you_mean(name, registry),
                    id=requirement.id,
                    name=name,
                )
            )
