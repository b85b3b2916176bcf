"""The proposal (pure): a baseline voted from the towns' catalogs, and each town's minimal
delta against it (FORMAT §7).

A requirement enters the baseline when at least `quorum` towns have it. Each field takes the
most common value among them, a tie going to the stricter value (the registry's `better`; for
the level 必須 before 任意 before 実装不可), then to a canonical order, never to input order:
the towns are taken sorted by code. The order of a section's requirements is the merge of every
town's order (a topological order, ties by ID), so each town's own order survives. A town's
delta excludes what it lacks, modifies what differs (with `expect` guards) and adds its own,
placed after its predecessor; every `reason` is left empty for a person to write.
"""

from __future__ import annotations

import heapq
import itertools
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from specgen.assessment.fitgap import bigrams
from specgen.model import REQUIREMENT_FIELDS, Catalog, Change, Metric, Requirement, Section
from specgen.project import TownCatalog

__all__ = ["Mapping_", "Proposal", "Vote", "propose"]

_LEVEL_RANK = {"mandatory": 0, "optional": 1, "prohibited": 2}  # stricter first
_SIMILAR = 0.8


@dataclass(frozen=True, slots=True)
class Vote:
    """A field of a baseline requirement on which the towns did not agree."""

    id: str
    field: str  # a requirement field, or metrics.NAME
    counts: tuple[tuple[str, int], ...]  # (value as JSON, towns), most votes first
    chosen: str
    tie: str  # "" | "stricter" | "canonical": how a tie was broken


@dataclass(frozen=True, slots=True)
class Mapping_:
    """Two towns' requirements under different IDs with near-identical text."""

    first: tuple[str, str]  # (town code, ID)
    second: tuple[str, str]
    similarity: float


@dataclass(frozen=True, slots=True)
class Proposal:
    baseline: Catalog
    deltas: tuple[tuple[TownCatalog, tuple[Change, ...]], ...]  # towns by code
    present: Mapping[str, int]  # baseline requirement ID → towns that have it
    below_quorum: tuple[tuple[str, int], ...]  # (ID, towns) left to the towns' additions
    votes: tuple[Vote, ...]
    mappings: tuple[Mapping_, ...]
    caveats: tuple[str, ...]  # what the deltas cannot express (reported, never hidden)
    quorum: int


def _key(value: Any) -> str:
    """A value's canonical text (also its canonical order)."""
    return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 3 and 3.0 are one vote
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__}
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _fields(requirement: Requirement) -> dict[str, Any]:
    """Field path → value of every set field (metrics one by one, as metrics.NAME)."""
    found: dict[str, Any] = {}
    for name in REQUIREMENT_FIELDS:
        value = getattr(requirement, name)
        if name == "metrics":
            found.update({f"metrics.{k}": v for k, v in value.items()})
        elif value is not None and name != "id":
            found[name] = value
    return found


def _strictness(path: str, value: Any, registry: Mapping[str, Metric]) -> float:
    """Lower is stricter; 0 where nothing is stricter than anything."""
    if value is None:
        return 1e18
    if path == "level":
        return _LEVEL_RANK.get(value, 9)
    if path.startswith("metrics."):
        metric = registry.get(path.removeprefix("metrics."))
        if metric is not None and metric.better == "lower":
            return float(value)
        if metric is not None and metric.better == "higher":
            return -float(value)
    return 0


def _vote(
    rid: str, path: str, values: Sequence[Any], registry: Mapping[str, Metric]
) -> tuple[Any, Vote | None]:
    """The most common of `values` (None: the field is unset), ties to the stricter, then the
    canonical first; and the vote, when the towns disagreed."""
    if all(v == values[0] for v in values[1:]):  # the usual case: every town agrees
        return values[0], None
    counts = Counter(_key(v) for v in values)
    by_key = {_key(v): v for v in values}
    top = max(counts.values())
    tied = sorted(k for k, c in counts.items() if c == top)
    chosen_key = min(tied, key=lambda k: (_strictness(path, by_key[k], registry), k))
    if len(counts) == 1:
        return by_key[chosen_key], None
    strictest = {_strictness(path, by_key[k], registry) for k in tied}
    tie = "" if len(tied) == 1 else ("stricter" if len(strictest) > 1 else "canonical")
    ranked = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return by_key[chosen_key], Vote(rid, path, ranked, chosen_key, tie)


def _topological(
    orders: Iterable[Sequence[str]], nodes: Iterable[str], broken: list[str] | None = None
) -> list[str]:
    """An order of `nodes` keeping every given order (consecutive pairs), ties by ID; an
    inconsistency (a cycle) is broken at the smallest remaining ID, which is added to
    `broken`."""
    members = set(nodes)
    after: dict[str, set[str]] = {n: set() for n in members}
    before: Counter[str] = Counter()
    for order in orders:
        kept = [n for n in order if n in members]
        for a, b in itertools.pairwise(kept):
            if b not in after[a]:
                after[a].add(b)
                before[b] += 1
    ready = [n for n in members if before[n] == 0]
    heapq.heapify(ready)
    out: list[str] = []
    left = set(members)
    while left:
        if not ready:  # a cycle: the towns disagree on the order
            ready = [min(left)]
            before[ready[0]] = 0
            if broken is not None:
                broken.append(ready[0])
        node = heapq.heappop(ready)
        if node not in left:
            continue
        left.discard(node)
        out.append(node)
        for nxt in sorted(after[node]):
            before[nxt] -= 1
            if before[nxt] == 0 and nxt in left:
                heapq.heappush(ready, nxt)
    return out


@dataclass(frozen=True, slots=True)
class _Town:
    """One town's catalog as the proposal reads it."""

    source: TownCatalog
    requirements: dict[str, tuple[str, Requirement]]  # ID → (section ID, requirement)
    order: dict[str, list[str]]  # section ID → its requirement IDs in order
    sections: dict[str, tuple[str | None, Section]]  # section ID → (parent ID, section)
    section_order: dict[str | None, list[str]]  # parent ID → its subsection IDs in order

    @classmethod
    def read(cls, source: TownCatalog) -> _Town:
        requirements: dict[str, tuple[str, Requirement]] = {}
        order: dict[str, list[str]] = {}
        sections: dict[str, tuple[str | None, Section]] = {}
        section_order: dict[str | None, list[str]] = {}

        def walk(section: Section, parent: str | None) -> None:
            sections[section.id] = (parent, section)
            section_order.setdefault(parent, []).append(section.id)
            order[section.id] = [r.id for r in section.requirements]
            for requirement in section.requirements:
                requirements[requirement.id] = (section.id, requirement)
            for child in section.sections:
                walk(child, section.id)

        for top in source.catalog.sections:
            walk(top, None)
        return cls(source, requirements, order, sections, section_order)


def propose(
    towns: Sequence[TownCatalog], *, quorum: int | None = None, registry: Mapping[str, Metric]
) -> Proposal:
    """The baseline and deltas of `towns` (in any order: they are taken by code)."""
    read = [_Town.read(t) for t in sorted(towns, key=lambda t: t.municipality.code)]
    needed = len(read) if quorum is None else quorum
    caveats: list[str] = []
    have: Counter[str] = Counter(rid for town in read for rid in town.requirements)
    chosen_ids = {rid for rid, count in have.items() if count >= needed}
    # Below the quorum, a requirement is each holder's addition; two additions of one ID must
    # be the same (E-ADD-CONFLICT), so one that two towns hold differently joins the baseline.
    first_seen: dict[str, tuple[str, Requirement]] = {}
    differing: set[str] = set()
    for town in read:
        for rid, held in town.requirements.items():
            if have[rid] >= needed:
                continue
            seen = first_seen.setdefault(rid, held)
            if seen is not held and seen != held:  # Requirement equality ignores locations
                differing.add(rid)
    forced = sorted(differing)
    chosen_ids.update(forced)
    first = _first_in_section(read, chosen_ids)
    caveats += [
        f"{rid}: below the quorum ({have[rid]} municipalities) but first in its section before "
        "requirements of the baseline; taken into the baseline, as an addition is placed after a "
        "requirement (or at the end)"
        for rid in first
    ]
    forced = sorted({*forced, *first})
    caveats += [
        f"{rid}: below the quorum ({have[rid]} municipalities) but held differently by them; "
        "taken into the baseline, as two additions of one ID must be the same"
        for rid in forced
        if rid not in first
    ]
    votes: list[Vote] = []
    # Sections: every section any town has (an addition needs its section in the baseline).
    section_ids = sorted({sid for town in read for sid in town.sections})
    section_text: dict[str, tuple[str, str | None, str | None]] = {}  # title, body, parent
    for sid in section_ids:
        placed = [town.sections[sid] for town in read if sid in town.sections]
        title, vote = _vote(sid, "section.title", [s.title for _, s in placed], {})
        body, body_vote = _vote(sid, "section.body", [s.body for _, s in placed], {})
        parent, parent_vote = _vote(sid, "section.parent", [p for p, _ in placed], {})
        for found in (vote, body_vote, parent_vote):
            if found is not None:
                votes.append(found)
                caveats.append(
                    f"section {sid}: the towns give different {found.field.split('.')[1]}s; "
                    "a delta cannot change a section, so the towns with another one are not "
                    "reconstructed exactly"
                )
        section_text[sid] = (title, body, parent)
    # Requirements: fields by vote, the section by vote, the order merged from every town.
    fields_of: dict[str, dict[str, Any]] = {}
    section_of: dict[str, str] = {}
    for rid in sorted(chosen_ids):
        holders = [town.requirements[rid] for town in read if rid in town.requirements]
        section, section_vote = _vote(rid, "section", [s for s, _ in holders], {})
        if section_vote is not None:
            votes.append(section_vote)
            caveats.append(
                f"{rid}: the towns place it in different sections; a delta cannot move it, so "
                "those in another section are not reconstructed exactly"
            )
        section_of[rid] = section
        versions = [_fields(r) for _, r in holders]
        paths = sorted({p for fields in versions for p in fields})
        chosen: dict[str, Any] = {}
        for path in paths:
            value, vote = _vote(rid, path, [fields.get(path) for fields in versions], registry)
            if vote is not None:
                votes.append(vote)
            if value is not None:
                chosen[path] = value
        fields_of[rid] = chosen
    disagreements: list[str] = []
    baseline = _baseline(read, section_ids, section_text, fields_of, section_of, disagreements)
    caveats += [
        (f"section {sid}" if sid else "the chapters")
        + ": the towns order it differently; the baseline follows one order, so the towns "
        "with another are not reconstructed in their own order"
        for sid in sorted(set(disagreements))
    ]
    deltas = tuple((town.source, tuple(_delta(town, baseline, fields_of))) for town in read)
    below = tuple(sorted((rid, n) for rid, n in have.items() if rid not in chosen_ids))
    return Proposal(
        baseline=baseline,
        deltas=deltas,
        present={rid: have[rid] for rid in sorted(chosen_ids)},
        below_quorum=below,
        votes=tuple(votes),
        mappings=_mappings(read, have),
        caveats=tuple(caveats),
        quorum=needed,
    )


def _first_in_section(read: Sequence[_Town], chosen: set[str]) -> list[str]:
    """Requirements outside the baseline that a town places first in a section before ones
    it keeps from the baseline: an addition goes after a requirement or at the end, so these
    join the baseline (`chosen` grows until no town has another)."""
    added: list[str] = []
    changed = True
    while changed:
        changed = False
        for town in read:
            for order in town.order.values():
                if order and order[0] not in chosen and any(r in chosen for r in order[1:]):
                    chosen.add(order[0])
                    added.append(order[0])
                    changed = True
    return sorted(added)


def _requirement(rid: str, fields: Mapping[str, Any]) -> Requirement:
    metrics = {p.removeprefix("metrics."): v for p, v in fields.items() if p.startswith("metrics.")}
    plain = {p: v for p, v in fields.items() if not p.startswith("metrics.")}
    return Requirement(
        id=rid,
        title=plain.pop("title", ""),
        statement=plain.pop("statement", ""),
        level=plain.pop("level", "mandatory"),
        metrics=metrics,
        **plain,
    )


def _baseline(
    read: Sequence[_Town],
    section_ids: Sequence[str],
    text: Mapping[str, tuple[str, str | None, str | None]],
    fields_of: Mapping[str, Mapping[str, Any]],
    section_of: Mapping[str, str],
    disagreements: list[str],
) -> Catalog:
    children: dict[str | None, list[str]] = {}
    for sid in section_ids:
        children.setdefault(text[sid][2], []).append(sid)
    members: dict[str, list[str]] = {}
    for rid, sid in section_of.items():
        members.setdefault(sid, []).append(rid)

    def build(sid: str) -> Section:
        title, body, _ = text[sid]
        broken: list[str] = []
        order = _topological(
            [town.order.get(sid, []) for town in read], members.get(sid, []), broken
        )
        subsections = _topological(
            [town.section_order.get(sid, []) for town in read], children.get(sid, []), broken
        )
        if broken:
            disagreements.append(sid)
        return Section(
            id=sid,
            title=title,
            body=body,
            requirements=tuple(_requirement(rid, fields_of[rid]) for rid in order),
            sections=tuple(build(child) for child in subsections),
        )

    broken: list[str] = []
    tops = _topological(
        [town.section_order.get(None, []) for town in read], children.get(None, []), broken
    )
    if broken:
        disagreements.append("")
    return Catalog(sections=tuple(build(sid) for sid in tops))


def _delta(
    town: _Town, baseline: Catalog, fields_of: Mapping[str, Mapping[str, Any]]
) -> list[Change]:
    """The town's minimal changes: exclude, modify (with expect), add (after its predecessor)."""
    changes: list[Change] = []
    lacking = {s.id for s in baseline.walk_sections() if s.id not in town.sections}
    for section in baseline.walk_sections():
        if section.id in lacking:
            if not _covered(section.id, lacking, baseline):
                changes.append(Change(target=section.id, op="exclude", reason=""))
            continue
        for requirement in section.requirements:
            mine = town.requirements.get(requirement.id)
            if mine is None:
                changes.append(Change(target=requirement.id, op="exclude", reason=""))
                continue
            own, model = _fields(mine[1]), dict(fields_of[requirement.id])
            sets = {p: v for p, v in own.items() if model.get(p) != v}
            unsets = tuple(sorted(p for p in model if p not in own))
            if not sets and not unsets:
                continue
            expect = {p: model[p] for p in sets if p in model}
            changes.append(
                Change(
                    target=requirement.id, op="modify", reason="",
                    set=_nested(sets), unset=unsets, expect=_nested(expect),
                )
            )  # fmt: skip
    in_baseline = {r.id for _, r in baseline.requirements()}
    for sid, order in town.order.items():
        previous: str | None = None
        for rid in order:
            if rid not in in_baseline:
                changes.append(
                    Change(
                        target=rid, op="add", reason="", section=sid, after=previous,
                        requirement=town.requirements[rid][1],
                    )
                )  # fmt: skip
            previous = rid
    return changes


def _covered(sid: str, lacking: set[str], baseline: Catalog) -> bool:
    """Whether an ancestor of `sid` is excluded already (one exclusion covers its subtree)."""
    parents = {child.id: s.id for s in baseline.walk_sections() for child in s.sections}
    parent = parents.get(sid)
    while parent is not None:
        if parent in lacking:
            return True
        parent = parents.get(parent)
    return False


def _nested(values: Mapping[str, Any]) -> dict[str, Any]:
    """Field paths as a change's `set` holds them: metrics.NAME under `metrics`."""
    out: dict[str, Any] = {}
    for path, value in values.items():
        if path.startswith("metrics."):
            out.setdefault("metrics", {})[path.removeprefix("metrics.")] = value
        else:
            out[path] = value
    return out


def _mappings(read: Sequence[_Town], have: Mapping[str, int]) -> tuple[Mapping_, ...]:
    """Requirements not every town has, alike under different IDs in two towns of the same
    section (where a town renumbering a requirement keeps it). Each text's bigrams are counted
    once, and pairs whose lengths alone rule out the threshold are skipped."""
    everyone = len(read)
    by_section: dict[str, list[tuple[str, str, Counter[str], int, set[str]]]] = {}
    for town in read:
        ids = set(town.requirements)
        for rid, (sid, r) in town.requirements.items():
            if have[rid] < everyone:
                grams = bigrams(f"{r.title}\n{r.statement}")
                size = sum(grams.values())
                by_section.setdefault(sid, []).append(
                    (town.source.municipality.code, rid, grams, size, ids)
                )
    found: list[Mapping_] = []
    low = _SIMILAR / (2 - _SIMILAR)  # Dice ≥ t needs the smaller at least t/(2−t) of the larger
    for items in by_section.values():
        items.sort(key=lambda item: (item[3], item[0], item[1]))  # by size: a window suffices
        for i, (code_a, id_a, grams_a, size_a, ids_a) in enumerate(items):
            for code_b, id_b, grams_b, size_b, ids_b in items[i + 1 :]:
                if size_a < low * size_b:
                    break  # every later one is longer still
                if code_a == code_b or id_a == id_b or id_b in ids_a or id_a in ids_b:
                    continue
                score = 2 * sum((grams_a & grams_b).values()) / (size_a + size_b)
                if score >= _SIMILAR:
                    pair = sorted([(code_a, id_a), (code_b, id_b)])
                    found.append(Mapping_(pair[0], pair[1], round(score, 3)))
    return tuple(sorted(found, key=lambda m: (m.first, m.second)))
