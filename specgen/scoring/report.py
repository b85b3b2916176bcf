"""What `specgen score` reports: a text table, JSON for tools, or a workbook comparing forms."""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Sequence

from specgen.render.response_form import HEADERS
from specgen.render.xlsx import text_cells, xlsx_bytes
from specgen.scoring.score import Counts, Expected, FormScore

__all__ = ["comparison_workbook", "is_report", "json_report", "text_report"]

_WORDS = {
    "ja": {
        "form": "適合表",
        "verdict": "判定",
        "vendor": "提出者",
        "valid": "必須要件適合",
        "disqualified": "必須要件不適合（失格相当）",
        "invalid": "形式不備（採点保留）",
        "mandatory": "必須 ○/△/×/未回答",
        "optional": "任意 ○/△/×/未回答",
        "coverage": "任意の充足率",
        "cost": "費用（千円）",
        "unmet": "非機能の未達",
        "points": "得点",
        "unmet_mandatory": "対応できない必須要件",
        "unmet_prohibited": "未回答又は×の実装不可の要件",
        "shortfall": "目標値に届かない非機能要件",
        "more": "ほか {n} 件",
        "target": "目標",
        "problems": "問題",
        "not_scored": (
            "この適合表は採点していません。提出者に確認（疑義照会）のうえ、取扱いを評価委員会で"
            "決定してください"
        ),
        "summary": "集計",
        "answers": "回答比較",
        "partial": "△の内容",
        "alternative": "代替案・補足",
        "cost_each": "カスタマイズ費用（千円）",
        "sheet": "シート",
        "level": "区分",
        "title": "機能名称・項目",
    },
    "en": {
        "form": "Form",
        "verdict": "Verdict",
        "vendor": "Respondent",
        "valid": "meets every mandatory requirement",
        "disqualified": "fails a mandatory requirement (disqualifying)",
        "invalid": "defective form (scoring withheld)",
        "mandatory": "Mandatory ○/△/×/blank",
        "optional": "Optional ○/△/×/blank",
        "coverage": "Optional coverage",
        "cost": "Cost (k yen)",
        "unmet": "NFR unmet",
        "points": "Points",
        "unmet_mandatory": "Mandatory requirements not met",
        "unmet_prohibited": "Prohibited requirements answered × or not at all",
        "shortfall": "Non-functional targets not met",
        "more": "and {n} more",
        "target": "target",
        "problems": "Problems",
        "not_scored": (
            "This form was not scored: query the respondent, and let the evaluation committee "
            "decide how to treat it"
        ),
        "summary": "Summary",
        "answers": "Answers",
        "partial": "△ answers",
        "alternative": "Alternative / notes",
        "cost_each": "Cost (k yen)",
        "sheet": "Sheet",
        "level": "Level",
        "title": "Function / item",
    },
}
_MARKER = "specgen score"  # the first words of a text report, the creator of a workbook


def _verdict(score: FormScore, words: dict[str, str]) -> str:
    if not score.valid:
        return words["invalid"]
    return words["disqualified"] if score.disqualified else words["valid"]


def _counts(counts: Counts) -> str:
    return f"{counts.circle}/{counts.triangle}/{counts.cross}/{counts.blank}"


def _points(score: FormScore) -> str:
    got = "-" if score.points is None else f"{score.points:g}"
    return f"{got}/{score.max_points:g}"


def _summary_rows(scores: Sequence[FormScore], language: str) -> list[list[str]]:
    words = _WORDS[language]
    header = [
        "form",
        "vendor",
        "verdict",
        "mandatory",
        "optional",
        "coverage",
        "cost",
        "unmet",
        "points",
    ]
    rows = [[words[key] for key in header]]
    for score in scores:
        if not score.readable:
            rows.append([score.file, "", _verdict(score, words), *("-",) * (len(header) - 3)])
            continue
        rows.append(
            [
                score.file,
                score.vendor,
                _verdict(score, words),
                _counts(score.mandatory),
                _counts(score.optional),
                f"{score.optional_coverage:.1%}",
                f"{score.cost:,.0f}",
                str(len(score.nonfunctional_unmet)),
                _points(score),
            ]
        )
    return rows


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_report(scores: Sequence[FormScore], language: str) -> str:
    """A table of the forms, then per form what disqualifies it and its problems."""
    words = _WORDS[language]
    rows = _summary_rows(scores, language)
    widths = [max(_width(row[c]) for row in rows) for c in range(len(rows[0]))]
    lines = [f"# {_MARKER}"]
    for row in rows:
        cells = [cell + " " * (widths[c] - _width(cell)) for c, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    for score in scores:
        details: list[str] = []
        if score.readable and score.unmet_mandatory:
            listed = _listed(score.unmet_mandatory, words)
            details.append(f"  {words['unmet_mandatory']}: {listed}")
        if score.readable and score.unmet_prohibited:
            listed = _listed(score.unmet_prohibited, words)
            details.append(f"  {words['unmet_prohibited']}: {listed}")
        if score.nonfunctional_unmet:
            shortfalls = _listed(
                [
                    f"{s.id} {s.label} {s.achieved:g}{s.unit}"
                    f"（{words['target']} {s.target:g}{s.unit}）"
                    for s in score.nonfunctional_unmet
                ],
                words,
            )
            details.append(f"  {words['shortfall']}: {shortfalls}")
        if not score.valid:
            details.append(f"  {words['not_scored']}")
        for problem in score.problems:
            details.extend(f"  {line}" for line in problem.format_text(language).splitlines())
        if details:
            lines += ["", score.file, *details]
    return "\n".join(lines) + "\n"


def _listed(items: Sequence[str], words: dict[str, str], limit: int = 20) -> str:
    """The first `limit` items, then how many more (the JSON report lists them all)."""
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown} {words['more'].format(n=len(items) - limit)}"


def json_report(scores: Sequence[FormScore], language: str) -> bytes:
    """A list with one object per form (FORMAT §9)."""
    document = [
        {
            "file": score.file,
            "vendor": score.vendor,
            "readable": score.readable,
            "valid": score.valid,
            "disqualified": score.disqualified,
            "unmet_mandatory": list(score.unmet_mandatory),
            "unmet_prohibited": list(score.unmet_prohibited),
            "mandatory": score.mandatory.as_json(),
            "optional": score.optional.as_json(),
            "prohibited": score.prohibited.as_json(),
            "optional_coverage": score.optional_coverage,
            "customization_cost_thousand_yen": score.cost,
            "nonfunctional_unmet": [
                {"id": s.id, "metric": s.metric, "target": s.target, "achieved": s.achieved}
                for s in score.nonfunctional_unmet
            ],
            "partial": [
                {"id": p.id, "alternative": p.alternative, "cost": p.cost} for p in score.partial
            ],
            "points": score.points,
            "max_points": score.max_points,
            "problems": [problem.as_json(language) for problem in score.problems],
        }
        for score in scores
    ]
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def comparison_workbook(scores: Sequence[FormScore], expected: Expected, date: str) -> bytes:
    """A workbook for the evaluation committee: the summary, then every requirement's answer
    in each form side by side."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.properties import PageSetupProperties

    language = expected.language
    words = _WORDS[language]
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = words["summary"]
    for line in _summary_rows(scores, language):
        summary.append(line)
    answers = book.create_sheet(words["answers"])
    names = HEADERS[language]["sheets"]
    answers.append(
        ["No", "要件ID" if language == "ja" else "ID", words["sheet"], words["level"],
         words["title"], *(s.file for s in scores)]
    )  # fmt: skip
    sheets = expected.sheets
    level_of = {"mandatory": "必須", "optional": "任意", "prohibited": "実装不可"}
    if language == "en":
        level_of = {"mandatory": "Mandatory", "optional": "Optional", "prohibited": "Prohibited"}
    listed = [
        (names[1], row, level)
        for row, level in zip(sheets.functional[1:], sheets.levels_functional, strict=True)
    ] + [
        (names[2], row, level)
        for row, level in zip(sheets.nonfunctional[1:], sheets.levels_nonfunctional, strict=True)
    ]
    title_at = 4
    for number, (sheet, row, level) in enumerate(listed, start=1):
        title = row[title_at] if sheet == names[1] else row[2]
        answers.append(
            [number, row[1], sheet, level_of[level], title,
             *(s.answers.get(row[1], "") for s in scores)]
        )  # fmt: skip
    partial = book.create_sheet(words["partial"])
    partial.append([words["form"], words["vendor"], "要件ID" if language == "ja" else "ID",
                    words["title"], words["alternative"], words["cost_each"]])  # fmt: skip
    titles = {row[1]: (row[title_at] if sheet == names[1] else row[2]) for sheet, row, _ in listed}
    for score in scores:
        for item in score.partial:
            partial.append([score.file, score.vendor, item.id, titles.get(item.id, ""),
                            item.alternative, item.cost])  # fmt: skip
    marks = {
        "×": PatternFill("solid", fgColor="F4CCCC"),
        "△": PatternFill("solid", fgColor="FFF2CC"),
    }
    for row_cells in answers.iter_rows(min_row=2, min_col=6):
        for cell in row_cells:
            if cell.value in marks:
                cell.fill = marks[str(cell.value)]
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="D9D9D9")
    for page in (summary, answers, partial):
        for cell in page[1]:
            cell.font, cell.fill = bold, grey
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        page.freeze_panes = "A2"
        page.auto_filter.ref = page.dimensions
    for letter, width in zip("ABCDE", (6, 12, 10, 8, 40), strict=True):
        answers.column_dimensions[letter].width = width
    for letter, width in zip("ABCDEF", (20, 24, 12, 30, 60, 12), strict=True):
        partial.column_dimensions[letter].width = width
    for page in (summary, answers, partial):
        page.page_setup.orientation = "landscape"
        page.page_setup.paperSize = page.PAPERSIZE_A4
        page.page_setup.fitToWidth = 1
        page.page_setup.fitToHeight = 0
        page.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        page.print_title_rows = "1:1"
    summary.column_dimensions["A"].width = 30
    text_cells(book)
    return xlsx_bytes(book, date=date, creator=_MARKER)


def is_report(data: bytes) -> bool:
    """Whether `data` is a report `specgen score` wrote, which a later run may replace."""
    if data.startswith(f"# {_MARKER}\n".encode()):
        return True
    if data.startswith(b"PK"):
        return f">{_MARKER}</dc:creator>".encode() in _core_properties(data)
    try:
        document = json.loads(data)
    except ValueError:
        return False
    return isinstance(document, list) and all(
        isinstance(item, dict) and {"file", "disqualified", "problems"} <= item.keys()
        for item in document
    )


def _core_properties(data: bytes) -> bytes:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("docProps/core.xml")
    except (zipfile.BadZipFile, KeyError):
        return b""
