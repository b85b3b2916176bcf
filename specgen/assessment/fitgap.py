"""The fit & gap model (pure): each baseline requirement's status in each town, the fit rate
per town and chapter, every deviation with its reason, and additions worth sharing.

A town *fits* a requirement when it adopts it unchanged. Everything else is a gap the BPR team
walks through with the town: a tightening, a relaxation, another change, not using it, or a
function of its own (標準仕様外 when it cites no 機能ID of a national standard).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from specgen.labels import labels_for
from specgen.merge import Effective, FieldChange
from specgen.model import REASON_CODES, Catalog, Metric, Requirement
from specgen.placeholders import format_metric
from specgen.render.views import section_number, section_paths
from specgen.shared import is_nonstandard

__all__ = [
    "Candidate",
    "Deviation",
    "FitGap",
    "Status",
    "bigrams",
    "fit_gap",
    "similarity",
]

Status = Literal["common", "tightened", "relaxed", "changed", "excluded", "added", "nonstandard"]
_SIMILAR = 0.8  # character-bigram Dice coefficient of two additions alike enough to share


@dataclass(frozen=True, slots=True)
class Deviation:
    """One departure of one town from the common model, with its reason."""

    code: str  # the town's
    town: str
    id: str
    title: str
    chapter: str  # the top-level chapter's number and title, 第2章 住民記録
    status: Status
    reason: str
    reason_code: str  # "" when the change gives none
    level: str = ""  # the baseline's level (mandatory | optional | prohibited), the addition's
    model: str = ""  # what the common part says of each changed field, 「応答時間 3秒」
    own: str = ""  # what the town says instead, 「応答時間 2秒」
    others: tuple[str, ...] = ()  # the other towns that depart from the same requirement


@dataclass(frozen=True, slots=True)
class Candidate:
    """Additions of two or more towns with the same or near-identical text: a candidate for
    the baseline, for a person to confirm."""

    ids: tuple[tuple[str, str], ...]  # (town code, requirement ID)
    title: str
    similarity: float  # the lowest pairwise similarity in the group (1.0: identical)


@dataclass(frozen=True, slots=True)
class FitGap:
    towns: tuple[tuple[str, str], ...]  # (code, name) in code order
    chapters: tuple[str, ...]  # top-level chapters in document order, 第2章 住民記録
    rows: tuple[tuple[str, str, str, tuple[Status, ...]], ...]  # (id, title, chapter, per town)
    added: tuple[tuple[str, str, str, Status], ...]  # (town code, id, title, added|nonstandard)
    fit: Mapping[str, Mapping[str, float]]  # town code → chapter → share adopted unchanged
    fit_total: Mapping[str, float]  # town code → over the whole baseline
    deviations: tuple[Deviation, ...]  # grouped by reason_code, then town, then document order
    candidates: tuple[Candidate, ...]

    def counts(self, code: str) -> Counter[str]:
        """How many requirements of each status the town has (its additions included)."""
        index = [c for c, _ in self.towns].index(code)
        found: Counter[str] = Counter(row[3][index] for row in self.rows)
        found.update(status for town, _, _, status in self.added if town == code)
        return found


def fit_gap(
    baseline: Catalog,
    effective: Sequence[Effective],
    registry: Mapping[str, Metric] | None = None,
    language: str = "ja",
) -> FitGap:
    """The fit & gap of every participant against `baseline`."""
    participants = sorted(effective, key=lambda e: e.municipality.code)
    chapter_of = _chapters(baseline)
    towns = tuple((e.municipality.code, e.municipality.name) for e in participants)
    statuses = [_statuses(e) for e in participants]
    rows = tuple(
        (r.id, r.title, chapter_of[r.id],
         tuple(found.get(r.id, "common") for found in statuses))
        for _, r in baseline.requirements()
    )  # fmt: skip
    chapters = tuple(dict.fromkeys(chapter_of[r.id] for _, r in baseline.requirements()))
    fit: dict[str, dict[str, float]] = {}
    fit_total: dict[str, float] = {}
    for index, (code, _) in enumerate(towns):
        per: dict[str, float] = {}
        for chapter in chapters:
            in_chapter = [row for row in rows if row[2] == chapter]
            kept = sum(1 for row in in_chapter if row[3][index] == "common")
            per[chapter] = round(kept / len(in_chapter), 4) if in_chapter else 1.0
        fit[code] = per
        kept = sum(1 for row in rows if row[3][index] == "common")
        fit_total[code] = round(kept / len(rows), 4) if rows else 1.0
    added = tuple(
        (e.municipality.code, change.target, change.requirement.title, _added(change.requirement))
        for e in participants
        for change in e.added
        if change.requirement is not None
    )
    return FitGap(
        towns=towns,
        chapters=chapters,
        rows=rows,
        added=added,
        fit=fit,
        fit_total=fit_total,
        deviations=_deviations(participants, baseline, chapter_of, registry or {}, language),
        candidates=_candidates(participants),
    )


def _added(requirement: Requirement) -> Status:
    return "nonstandard" if is_nonstandard(requirement) else "added"


def _chapters(baseline: Catalog) -> dict[str, str]:
    """Requirement ID → its top-level chapter as the documents name it (第2章 住民記録)."""
    paths = section_paths(baseline.sections)
    found: dict[str, str] = {}
    for top in baseline.sections:
        label = f"{section_number(paths[top.id])} {top.title}"
        for section in top.walk():
            for requirement in section.requirements:
                found[requirement.id] = label
    return found


def _statuses(effective: Effective) -> dict[str, Status]:
    """The status of each baseline requirement the town does not adopt unchanged."""
    found: dict[str, Status] = {x.id: "excluded" for x in effective.excluded}
    for modified in effective.modified:
        found[modified.change.target] = {"tighten": "tightened", "relax": "relaxed"}.get(
            modified.cls, "changed"
        )  # type: ignore[assignment]
    return found


def _deviations(
    participants: Sequence[Effective],
    baseline: Catalog,
    chapter_of: Mapping[str, str],
    registry: Mapping[str, Metric],
    language: str,
) -> tuple[Deviation, ...]:
    requirements = {r.id: r for _, r in baseline.requirements()}
    order = {rid: n for n, rid in enumerate(requirements)}
    found: list[tuple[int, Deviation]] = []
    for e in participants:
        code, name = e.municipality.code, e.municipality.name
        for x in e.excluded:
            model = requirements[x.id]
            found.append((order[x.id], Deviation(
                code, name, x.id, model.title, chapter_of[x.id], "excluded", x.reason,
                x.reason_code or "", level=model.level,
            )))  # fmt: skip
        for modified in e.modified:
            rid = modified.change.target
            status: Status = {"tighten": "tightened", "relax": "relaxed"}.get(
                modified.cls, "changed"
            )  # type: ignore[assignment]
            model_text, own_text = _values(modified.fields, registry, language)
            found.append((order[rid], Deviation(
                code, name, rid, requirements[rid].title, chapter_of[rid], status,
                modified.change.reason, modified.change.reason_code or "",
                level=requirements[rid].level, model=model_text, own=own_text,
            )))  # fmt: skip
        for change in e.added:
            if change.requirement is None:
                continue
            chapter = _chapter_of_addition(change.section, change.after, baseline, chapter_of)
            found.append((len(order), Deviation(
                code, name, change.target, change.requirement.title, chapter,
                _added(change.requirement), change.reason, change.reason_code or "",
                level=change.requirement.level,
            )))  # fmt: skip
    towns_of: dict[str, list[str]] = {}
    for _, deviation in found:
        towns_of.setdefault(deviation.id, []).append(deviation.town)
    reasons = {code: n for n, code in enumerate((*REASON_CODES, ""))}
    found.sort(key=lambda item: (reasons.get(item[1].reason_code, 99), item[1].code, item[0],
                                 item[1].id))  # fmt: skip
    return tuple(
        replace(d, others=tuple(t for t in towns_of[d.id] if t != d.town)) for _, d in found
    )


def _values(
    fields: Sequence[FieldChange], registry: Mapping[str, Metric], language: str
) -> tuple[str, str]:
    """A modification's fields as the common part and the town state them."""
    labels = labels_for(language)
    model: list[str] = []
    own: list[str] = []
    for change in fields:
        if change.field.startswith("metrics."):
            name = change.field.removeprefix("metrics.")
            metric = registry.get(name)
            label = (
                (metric.label_en or metric.label)
                if metric and language == "en"
                else (metric.label if metric else name)
            )
            model.append(f"{label} {_shown(change.baseline, metric)}")
            own.append(f"{label} {_shown(change.value, metric)}")
        elif change.field == "level":
            model.append(f"{labels['level']} {labels.get(f'level_{change.baseline}', '')}")
            own.append(f"{labels['level']} {labels.get(f'level_{change.value}', '')}")
        else:
            what = _FIELD_WORDS[language].get(change.field, change.field)
            changed = "（記述を変更）" if language == "ja" else " (reworded)"
            model.append(what)
            own.append(f"{what}{changed}")
    comma = "、" if language == "ja" else ", "
    return comma.join(model), comma.join(own)


def _shown(value: object, metric: Metric | None) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_metric(value, metric)
    return "－" if value is None else str(value)


_FIELD_WORDS = {
    "ja": {"title": "要件名", "statement": "要件内容", "notes": "備考", "acceptance": "受入基準",
           "rationale": "理由・背景", "standard": "機能ID", "kind": "種類",
           "legal_basis": "根拠法令", "tags": "タグ"},
    "en": {"title": "title", "statement": "statement", "notes": "notes",
           "acceptance": "acceptance", "rationale": "rationale", "standard": "function ID",
           "kind": "kind", "legal_basis": "legal basis", "tags": "tags"},
}  # fmt: skip


def _chapter_of_addition(
    section: str | None, after: str | None, baseline: Catalog, chapter_of: Mapping[str, str]
) -> str:
    if after and after in chapter_of:
        return chapter_of[after]
    paths = section_paths(baseline.sections)
    for top in baseline.sections:
        if any(s.id == section for s in top.walk()):
            return f"{section_number(paths[top.id])} {top.title}"
    return ""


def bigrams(text: str) -> Counter[str]:
    """The character bigrams of `text`, white space removed."""
    squeezed = "".join(text.split())
    return Counter(squeezed[i : i + 2] for i in range(max(len(squeezed) - 1, 1)))


def similarity(first: str, second: str) -> float:
    """Character-bigram Dice coefficient (Japanese has no word breaks to compare by)."""
    a, b = bigrams(first), bigrams(second)
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def _text(requirement: Requirement) -> str:
    return f"{requirement.title}\n{requirement.statement}"


def _candidates(participants: Sequence[Effective]) -> tuple[Candidate, ...]:
    """Groups of additions by different towns whose texts are alike (single linkage)."""
    items = [
        (e.municipality.code, change.target, change.requirement)
        for e in participants
        for change in e.added
        if change.requirement is not None
    ]
    groups: list[list[int]] = []
    scores: dict[tuple[int, int], float] = {}
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i][0] == items[j][0]:
                continue
            score = similarity(_text(items[i][2]), _text(items[j][2]))
            if score >= _SIMILAR:
                scores[i, j] = score
                into = [g for g in groups if i in g or j in g]
                merged = sorted({i, j, *(k for g in into for k in g)})
                groups = [g for g in groups if g not in into] + [merged]
    found = []
    for group in groups:
        pairs = [scores.get((a, b), 0.0) for a in group for b in group if a < b]
        linked = [s for s in pairs if s]
        found.append(
            Candidate(
                ids=tuple((items[k][0], items[k][1]) for k in group),
                title=items[group[0]][2].title,
                similarity=round(min(linked), 3),
            )
        )
    return tuple(sorted(found, key=lambda c: c.ids))
