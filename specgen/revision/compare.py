"""Two versions of a project compared (pure): the rows of a 新旧対照表.

Requirements are keyed by ID and listed in the new version's document order, a deleted one
where it stood in the old. Each changed field is compared character by character, since
Japanese has no spaces to diff words by; the changed characters are what the documents
underline (傍線). A requirement deleted and one added with near-identical text are marked as a
likely change of ID, never paired silently.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from specgen.labels import labels_for
from specgen.model import (
    Catalog,
    Change,
    Metric,
    Municipality,
    Project,
    Requirement,
    Section,
    Standard,
)
from specgen.placeholders import format_metric
from specgen.render.views import section_number, section_paths

__all__ = [
    "Part",
    "Revision",
    "Row",
    "Segments",
    "Side",
    "Version",
    "char_diff",
    "compare",
    "line_diff",
]

Kind = Literal["added", "deleted", "changed", "moved"]
Segments = tuple[tuple[str, bool], ...]  # (text, changed) in order


@dataclass(frozen=True, slots=True)
class Side:
    """One version of the project as the table names it."""

    source: str  # the directory or git revision it was read from
    version: str
    date: str
    title: str


@dataclass(frozen=True, slots=True)
class Row:
    """One changed item: what changed and its new and old text (None: there is none)."""

    kind: Kind
    id: str
    section: str  # "2.1.1 住民記録" as the new version numbers it (the old one's when deleted)
    item: str  # what the row is about: 要件, 区分, a metric's label, 除外, 追加 …
    new: Segments | None
    old: Segments | None
    note: str = ""  # a likely change of ID
    title: str = ""  # the requirement's title, beside its ID


@dataclass(frozen=True, slots=True)
class Part:
    """The rows of the baseline (code None) or of one municipality's delta."""

    code: str | None
    name: str
    rows: tuple[Row, ...]
    joined: bool = False  # a municipality that takes part only in the new version
    left: bool = False  # … only in the old one


@dataclass(frozen=True, slots=True)
class Revision:
    old: Side
    new: Side
    language: str
    parts: tuple[Part, ...]
    counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # part → kind → n

    @property
    def empty(self) -> bool:
        return not any(part.rows for part in self.parts)


_FIELD_LABELS = {
    "ja": {"title": "要件名", "statement": "要件内容", "level": "区分", "function_id": "機能ID",
           "notes": "備考", "acceptance": "受入基準", "rationale": "理由・背景",
           "legal_basis": "根拠法令", "tags": "タグ", "standard": "標準仕様書", "kind": "種類",
           "moved": "節", "exclude": "除外（利用しない）",
           "modify": "変更", "add": "追加", "reason": "理由", "section": "節",
           "omitted": "（略）", "requirement": "要件", "section_item": "節",
           "section_title": "節の見出し", "section_body": "節の本文",
           "similar": "{other} と内容がほぼ同一（要件IDの変更の可能性）",
           "same": "{other} と内容が同一（要件IDの変更と考えられる）",
           "participation": "参加"},
    "en": {"title": "Title", "statement": "Requirement", "level": "Level",
           "function_id": "Function ID", "notes": "Notes", "acceptance": "Acceptance",
           "rationale": "Rationale", "legal_basis": "Legal basis", "tags": "Tags",
           "standard": "Standard", "kind": "Kind", "moved": "Section",
           "requirement": "Requirement", "section_item": "Section",
           "section_title": "Section title", "section_body": "Section text",
           "exclude": "Exclusion (not used)", "modify": "Modification", "add": "Addition",
           "reason": "Reason", "section": "Section", "omitted": "(omitted)",
           "similar": "near-identical to {other} (a changed ID?)",
           "same": "the same text as {other} (a changed ID, it seems)",
           "participation": "Participation"},
}  # fmt: skip
_TEXT_FIELDS = ("notes", "acceptance", "rationale")
_SIMILAR = 0.85  # SequenceMatcher ratio above which a deleted and an added text are alike


def char_diff(old: str, new: str) -> tuple[Segments, Segments]:
    """`old` and `new` in segments, the characters one has and the other lacks marked
    changed. A pure insertion or deletion slides as far right as the text allows, and an
    unchanged run of one or two characters between two changes counts in the change
    (「の」 or 「、」 left standing in a rewritten phrase reads as noise)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pieces = _slid([[tag, old[i1:i2], new[j1:j2]] for tag, i1, i2, j1, j2 in matcher.get_opcodes()])
    old_out: list[tuple[str, bool]] = []
    new_out: list[tuple[str, bool]] = []
    for index, (tag, before, after) in enumerate(pieces):
        short_gap = (
            tag == "equal"
            and len(before) <= 2
            and 0 < index < len(pieces) - 1
            and pieces[index - 1][0] != "equal"
            and pieces[index + 1][0] != "equal"
        )
        changed = tag != "equal" or short_gap
        if before:
            old_out.append((before, changed))
        if after:
            new_out.append((after, changed))
    return _merged(old_out), _merged(new_out)


def _slid(pieces: list[list[str]]) -> list[list[str]]:
    """Pure insertions and deletions slid as far right as the text allows: 「西暦及び和暦」
    from 「西暦」 underlines 及び和暦, not 暦及び和 (both are correct diffs; the later one reads
    as Japanese is written). Each piece is [tag, old text, new text]."""
    out: list[list[str]] = []
    index = 0
    while index < len(pieces):
        tag, before, after = pieces[index]
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if tag in ("insert", "delete") and following is not None and following[0] == "equal":
            text, equal = (after if tag == "insert" else before), following[1]
            moved = ""
            states = [(moved, text, equal)]
            while equal and text and text[0] == equal[0]:
                moved += text[0]
                text, equal = text[1:] + equal[0], equal[1:]
                states.append((moved, text, equal))
            # Where the change may sit, the one that keeps brackets and punctuation whole
            # (「（新）」, not 「新）（」); then the rightmost.
            position = max(range(len(states)), key=lambda k: (_whole(states[k][1]), k))
            moved, text, equal = states[position]
            if moved:
                if out and out[-1][0] == "equal":
                    out[-1] = ["equal", out[-1][1] + moved, out[-1][2] + moved]
                else:
                    out.append(["equal", moved, moved])
            out.append([tag, "", text] if tag == "insert" else [tag, text, ""])
            if equal:
                out.append(["equal", equal, equal])
            index += 2
            continue
        out.append([tag, before, after])
        index += 1
    return out


_OPENING = tuple("（「『【〔")
_CLOSING = tuple("）」』】〕、。・")


def _whole(text: str) -> int:
    """How well a changed run keeps to the edges of brackets and punctuation."""
    return int(text.startswith(_OPENING)) + int(text.endswith(_CLOSING))


def _merged(segments: Iterable[tuple[str, bool]]) -> Segments:
    out: list[tuple[str, bool]] = []
    for text, changed in segments:
        if out and out[-1][1] == changed:
            out[-1] = (out[-1][0] + text, changed)
        else:
            out.append((text, changed))
    return tuple(out)


def _plain(text: str) -> Segments:
    return ((text, False),) if text else ()


def _all_changed(text: str) -> Segments:
    return ((text, True),) if text else ()


def _join(parts: Sequence[Segments], separator: str = "\n") -> Segments:
    out: list[tuple[str, bool]] = []
    for number, segments in enumerate(parts):
        if number:
            out.append((separator, False))
        out.extend(segments)
    return _merged(out)


@dataclass(frozen=True, slots=True)
class Version:
    """One version of the project, as the comparison needs it."""

    side: Side
    project: Project
    catalog: Catalog
    municipality_list: tuple[Municipality, ...]

    @property
    def municipalities(self) -> dict[str, Municipality]:
        return {m.code: m for m in self.municipality_list}

    def requirements(self) -> dict[str, tuple[str, Requirement]]:
        """ID → (its section as the documents number it, the requirement), in order."""
        numbers = {
            sid: section_number(path) for sid, path in section_paths(self.catalog.sections).items()
        }
        titles = {s.id: s.title for s in self.catalog.walk_sections()}
        return {
            r.id: (f"{numbers.get(s.id, s.id)} {titles[s.id]}", r)
            for s, r in self.catalog.requirements()
        }

    def sections(self) -> dict[str, tuple[str, Section]]:
        """Section ID → (its number and title as the documents print them, the section)."""
        numbers = {
            sid: section_number(path) for sid, path in section_paths(self.catalog.sections).items()
        }
        return {
            s.id: (f"{numbers.get(s.id, s.id)} {s.title}", s) for s in self.catalog.walk_sections()
        }

    def section_of(self) -> dict[str, str]:
        """Requirement ID → the ID of the section that holds it."""
        return {r.id: s.id for s, r in self.catalog.requirements()}


def compare(before: Version, after: Version) -> Revision:
    """The 新旧対照表 of two versions: the baseline's rows, then each municipality's."""
    language = after.project.language
    words = _FIELD_LABELS[language]
    registry = {**before.project.metrics, **after.project.metrics}
    describe = _Describer(language, registry)
    baseline = _baseline_rows(before, after, describe, words)
    parts = [Part(None, labels_for(language)["common_value"], tuple(baseline))]
    for code in sorted(set(before.municipalities) | set(after.municipalities)):
        was, now = before.municipalities.get(code), after.municipalities.get(code)
        town = now or was
        assert town is not None
        titles = {
            **{rid: r.title for rid, (_, r) in before.requirements().items()},
            **{rid: r.title for rid, (_, r) in after.requirements().items()},
        }
        rows = _town_rows(was, now, describe, words, titles)
        parts.append(Part(code, town.name, tuple(rows), joined=was is None, left=now is None))
    counts = {
        (part.code or "baseline"): _counted(part.rows, baseline=part.code is None) for part in parts
    }
    return Revision(before.side, after.side, language, tuple(parts), counts)


def _counted(rows: Sequence[Row], *, baseline: bool) -> dict[str, int]:
    """Rows by kind; for the baseline, requirements by kind (one with several changed
    fields counts once)."""
    counts = dict.fromkeys(("added", "deleted", "changed", "moved"), 0)
    if not baseline:
        for row in rows:
            counts[row.kind] += 1
        return counts
    seen: dict[str, set[str]] = {kind: set() for kind in counts}
    for row in rows:
        seen[row.kind].add(row.id)
    return {kind: len(ids) for kind, ids in seen.items()}


@dataclass(frozen=True, slots=True)
class _Describer:
    """Values as the documents print them."""

    language: str
    registry: Mapping[str, Metric]

    def level(self, level: str) -> str:
        return labels_for(self.language)[f"level_{level}"]

    def metric_label(self, name: str) -> str:
        metric = self.registry.get(name)
        if metric is None:
            return name
        return (metric.label_en or metric.label) if self.language == "en" else metric.label

    def metric(self, name: str, value: object) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return format_metric(value, self.registry.get(name))
        return str(value)

    def requirement(self, requirement: Requirement, words: Mapping[str, str]) -> str:
        """A whole requirement, as a 新設 or 削る row shows it."""
        lines = [requirement.title, requirement.statement.rstrip("\n")]
        lines.append(f"{words['level']}：{self.level(requirement.level)}")
        lines += [
            f"{self.metric_label(name)}：{self.metric(name, value)}"
            for name, value in sorted(requirement.metrics.items())
        ]
        return "\n".join(lines)


def _baseline_rows(
    before: Version, after: Version, describe: _Describer, words: Mapping[str, str]
) -> list[Row]:
    old, new = before.requirements(), after.requirements()
    old_home, new_home = before.section_of(), after.section_of()
    rows: list[Row] = _section_rows(before, after, words)
    deleted = [rid for rid in old if rid not in new]
    added = [rid for rid in new if rid not in old]
    alike = _alike(deleted, added, old, new, words)
    for rid in _document_order(list(old), list(new)):
        if rid not in old:
            section, requirement = new[rid]
            text = describe.requirement(requirement, words)
            rows.append(Row("added", rid, section, words["requirement"], _all_changed(text),
                            None, alike.get(rid, ""), requirement.title))  # fmt: skip
            continue
        if rid not in new:
            section, requirement = old[rid]
            text = describe.requirement(requirement, words)
            rows.append(Row("deleted", rid, section, words["requirement"], None,
                            _all_changed(text), alike.get(rid, ""), requirement.title))  # fmt: skip
            continue
        (was_section, was), (section, now) = old[rid], new[rid]
        if old_home[rid] != new_home[rid]:  # another section, not a renumbered one
            old_side, new_side = char_diff(was_section, section)
            rows.append(Row("moved", rid, section, words["moved"], new_side, old_side,
                            title=now.title))  # fmt: skip
        rows += [
            replace(row, title=now.title)
            for row in _field_rows(rid, section, was, now, describe, words)
        ]
    return rows


def _section_rows(before: Version, after: Version, words: Mapping[str, str]) -> list[Row]:
    """The sections (chapters and their narrative text) added, deleted or rewritten."""
    old, new = before.sections(), after.sections()
    rows: list[Row] = []
    for sid in _document_order(list(old), list(new)):
        if sid not in old:
            label, section = new[sid]
            text = "\n".join(filter(None, (label, (section.body or "").rstrip())))
            rows.append(Row("added", sid, label, words["section_item"], _all_changed(text), None,
                            title=section.title))  # fmt: skip
        elif sid not in new:
            label, section = old[sid]
            text = "\n".join(filter(None, (label, (section.body or "").rstrip())))
            rows.append(Row("deleted", sid, label, words["section_item"], None,
                            _all_changed(text), title=section.title))  # fmt: skip
        else:
            (_, was), (label, now) = old[sid], new[sid]
            if was.title != now.title:
                old_side, new_side = char_diff(was.title, now.title)
                rows.append(Row("changed", sid, label, words["section_title"], new_side,
                                old_side, title=now.title))  # fmt: skip
            if (was.body or "") != (now.body or ""):
                old_side, new_side = line_diff(
                    (was.body or "").rstrip(), (now.body or "").rstrip(), words["omitted"]
                )
                rows.append(Row("changed", sid, label, words["section_body"], new_side,
                                old_side, title=now.title))  # fmt: skip
    return rows


def _field_rows(
    rid: str,
    section: str,
    was: Requirement,
    now: Requirement,
    describe: _Describer,
    words: Mapping[str, str],
) -> list[Row]:
    """The rows of a requirement present in both versions: its text, level, metrics, 機能ID
    and other text fields, each that changed."""
    rows: list[Row] = []
    if (was.title, was.statement) != (now.title, now.statement):
        before_text = f"{was.title}\n{was.statement.rstrip()}"
        after_text = f"{now.title}\n{now.statement.rstrip()}"
        old_side, new_side = line_diff(before_text, after_text, words["omitted"])
        rows.append(Row("changed", rid, section, words["statement"], new_side, old_side))
    if was.level != now.level:
        rows.append(Row("changed", rid, section, words["level"],
                        _all_changed(describe.level(now.level)),
                        _all_changed(describe.level(was.level))))  # fmt: skip
    for name in sorted(set(was.metrics) | set(now.metrics)):
        before_value, after_value = was.metrics.get(name), now.metrics.get(name)
        if before_value == after_value:
            continue
        old_text = "" if before_value is None else describe.metric(name, before_value)
        new_text = "" if after_value is None else describe.metric(name, after_value)
        old_side, new_side = char_diff(old_text, new_text)
        rows.append(Row("changed", rid, section, describe.metric_label(name),
                        new_side if after_value is not None else None,
                        old_side if before_value is not None else None))  # fmt: skip
    was_id = was.standard.function_id if was.standard else None
    now_id = now.standard.function_id if now.standard else None
    if was_id != now_id:
        old_side, new_side = char_diff(was_id or "", now_id or "")
        rows.append(Row("changed", rid, section, words["function_id"],
                        new_side if now_id else None, old_side if was_id else None))  # fmt: skip
    for name in _TEXT_FIELDS:
        before_text, after_text = getattr(was, name) or "", getattr(now, name) or ""
        if before_text != after_text:
            old_side, new_side = char_diff(before_text.rstrip("\n"), after_text.rstrip("\n"))
            new_value = new_side if after_text else None
            rows.append(Row("changed", rid, section, words[name], new_value,
                            old_side if before_text else None))  # fmt: skip
    return rows


def line_diff(old: str, new: str, omitted: str) -> tuple[Segments, Segments]:
    """Two texts as a 新旧対照表 prints them: lines first matched as lines, each run of lines
    alike on both sides replaced by one （略） line; a changed line shown on both sides with its
    changed characters marked; a line only one side has marked whole."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    old_out: list[Segments] = []
    new_out: list[Segments] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            old_out.append(((omitted, False),))
            new_out.append(((omitted, False),))
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            before, after = char_diff(old_lines[i1 + k], new_lines[j1 + k])
            old_out.append(before)
            new_out.append(after)
        old_out += [_all_changed(line) or ((" ", True),) for line in old_lines[i1 + paired : i2]]
        new_out += [_all_changed(line) or ((" ", True),) for line in new_lines[j1 + paired : j2]]
    return _join(old_out), _join(new_out)


def _document_order(old: Sequence[str], new: Sequence[str]) -> list[str]:
    """The new version's IDs in order, each deleted one after the ID it followed in the old."""
    present = set(new)
    after: dict[str | None, list[str]] = {}
    anchor: str | None = None
    for rid in old:
        if rid in present:
            anchor = rid
        else:
            after.setdefault(anchor, []).append(rid)
    order = list(after.get(None, []))
    for rid in new:
        order.append(rid)
        order += after.get(rid, [])
    return order


def _alike(
    deleted: Sequence[str],
    added: Sequence[str],
    old: Mapping[str, tuple[str, Requirement]],
    new: Mapping[str, tuple[str, Requirement]],
    words: Mapping[str, str],
) -> dict[str, str]:
    """Notes for deleted and added requirements whose texts are near-identical: a likely
    change of ID, left for the reader to confirm."""
    notes: dict[str, str] = {}
    for gone in deleted:
        text = old[gone][1].title + old[gone][1].statement
        best, score = None, _SIMILAR
        for came in added:
            other = new[came][1].title + new[came][1].statement
            matcher = difflib.SequenceMatcher(None, text, other, autojunk=False)
            if matcher.real_quick_ratio() < score or matcher.quick_ratio() < score:
                continue
            ratio = matcher.ratio()
            if ratio >= score:
                best, score = came, ratio
        if best is not None:
            wording = words["same"] if score == 1.0 else words["similar"]
            notes[gone] = wording.format(other=best)
            notes.setdefault(best, wording.format(other=gone))
    return notes


def _town_rows(
    was: Municipality | None,
    now: Municipality | None,
    describe: _Describer,
    words: Mapping[str, str],
    titles: Mapping[str, str],
) -> list[Row]:
    """A municipality's delta compared change by change (keyed by operation and target)."""
    old = {(c.op, c.target): c for c in (was.changes if was else ())}
    new = {(c.op, c.target): c for c in (now.changes if now else ())}
    order = _document_order([f"{op}\0{t}" for op, t in old], [f"{op}\0{t}" for op, t in new])
    rows: list[Row] = []
    for key_text in order:
        op, target = key_text.split("\0")
        before, after = old.get((op, target)), new.get((op, target))  # type: ignore[arg-type]
        label = words[op]
        title = titles.get(target, "")
        if before is None and after is not None:
            text = _change_text(after, describe, words)
            rows.append(Row("added", target, "", label, _all_changed(text), None,
                            title=title or _added_title(after)))  # fmt: skip
        elif after is None and before is not None:
            text = _change_text(before, describe, words)
            rows.append(Row("deleted", target, "", label, None, _all_changed(text),
                            title=title or _added_title(before)))  # fmt: skip
        elif before is not None and after is not None:
            old_text = _change_text(before, describe, words)
            new_text = _change_text(after, describe, words)
            if old_text != new_text:
                old_side, new_side = char_diff(old_text, new_text)
                rows.append(Row("changed", target, "", label, new_side, old_side,
                                title=title or _added_title(after)))  # fmt: skip
    return rows


def _printed(value: object) -> str:
    """A field's value as a line of the table: a list joined, a standard by its function ID."""
    if isinstance(value, Standard):
        return " ".join(filter(None, (value.document, value.version, value.function_id)))
    if isinstance(value, tuple | list):
        return "、".join(str(v) for v in value)
    return str(value)


def _added_title(change: Change) -> str:
    return change.requirement.title if change.requirement is not None else ""


def _change_text(change: Change, describe: _Describer, words: Mapping[str, str]) -> str:
    """A change as a 新旧対照表 prints it: what it does, then its reason."""
    lines: list[str] = []
    if change.op == "add" and change.requirement is not None:
        lines.append(describe.requirement(change.requirement, words))
        place = change.after or change.section
        if place:
            lines.append(f"{words['section']}：{place}")
    for name, value in sorted(change.set.items()):
        if name == "metrics" and isinstance(value, Mapping):
            lines += [
                f"{describe.metric_label(k)}：{describe.metric(k, v)}"
                for k, v in sorted(value.items())
            ]
        elif name == "level":
            lines.append(f"{words['level']}：{describe.level(str(value))}")
        else:
            lines.append(f"{words.get(name, name)}：{_printed(value)}")
    lines += [
        f"{describe.metric_label(name.removeprefix('metrics.'))}：－"
        if name.startswith("metrics.")
        else f"{words.get(name, name)}：－"
        for name in change.unset
    ]
    lines.append(f"{words['reason']}：{change.reason.strip()}")
    return "\n".join(lines)
