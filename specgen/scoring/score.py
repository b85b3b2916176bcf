"""Scoring one returned form against the form the specification writes (pure).

A form is first checked against the expected one (its version, its sheets and headers, every
row's ID and fixed cells), then its answers are read. Problems are located by sheet and cell;
a form with an error is reported as not valid and earns no points, so a tampered or stale
form is never silently scored (FORMAT §9).
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from specgen import messages as m
from specgen.errors import Diagnostic, Location
from specgen.joint import JointSpec
from specgen.messages import Words
from specgen.model import Evaluation
from specgen.render.response_form import (
    ANSWERS,
    DIGEST_LABEL,
    HEADERS,
    RESPONDENT,
    Sheets,
    Target,
    form_rows,
    spec_digest,
)
from specgen.scoring.forms import CellRange, ReturnedForm

__all__ = [
    "Counts",
    "Expected",
    "FormScore",
    "Partial",
    "Shortfall",
    "evaluation_problems",
    "expected_form",
    "score_form",
]

# Characters a vendor types for ○ or ×: read as the answer, with W-FORM-ANSWER.
_LOOKALIKES: dict[str, tuple[str, Words]] = {
    "〇": ("○", Words("U+3007 ideographic number zero", "漢数字のゼロ")),
    "◯": ("○", Words("U+25EF large circle", "大きな丸")),
    "✕": ("×", Words("U+2715 multiplication x", "バツ印")),
    "✖": ("×", Words("U+2716 heavy multiplication x", "太いバツ印")),
}
# Characters that are not an answer but show what was meant: named in the hint.
_MEANT = {"o": "○", "O": "○", "0": "○", "x": "×", "X": "×", "▲": "△", "▽": "△", "*": "×"}
_NUMBER = re.compile(r"-?[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?")
_NO_COST = {"", "-", "―", "ー", "なし", "無し", "0"}  # written for "no cost"
_DIGEST_ROW = 8  # the cover's row the form writes the digest in (B8), when none is found
# The largest numbers a form may give (FORMAT §9): a cost in thousand yen (under 10^15 yen),
# and a 達成値's magnitude. Past them a number is a slip, and a float would lose it (or be
# infinite, which JSON cannot hold).
MAX_COST = 999_999_999_999
MAX_VALUE = 10**15


@dataclass(frozen=True, slots=True)
class Expected:
    """What a form of this specification must hold."""

    sheets: Sheets
    digest: str
    version: str
    language: str
    evaluation: Evaluation


@dataclass(frozen=True, slots=True)
class Counts:
    """Answers of one group of requirements (必須, 任意 or 実装不可)."""

    circle: int = 0
    triangle: int = 0
    cross: int = 0
    blank: int = 0

    def as_json(self) -> dict[str, int]:
        return {"○": self.circle, "△": self.triangle, "×": self.cross, "blank": self.blank}


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A non-functional target the proposal does not meet."""

    id: str
    metric: str
    target: float
    achieved: float
    label: str  # the metric's label and unit, for the text report
    unit: str


@dataclass(frozen=True, slots=True)
class Partial:
    """A requirement answered △: how the vendor proposes to meet it, and at what cost."""

    id: str
    alternative: str
    cost: float


@dataclass(frozen=True, slots=True)
class FormScore:
    """The score of one returned form (the JSON object of `specgen score --format json`)."""

    file: str
    vendor: str  # 商号又は名称 from the cover ("" when not filled in)
    readable: bool  # the file could be read as a workbook (else nothing else is known)
    valid: bool  # no error: the form is this specification's, unaltered, answered in ○/△/×
    disqualified: bool  # a mandatory requirement answered × or left empty (or 実装不可 ×)
    unmet_mandatory: tuple[str, ...]
    unmet_prohibited: tuple[str, ...]
    mandatory: Counts
    optional: Counts
    prohibited: Counts
    optional_coverage: float  # share of optional requirements answered ○ or △
    cost: float  # カスタマイズ費用 in thousand yen, summed
    nonfunctional_unmet: tuple[Shortfall, ...]
    points: float | None  # None when the form is not valid
    max_points: float
    answers: Mapping[str, str]  # requirement ID → ○ △ × or "" (for the comparison workbook)
    partial: tuple[Partial, ...]  # every △, with its alternative and cost (for the committee)
    problems: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class _Answer:
    answer: str  # ○ △ × or "" (none, or not readable)
    cost: float
    achieved: str
    row: int
    alternative: str = ""  # 代替案・補足 (functional rows)


def score_form(expected: Expected, form: ReturnedForm) -> FormScore:
    """Check `form` against `expected`, then count its answers and score them."""
    problems = list(form.problems)
    answers: dict[str, _Answer] = {}
    if not form.problems:
        problems += _check_version(expected, form)
        names = HEADERS[expected.language]["sheets"]
        sheets = expected.sheets
        functional_answer = len(sheets.functional[0]) - 4
        for name, rows, levels, answer_at, cost_at, achieved_at in (
            (names[1], sheets.functional, sheets.levels_functional, functional_answer,
             functional_answer + 2, None),
            (names[2], sheets.nonfunctional, sheets.levels_nonfunctional, 6, None, 5),
        ):  # fmt: skip
            found = form.sheets.get(name)
            if found is None:
                sheet_names = "、".join(names)
                problems.append(
                    m.FORM_NO_SHEET.at(Location(form.file), sheet=name, sheets=sheet_names)
                )
                continue
            located = _Sheet(
                form.file, name, rows, found, levels, answer_at, cost_at, achieved_at,
                form.merged.get(name, ()),
            )  # fmt: skip
            if (problem := located.header_problem()) is not None:
                problems.append(problem)  # its columns are not the form's: nothing is read
                continue
            problems += located.check()
            answers.update(located.answers(problems))
    scored = _scored(expected, form.file, answers, problems, readable=not form.problems)
    return replace(scored, vendor=_vendor(expected, form))


def _vendor(expected: Expected, form: ReturnedForm) -> str:
    """The respondent's company as the cover gives it."""
    cover = form.sheets.get(HEADERS[expected.language]["sheets"][0], [])
    label = RESPONDENT[expected.language][1]
    return next((row[1].strip() for row in cover if len(row) > 1 and row[0] == label), "")


def _check_version(expected: Expected, form: ReturnedForm) -> Iterator[Diagnostic]:
    names = HEADERS[expected.language]["sheets"]
    label = DIGEST_LABEL[expected.language]
    cover = form.sheets.get(names[0])
    if cover is None:  # no cover, so no digest: the sheet is what is missing
        sheet_names = "、".join(names)
        yield m.FORM_NO_SHEET.at(Location(form.file), sheet=names[0], sheets=sheet_names)
        return
    fields = {row[0]: (number, _padded(row, 2)[1]) for number, row in enumerate(cover, 1) if row}
    if label not in fields or not fields[label][1].strip():
        number = fields[label][0] if label in fields else _DIGEST_ROW
        yield m.FORM_NO_DIGEST.at(Location(form.file, number, 2, sheet=names[0]), label=label)
        return
    number, digest = fields[label]
    if digest.strip() != expected.digest:
        version_label = "版" if expected.language == "ja" else "Version"
        version = fields.get(version_label, (0, "?"))[1]
        yield m.FORM_STALE.at(
            Location(form.file, number, 2, sheet=names[0]),
            version=version,
            found=digest.strip()[:12],
            current=expected.version,
            expected=expected.digest[:12],
        )


@dataclass(frozen=True, slots=True)
class _Sheet:
    """One answer sheet of a form, checked row by row against the sheet as written."""

    file: str
    name: str
    expected: Sequence[tuple[str, ...]]
    found: Sequence[tuple[str, ...]]
    levels: Sequence[str]  # per expected data row
    answer_at: int  # 0-based columns of 対応可否, the cost and 達成値
    cost_at: int | None
    achieved_at: int | None
    merged: Sequence[CellRange] = ()  # (first row, first column, last row, last column)

    def at(self, row: int, column: int = 0) -> Location:
        return Location(self.file, row, column, sheet=self.name)

    def header_problem(self) -> Diagnostic | None:
        """The first header cell that is not the form's: its columns cannot be trusted."""
        header = self.expected[0]
        found = _padded(self.found[0] if self.found else (), len(header))
        for column, (want, got) in enumerate(zip(header, found, strict=False), 1):
            if want != got:
                return m.FORM_HEADER.at(self.at(1, column), found=got, expected=want)
        if len(found) > len(header) and any(found[len(header) :]):
            extra = len(header) + next(i for i, v in enumerate(found[len(header) :]) if v) + 1
            return m.FORM_HEADER.at(self.at(1, extra), found=found[extra - 1], expected="")
        return None

    def check(self) -> list[Diagnostic]:
        """The rows: added, deleted, with a changed ID or changed fixed text."""
        header = self.expected[0]
        problems: list[Diagnostic] = []
        for tag, i1, i2, j1, j2 in self._opcodes():
            if tag == "replace" and i2 - i1 == j2 - j1:
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    got_id = _padded(self.found[j + 1], 2)[1]
                    want_id = self.expected[i + 1][1]
                    problems.append(
                        m.ROW_ID_CHANGED.at(self.at(j + 2, 2), found=got_id, expected=want_id)
                    )
                continue
            if tag in ("delete", "replace"):
                for i in range(i1, i2):
                    rid = self.expected[i + 1][1]
                    problems.append(m.ROW_REMOVED.at(self.at(j1 + 2, 2), id=rid, row=i + 2))
            if tag in ("insert", "replace"):
                for j in range(j1, j2):
                    problems.append(
                        m.ROW_ADDED.at(self.at(j + 2, 2), id=_padded(self.found[j + 1], 2)[1])
                    )
        problems += self._merged_answers()
        fixed = [c for c in range(len(header)) if c not in self._answer_columns()]
        for i, j in self._pairs():
            stated, answered = self.expected[i + 1], _padded(self.found[j + 1], len(header))
            for c in fixed:
                if stated[c] != answered[c]:
                    problems.append(
                        m.CELL_CHANGED.at(
                            self.at(j + 2, c + 1),
                            column=header[c],
                            id=stated[1],
                            expected=_shortened(stated[c]),
                        )
                    )
        return problems

    def answers(self, problems: list[Diagnostic]) -> dict[str, _Answer]:
        """The answers of the rows whose ID is in place; problems of their cells are added."""
        read: dict[str, _Answer] = {}
        width = len(self.expected[0])
        for i, j in self._pairs():
            row = _padded(self.found[j + 1], width)
            rid, number = self.expected[i + 1][1], j + 2
            where = self.at(number, self.answer_at + 1)
            answer = _answer(row[self.answer_at], rid, where)
            if answer.value == "△" and self.levels[i] == "prohibited":
                answer = _Read("", m.PROHIBITED_PARTIAL.at(where, id=rid))
            if answer.problem is not None:
                problems.append(answer.problem)
            cost = 0.0
            if self.cost_at is not None:
                cost, problem = _cost(row[self.cost_at], rid, self.at(number, self.cost_at + 1))
                if problem is not None:
                    problems.append(problem)
            achieved = row[self.achieved_at] if self.achieved_at is not None else ""
            alternative = row[self.answer_at + 1].strip() if self.cost_at is not None else ""
            read[rid] = _Answer(answer.value, cost, achieved, number, alternative)
        return read

    def _merged_answers(self) -> Iterator[Diagnostic]:
        """Answer cells merged across rows: the answer stands in the first row only."""
        answer_columns = {c + 1 for c in self._answer_columns()}
        for first_row, first_column, last_row, last_column in sorted(self.merged):
            if (
                last_row > first_row
                and last_row >= 2
                and any(first_column <= c <= last_column for c in answer_columns)
            ):
                cells = f"{_letters(first_column)}{first_row}:{_letters(last_column)}{last_row}"
                yield m.CELLS_MERGED.at(
                    self.at(first_row, first_column), cells=cells, first=first_row, last=last_row
                )

    def _answer_columns(self) -> set[int]:
        if self.cost_at is None:  # 非機能要件: 達成値, 対応可否, 備考
            return {5, 6, 7}
        return set(range(self.answer_at, self.answer_at + 4))

    def _ids(self) -> tuple[list[str], list[str]]:
        return [r[1] for r in self.expected[1:]], [
            r[1] if len(r) > 1 else "" for r in self.found[1:]
        ]

    def _opcodes(self) -> list[tuple[str, int, int, int, int]]:
        """What differs between the rows as written and as found: (tag, i1, i2, j1, j2) as
        difflib words it (replace, delete, insert), between the rows in place."""
        want, got = self._ids()
        if want == got:
            return []
        opcodes = []
        i0 = j0 = 0
        for i, j in [*_in_place(want, got), (len(want), len(got))]:
            if i > i0 or j > j0:
                tag = "replace" if i > i0 and j > j0 else ("delete" if i > i0 else "insert")
                opcodes.append((tag, i0, i, j0, j))
            i0, j0 = i + 1, j + 1
        return opcodes

    def _pairs(self) -> Iterator[tuple[int, int]]:
        """(expected, found) data-row indexes of the rows whose ID is where it belongs."""
        want, got = self._ids()
        if want == got:
            yield from ((i, i) for i in range(len(want)))
            return
        yield from _in_place(want, got)


def _in_place(want: Sequence[str], got: Sequence[str]) -> list[tuple[int, int]]:
    """The most rows found in the order written: (i, j) with want[i] == got[j], increasing
    in both. A longest increasing subsequence, in O(n log n) however the rows are shuffled
    or repeated (difflib's matcher is quadratic on a hostile sheet)."""
    index = {rid: i for i, rid in enumerate(want)}
    found = [(index[rid], j) for j, rid in enumerate(got) if rid in index]
    tails: list[int] = []  # the last expected index of the best run of each length
    ends: list[int] = []  # which entry of `found` ends it
    previous: list[int] = []  # for each entry of `found`, the entry before it in its run
    for k, (i, _) in enumerate(found):
        length = bisect.bisect_left(tails, i)
        previous.append(ends[length - 1] if length else -1)
        if length == len(tails):
            tails.append(i)
            ends.append(k)
        else:
            tails[length], ends[length] = i, k
    run: list[tuple[int, int]] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        run.append(found[k])
        k = previous[k]
    return run[::-1]


@dataclass(frozen=True, slots=True)
class _Read:
    value: str
    problem: Diagnostic | None = None


def _letters(column: int) -> str:
    """A spreadsheet column's letters (1 → A, 27 → AA)."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _answer(text: str, rid: str, where: Location) -> _Read:
    value = text.strip(" \t\n\u3000")
    if value in ANSWERS or not value:
        return _Read(value)
    if value in _LOOKALIKES:
        answer, name = _LOOKALIKES[value]
        return _Read(
            answer, m.ANSWER_LOOKALIKE.at(where, id=rid, found=value, name=name, answer=answer)
        )
    meant = _MEANT.get(unicodedata.normalize("NFKC", value))
    close = (
        Words(f"'{value}' is not {meant}: ", f"「{value}」は「{meant}」ではありません。")
        if meant
        else Words("", "")
    )
    return _Read("", m.ANSWER_INVALID.at(where, id=rid, found=_shortened(value), close=close))


def _cost(text: str, rid: str, where: Location) -> tuple[float, Diagnostic | None]:
    value = unicodedata.normalize("NFKC", text).strip().removesuffix("千円").strip()
    if value in _NO_COST:
        return 0.0, None
    if _NUMBER.fullmatch(value) and not value.startswith("-"):
        cost = float(value.replace(",", ""))
        if not math.isfinite(cost) or cost > MAX_COST:
            found = _shortened(text)
            return 0.0, m.COST_TOO_LARGE.at(where, id=rid, found=found, limit=MAX_COST)
        return cost, None
    return 0.0, m.COST_INVALID.at(where, id=rid, found=_shortened(text))


def _achieved(text: str) -> list[float]:
    """The numbers of a 達成値 (a number too large to hold reads as infinite)."""
    value = unicodedata.normalize("NFKC", text)
    return [float(n.replace(",", "")) for n in _NUMBER.findall(value)]


def _padded(row: tuple[str, ...], width: int) -> tuple[str, ...]:
    return row + ("",) * (width - len(row)) if len(row) < width else row


def _shortened(text: str, limit: int = 40) -> str:
    """`text` on one line, cut to `limit` characters for a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _scored(
    expected: Expected,
    file: str,
    answers: Mapping[str, _Answer],
    problems: list[Diagnostic],
    *,
    readable: bool,
) -> FormScore:
    sheets = expected.sheets
    rows = [
        (row[1], level, chapter, None)
        for row, level, chapter in zip(
            sheets.functional[1:], sheets.levels_functional, sheets.chapters_functional, strict=True
        )
    ] + [
        (row[1], level, chapter, (row, targets))
        for row, level, chapter, targets in zip(
            sheets.nonfunctional[1:],
            sheets.levels_nonfunctional,
            sheets.chapters_nonfunctional,
            sheets.targets,
            strict=True,
        )
    ]
    weights = _weights(
        expected.evaluation, [(rid, ch) for rid, lv, ch, _ in rows if lv == "optional"]
    )
    tallies: dict[str, dict[str, int]] = {
        lv: dict.fromkeys((*ANSWERS, ""), 0) for lv in ("mandatory", "optional", "prohibited")
    }
    unmet: dict[str, list[str]] = {"mandatory": [], "prohibited": []}
    shortfalls: list[Shortfall] = []
    points = 0.0
    factor = {"○": 1.0, "△": expected.evaluation.partial, "×": 0.0, "": 0.0}
    nonfunctional_sheet = HEADERS[expected.language]["sheets"][2]
    for rid, level, _, nonfunctional in rows:
        read = answers.get(rid)
        answer = read.answer if read else ""
        tallies[level][answer] += 1
        if level in unmet and answer in ("×", ""):
            unmet[level].append(rid)
        if level == "optional":
            points += weights[rid] * factor[answer]
        if nonfunctional is not None and read is not None and answer in ("○", "△"):
            row, targets = nonfunctional
            where = Location(file, read.row, 6, sheet=nonfunctional_sheet)
            missed = _shortfalls(rid, row[4], targets, read.achieved, answer, where, problems)
            if missed and level == "mandatory" and rid not in unmet["mandatory"]:
                unmet["mandatory"].append(rid)  # a mandatory target not met is not met
            shortfalls += missed
    valid = not any(p.is_error for p in problems)
    optional_total = sum(tallies["optional"].values())
    covered = tallies["optional"]["○"] + tallies["optional"]["△"]
    return FormScore(
        file=file,
        vendor="",
        readable=readable,
        valid=valid,
        disqualified=bool(unmet["mandatory"] or unmet["prohibited"]),
        unmet_mandatory=tuple(unmet["mandatory"]),
        unmet_prohibited=tuple(unmet["prohibited"]),
        mandatory=_counts(tallies["mandatory"]),
        optional=_counts(tallies["optional"]),
        prohibited=_counts(tallies["prohibited"]),
        optional_coverage=round(covered / optional_total, 4) if optional_total else 1.0,
        cost=sum(a.cost for a in answers.values()),
        nonfunctional_unmet=tuple(shortfalls),
        points=round(points, 2) if valid else None,
        max_points=round(sum(weights.values()), 2),
        answers={rid: (answers[rid].answer if rid in answers else "") for rid, *_ in rows},
        partial=tuple(
            Partial(rid, answers[rid].alternative, answers[rid].cost)
            for rid, *_ in rows
            if rid in answers and answers[rid].answer == "△"
        ),
        problems=tuple(problems),
    )


def _counts(tally: Mapping[str, int]) -> Counts:
    return Counts(tally["○"], tally["△"], tally["×"], tally[""])


def _weights(evaluation: Evaluation, optional: Sequence[tuple[str, str]]) -> dict[str, float]:
    """Points of each optional requirement: its own (`requirements`), else its section's
    (`chapters`, the longest matching number) shared evenly, else `points`."""
    chapter_of: dict[str, str | None] = {}
    members: dict[str, int] = {}
    for rid, number in optional:
        chapter = max(
            (key for key in evaluation.chapters if number == key or number.startswith(f"{key}.")),
            key=len,
            default=None,
        )
        chapter_of[rid] = chapter
        if chapter is not None and rid not in evaluation.requirements:
            members[chapter] = members.get(chapter, 0) + 1
    weights: dict[str, float] = {}
    for rid, _ in optional:
        chapter = chapter_of[rid]
        if rid in evaluation.requirements:
            weights[rid] = evaluation.requirements[rid]
        elif chapter is not None:
            weights[rid] = evaluation.chapters[chapter] / members[chapter]
        else:
            weights[rid] = evaluation.points
    return weights


def _shortfalls(
    rid: str,
    target_text: str,
    targets: Sequence[Target],
    achieved_text: str,
    answer: str,
    where: Location,
    problems: list[Diagnostic],
) -> list[Shortfall]:
    """The targets of one answered non-functional row that its 達成値 does not meet."""
    if not targets:
        return []
    if not achieved_text.strip():
        problems.append(m.VALUE_MISSING.at(where, id=rid, answer=answer, target=target_text))
        return []
    values = _achieved(achieved_text)
    if not all(math.isfinite(value) and abs(value) < MAX_VALUE for value in values):
        problems.append(
            m.VALUE_TOO_LARGE.at(
                where, id=rid, found=_shortened(achieved_text), limit=MAX_VALUE, target=target_text
            )
        )
        return []
    if len(values) != len(targets):
        problems.append(
            m.VALUE_UNREADABLE.at(
                where,
                id=rid,
                found=_shortened(achieved_text),
                count=len(values),
                needed=len(targets),
                target=target_text,
            )
        )
        return []
    return [
        Shortfall(rid, t.metric, t.value, value, t.label, t.unit)
        for t, value in zip(targets, values, strict=True)
        if (t.better == "lower" and value > t.value) or (t.better == "higher" and value < t.value)
    ]


def expected_form(joint: JointSpec) -> Expected:
    """The form the joint specification writes, as `score_form` compares returned ones with."""
    project = joint.project
    return Expected(
        sheets=form_rows(joint),
        digest=spec_digest(joint),
        version=project.version,
        language=project.language,
        evaluation=project.evaluation,
    )


def evaluation_problems(expected: Expected) -> list[Diagnostic]:
    """`evaluation:` entries that name no optional requirement, or a section with none."""
    evaluation = expected.evaluation
    sheets = expected.sheets
    levels = dict(
        zip(
            [r[1] for r in sheets.functional[1:]] + [r[1] for r in sheets.nonfunctional[1:]],
            sheets.levels_functional + sheets.levels_nonfunctional,
            strict=True,
        )
    )
    numbers = [
        number
        for number, level in zip(
            sheets.chapters_functional + sheets.chapters_nonfunctional,
            sheets.levels_functional + sheets.levels_nonfunctional,
            strict=True,
        )
        if level == "optional"
    ]
    problems: list[Diagnostic] = []
    for rid in evaluation.requirements:
        if levels.get(rid) != "optional":
            found = levels.get(rid)
            problems.append(
                m.EVALUATION_NOT_OPTIONAL.at(
                    evaluation.locations[rid], id=rid, level=_level_words(found)
                )
            )
    for key in evaluation.chapters:
        if not any(n == key or n.startswith(f"{key}.") for n in numbers):
            problems.append(m.EVALUATION_NO_SECTION.at(evaluation.locations[key], number=key))
    return problems


def _level_words(level: str | None) -> Words:
    return {
        None: Words("not in the form", "様式にない"),
        "mandatory": Words("mandatory", "必須"),
        "prohibited": Words("prohibited", "実装不可"),
    }.get(level, Words(str(level), str(level)))
