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
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
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
    "RESPONDENT",
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

# The cover's 記入要領 (how to answer), a line each.
_HOW_TO = {
    "ja": (
        "各要件について、「対応可否」欄にセルのリストから次のいずれかを選択してください。",
        "○：パッケージの標準機能で対応する（追加費用なし）　△：標準オプション機能、カスタマイズ又は"
        "代替案で対応する　×：対応不可",
        "△のときは「代替案・補足」欄に対応の内容を、追加費用があるときは「カスタマイズ費用（千円）」"
        "欄にその額を記入してください。費用は税込、千円単位（千円未満切上げ）、契約期間を通じた全参加"
        "団体分の総額とし、費用がないときは空欄としてください。",
        "区分が「必須」の要件に×を選択し、又は回答がないときは、当該提案は失格とします。必須の非機能"
        "要件の達成値が目標値に達しないときも同様とします。",
        "区分が「実装不可」の要件は、当該機能を実装しない（利用できない状態で提供する）ときは○を、"
        "実装するときは×を選択してください。×を選択し、又は回答がないときは、当該提案は失格とします。",
        "非機能要件は、「達成値」欄に提案するシステムが満たす値を目標値の単位で記入してください。目標値"
        "が複数あるときは、目標値の順に「、」で区切って記入してください（例：24時間、12時間）。目標値"
        "のない要件は、達成値の記入を要しません。",
        "非機能要件は、項目名に（任意）又は（実装不可）とあるもの以外は必須です。",
        "団体名の欄は各団体の利用を示します（仕様書の適用表と同じ記号）。○：共通仕様のとおり利用、"
        "強：当該団体の要求により共通仕様の水準を定めた、緩：当該団体の要求水準は共通仕様より低い（本"
        "システムは共通仕様の水準による）、変：当該団体の値又は記述あり、追：当該団体の追加要件を利用、"
        "×：利用しない、－：対象外（他団体の追加要件）、／：実装しない（実装不可）。",
        "「代替案・補足」欄には対応の内容を、「備考」欄にはその他の補足事項を記入してください。",
        "回答欄は緑色の欄です。区分が「必須」の要件は黄色で示します（非機能要件では要件IDの欄）。",
        "回答欄と表紙の回答者欄以外は編集できません。行の追加、削除及び並べ替え並びにセルの結合はしないでください。",
    ),
    "en": (
        "Answer every requirement in the column Answer, choosing from the cell's list:",
        "○ the package's standard function does it (no extra cost); △ by a standard option, a "
        "customization or an alternative; × it cannot",
        "For △ describe how in Alternative / notes, and give any extra cost: thousand yen, tax "
        "included, rounded up, the total over the contract for all participants; empty if none.",
        "A × or no answer on a Mandatory requirement disqualifies the proposal, and so does an "
        "Achieved value short of a Mandatory non-functional target.",
        "For a Prohibited requirement, ○ means the function is not implemented (provided "
        "unusable), × that it is; a × or no answer disqualifies the proposal.",
        "For non-functional requirements give the value the proposed system meets (Achieved) in "
        "the unit of Target; for several targets, in their order, separated by 、 (24、12).",
        "Non-functional requirements are Mandatory unless their item says (Optional) or "
        "(Prohibited).",
        "The municipalities' columns give each one's use, with the marks of the specification's "
        "applicability matrix.",
        "Answer cells are green; yellow marks a Mandatory requirement (non-functional: its ID).",
        "Only the answer cells and the respondent's cells of the cover can be edited; do not add, "
        "delete or reorder rows, or merge cells.",
    ),
}
# The respondent's cells of the cover (unlocked); `score` reports the company by the second.
RESPONDENT = {
    "ja": ("提出日", "商号又は名称", "代表者職氏名", "担当者・連絡先", "提案製品名・版"),
    "en": ("Submitted on", "Company name", "Representative", "Contact person",
           "Proposed product and version"),
}  # fmt: skip
_TIME_UNITS = ("秒", "分", "時間", "日", "週間", "か月", "月", "年")


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
                    + _bounded(
                        totals.get(name) or format_metric(value, registry.get(name)),
                        registry.get(name) if name not in totals else None,
                        language,
                    )
                    for name, value in metrics
                )
                item = requirement.title + (
                    ""
                    if shared.level == "mandatory"
                    else f"{labels['lp']}{level_label}{labels['rp']}"
                )
                nonfunctional.append((str(len(nonfunctional)), rid, item, text, target, "", "", ""))
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


def _bounded(value: str, metric: Metric | None, language: str) -> str:
    """A target as a bound: 「2秒以内」, 「99.9%以上」 (at most 2 s, at least 99.9%); a value
    without a better direction (a total of terminals) as it is."""
    if metric is None or metric.better == "none":
        return value
    if language == "en":
        return f"{'at most' if metric.better == 'lower' else 'at least'} {value}"
    if metric.better == "higher":
        return f"{value}以上"
    return f"{value}以内" if metric.unit in _TIME_UNITS else f"{value}以下"


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
        streamed(names[1]), sheets.functional, sheets.levels_functional,
        answer_columns=range(answers_from, answers_from + 4), choice_column=answers_from,
        cost_column=answers_from + 2,
        widths=(5, 11, 10, 8, 20, 60, 8, *(7,) * len(joint.municipalities), 8, 30, 14, 20),
        level_column=6, language=language,
    )  # fmt: skip
    _fill_sheet(
        streamed(names[2]), sheets.nonfunctional, sheets.levels_nonfunctional,
        answer_columns=range(5, 8), choice_column=6, cost_column=None,
        widths=(5, 11, 22, 60, 20, 16, 8, 20),
        level_column=1, language=language,  # no 区分 column: the ID marks a mandatory row
    )  # fmt: skip
    return xlsx_bytes(book, date=project.date, creator="specgen", title=project.title)


def _fill_cover(sheet: Worksheet, joint: JointSpec) -> None:
    """The cover: the spec the form belongs to (its digest), the respondent's cells (the only
    open ones), and how to answer."""
    project = joint.project
    language = project.language
    labels = labels_for(language)
    ja = language == "ja"
    issuer = " ".join(filter(None, (project.issuer.name, project.issuer.department)))
    rows: list[tuple[str, str]] = [
        ("機能要件適合表" if ja else "Compliance response form", ""),
        (labels["subject"] if project.procurement and project.procurement.subject else "", ""),
        ("", ""),
        ("仕様書" if ja else "Specification", project.title),
        (labels["version"], f"第{project.version}版" if ja else project.version),
        ("作成日" if ja else "Date", document_date(project.date, language)),
        ("作成者" if ja else "Issued by", issuer),
        (DIGEST_LABEL[language], spec_digest(joint)),
        ("", ""),
        ("回答者（記入欄）" if ja else "Respondent (fill in)", ""),
        *((label, "") for label in RESPONDENT[language]),
        ("", ""),
        ("記入要領" if ja else "How to answer", ""),
        *(("", line) for line in _HOW_TO[language]),
    ]
    if project.procurement and project.procurement.subject:
        rows[1] = (labels["subject"], project.procurement.subject)
    open_rows = range(11, 11 + len(RESPONDENT[language]))
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100
    for number, (_, value) in enumerate(rows, start=1):
        sheet.row_dimensions[number].height = _height(_lines(value, 100) + (number in open_rows))
    _print_setup(sheet)
    kinds = _cell_styles(sheet)
    for number, (label, value) in enumerate(rows, start=1):
        first, second = _cell(sheet, label), _cell(sheet, value)
        if not (label or value or number in open_rows):
            sheet.append([first, second])  # a blank line between the cover's parts: unruled
            continue
        first._style = copy(kinds["header" if number in (1, 10, 17) else "plain"])  # type: ignore[attr-defined]
        second._style = copy(kinds["answer" if number in open_rows else "plain"])  # type: ignore[attr-defined]
        if number == 1:
            first.font = Font(name=_FONT, size=14, bold=True)
        sheet.append([first, second])


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, fitted to the page width, page numbers in the footer; the sheet
    protected without a password, its rows' heights still adjustable."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    footer = sheet.oddFooter
    if footer is not None:
        footer.center.text = "&P / &N"
    sheet.protection.sheet = True
    sheet.protection.formatRows = False  # a long answer needs a taller row


def _cell(sheet: Worksheet, value: str) -> Cell:
    """A string cell, even for text starting with = or reading #N/A: never a formula; an
    empty one holds no value (an answer cell takes a number or a choice)."""
    cell = WriteOnlyCell(sheet, value or None)
    if value:
        cell.data_type = "s"
    return cell


def _fill_sheet(
    sheet: Worksheet,
    rows: Sequence[Sequence[str]],
    levels: Sequence[str],
    *,
    answer_columns: range,
    choice_column: int,
    cost_column: int | None,
    widths: Sequence[int],
    level_column: int,
    language: str,
) -> None:
    """Header and rows, answer cells unlocked, the answer a list (○/△/×; ○/× where the level
    is 実装不可), the cost a number, the sheet protected (no password), printed on A4
    landscape with the header on every page. Everything a streamed sheet writes before its
    rows (widths, heights, panes, validations) is set first."""
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    for r, row in enumerate(rows, start=1):  # wrapped text needs its lines' height
        sheet.row_dimensions[r].height = _height(
            max(_lines(value, widths[c]) for c, value in enumerate(row))
        )
    last = len(rows)
    if last > 1:
        for validation in _validations(levels, choice_column, cost_column, language):
            sheet.data_validations.append(validation)
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
            elif c == cost_column:
                kind = "cost"
            elif c in answer_columns:
                kind = "answer"
            elif c == level_column and levels[r - 2] == "mandatory":
                kind = "mandatory"
            else:
                kind = "plain"
            # The style of a prototype cell, copied as openpyxl's own copy_worksheet does:
            # assigning Font and Fill objects to 150,000 cells would hash each of them.
            cell._style = copy(kinds[kind])  # type: ignore[attr-defined]  # not in the stubs
            cells.append(cell)
        sheet.append(cells)


def _validations(
    levels: Sequence[str], choice_column: int, cost_column: int | None, language: str
) -> list[DataValidation]:
    """○/△/× for the answers (○/× on 実装不可 rows, where △ means nothing), a number of
    thousand yen for the cost; each with the prompt a vendor sees on the cell."""
    letter = get_column_letter(choice_column + 1)
    ja = language == "ja"
    made: list[DataValidation] = []
    for choices, wanted in ((ANSWERS, False), (("○", "×"), True)):
        cells = [
            f"{letter}{r}" for r, level in enumerate(levels, 2) if (level == "prohibited") == wanted
        ]
        if not cells:
            continue
        prompt = (
            ("○：実装しない　×：実装する" if ja else "○ not implemented; × implemented")
            if wanted
            else ("○：標準機能　△：オプション・代替案等　×：対応不可" if ja
                  else "○ standard; △ option or alternative; × cannot")
        )  # fmt: skip
        validation = DataValidation(
            type="list", formula1=f'"{",".join(choices)}"', allow_blank=True,
            showErrorMessage=True, errorTitle="対応可否" if ja else "Answer",
            error=_CHOOSE[language], showInputMessage=True,
            promptTitle="対応可否" if ja else "Answer", prompt=prompt,
        )  # fmt: skip
        validation.sqref = MultiCellRange(" ".join(_ranges(cells)))
        made.append(validation)
    if cost_column is not None:
        letter = get_column_letter(cost_column + 1)
        cost = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
            showErrorMessage=True, errorTitle="費用" if ja else "Cost",
            error="千円単位の数値を記入してください" if ja else "A number of thousand yen",
        )  # fmt: skip
        cost.add(f"{letter}2:{letter}{len(levels) + 1}")
        made.append(cost)
    return made


def _ranges(cells: Sequence[str]) -> list[str]:
    """Cells of one column (A2, A3, A4, A9) as ranges (A2:A4 A9)."""
    out: list[str] = []
    start = previous = None
    letters = ""
    for cell in cells:
        letters = cell.rstrip("0123456789")
        row = int(cell[len(letters) :])
        if previous is not None and row == previous + 1:
            previous = row
            continue
        if start is not None and previous is not None:
            out.append(f"{letters}{start}" + (f":{letters}{previous}" if previous != start else ""))
        start = previous = row
    if start is not None and previous is not None:
        out.append(f"{letters}{start}" + (f":{letters}{previous}" if previous != start else ""))
    return out


def _cell_styles(sheet: Worksheet) -> dict[str, StyleArray]:
    """The styles of the form's cells, registered once in the workbook: every cell wrapped,
    top-aligned, ruled and in 游ゴシック."""
    wrap = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin", color="808080")
    ruled = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold, plain = Font(name=_FONT, bold=True), Font(name=_FONT)
    made: dict[str, StyleArray] = {}
    for kind, font, fill, protection, number_format in (
        ("header", bold, _HEADER_FILL, None, None),
        ("answer", plain, _ANSWER_FILL, Protection(locked=False), None),
        ("cost", plain, _ANSWER_FILL, Protection(locked=False), "#,##0"),
        ("mandatory", bold, _MANDATORY_FILL, None, None),
        ("plain", plain, None, None, None),
    ):
        prototype = WriteOnlyCell(sheet)
        prototype.alignment = wrap
        prototype.border = ruled
        prototype.font = font
        if fill is not None:
            prototype.fill = fill
        if protection is not None:
            prototype.protection = protection
        if number_format is not None:
            prototype.number_format = number_format
        made[kind] = prototype._style  # type: ignore[attr-defined]
    return made


# The Japanese Gothic every Windows PC of a municipality or a vendor has since Windows 8.1, as
# the specs' Word files name it; a full-width character in it is two column-width units wide,
# as the row heights below assume (LibreOffice draws it with Noto Sans CJK: specgen/data).
_FONT = "游ゴシック"
_CHOOSE = {"ja": "○、△又は×を選んでください", "en": "Choose ○, △ or ×"}
_LINE_POINTS = 13.5  # a line of 11 pt text
_MAX_HEIGHT = 409  # points: the tallest row Excel draws


def _height(lines: int) -> float:
    """A row's height for `lines` lines of wrapped text, with room for the lines a Japanese
    line break (禁則) adds, at most what Excel allows."""
    return min(round(_LINE_POINTS * lines * 1.2 + 4, 1), _MAX_HEIGHT)


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
    the sheet; the non-functional rows fill 区分 too, and 目標値 and 達成値 at the end), UTF-8
    with a BOM (so Japanese Excel opens it), RFC 4180 quoting, CRLF line ends."""
    language = joint.project.language
    sheets = form_rows(joint)
    names = HEADERS[language]["sheets"]
    header = HEADERS[language]["nonfunctional"]
    functional, nonfunctional = sheets.functional, sheets.nonfunctional
    width = len(functional[0])
    table = [("シート" if language == "ja" else "Sheet", *functional[0], header[4], header[5])]
    table += [(names[1], *row, "", "") for row in functional[1:]]
    level_labels = labels_for(language)
    for (number, rid, title, text, target, achieved, answer, remark), level in zip(
        nonfunctional[1:], sheets.levels_nonfunctional, strict=True
    ):
        row = [number, rid, "", "", title, text, level_labels[f"level_{level}"]]
        row += [""] * (width - 7)
        row[width - 4], row[width - 1] = answer, remark
        table.append((names[2], *row, target, achieved))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows([_csv_safe(v) for v in row] for row in table)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")
