"""The fit & gap report as Markdown (the chart beside it as fit-gap.png) and as a workbook the
BPR team records its decisions in."""

from __future__ import annotations

from specgen.assessment.fitgap import FitGap, Status
from specgen.labels import labels_for
from specgen.render.markdown import escape_cell, escape_inline

__all__ = ["CHART", "DECISIONS", "fit_gap_markdown", "fit_gap_workbook"]

CHART = "fit-gap.png"
DECISIONS = {
    "ja": ("標準に合わせる", "個別対応", "要協議"),
    "en": ("align with the standard", "handle individually", "to discuss"),
}
_MARKS: dict[str, dict[Status, str]] = {
    "ja": {"common": "○", "tightened": "強", "relaxed": "緩", "changed": "変", "excluded": "×",
           "added": "追", "nonstandard": "外"},
    "en": {"common": "○", "tightened": "T", "relaxed": "R", "changed": "M", "excluded": "×",
           "added": "A", "nonstandard": "N"},
}  # fmt: skip
_STATUS_WORDS: dict[str, dict[Status, str]] = {
    "ja": {"common": "共通仕様のとおり", "tightened": "強化", "relaxed": "緩和", "changed": "変更",
           "excluded": "利用しない", "added": "追加", "nonstandard": "追加（標準仕様外）"},
    "en": {"common": "as the common part", "tightened": "tightened", "relaxed": "relaxed",
           "changed": "changed", "excluded": "not used", "added": "added",
           "nonstandard": "added (non-standard)"},
}  # fmt: skip
_WORDS = {
    "ja": {
        "title": "フィット＆ギャップ分析", "subtitle": "{title}に係るフィット＆ギャップ分析結果",
        "fit": "適合率（共通仕様をそのまま採用する割合）",
        "town": "団体", "total": "全体", "chart": "団体別・章別の乖離件数",
        "counts": "乖離の内訳（件）", "deviations": "乖離の一覧（理由区分別）",
        "shared": "複数の団体に共通する乖離（全体で協議する項目）",
        "candidates": "共通仕様への追加候補", "matrix": "要件別の状況（乖離のある要件）",
        "id": "要件ID", "name": "要件名", "chapter": "章", "status": "乖離区分", "reason": "理由",
        "reason_code": "理由区分", "decision": "判断", "memo": "メモ", "level": "区分",
        "model": "共通仕様", "own": "団体の要望", "others": "同じ要件で乖離する他団体",
        "priority": "優先度", "owner": "担当", "meeting": "協議日", "sum": "計",
        "no_candidates": "二つ以上の団体が同一又はほぼ同一の内容で追加した要件はない。",
        "no_shared": "二つ以上の団体が乖離する要件はない。",
        "candidate_row": "類似度", "legend": (
            "○：共通仕様のとおり、強：強化、緩：緩和、変：変更、×：利用しない。"
            "団体の追加要件は乖離の一覧及び表計算ファイルに示す。"
        ),
        "intro": (
            "共通仕様（モデル仕様書）と各団体の個別仕様を比べ、各団体が共通仕様をそのまま採用する"
            "割合（適合率）と、共通仕様からの乖離を理由とともに示す。乖離の一覧は、各団体と協議"
            "して対応方針（標準に合わせる、個別対応、要協議）を決定するためのものである。"
        ),
        "definitions": (
            "適合率＝共通仕様のとおり採用する要件の数÷共通仕様の要件の数（括弧内はその件数）。"
            "利用しない要件は不適合に数え、団体の追加要件は含まない。乖離区分は次のとおり。"
            "強化：共通仕様より高い水準を求める。緩和：共通仕様より低い水準とする。"
            "変更：値又は記述を変える（強化・緩和のいずれでもない）。利用しない：当該機能を利用"
            "しない（共同利用システムには実装され得る）。追加：団体独自の要件を加える。"
            "追加（標準仕様外）：標準仕様書に機能IDのない機能を加える。"
        ),
        "no_reason_code": "理由区分なし",
    },
    "en": {
        "title": "Fit & gap analysis", "subtitle": "Fit & gap analysis of {title}",
        "fit": "Fit rate (share of the common part adopted unchanged)",
        "town": "Municipality", "total": "All", "chart": "Deviations by municipality and chapter",
        "counts": "Deviations by kind", "deviations": "Deviations by reason",
        "shared": "Deviations several municipalities share (to discuss together)",
        "candidates": "Candidates for the common part",
        "matrix": "Status by requirement (those with a deviation)",
        "id": "ID", "name": "Requirement", "chapter": "Chapter", "status": "Deviation",
        "reason": "Reason", "reason_code": "Reason code", "decision": "Decision",
        "memo": "Memo", "level": "Level", "model": "Common part", "own": "Municipality",
        "others": "Others deviating on it", "priority": "Priority", "owner": "Owner",
        "meeting": "Meeting", "sum": "Total",
        "no_candidates": "No requirement was added by two or more municipalities alike.",
        "no_shared": "No requirement has deviations of two or more municipalities.",
        "candidate_row": "Similarity", "legend": (
            "○ as the common part, T tightened, R relaxed, M changed, × not used. Additions "
            "are listed with the deviations and in the workbook."
        ),
        "intro": (
            "The common part (the model) against each municipality's differences: the share it "
            "adopts unchanged (fit rate), and every deviation with its reason, for the BPR team "
            "to decide with each municipality whether to align, handle individually or discuss."
        ),
        "definitions": (
            "Fit rate = requirements adopted as the common part states them / requirements of "
            "the common part (the counts in brackets); a requirement not used counts as a gap, "
            "additions do not count. Tightened: a higher level than the common part; relaxed: "
            "a lower one; changed: another value or wording; not used: the function is not used "
            "(the shared system may still implement it); added: a requirement of its own; "
            "added (non-standard): a function without a national function ID."
        ),
        "no_reason_code": "no reason code",
    },
}  # fmt: skip


# (opening and closing bracket, the separator of a list)
_PUNCT = {"ja": ("（", "）", "、"), "en": (" (", ")", ", ")}


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def fit_gap_markdown(fit: FitGap, *, title: str, language: str, dated: str = "") -> str:
    """The report: fit rates, the chart, the deviations by reason, those several towns share,
    the candidates, and the requirements with a deviation."""
    words = _WORDS[language]
    labels = labels_for(language)
    statuses = _STATUS_WORDS[language]
    lp, rp, comma = _PUNCT[language]
    subtitle = words["subtitle"].format(title=title)
    out = [f"# {words['title']}", "", str(escape_inline(subtitle)), ""]
    if dated:
        out += [str(escape_inline(dated)), ""]
    out += [words["intro"], "", words["definitions"], ""]
    out += [f"## {words['fit']}", ""]
    header = [words["town"], *fit.chapters, words["total"]]
    sizes = {c: sum(1 for row in fit.rows if row[2] == c) for c in fit.chapters}
    out += ["| " + " | ".join(escape_cell(h) for h in header) + " |",
            "| --- | " + " | ".join("---:" for _ in header[1:]) + " |"]  # fmt: skip
    for index, (code, name) in enumerate(fit.towns):
        cells = []
        for chapter in fit.chapters:
            kept = sum(1 for r in fit.rows if r[2] == chapter and r[3][index] == "common")
            cells.append(f"{_percent(fit.fit[code][chapter])}<br>{lp}{kept}/{sizes[chapter]}{rp}")
        kept = sum(1 for r in fit.rows if r[3][index] == "common")
        total = f"{_percent(fit.fit_total[code])}<br>{lp}{kept}/{len(fit.rows)}{rp}"
        out.append(f"| {escape_cell(name)} | " + " | ".join(cells) + f" | {total} |")
    figure = ("図：" if language == "ja" else "Figure: ") + words["chart"]
    out += ["", f"## {words['chart']}", "", f"![{figure}]({CHART})", ""]
    kinds: tuple[Status, ...] = (
        "tightened",
        "relaxed",
        "changed",
        "excluded",
        "added",
        "nonstandard",
    )
    out += [f"## {words['counts']}", "",
            f"| {words['town']} | " + " | ".join(statuses[k] for k in kinds)
            + f" | {words['sum']} |",
            "| --- | " + " | ".join("---:" for _ in kinds) + " | ---: |"]  # fmt: skip
    for code, name in fit.towns:
        counts = fit.counts(code)
        count = sum(counts[k] for k in kinds)
        out.append(f"| {escape_cell(name)} | " + " | ".join(str(counts[k]) for k in kinds)
                   + f" | {count} |")  # fmt: skip
    out += ["", f"## {words['deviations']}", ""]
    current: str | None = None
    for number, deviation in enumerate(fit.deviations):
        if deviation.reason_code != current:
            current = deviation.reason_code
            heading = labels.get(f"reason_{current}", "") or words["no_reason_code"]
            out += [f"### {escape_inline(heading)}", "",
                    "<!-- specgen:widths 10 9 12 5 9 12 12 31 -->", "",
                    f"| {words['town']} | {words['id']} | {words['name']} | {words['level']} | "
                    f"{words['status']} | {words['model']} | {words['own']} | "
                    f"{words['reason']} |", "|" + " --- |" * 8]  # fmt: skip
        level = labels.get(f"level_{deviation.level}", "")
        out.append(
            f"| {escape_cell(deviation.town)} | {escape_cell(deviation.id)} | "
            f"{escape_cell(deviation.title)} | {level} | {statuses[deviation.status]} | "
            f"{escape_cell(deviation.model)} | {escape_cell(deviation.own)} | "
            f"{escape_cell(deviation.reason)} |"
        )
        following = fit.deviations[number + 1] if number + 1 < len(fit.deviations) else None
        if following is None or following.reason_code != current:
            out.append("")
    out += [f"## {words['shared']}", ""]
    shared: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for deviation in fit.deviations:
        if deviation.others:
            shared.setdefault(deviation.id, []).append(
                f"{deviation.town}{lp}{statuses[deviation.status]}{rp}"
            )
            titles[deviation.id] = deviation.title
    if shared:
        out += [f"| {words['id']} | {words['name']} | {words['town']} |", "| --- | --- | --- |"]
        order = {d.id: n for n, d in reversed(list(enumerate(fit.deviations)))}
        for rid in sorted(shared, key=lambda r: (r[:3], order[r], r)):
            out.append(f"| {escape_cell(rid)} | {escape_cell(titles[rid])} | "
                       f"{escape_cell(comma.join(shared[rid]))} |")  # fmt: skip
        out.append("")
    else:
        out += [words["no_shared"], ""]
    out += [f"## {words['candidates']}", ""]
    if not fit.candidates:
        out += [words["no_candidates"], ""]
    else:
        names = dict(fit.towns)
        out += [f"| {words['name']} | {words['town']} | {words['candidate_row']} |",
                "| --- | --- | --- |"]  # fmt: skip
        for candidate in fit.candidates:
            who = comma.join(f"{names[code]}{lp}{rid}{rp}" for code, rid in candidate.ids)
            out.append(f"| {escape_cell(candidate.title)} | {escape_cell(who)} | "
                       f"{candidate.similarity:.2f} |")  # fmt: skip
        out.append("")
    out += [f"## {words['matrix']}", "", words["legend"], ""]
    marks = _MARKS[language]
    for chapter in fit.chapters:
        rows = [row for row in fit.rows if row[2] == chapter and any(s != "common" for s in row[3])]
        if not rows:
            continue
        out += [f"### {escape_inline(chapter)}", "",
                f"| {words['id']} | {words['name']} | "
                + " | ".join(escape_cell(name) for _, name in fit.towns) + " |",
                "| --- | --- | " + " | ".join("---" for _ in fit.towns) + " |"]  # fmt: skip
        for rid, name, _, statuses_row in rows:
            out.append(f"| {escape_cell(rid)} | {escape_cell(name)} | "
                       + " | ".join(marks[s] for s in statuses_row) + " |")  # fmt: skip
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def fit_gap_workbook(fit: FitGap, *, title: str, language: str, date: str) -> bytes:
    """適合率, 乖離一覧 (with the team's 判断 as a list and a memo column), 要件別の状況 and
    共通化候補."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.properties import PageSetupProperties

    from specgen.render.xlsx import text_cells, xlsx_bytes

    words = _WORDS[language]
    labels = labels_for(language)
    statuses = _STATUS_WORDS[language]
    lp, rp, comma = _PUNCT[language]
    book = Workbook()
    rates = book.active
    assert rates is not None
    rates.title = words["fit"].split("（")[0].split(" (")[0]
    rates.append([words["town"], *fit.chapters, words["total"]])
    for code, name in fit.towns:
        rates.append([name, *(fit.fit[code][c] for c in fit.chapters), fit.fit_total[code]])
    for row in rates.iter_rows(min_row=2, min_col=2):
        for cell in row:
            cell.number_format = "0.0%"
    deviations = book.create_sheet(words["deviations"].split("（")[0].split(" by")[0])
    deviations.append([words["reason_code"], words["town"], words["id"], words["name"],
                       words["chapter"], words["level"], words["status"], words["model"],
                       words["own"], words["reason"], words["others"], words["decision"],
                       words["priority"], words["owner"], words["meeting"],
                       words["memo"]])  # fmt: skip
    for d in fit.deviations:
        code_label = labels.get(f"reason_{d.reason_code}", "") if d.reason_code else ""
        deviations.append([code_label or words["no_reason_code"], d.town, d.id, d.title,
                           d.chapter, labels.get(f"level_{d.level}", ""), statuses[d.status],
                           d.model, d.own, d.reason, comma.join(d.others),
                           None, None, None, None, None])  # fmt: skip
    if fit.deviations:
        choice = DataValidation(type="list", allow_blank=True,
                                formula1='"' + ",".join(DECISIONS[language]) + '"')  # fmt: skip
        choice.add(f"L2:L{len(fit.deviations) + 1}")
        deviations.add_data_validation(choice)
        priority = DataValidation(type="list", allow_blank=True, formula1='"高,中,低"'
                                  if language == "ja" else '"high,medium,low"')  # fmt: skip
        priority.add(f"M2:M{len(fit.deviations) + 1}")
        deviations.add_data_validation(priority)
    matrix = book.create_sheet(words["matrix"].split("（")[0].split(" (")[0])
    matrix.append([words["id"], words["name"], words["chapter"], *(n for _, n in fit.towns)])
    for rid, name, chapter, per_town in fit.rows:
        matrix.append([rid, name, chapter, *(statuses[s] for s in per_town)])
    names = dict(fit.towns)
    for code, rid, name, status in fit.added:
        cells = [statuses[status] if c == code else "" for c, _ in fit.towns]
        matrix.append([rid, name, "", *cells])
    candidates = book.create_sheet(words["candidates"])
    candidates.append([words["name"], words["town"], words["candidate_row"]])
    if not fit.candidates:
        candidates.append([words["no_candidates"]])
    for candidate in fit.candidates:
        who = comma.join(f"{names[code]}{lp}{rid}{rp}" for code, rid in candidate.ids)
        candidates.append([candidate.title, who, candidate.similarity])
    wrap, bold = Alignment(wrap_text=True, vertical="top"), Font(bold=True)
    grey = PatternFill("solid", fgColor="D9D9D9")
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font, cell.fill, cell.alignment = bold, grey, wrap
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.print_title_rows = "1:1"
    widths = (14, 12, 11, 24, 18, 8, 12, 20, 20, 50, 16, 14, 8, 10, 10, 30)
    for number, width in enumerate(widths, start=1):
        deviations.column_dimensions[get_column_letter(number)].width = width
    for row in deviations.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for sheet in book.worksheets:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    matrix.column_dimensions["B"].width = 30
    rates.column_dimensions["A"].width = 14
    text_cells(book)
    return xlsx_bytes(book, date=date, creator="specgen", title=title)
