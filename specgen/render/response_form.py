"""The vendors' response form (機能要件適合表): one workbook, and the same rows as CSV.

A vendor answers every requirement of the joint procurement ○ (the standard product does it),
△ (by customization or an alternative) or × (it cannot), with the alternative and the cost.
The rows come from the same model as the joint spec: the same requirements, the level the
shared system implements, and the applicability matrix's marks of each town's use. Only the
answer cells are unlocked; catalog text is always written as text, never as a formula.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from typing import cast

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from specgen.joint import JointSpec
from specgen.labels import labels_for
from specgen.model import Metric
from specgen.placeholders import fill_placeholders, format_metric
from specgen.render.dates import document_date
from specgen.render.spec_json import dumps, joint_document
from specgen.render.views import joint_view, section_number, section_paths
from specgen.render.xlsx import xlsx_bytes
from specgen.shared import is_nonstandard

__all__ = [
    "ANSWERS",
    "DIGEST_LABEL",
    "HEADERS",
    "Sheets",
    "Target",
    "csv_bytes",
    "form_rows",
    "spec_digest",
    "workbook",
]

ANSWERS = ("○", "△", "×")
_UNSAFE_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may evaluate
_MANDATORY_FILL = PatternFill("solid", fgColor="FFF2CC")
_ANSWER_FILL = PatternFill("solid", fgColor="E2EFDA")
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")

HEADERS = {
    "ja": {
        "functional": ("No", "要件ID", "機能ID", "章節", "機能名称", "要件内容", "区分"),
        "answers": ("対応可否", "代替案・補足", "カスタマイズ費用（千円）", "備考"),
        "nonfunctional": (
            "No", "要件ID", "項目", "要件内容", "目標値", "達成値", "対応可否", "備考"
        ),
        "sheets": ("表紙", "機能要件", "非機能要件"),
    },
    "en": {
        "functional": ("No", "ID", "Function ID", "Section", "Function", "Requirement", "Level"),
        "answers": ("Answer", "Alternative / notes", "Customization cost (k yen)", "Remarks"),
        "nonfunctional": (
            "No", "ID", "Item", "Requirement", "Target", "Achieved", "Answer", "Remarks"
        ),
        "sheets": ("Cover", "Functional", "Non-functional"),
    },
}  # fmt: skip

DIGEST_LABEL = {"ja": "仕様書の識別子", "en": "Specification digest"}  # on the cover, column A

_HOW_TO = {
    "ja": (
        "各要件について「対応可否」欄に次のいずれかを選択してください。",
        "○：標準の製品で対応する　△：カスタマイズ又は代替案で対応する　×：対応できない",
        "△の場合は「代替案・補足」欄に内容を、カスタマイズの場合は費用（千円、税込）を記入してください。",
        "区分が「必須」の要件に×又は未回答があるときは、失格となります。",
        "区分が「実装不可」の要件は、当該機能を実装しないことを○で回答してください。",
        "非機能要件は「達成値」欄に、提案するシステムが満たす値を記入してください。",
        "回答欄は緑色の欄です。黄色の欄は区分が「必須」の要件です（非機能要件では要件IDの欄）。",
        "回答欄以外は編集できません。行の追加、削除及び並べ替えはしないでください。",
    ),
    "en": (
        "Answer every requirement in the column Answer with one of:",
        "○ the standard product does it; △ by customization or an alternative; × it cannot",
        "For △ describe the alternative; for a customization give its cost (thousand yen).",
        "A × or no answer on a Mandatory requirement disqualifies the proposal.",
        "For a Prohibited requirement, ○ confirms the function is not implemented.",
        "For non-functional requirements give the value the proposed system meets (Achieved).",
        "Answer cells are green; yellow marks a Mandatory requirement (non-functional: its ID).",
        "Only the answer cells can be edited; do not add, delete or reorder rows.",
    ),
}


@dataclass(frozen=True, slots=True)
class Sheets:
    """The rows of the two answer sheets, header first, before any answer."""

    functional: list[tuple[str, ...]]
    nonfunctional: list[tuple[str, ...]]
    levels_functional: list[str]  # per data row: the level the shared system implements
    levels_nonfunctional: list[str]
    chapters_functional: list[str]  # per data row: its section's number, e.g. "2.3.1"
    chapters_nonfunctional: list[str]
    targets: list[tuple[Target, ...]]  # per non-functional row, in the order 目標値 lists them


@dataclass(frozen=True, slots=True)
class Target:
    """One governing value a non-functional row's 達成値 is compared with."""

    metric: str
    value: float
    better: str  # lower | higher | none, from the registry
    label: str  # as 目標値 prints it, e.g. 応答時間
    unit: str


def spec_digest(joint: JointSpec) -> str:
    """The digest of the spec a form belongs to: sha256 of the joint JSON."""
    return hashlib.sha256(dumps(joint_document(joint))).hexdigest()


def form_rows(joint: JointSpec) -> Sheets:
    """Every requirement of the joint procurement as the form lists it, in matrix order."""
    project = joint.project
    language = project.language
    labels = labels_for(language)
    headers = HEADERS[language]
    view = joint_view(joint)
    towns = [name for name, _ in view.municipalities]
    numbers = {
        sid: section_number(path) for sid, path in section_paths(joint.catalog.sections).items()
    }
    stated = {item.requirement.id: (item.stated, item.section) for item in joint.requirements}
    for annex in joint.annexes:
        for change in annex.added:
            if change.requirement is not None and change.section is not None:
                stated.setdefault(change.target, (change.requirement, change.section))
    registry = project.metrics
    functional = [(*headers["functional"], *towns, *headers["answers"])]
    nonfunctional = [headers["nonfunctional"]]
    levels_f: list[str] = []
    levels_n: list[str] = []
    chapters_f: list[str] = []
    chapters_n: list[str] = []
    targets: list[tuple[Target, ...]] = []
    for _, rows in view.matrix:
        for row in rows:
            rid, level_label, marks = row[0], row[2], row[3:]
            requirement, section = stated[rid]
            shared = joint.shared.requirements[rid]
            totals = {
                name: f"{format_metric(total, registry.get(name))}{labels['lp']}"
                f"{labels['participants_total']}{labels['rp']}"
                for name, total in shared.totals.items()
            }
            text = fill_placeholders(requirement.statement, requirement.metrics, registry, totals)
            number = numbers.get(section, section)
            if requirement.kind == "non_functional":
                metrics = sorted(requirement.metrics.items())
                target = "、".join(
                    f"{_metric_label(registry, name, language)} "
                    f"{totals.get(name) or format_metric(value, registry.get(name))}"
                    for name, value in metrics
                )
                nonfunctional.append(
                    (str(len(nonfunctional)), rid, requirement.title, text, target, "", "", "")
                )
                levels_n.append(shared.level)
                chapters_n.append(number)
                targets.append(
                    tuple(
                        Target(
                            name,
                            float(shared.totals.get(name, value)),
                            _better(registry, name),
                            _metric_label(registry, name, language),
                            registry[name].unit if name in registry else "",
                        )
                        for name, value in metrics
                    )
                )
                continue
            function_id = requirement.standard.function_id if requirement.standard else None
            title = requirement.title + (
                f"{labels['lp']}{labels['nonstandard']}{labels['rp']}"
                if is_nonstandard(requirement)
                else ""
            )
            functional.append(
                (
                    str(len(functional)), rid, function_id or "", number,
                    title, text, level_label, *marks, "", "", "", "",
                )
            )  # fmt: skip
            levels_f.append(shared.level)
            chapters_f.append(number)
    return Sheets(functional, nonfunctional, levels_f, levels_n, chapters_f, chapters_n, targets)


def _better(registry: Mapping[str, Metric], name: str) -> str:
    metric = registry.get(name)
    return metric.better if metric else "none"


def _metric_label(registry: Mapping[str, Metric], name: str, language: str) -> str:
    metric = registry.get(name)
    if metric is None:
        return name
    return (metric.label_en or metric.label) if language == "en" else metric.label


def workbook(joint: JointSpec) -> bytes:
    """The .xlsx of the response form: a cover, then the functional and non-functional sheets.

    Written in openpyxl's write-only mode, each row streamed as it is made: at 5,000
    requirements × 19 towns that halves the time of keeping 150,000 cell objects.
    """
    project = joint.project
    language = project.language
    sheets = form_rows(joint)
    names = HEADERS[language]["sheets"]
    book = Workbook(write_only=True)

    def streamed(name: str) -> Worksheet:
        # A write-only sheet has every Worksheet attribute used here (Worksheet._setup sets
        # them); the type stubs do not list them.
        return cast(Worksheet, book.create_sheet(name))

    _fill_cover(streamed(names[0]), joint)
    answers_from = len(HEADERS[language]["functional"]) + len(joint.municipalities)
    _fill_sheet(
        streamed(names[1]), sheets.functional,
        [level == "mandatory" for level in sheets.levels_functional],
        answer_columns=range(answers_from, answers_from + 4), choice_column=answers_from,
        widths=(5, 11, 10, 8, 20, 50, 8, *(6,) * len(joint.municipalities), 8, 25, 12, 15),
        level_column=6, language=language,
    )  # fmt: skip
    _fill_sheet(
        streamed(names[2]), sheets.nonfunctional,
        [level == "mandatory" for level in sheets.levels_nonfunctional],
        answer_columns=range(5, 8), choice_column=6, widths=(5, 11, 22, 60, 20, 16, 8, 20),
        level_column=1, language=language,  # no 区分 column: the ID marks a mandatory row
    )  # fmt: skip
    return xlsx_bytes(book, date=project.date, creator="specgen", title=project.title)


def _fill_cover(sheet: Worksheet, joint: JointSpec) -> None:
    project = joint.project
    language = project.language
    labels = labels_for(language)
    title = "機能要件適合表" if language == "ja" else "Compliance response form"
    rows: list[tuple[str, str]] = [
        (title, ""),
        (labels["subject"] if project.procurement and project.procurement.subject else "", ""),
        ("", ""),
        ("仕様書" if language == "ja" else "Specification", project.title),
        (labels["version"], project.version),
        (labels["date"], document_date(project.date, language)),
        (labels["issuer"], project.issuer.name),
        (DIGEST_LABEL[language], spec_digest(joint)),
        ("", ""),
        ("回答方法" if language == "ja" else "How to answer", ""),
        *(("", line) for line in _HOW_TO[language]),
    ]
    if project.procurement and project.procurement.subject:
        rows[1] = (labels["subject"], project.procurement.subject)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100
    _print_setup(sheet)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, (label, value) in enumerate(rows, start=1):
        first, second = _cell(sheet, label), _cell(sheet, value)
        second.alignment = wrap
        first.font = Font(name=_FONT, size=14, bold=True) if number == 1 else Font(name=_FONT)
        second.font = Font(name=_FONT)
        sheet.append([first, second])


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, fitted to the page width; the sheet protected without a password."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.protection.sheet = True


def _cell(sheet: Worksheet, value: str) -> Cell:
    """A string cell, even for text starting with = or reading #N/A: never a formula."""
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell


def _fill_sheet(
    sheet: Worksheet,
    rows: Sequence[Sequence[str]],
    mandatory: Sequence[bool],
    *,
    answer_columns: range,
    choice_column: int,
    widths: Sequence[int],
    level_column: int,
    language: str,
) -> None:
    """Header and rows, answer cells unlocked, the answer a list of ○/△/×, the sheet protected
    (no password), printed on A4 landscape with the header on every page. Everything a
    streamed sheet writes before its rows (widths, heights, panes) is set first."""
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    for r, row in enumerate(rows, start=1):  # wrapped text needs its lines' height
        lines = max(_lines(value, widths[c]) for c, value in enumerate(row))
        sheet.row_dimensions[r].height = _LINE_POINTS * (lines + lines // 6) + 3
    last = len(rows)
    letter = get_column_letter(choice_column + 1)
    if last > 1:
        choice = DataValidation(
            type="list", formula1=f'"{",".join(ANSWERS)}"', allow_blank=True,
            showErrorMessage=True, errorTitle="○△×", error=_CHOOSE[language],
        )  # fmt: skip
        choice.add(f"{letter}2:{letter}{last}")
        sheet.data_validations.append(choice)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{last}"
    sheet.print_title_rows = "1:1"
    _print_setup(sheet)
    sheet.protection.autoFilter = False  # filtering stays possible in a protected sheet
    sheet.protection.sort = True
    kinds = _cell_styles(sheet)
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            cell = _cell(sheet, value)
            if r == 1:
                kind = "header"
            elif c in answer_columns:
                kind = "answer"
            elif c == level_column and mandatory[r - 2]:
                kind = "mandatory"
            else:
                kind = "body"
            # The style of a prototype cell, copied as openpyxl's own copy_worksheet does:
            # assigning Font and Fill objects to 150,000 cells would hash each of them.
            cell._style = copy(kinds[kind])  # type: ignore[attr-defined]  # not in the stubs
            cells.append(cell)
        sheet.append(cells)


def _cell_styles(sheet: Worksheet) -> dict[str, StyleArray]:
    """The styles of the form's cells, registered once in the workbook."""
    wrap = Alignment(wrap_text=True, vertical="top")
    bold, plain = Font(name=_FONT, bold=True), Font(name=_FONT)
    made: dict[str, StyleArray] = {}
    for kind, font, fill, protection in (
        ("header", bold, _HEADER_FILL, None),
        ("answer", plain, _ANSWER_FILL, Protection(locked=False)),
        ("mandatory", bold, _MANDATORY_FILL, None),
        ("body", plain, None, None),
    ):
        prototype = WriteOnlyCell(sheet)
        prototype.alignment = wrap
        prototype.font = font
        if fill is not None:
            prototype.fill = fill
        if protection is not None:
            prototype.protection = protection
        made[kind] = prototype._style  # type: ignore[attr-defined]
    return made


# The Japanese Gothic every Windows PC of a municipality or a vendor has since Windows 8.1, as
# the specs' Word files name it; a full-width character in it is two column-width units wide,
# as the row heights below assume (LibreOffice draws it with Noto Sans CJK: specgen/data).
_FONT = "游ゴシック"
_CHOOSE = {"ja": "○、△又は×を選んでください", "en": "Choose ○, △ or ×"}
_LINE_POINTS = 13.5  # a line of 11 pt text


def _lines(text: str, width: int) -> int:
    """About how many lines `text` takes in a column `width` characters wide. A full-width
    character counts two: in UTF-8 it is three bytes, an ASCII one one, so (bytes + chars) / 2
    counts them without a loop over the characters."""
    count = 0
    for line in text.rstrip("\n").split("\n"):
        units = (len(line.encode()) + len(line)) // 2
        count += max(1, -(-units // max(width - 1, 1)))
    return count


def _text(value: str) -> str:
    """Catalog text as written: the workbook stores it as a string cell (see _fill_sheet)."""
    return value


def _csv_safe(value: str) -> str:
    """A CSV field a spreadsheet will not evaluate: text starting with = + - @ tab or CR gets a
    leading apostrophe (the usual CSV-injection guidance)."""
    return f"'{value}" if value.startswith(_UNSAFE_START) else value


def csv_bytes(joint: JointSpec) -> bytes:
    """compliance/requirements.csv: the rows of both sheets in one table (a first column names
    the sheet; the non-functional rows fill 目標値 and 達成値 at the end), UTF-8 with a BOM (so
    Japanese Excel opens it), RFC 4180 quoting, CRLF line ends."""
    language = joint.project.language
    sheets = form_rows(joint)
    names = HEADERS[language]["sheets"]
    header = HEADERS[language]["nonfunctional"]
    functional, nonfunctional = sheets.functional, sheets.nonfunctional
    width = len(functional[0])
    table = [("シート" if language == "ja" else "Sheet", *functional[0], header[4], header[5])]
    table += [(names[1], *row, "", "") for row in functional[1:]]
    for number, rid, title, text, target, achieved, answer, remark in nonfunctional[1:]:
        row = [number, rid, "", "", title, text] + [""] * (width - 6)
        row[width - 4], row[width - 1] = answer, remark
        table.append((names[2], *row, target, achieved))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows([_csv_safe(v) for v in row] for row in table)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")
