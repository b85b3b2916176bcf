"""Two versions of a project compared (pure): the rows of a 新旧対照表.

Everything a document of the build prints is compared: the cover, 改定履歴, 調達概要, the
metric registry's labels and units, `evaluation:`, the sections and requirements of the common
part, and each municipality's name, 団体別諸元 and changes. Values are worded by the spec
renderer's own formatter (specgen.render.views), so a row shows what a reader of either
version saw. Requirements are keyed by ID and listed in the new version's document order, a
deleted one where it stood in the old. Each changed field is compared character by character,
since Japanese has no spaces to diff words by; the changed characters are what the documents
underline (傍線). A requirement that names the ID it replaces (`formerly`) is paired with it;
a deleted and an added one with near-identical text only get a note, never paired silently.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from specgen import messages as m
from specgen.errors import Diagnostic
from specgen.model import (
    Catalog,
    Change,
    FieldPath,
    Municipality,
    Project,
    Requirement,
    Section,
)
from specgen.placeholders import format_number
from specgen.render.dates import document_date
from specgen.render.views import (
    Formatter,
    front_matter,
    procurement_fields,
    section_label,
    section_paths,
)

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
PartKind = Literal["document", "baseline", "municipality"]
Segments = tuple[tuple[str, bool], ...]  # (text, changed) in order
KINDS: tuple[Kind, ...] = ("added", "deleted", "changed", "moved")


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
    id: str  # a requirement, section or change target; a key (procurement.contact) elsewhere
    section: str  # "2.1.1 住民記録" as the new version numbers it (the old one's when deleted)
    item: str  # what the row is about: 要件, 区分, a metric's label, 除外, 追加 …
    new: Segments | None
    old: Segments | None
    note: str = ""  # a likely change of ID, or where a requirement moved from
    title: str = ""  # the requirement's title, beside its ID
    label: str = ""  # what the first column names instead of an ID: a section, 表紙, 団体別諸元
    formerly: str = ""  # the ID this row's requirement replaces (`formerly`)


@dataclass(frozen=True, slots=True)
class Part:
    """The rows of the front matter, of the baseline, or of one municipality."""

    kind: PartKind
    code: str | None  # the municipality's code
    name: str
    rows: tuple[Row, ...]
    joined: bool = False  # a municipality that takes part only in the new version
    left: bool = False  # … only in the old one
    moved_out: tuple[str, ...] = ()  # its requirements another part now holds, one line each

    @property
    def key(self) -> str:
        """How the summary and the JSON name the part: document, baseline or the code."""
        return self.code if self.code is not None else self.kind

    @property
    def changed(self) -> bool:
        return bool(self.rows or self.moved_out or self.joined or self.left)


@dataclass(frozen=True, slots=True)
class Revision:
    old: Side
    new: Side
    language: str
    parts: tuple[Part, ...]
    counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # part → kind → n
    # Problems the comparison finds in NEW (W-FORMERLY-UNKNOWN), located in NEW's files.
    problems: tuple[Diagnostic, ...] = ()
    moves: tuple[tuple[str, str, str, str], ...] = ()  # (id, formerly, from part, to part)

    @property
    def empty(self) -> bool:
        return not any(part.changed for part in self.parts)

    @property
    def changes(self) -> int:
        """The number of rows and moved-out lines: what the command line reports."""
        return sum(len(part.rows) + len(part.moved_out) for part in self.parts)


_SIMILAR = 0.85  # SequenceMatcher ratio above which a deleted and an added text are alike
_TEXT_FIELDS = ("rationale", "notes", "acceptance")


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


def _all_changed(text: str) -> Segments:
    return ((text, True),) if text else ()


def _join(parts: Sequence[Segments], separator: str = "\n") -> Segments:
    out: list[tuple[str, bool]] = []
    for number, segments in enumerate(parts):
        if number:
            out.append((separator, False))
        out.extend(segments)
    return _merged(out)


def line_diff(old: str, new: str, omitted: str | None) -> tuple[Segments, Segments]:
    """Two texts as a 新旧対照表 prints them: lines first matched as lines, each run of lines
    alike on both sides replaced by one `omitted` （略） line (kept as they are when `omitted`
    is None); a changed line shown on both sides with its changed characters marked; a line
    only one side has marked whole."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    old_out: list[Segments] = []
    new_out: list[Segments] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            if omitted is None:
                old_out += [((line, False),) for line in old_lines[i1:i2]]
                new_out += [((line, False),) for line in new_lines[j1:j2]]
            else:
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


def _sides(old: str | None, new: str | None) -> tuple[Segments | None, Segments | None]:
    """A value of the old and the new version as a row's two sides: the changed characters
    marked, a side without a value None."""
    if old is None and new is None:
        return None, None
    if old is None:
        return None, _all_changed(new or "") or ((" ", True),)
    if new is None:
        return _all_changed(old) or ((" ", True),), None
    if "\n" in old or "\n" in new:
        return line_diff(old, new, None)
    return char_diff(old, new)


def _kind_of(old: object, new: object) -> Kind:
    return "added" if old is None else "deleted" if new is None else "changed"


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

    def requirements(self, language: str = "ja") -> dict[str, tuple[str, Requirement]]:
        """ID → (its section as the documents number it, the requirement), in order."""
        labels = self.section_labels(language)
        return {r.id: (labels[s.id], r) for s, r in self.catalog.requirements()}

    def sections(self, language: str = "ja") -> dict[str, tuple[str, Section]]:
        """Section ID → (its number and title as the documents print them, the section)."""
        labels = self.section_labels(language)
        return {s.id: (labels[s.id], s) for s in self.catalog.walk_sections()}

    def section_labels(self, language: str = "ja") -> dict[str, str]:
        """Section ID → 「2.1 証明書」: the number the joint spec gives it, then its title."""
        paths = section_paths(self.catalog.sections)
        english = language == "en"
        return {
            s.id: f"{section_label(paths[s.id], english)} {s.title}"
            for s in self.catalog.walk_sections()
        }

    def section_of(self) -> dict[str, str]:
        """Requirement ID → the ID of the section that holds it."""
        return {r.id: s.id for s, r in self.catalog.requirements()}

    def additions(self) -> dict[str, list[tuple[str, Change]]]:
        """Added requirement ID → (municipality code, its `add`) of each that adds it."""
        found: dict[str, list[tuple[str, Change]]] = {}
        for town in sorted(self.municipality_list, key=lambda t: t.code):
            for change in town.changes:
                if change.op == "add" and change.requirement is not None:
                    found.setdefault(change.target, []).append((town.code, change))
        return found


class _Printer:
    """One version's values worded as its documents print them, in the revision's language
    (the old version's metrics keep their old units, its sections their old numbers)."""

    def __init__(self, version: Version, language: str) -> None:
        project = replace(version.project, language="en" if language == "en" else "ja")
        self.project = project
        self.fmt = Formatter(project)
        self.labels = self.fmt.labels
        self.language = project.language
        self.sections = version.section_labels(project.language)
        self.baseline = {r.id: r for _, r in version.catalog.requirements()}
        self.names = {t.code: t.name for t in version.municipality_list}
        self.additions = version.additions()

    def line(self, label: str, value: str) -> str:
        return f"{label}{self.labels['sep']}{value}"

    def filled(self, requirement: Requirement) -> str:
        """The statement as the documents print it: placeholders filled, $${ shown as ${."""
        return self.fmt.requirement(requirement).statement.rstrip("\n")

    def text(self, requirement: Requirement) -> str:
        """The title, then the statement, line by line: what 要件内容 compares."""
        return f"{requirement.title}\n{self.filled(requirement)}"

    def metric(self, name: str, value: Any) -> str:
        return self.fmt.value(FieldPath.metric_named(name), value)

    def whole(self, requirement: Requirement) -> str:
        """A whole requirement, as a 新設, 削る or 移動 row shows it."""
        labels = self.labels
        lines = [self.text(requirement), self.line(labels["level"], self.level(requirement))]
        lines.append(self.line(labels["kind"], self.fmt.value("kind", requirement.kind)))
        lines += [
            self.line(self.fmt.metric_label(name), self.metric(name, value))
            for name, value in sorted(requirement.metrics.items())
        ]
        for name in (*_TEXT_FIELDS, "legal_basis", "standard"):
            value = getattr(requirement, name)
            if value:
                shown = self.fmt.value(name, value).rstrip("\n")
                lines.append(self.line(labels[name], shown))
        return "\n".join(lines)

    def level(self, requirement: Requirement) -> str:
        return self.fmt.level(requirement.level)

    def field_label(self, name: str) -> str:
        return self.labels["rev_statement"] if name == "statement" else self.fmt.field_label(name)

    def change(self, change: Change, *, numbered: bool = True) -> str:
        """A municipality's change as its annex states it: what it does, then its reason.
        Not `numbered`, its section is named by ID: what tells whether the change changed (a
        chapter inserted before it renumbers its section, and is a row of its own)."""
        labels = self.labels
        lines: list[str] = []
        if change.op == "add" and change.requirement is not None:
            lines.append(self.whole(change.requirement))
            if change.section:
                section = self.sections.get(change.section, change.section)
                section = section if numbered else change.section
                lines.append(self.line(labels["section"], section))
        base = self.baseline.get(change.target)
        metrics = dict(base.metrics) if base is not None else {}
        metrics.update(change.set.get("metrics") or {})
        for name, value in sorted(change.set.items()):
            if name == "metrics" and isinstance(value, Mapping):
                lines += [
                    self.line(self.fmt.metric_label(k), self.metric(k, v))
                    for k, v in sorted(value.items())
                ]
            elif name == "statement" and isinstance(value, str):
                own = Requirement(id=change.target, title="", statement=value, level="mandatory")
                shown = self.filled(replace(own, metrics=metrics))
                lines.append(self.line(self.field_label(name), shown))
            else:
                lines.append(self.line(self.field_label(name), self.fmt.value(name, value)))
        lines += [self.line(self.field_label(name), labels["rev_unset"]) for name in change.unset]
        reason = labels["reason"]
        if (code := self.fmt.reason(change.reason_code)) is not None:
            reason += f"{labels['lp']}{code}{labels['rp']}"
        lines.append(self.line(reason, change.reason.strip()))
        return "\n".join(lines)

    def part_name(self, code: str | None) -> str:
        """共通仕様, or 「津幡町の個別仕様」."""
        if code is None:
            return self.labels["common_value"]
        return self.labels["rev_town_part"].format(name=self.names.get(code, code))


@dataclass(frozen=True, slots=True)
class _Move:
    """A requirement new in NEW that replaces (`formerly`) one of OLD held elsewhere."""

    id: str
    formerly: str
    origins: tuple[str | None, ...]  # where OLD held `formerly`: None the baseline, else codes
    destinations: tuple[str | None, ...]  # where NEW holds `id`


def compare(before: Version, after: Version) -> Revision:
    """The 新旧対照表 of two versions: the front matter's rows, the baseline's, then each
    municipality's."""
    language = after.project.language
    old, new = _Printer(before, language), _Printer(after, language)
    labels = new.labels
    moves, renames, problems = _pairs(before, after)
    parts = [
        Part(
            "document", None, labels["rev_document"], tuple(_document_rows(before, after, old, new))
        )
    ]
    baseline = _baseline_rows(before, after, old, new, moves, renames)
    parts.append(
        Part("baseline", None, labels["common_value"], tuple(baseline),
             moved_out=_moved_out(None, moves, old, new))
    )  # fmt: skip
    for code in sorted(set(before.municipalities) | set(after.municipalities)):
        was, now = before.municipalities.get(code), after.municipalities.get(code)
        town = now or was
        assert town is not None
        rows = _town_rows(was, now, old, new, moves)
        parts.append(
            Part("municipality", code, town.name, tuple(rows), joined=was is None,
                 left=now is None, moved_out=_moved_out(code, moves, old, new))
        )  # fmt: skip
    counts = {part.key: _counted(part) for part in parts}
    listed = tuple(
        (move.id, move.formerly, origin or "baseline", destination or "baseline")
        for move in moves
        for origin in move.origins
        for destination in move.destinations[:1]
    )
    return Revision(
        before.side, after.side, language, tuple(parts), counts, tuple(problems), listed
    )


def _counted(part: Part) -> dict[str, int]:
    """Rows by kind, and each requirement moved out as a 移動; for the baseline, requirements
    by kind (one with several changed fields counts once)."""
    counts: dict[str, int] = dict.fromkeys(KINDS, 0)
    if part.kind != "baseline":
        for row in part.rows:
            counts[row.kind] += 1
        counts["moved"] += len(part.moved_out)
        return counts
    seen: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for row in part.rows:
        seen[row.kind].add(row.id)
    counts.update((kind, len(ids)) for kind, ids in seen.items())
    counts["moved"] += len(part.moved_out)
    return counts


def _pairs(before: Version, after: Version) -> tuple[list[_Move], dict[str, str], list[Diagnostic]]:
    """Each requirement new in NEW paired with the ID it replaces (`formerly`) in OLD: moves
    across parts, renames within the baseline (new ID → old ID), and W-FORMERLY-UNKNOWN for
    a `formerly` that OLD does not have."""
    old_base = {r.id for _, r in before.catalog.requirements()}
    old_adds = before.additions()
    known = old_base | set(old_adds)
    new_base = {r.id: r for _, r in after.catalog.requirements()}
    new_adds = after.additions()
    moves: list[_Move] = []
    renames: dict[str, str] = {}
    problems: list[Diagnostic] = []
    candidates: dict[str, Requirement] = dict(new_base)
    for rid, places in new_adds.items():
        requirement = places[0][1].requirement
        if requirement is not None:
            candidates.setdefault(rid, requirement)
    for rid, requirement in candidates.items():
        if rid in known:
            continue
        for replaced in requirement.formerly:
            if replaced not in known:
                problems.append(
                    m.FORMERLY_UNKNOWN.at(
                        requirement.formerly_site(replaced),
                        id=rid,
                        old=replaced,
                        source=before.side.source,
                    )
                )
                continue
            origins: tuple[str | None, ...] = ((None,) if replaced in old_base else ()) + tuple(
                code for code, _ in old_adds.get(replaced, ())
            )
            destinations: tuple[str | None, ...] = (
                (None,) if rid in new_base else tuple(code for code, _ in new_adds[rid])
            )
            if origins == (None,) and destinations == (None,) and rid not in renames:
                renames[rid] = replaced
            else:
                moves.append(_Move(rid, replaced, origins, destinations))
    return moves, renames, problems


def _moved_out(
    code: str | None, moves: Sequence[_Move], old: _Printer, new: _Printer
) -> tuple[str, ...]:
    """The lines a part states for its requirements another part now holds."""
    labels = new.labels
    return tuple(
        labels["rev_moved_to"].format(
            id=move.formerly, destination=new.part_name(move.destinations[0]), new=move.id
        )
        for move in moves
        if code in move.origins and code not in move.destinations
    )


def _document_rows(before: Version, after: Version, old: _Printer, new: _Printer) -> list[Row]:
    """The front matter and settings: the cover, 改定履歴, 調達概要 (the schedule row by
    row), the metric registry's labels and units, and `evaluation:`."""
    labels = new.labels
    rows: list[Row] = []

    def add(group: str, key: str, item: str, was: str | None, now: str | None) -> None:
        if was == now:
            return
        old_side, new_side = _sides(was, now)
        rows.append(Row(_kind_of(was, now), key, "", item, new_side, old_side, label=group))

    cover_old, cover_new = front_matter(old.project), front_matter(new.project)
    cover = labels["rev_cover"]
    add(cover, "cover.title", labels["rev_doc_title"], cover_old["title"], cover_new["title"])
    add(cover, "cover.issuer", labels["issuer"], cover_old["issuer"], cover_new["issuer"])
    printed = labels["rev_version_of"]  # as the cover prints it: 第1.1版
    add(
        cover,
        "cover.version",
        labels["version"],
        printed.format(version=cover_old["version"]),
        printed.format(version=cover_new["version"]),
    )
    add(cover, "cover.date", labels["date"], cover_old["date"], cover_new["date"])

    def history(project: Project, printer: _Printer) -> dict[str, str]:
        return {
            r.version: "\n".join((
                printer.line(labels["date"], document_date(r.date, printer.language)),
                printer.line(labels["revision"], r.description),
            ))
            for r in project.history
        }  # fmt: skip

    was_history, now_history = history(old.project, old), history(new.project, new)
    for version in _document_order(list(was_history), list(now_history)):
        item = labels["rev_version_of"].format(version=version)
        add(labels["history"], f"history.{version}", item, was_history.get(version),
            now_history.get(version))  # fmt: skip

    group = labels["procurement"]
    was_fields = {k: v for k, _, v in procurement_fields(old.project, old.fmt, old.names)}
    for key, label, value in procurement_fields(new.project, new.fmt, new.names) or tuple(
        (k, labels[k], None) for k in was_fields
    ):
        add(group, f"procurement.{key}", label, was_fields.get(key), value)
    rows += _schedule_rows(before, after, old, new)

    old_registry, new_registry = old.project.metrics, new.project.metrics
    for name in new_registry:
        if name not in old_registry:
            continue
        metric_group = (
            f"{labels['metrics']}{labels['lp']}{new.fmt.metric_label(name)}{labels['rp']}"
        )
        add(metric_group, f"metrics.{name}.label", labels["rev_metric_label"],
            old.fmt.metric_label(name), new.fmt.metric_label(name))  # fmt: skip
        add(metric_group, f"metrics.{name}.unit", labels["rev_unit"],
            old_registry[name].unit, new_registry[name].unit)  # fmt: skip

    group = labels["rev_evaluation"]
    was_points, now_points = _evaluation(old), _evaluation(new)
    for key in _document_order(list(was_points), list(now_points)):
        item = now_points.get(key, was_points.get(key, ("", "")))[0]
        add(group, f"evaluation.{key}", item, was_points.get(key, (None, None))[1],
            now_points.get(key, (None, None))[1])  # fmt: skip
    return rows


def _schedule_rows(before: Version, after: Version, old: _Printer, new: _Printer) -> list[Row]:
    """調達スケジュール compared row by row: rows matched as rows, a changed one shown on
    both sides, one only a version has 新設 or 削除."""
    labels = new.labels

    def entries(printer: _Printer) -> list[str]:
        p = printer.project.procurement
        schedule = p.schedule if p is not None else ()
        return [printer.line(document_date(d, printer.language), e) for d, e in schedule]

    was, now = entries(old), entries(new)
    matcher = difflib.SequenceMatcher(None, was, now, autojunk=False)
    rows: list[Row] = []
    group, item = labels["procurement"], labels["schedule"]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            old_side, new_side = char_diff(was[i1 + k], now[j1 + k])
            rows.append(Row("changed", f"schedule.{j1 + k + 1}", "", item, new_side, old_side,
                            label=group))  # fmt: skip
        for k in range(i1 + paired, i2):
            rows.append(Row("deleted", f"schedule.{k + 1}", "", item, None,
                            _all_changed(was[k]), label=group))  # fmt: skip
        for k in range(j1 + paired, j2):
            rows.append(Row("added", f"schedule.{k + 1}", "", item, _all_changed(now[k]),
                            None, label=group))  # fmt: skip
    return rows


def _evaluation(printer: _Printer) -> dict[str, tuple[str, str]]:
    """`evaluation:` as (item, value) by key, as a reader of the scoring rules would say it."""
    labels = printer.labels
    evaluation = printer.project.evaluation

    def points(value: float) -> str:
        return labels["rev_points_value"].format(points=format_number(value))

    found = {
        "points": (labels["rev_points"], points(evaluation.points)),
        "partial": (labels["rev_partial"], format_number(evaluation.partial)),
    }
    for number, value in evaluation.chapters.items():
        shown = section_label(tuple(int(n) for n in number.split(".")), printer.language == "en")
        item = labels["rev_chapter_points"].format(number=shown)
        found[f"chapters.{number}"] = (item, points(value))
    for rid, value in evaluation.requirements.items():
        item = labels["rev_requirement_points"].format(id=rid)
        found[f"requirements.{rid}"] = (item, points(value))
    return found


def _baseline_rows(
    before: Version,
    after: Version,
    old_printer: _Printer,
    new_printer: _Printer,
    moves: Sequence[_Move],
    renames: Mapping[str, str],
) -> list[Row]:
    labels = new_printer.labels
    language = new_printer.language
    old, new = before.requirements(language), after.requirements(language)
    old_home, new_home = before.section_of(), after.section_of()
    rows: list[Row] = _section_rows(before, after, labels, language)
    moved_in = {move.id: move for move in moves if None in move.destinations}
    moved_away = {move.formerly for move in moves if None in move.origins}
    renamed_from = set(renames.values())
    gone = moved_away | renamed_from
    deleted = [rid for rid in old if rid not in new and rid not in gone]
    added = [rid for rid in new if rid not in old and rid not in moved_in and rid not in renames]
    alike = _alike(deleted, added, old, new, old_printer, new_printer)
    for rid in _document_order(list(old), list(new)):
        if rid in gone and rid not in new:
            continue
        if rid in moved_in:
            section, requirement = new[rid]
            text = new_printer.whole(requirement)
            item = labels["rev_requirement"]
            move = moved_in[rid]
            rows.append(
                _move_row(move, section, requirement.title, item, text, old_printer, new_printer)
            )
            continue
        if rid not in old and rid not in renames:
            section, requirement = new[rid]
            text = new_printer.whole(requirement)
            rows.append(Row("added", rid, section, labels["rev_requirement"], _all_changed(text),
                            None, alike.get(rid, ""), requirement.title))  # fmt: skip
            continue
        if rid not in new:
            section, requirement = old[rid]
            text = old_printer.whole(requirement)
            rows.append(Row("deleted", rid, section, labels["rev_requirement"], None,
                            _all_changed(text), alike.get(rid, ""), requirement.title))  # fmt: skip
            continue
        was_id = renames.get(rid, rid)
        (was_section, was), (section, now) = old[was_id], new[rid]
        if was_id != rid:
            old_side, new_side = char_diff(was_id, rid)
            rows.append(Row("changed", rid, section, labels["id"], new_side, old_side,
                            labels["rev_renamed_from"].format(id=was_id), now.title,
                            formerly=was_id))  # fmt: skip
        if old_home[was_id] != new_home[rid]:  # another section, not a renumbered one
            old_side, new_side = char_diff(was_section, section)
            rows.append(Row("moved", rid, section, labels["rev_section_item"], new_side, old_side,
                            title=now.title))  # fmt: skip
        rows += [
            replace(row, title=now.title)
            for row in _field_rows(rid, section, was, now, old_printer, new_printer)
        ]
    return rows


def _move_row(
    move: _Move,
    section: str,
    title: str,
    item: str,
    text: str,
    old: _Printer,
    new: _Printer,
) -> Row:
    """The one 移動 row of a requirement that replaces one held elsewhere in OLD: both whole,
    the characters that differ underlined, and where it came from."""
    origin = move.origins[0]
    if origin is None:
        was = old.whole(old.baseline[move.formerly])
    else:
        change = next(c for code, c in old.additions[move.formerly] if code == origin)
        was = old.change(change)
    labels = new.labels
    if move.origins == move.destinations:
        note = labels["rev_renamed_from"].format(id=move.formerly)
    else:
        origins = labels["comma"].join(old.part_name(code) for code in move.origins)
        note = labels["rev_moved_from"].format(origin=origins, id=move.formerly)
    old_side, new_side = line_diff(was, text, None)
    return Row("moved", move.id, section, item, new_side, old_side, note, title,
               formerly=move.formerly)  # fmt: skip


def _section_rows(
    before: Version, after: Version, labels: Mapping[str, str], language: str
) -> list[Row]:
    """The sections (chapters and their narrative text) added, deleted or rewritten, each
    named by its number and title as the joint spec prints them."""
    old, new = before.sections(language), after.sections(language)
    rows: list[Row] = []
    for sid in _document_order(list(old), list(new)):
        if sid not in old:
            label, section = new[sid]
            text = "\n".join(filter(None, (label, (section.body or "").rstrip())))
            rows.append(Row("added", sid, label, labels["rev_section_item"], _all_changed(text),
                            None, title=section.title, label=label))  # fmt: skip
        elif sid not in new:
            label, section = old[sid]
            text = "\n".join(filter(None, (label, (section.body or "").rstrip())))
            rows.append(Row("deleted", sid, label, labels["rev_section_item"], None,
                            _all_changed(text), title=section.title, label=label))  # fmt: skip
        else:
            (_, was), (label, now) = old[sid], new[sid]
            if was.title != now.title:
                old_side, new_side = char_diff(was.title, now.title)
                rows.append(Row("changed", sid, label, labels["rev_section_title"], new_side,
                                old_side, title=now.title, label=label))  # fmt: skip
            if (was.body or "") != (now.body or ""):
                old_side, new_side = line_diff(
                    (was.body or "").rstrip(), (now.body or "").rstrip(), labels["rev_omitted"]
                )
                rows.append(Row("changed", sid, label, labels["rev_section_body"], new_side,
                                old_side, title=now.title, label=label))  # fmt: skip
    return rows


def _field_rows(
    rid: str,
    section: str,
    was: Requirement,
    now: Requirement,
    old: _Printer,
    new: _Printer,
) -> list[Row]:
    """The rows of a requirement present in both versions: its text (placeholders filled),
    level, kind, metrics, standard and other printed fields, each that changed."""
    labels = new.labels
    rows: list[Row] = []

    def add(item: str, before: str | None, after: str | None) -> None:
        old_side, new_side = _sides(before, after)
        rows.append(Row("changed", rid, section, item, new_side, old_side))

    if (was.title, was.statement) != (now.title, now.statement):
        old_side, new_side = line_diff(old.text(was), new.text(now), labels["rev_omitted"])
        rows.append(Row("changed", rid, section, labels["rev_statement"], new_side, old_side))
    if was.level != now.level:
        rows.append(Row("changed", rid, section, labels["level"],
                        _all_changed(new.level(now)), _all_changed(old.level(was))))  # fmt: skip
    if was.kind != now.kind:
        add(labels["kind"], old.fmt.value("kind", was.kind), new.fmt.value("kind", now.kind))
    for name in sorted(set(was.metrics) | set(now.metrics)):
        before_value, after_value = was.metrics.get(name), now.metrics.get(name)
        if before_value == after_value:
            continue
        add(
            new.fmt.metric_label(name),
            None if before_value is None else old.metric(name, before_value),
            None if after_value is None else new.metric(name, after_value),
        )
    if was.standard != now.standard:
        add(labels["standard"], old.fmt.standard(was.standard), new.fmt.standard(now.standard))
    for name in _TEXT_FIELDS:
        before_text, after_text = getattr(was, name), getattr(now, name)
        if (before_text or "") != (after_text or ""):
            add(
                labels[name],
                before_text.rstrip("\n") if before_text else None,
                after_text.rstrip("\n") if after_text else None,
            )
    if was.legal_basis != now.legal_basis:
        add(
            labels["legal_basis"],
            old.fmt.value("legal_basis", was.legal_basis) if was.legal_basis else None,
            new.fmt.value("legal_basis", now.legal_basis) if now.legal_basis else None,
        )
    return rows


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
    old_printer: _Printer,
    new_printer: _Printer,
) -> dict[str, str]:
    """Notes for deleted and added requirements whose texts are near-identical: a likely
    change of ID, left for the reader to confirm."""
    labels = new_printer.labels
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
            wording = labels["rev_same"] if score == 1.0 else labels["rev_similar"]
            notes[gone] = wording.format(other=best)
            notes.setdefault(best, wording.format(other=gone))
    return notes


def _town_rows(
    was: Municipality | None,
    now: Municipality | None,
    old: _Printer,
    new: _Printer,
    moves: Sequence[_Move],
) -> list[Row]:
    """A municipality's name and 団体別諸元 as its annex prints them, then its delta compared
    change by change (keyed by operation and target)."""
    labels = new.labels
    rows: list[Row] = []
    if was is not None and now is not None and was.name != now.name:
        old_side, new_side = char_diff(was.name, now.name)
        rows.append(Row("changed", "municipality.name", "", labels["rev_name"], new_side,
                        old_side, label=labels["municipality"]))  # fmt: skip
    # A town that joins or leaves shows its 団体別諸元 as 新設 or 削除.
    old_profile = {k: old.fmt.profile_row(k, v) for k, v in (was.profile if was else {}).items()}
    new_profile = {k: new.fmt.profile_row(k, v) for k, v in (now.profile if now else {}).items()}
    for key in _document_order(list(old_profile), list(new_profile)):
        before, after = old_profile.get(key), new_profile.get(key)
        if before == after:
            continue
        item = (after or before or ("", ""))[0]
        old_text = before[1] if before is not None else None
        new_text = after[1] if after is not None else None
        if before is not None and after is not None and before[0] != after[0]:
            old_text, new_text = old.line(*before), new.line(*after)  # the label changed
        was_side, now_side = _sides(old_text, new_text)
        rows.append(Row(_kind_of(before, after), f"profile.{key}", "", item, now_side,
                        was_side, label=labels["profile"]))  # fmt: skip
    town = now or was
    code = town.code if town is not None else None
    moved_in = {move.id: move for move in moves if code in move.destinations}
    moved_away = {move.formerly for move in moves if code in move.origins}
    old_changes = {(c.op, c.target): c for c in (was.changes if was else ())}
    new_changes = {(c.op, c.target): c for c in (now.changes if now else ())}
    order = _document_order(
        [f"{op}\0{t}" for op, t in old_changes], [f"{op}\0{t}" for op, t in new_changes]
    )
    titles = {**old.baseline, **new.baseline}
    for key_text in order:
        op, target = key_text.split("\0")
        before_change = old_changes.get((op, target))  # type: ignore[arg-type]
        after_change = new_changes.get((op, target))  # type: ignore[arg-type]
        label = labels[f"rev_{op}"]
        known = titles.get(target)
        title = known.title if known is not None else ""
        if (
            op == "add"
            and after_change is not None
            and before_change is None
            and target in moved_in
        ):
            text = new.change(after_change)
            title = _added_title(after_change)
            rows.append(_move_row(moved_in[target], "", title, label, text, old, new))
            continue
        if (
            op == "add"
            and before_change is not None
            and target in moved_away
            and after_change is None
        ):
            continue
        if before_change is None and after_change is not None:
            text = new.change(after_change)
            rows.append(Row("added", target, "", label, _all_changed(text), None,
                            title=title or _added_title(after_change)))  # fmt: skip
        elif after_change is None and before_change is not None:
            text = old.change(before_change)
            rows.append(Row("deleted", target, "", label, None, _all_changed(text),
                            title=title or _added_title(before_change)))  # fmt: skip
        elif (
            before_change is not None
            and after_change is not None
            and old.change(before_change, numbered=False)
            != new.change(after_change, numbered=False)
        ):
            old_text, new_text = old.change(before_change), new.change(after_change)
            old_side, new_side = char_diff(old_text, new_text)
            rows.append(Row("changed", target, "", label, new_side, old_side,
                            title=title or _added_title(after_change)))  # fmt: skip
    return rows


def _added_title(change: Change) -> str:
    return change.requirement.title if change.requirement is not None else ""
