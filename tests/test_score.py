"""`specgen score`: returned forms, filled in programmatically as a vendor would, scored back."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from jsonschema import Draft202012Validator
from office import missing_tools
from openpyxl.worksheet.worksheet import Worksheet
from support import copy_of_bundled, run_cli

from specgen.schemas import OUTPUT_SCHEMAS

Edit = Callable[[openpyxl.Workbook], None]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_of_bundled(tmp_path_factory.mktemp("score") / "project")
    result = run_cli("build", str(root), "--format", "xlsx")
    assert result.exit_code == 0, result.output
    return root


def _column(sheet: Worksheet, header: str) -> int:
    return [c.value for c in sheet[1]].index(header) + 1


def _row(sheet: Worksheet, rid: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 2).value == rid)


def _targets(sheet: Worksheet) -> dict[int, str]:
    """A 達成値 meeting each row's 目標値: its numbers, in order."""
    import re

    return {
        r: " ".join(re.findall(r"[0-9][0-9,.]*", str(sheet.cell(r, 5).value or "")))
        for r in range(2, sheet.max_row + 1)
    }


def answered(project: Path, tmp_path: Path, edit: Edit | None = None, name: str = "a") -> Path:
    """The project's form with every row answered ○ (non-functional ones with their target
    as 達成値), then `edit` applied, saved as a vendor would."""
    book = openpyxl.load_workbook(project / "output/compliance/response-form.xlsx")
    functional, other = book["機能要件"], book["非機能要件"]
    answer = _column(functional, "対応可否")
    for r in range(2, functional.max_row + 1):
        functional.cell(r, answer).value = "○"
    for r, target in _targets(other).items():
        other.cell(r, 7).value = "○"
        other.cell(r, 6).value = target.replace(",", "")
    if edit is not None:
        edit(book)
    path = tmp_path / f"{name}.xlsx"
    book.save(path)
    return path


def with_evaluation(project: Path, name: str, block: str) -> Path:
    """A copy of `project` whose specgen.yaml has `block` as its `evaluation:`."""
    import re

    root = project.parent / name
    shutil.copytree(project, root, ignore=shutil.ignore_patterns("output"))
    config = root / "specgen.yaml"
    text = re.sub(r"(?ms)^evaluation:.*?(?=^metrics:)", "", config.read_text("utf-8"))
    config.write_text(text + block, "utf-8")
    return root


def score(project: Path, *forms: Path, lang: str = "en") -> tuple[int, list[dict[str, object]]]:
    result = run_cli("score", *map(str, forms), "--project", str(project), "--format", "json",
                     "--lang", lang)  # fmt: skip
    report = json.loads(result.stdout)
    Draft202012Validator(OUTPUT_SCHEMAS["score"]).validate(report)  # every report, published shape
    return result.exit_code, report


def codes(report: dict[str, object]) -> list[tuple[str, str | None]]:
    problems = report["problems"]
    assert isinstance(problems, list)
    return [(p["code"], p.get("cell") and f"{p['sheet']}!{p['cell']}") for p in problems]


def test_a_form_answered_all_circle_is_valid_and_earns_every_point(
    project: Path, tmp_path: Path
) -> None:
    status, [report] = score(project, answered(project, tmp_path))
    assert status == 0
    assert report["valid"] is True and report["disqualified"] is False
    assert report["problems"] == [] and report["nonfunctional_unmet"] == []
    mandatory, optional = report["mandatory"], report["optional"]
    assert isinstance(mandatory, dict) and isinstance(optional, dict)
    assert mandatory["○"] > 100 and mandatory["blank"] == mandatory["×"] == 0
    assert report["optional_coverage"] == 1.0
    assert optional["○"] == sum(optional.values()) > 0
    assert report["points"] == report["max_points"] > 0


def test_a_cross_on_a_mandatory_requirement_disqualifies(project: Path, tmp_path: Path) -> None:
    def refuse(book: openpyxl.Workbook) -> None:
        sheet = book["機能要件"]
        sheet.cell(_row(sheet, "RES-0010"), _column(sheet, "対応可否")).value = "×"

    status, [report] = score(project, answered(project, tmp_path, refuse))
    assert status == 0  # a valid form, scored: the vendor is disqualified, the form is fine
    assert report["valid"] is True and report["disqualified"] is True
    assert report["unmet_mandatory"] == ["RES-0010"]


def test_a_blank_mandatory_answer_disqualifies_too(project: Path, tmp_path: Path) -> None:
    def forget(book: openpyxl.Workbook) -> None:
        sheet = book["非機能要件"]
        sheet.cell(_row(sheet, "NFR-0110"), 7).value = None

    _, [report] = score(project, answered(project, tmp_path, forget))
    assert report["disqualified"] is True and report["unmet_mandatory"] == ["NFR-0110"]


def test_a_deleted_row_is_reported_where_it_was_and_the_form_is_not_scored(
    project: Path, tmp_path: Path
) -> None:
    def delete(book: openpyxl.Workbook) -> None:
        sheet = book["機能要件"]
        sheet.delete_rows(_row(sheet, "RES-0030"))

    status, [report] = score(project, answered(project, tmp_path, delete))
    assert status == 1
    assert report["valid"] is False and report["points"] is None
    assert codes(report) == [("E-FORM-ROWS", "機能要件!B4")]
    assert "RES-0030" in str(report["problems"])


def test_an_added_row_and_a_changed_id_are_reported(project: Path, tmp_path: Path) -> None:
    def tamper(book: openpyxl.Workbook) -> None:
        sheet = book["機能要件"]
        sheet.cell(_row(sheet, "RES-0020"), 2).value = "RES-0021"
        sheet.append(["999", "VND-0001", "", "", "独自機能", "当社独自の機能", "任意"])

    status, [report] = score(project, answered(project, tmp_path, tamper))
    found = codes(report)
    assert status == 1
    assert ("E-FORM-ROWS", "機能要件!B3") in found  # RES-0020's row, its ID edited
    last = openpyxl.load_workbook(project / "output/compliance/response-form.xlsx")["機能要件"]
    assert ("E-FORM-ROWS", f"機能要件!B{last.max_row + 1}") in found


def test_an_edited_requirement_text_is_located_at_its_cell(project: Path, tmp_path: Path) -> None:
    def soften(book: openpyxl.Workbook) -> None:
        sheet = book["機能要件"]
        sheet.cell(_row(sheet, "RES-0010"), 6).value = "可能な範囲で対応すること。"

    status, [report] = score(project, answered(project, tmp_path, soften))
    assert status == 1 and codes(report) == [("E-FORM-ROWS", "機能要件!F2")]


def test_a_form_of_another_version_is_recognised(project: Path, tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(project, old, ignore=shutil.ignore_patterns("output"))
    catalog = next((old / "requirements").glob("*.yaml"))
    text = catalog.read_text("utf-8")
    catalog.write_text(text.replace("できること。", "できること（旧版）。", 1), "utf-8")
    assert run_cli("build", str(old), "--format", "xlsx").exit_code == 0
    status, [report] = score(project, answered(old, tmp_path))
    assert status == 1 and report["valid"] is False
    assert ("E-FORM-VERSION", "表紙!B8") in codes(report)


def test_a_look_alike_circle_is_read_as_circle_with_a_warning(
    project: Path, tmp_path: Path
) -> None:
    def kanji_zero(book: openpyxl.Workbook) -> None:
        sheet = book["機能要件"]
        sheet.cell(_row(sheet, "RES-0010"), _column(sheet, "対応可否")).value = "〇"  # U+3007

    status, [report] = score(project, answered(project, tmp_path, kanji_zero))
    assert status == 0 and report["valid"] is True and report["disqualified"] is False
    assert [(p["code"], p["severity"]) for p in report["problems"]] == [  # type: ignore[attr-defined]
        ("W-FORM-ANSWER", "warning")
    ]


def test_a_latin_o_is_not_an_answer_and_the_hint_says_so(project: Path, tmp_path: Path) -> None:
    def latin(book: openpyxl.Workbook) -> None:
        sheet = book["機能要件"]
        sheet.cell(_row(sheet, "RES-0010"), _column(sheet, "対応可否")).value = "o"

    status, [report] = score(project, answered(project, tmp_path, latin), lang="ja")
    [problem] = report["problems"]  # type: ignore[misc]
    assert status == 1 and problem["code"] == "E-FORM-ANSWER"
    assert "「o」は「○」ではありません" in problem["hint"]


def test_costs_are_summed_and_a_word_for_a_cost_is_a_located_problem(
    project: Path, tmp_path: Path
) -> None:
    def costs(book: openpyxl.Workbook) -> None:
        sheet = book["機能要件"]
        cost = _column(sheet, "カスタマイズ費用（千円）")
        sheet.cell(_row(sheet, "RES-0010"), cost).value = 1200
        sheet.cell(_row(sheet, "RES-0020"), cost).value = "１，５００千円"  # full width
        sheet.cell(_row(sheet, "RES-0030"), cost).value = "別途見積"

    status, [report] = score(project, answered(project, tmp_path, costs))
    assert status == 1
    assert report["customization_cost_thousand_yen"] == 2700
    letter = openpyxl.utils.get_column_letter(14)
    assert codes(report) == [("E-FORM-COST", f"機能要件!{letter}4")]


def test_a_non_functional_value_worse_than_its_target_is_listed(
    project: Path, tmp_path: Path
) -> None:
    def slow(book: openpyxl.Workbook) -> None:
        sheet = book["非機能要件"]
        sheet.cell(_row(sheet, "NFR-0110"), 6).value = "5秒"  # target: 2 s, lower is better
        sheet.cell(_row(sheet, "NFR-0020"), 6).value = "99.99%"  # availability: higher is better

    status, [report] = score(project, answered(project, tmp_path, slow))
    assert status == 0 and report["valid"] is True
    assert report["nonfunctional_unmet"] == [
        {"id": "NFR-0110", "metric": "response_time_s", "target": 2.0, "achieved": 5.0}
    ]
    assert report["unmet_mandatory"] == ["NFR-0110"] and report["disqualified"] is True


def test_a_triangle_on_a_prohibited_requirement_is_not_an_answer(
    project: Path, tmp_path: Path
) -> None:
    """A 実装不可 function is implemented or not: its list offers ○ and ×, and a △ typed in
    anyway is reported."""
    book = openpyxl.load_workbook(project / "output/compliance/response-form.xlsx")
    sheet = book["機能要件"]
    rid = next(r[1].value for r in sheet.iter_rows(min_row=2) if r[6].value == "実装不可")

    def partial(book: openpyxl.Workbook) -> None:
        sheet = book["機能要件"]
        sheet.cell(_row(sheet, rid), _column(sheet, "対応可否")).value = "△"

    status, [report] = score(project, answered(project, tmp_path, partial))
    [problem] = report["problems"]  # type: ignore[misc]
    assert status == 1 and problem["code"] == "E-FORM-ANSWER" and rid in problem["message"]


def test_the_report_names_the_company_the_cover_gives(project: Path, tmp_path: Path) -> None:
    def sign(book: openpyxl.Workbook) -> None:
        cover = book["表紙"]
        row = next(r for r in cover.iter_rows() if r[0].value == "商号又は名称")
        assert not row[1].protection.locked  # the respondent's cells are open
        row[1].value = "株式会社能登システム"

    result = run_cli("score", str(answered(project, tmp_path, sign)), "--project", str(project),
                     "--lang", "ja")  # fmt: skip
    assert result.exit_code == 0 and "株式会社能登システム" in result.stdout
    _, [report] = score(project, answered(project, tmp_path, sign, name="b"))
    assert report["vendor"] == "株式会社能登システム"


def test_an_unreadable_file_is_a_problem_not_a_traceback(project: Path, tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("これは Excel ではない", "utf-8")
    result = run_cli("score", str(fake), str(answered(project, tmp_path)), "--project",
                     str(project), "--lang", "ja")  # fmt: skip
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "E-FORM" in result.stdout and "ブック（.xlsx）として読めません" in result.stdout
    assert "必須要件適合" in result.stdout and "形式不備" in result.stdout  # the good one is scored


def test_evaluation_turns_optional_answers_into_points(project: Path, tmp_path: Path) -> None:
    root = with_evaluation(
        project,
        "evaluated",
        "evaluation:\n  points: 2\n  partial: 0.25\n  requirements:\n    RES-0540: 10\n",
    )
    assert run_cli("build", str(root), "--format", "xlsx").exit_code == 0

    def partial(book: openpyxl.Workbook) -> None:
        sheet = book["機能要件"]
        sheet.cell(_row(sheet, "RES-0540"), _column(sheet, "対応可否")).value = "△"

    _, [full] = score(root, answered(root, tmp_path))
    _, [report] = score(root, answered(root, tmp_path, partial, name="b"))
    assert full["points"] == full["max_points"]
    assert full["max_points"] - report["points"] == pytest.approx(10 * 0.75)  # type: ignore[operator]


def test_evaluation_of_a_mandatory_requirement_is_an_error(project: Path, tmp_path: Path) -> None:
    root = with_evaluation(project, "wrong", "evaluation:\n  requirements:\n    RES-0010: 10\n")
    result = run_cli("score", str(answered(project, tmp_path)), "--project", str(root))
    assert result.exit_code == 1
    assert "specgen.yaml:" in result.output and "E-UNKNOWN-TARGET" in result.output


def test_the_comparison_workbook_lists_each_forms_answers(project: Path, tmp_path: Path) -> None:
    def refuse(book: openpyxl.Workbook) -> None:
        sheet = book["機能要件"]
        answer = _column(sheet, "対応可否")
        sheet.cell(_row(sheet, "RES-0010"), answer).value = "×"
        sheet.cell(_row(sheet, "RES-0020"), answer).value = "△"
        sheet.cell(_row(sheet, "RES-0020"), answer + 1).value = "帳票の様式変更で対応"
        sheet.cell(_row(sheet, "RES-0020"), answer + 2).value = 800

    good, bad = answered(project, tmp_path), answered(project, tmp_path, refuse, name="b")
    out = tmp_path / "report/score.xlsx"
    result = run_cli("score", str(good), str(bad), "--project", str(project),
                     "--format", "xlsx", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    summary = list(book["集計"].iter_rows(values_only=True))
    assert [row[2] for row in summary[1:]] == ["必須要件適合", "必須要件不適合（失格相当）"]
    answers = {row[1]: row for row in book["回答比較"].iter_rows(min_row=2, values_only=True)}
    assert answers["RES-0010"][-2:] == ("○", "×")
    partial = list(book["△の内容"].iter_rows(min_row=2, values_only=True))
    assert [row[2:] for row in partial] == [
        ("RES-0020", "外国人住民データの管理", "帳票の様式変更で対応", 800)
    ]
    first = out.read_bytes()
    again = run_cli("score", str(good), str(bad), "--project", str(project),
                    "--format", "xlsx", "--out", str(out))  # fmt: skip
    assert again.exit_code == 0 and out.read_bytes() == first  # deterministic, replaces its own


def test_out_never_replaces_a_file_specgen_did_not_write(project: Path, tmp_path: Path) -> None:
    form = answered(project, tmp_path)
    before = form.read_bytes()
    for target in (form, tmp_path / "notes.txt"):
        if not target.exists():
            target.write_text("担当者のメモ", "utf-8")
        kept = target.read_bytes()
        result = run_cli("score", str(form), "--project", str(project), "--format", "json",
                         "--out", str(target))  # fmt: skip
        refusal = "would be written over or among" if target == form else "not a report"
        assert result.exit_code == 1 and refusal in result.output, result.output
        assert target.read_bytes() == kept
    assert form.read_bytes() == before


def test_an_english_project_writes_english_labels_and_scores_them(tmp_path: Path) -> None:
    root = copy_of_bundled(tmp_path / "en")
    config = root / "specgen.yaml"
    config.write_text(config.read_text("utf-8").replace("language: ja", "language: en"), "utf-8")
    assert run_cli("build", str(root), "--format", "xlsx").exit_code == 0
    book = openpyxl.load_workbook(root / "output/compliance/response-form.xlsx")
    assert book.sheetnames == ["Cover", "Functional", "Non-functional"]
    header = [c.value for c in book["Functional"][1]]
    assert header[:7] == ["No", "ID", "Function ID", "Section", "Function", "Requirement", "Level"]
    assert header[-4:] == ["Answer", "Alternative / notes", "Customization cost (k yen)",
                           "Remarks"]  # fmt: skip
    levels = {row[6] for row in book["Functional"].iter_rows(min_row=2, values_only=True)}
    assert levels <= {"Mandatory", "Optional", "Prohibited"}
    answer = header.index("Answer") + 1
    for r in range(2, book["Functional"].max_row + 1):
        book["Functional"].cell(r, answer).value = "○"
    form = tmp_path / "en.xlsx"
    book.save(form)
    status, [report] = score(root, form)
    assert status == 0 and report["valid"] is True
    assert report["unmet_mandatory"]  # the non-functional sheet was left unanswered


@pytest.mark.skipif(missing_tools() is not None, reason=str(missing_tools()))
def test_a_form_saved_by_libreoffice_scores_the_same(project: Path, tmp_path: Path) -> None:
    """A vendor may answer in another office suite: its saved workbook is read the same."""
    form = answered(project, tmp_path)
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "lo"), str(form)],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    _, [direct] = score(project, form)
    status, [saved] = score(project, tmp_path / "lo/a.xlsx")
    assert status == 0, saved["problems"]
    assert {k: v for k, v in saved.items() if k != "file"} == {
        k: v for k, v in direct.items() if k != "file"
    }


def test_an_answered_target_without_its_value_is_a_warning(project: Path, tmp_path: Path) -> None:
    def no_value(book: openpyxl.Workbook) -> None:
        sheet = book["非機能要件"]
        sheet.cell(_row(sheet, "NFR-0110"), 6).value = None

    status, [report] = score(project, answered(project, tmp_path, no_value))
    row = _row(openpyxl.load_workbook(answered(project, tmp_path))["非機能要件"], "NFR-0110")
    assert status == 0 and report["valid"] is True
    assert codes(report) == [("W-FORM-VALUE", f"非機能要件!F{row}")]


def test_a_renamed_sheet_or_an_inserted_column_is_reported_not_misread(
    project: Path, tmp_path: Path
) -> None:
    def rename(book: openpyxl.Workbook) -> None:
        book["非機能要件"].title = "非機能"

    def insert(book: openpyxl.Workbook) -> None:
        book["機能要件"].insert_cols(3)

    _, [renamed] = score(project, answered(project, tmp_path, rename))
    _, [inserted] = score(project, answered(project, tmp_path, insert, name="b"))
    assert codes(renamed) == [("E-FORM", None)] and "非機能要件" in str(renamed["problems"])
    assert codes(inserted) == [("E-FORM", "機能要件!C1")]
    assert renamed["valid"] is inserted["valid"] is False


def test_the_bundled_evaluation_shares_a_chapters_points_among_its_optional_rows(
    project: Path, tmp_path: Path
) -> None:
    """specgen.yaml gives 第4章 (被災者支援) 10 points: its five optional requirements earn
    2 each, every other optional requirement 1."""
    book = openpyxl.load_workbook(project / "output/compliance/response-form.xlsx")
    rows = [r for r in book["機能要件"].iter_rows(min_row=2, values_only=True) if r[6] == "任意"]
    chapter_4 = [r[1] for r in rows if str(r[3]).startswith("4.")]
    assert len(chapter_4) == 5

    def decline(book: openpyxl.Workbook) -> None:
        sheet = book["機能要件"]
        sheet.cell(_row(sheet, chapter_4[0]), _column(sheet, "対応可否")).value = "×"

    _, [full] = score(project, answered(project, tmp_path))
    _, [report] = score(project, answered(project, tmp_path, decline, name="b"))
    optional = full["optional"]
    assert isinstance(optional, dict)
    assert full["max_points"] == 10 + (sum(optional.values()) - 5)
    assert full["max_points"] - report["points"] == 2  # type: ignore[operator]


def test_a_form_that_unpacks_too_large_is_refused_unread(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zip bomb is refused from the sizes its parts declare, before anything is unpacked
    (the limit is lowered here so that an ordinary form stands for one)."""
    from specgen.scoring import forms

    monkeypatch.setattr(forms, "MAX_UNPACKED_BYTES", 1 << 16)
    status, [report] = score(project, answered(project, tmp_path))
    assert status == 1 and report["readable"] is False
    assert "unpack to" in report["problems"][0]["message"]  # type: ignore[index]


def test_a_percentage_typed_in_excel_reads_as_typed(project: Path, tmp_path: Path) -> None:
    """Typing 99.95% stores 0.9995 with a % format: it meets 99.9%, as the vendor meant."""

    def percent(book: openpyxl.Workbook) -> None:
        sheet = book["非機能要件"]
        cell = sheet.cell(_row(sheet, "NFR-0020"), 6)
        cell.value, cell.number_format = 0.9995, "0.00%"

    status, [report] = score(project, answered(project, tmp_path, percent))
    assert status == 0 and report["nonfunctional_unmet"] == [] and report["disqualified"] is False


def test_short_rows_and_far_cells_are_problems_not_crashes(project: Path, tmp_path: Path) -> None:
    def sparse(book: openpyxl.Workbook) -> None:
        sheet = book["機能要件"]
        for column in range(2, sheet.max_column + 1):
            sheet.cell(3, column).value = None  # row 3 holds only its No
        sheet.cell(2000, 16000).value = "x"  # far away: a sheet 16,000 columns wide

    status, [report] = score(project, answered(project, tmp_path, sparse))
    assert status == 1 and report["readable"] is True
    assert {p["code"] for p in report["problems"]} <= {"E-FORM-ROWS", "E-FORM"}  # type: ignore[attr-defined]


def test_a_vendors_formula_stays_text_in_the_comparison_workbook(
    project: Path, tmp_path: Path
) -> None:
    hostile = '=HYPERLINK("http://evil.example","x")'

    def inject(book: openpyxl.Workbook) -> None:
        sheet = book["機能要件"]
        answer = _column(sheet, "対応可否")
        sheet.cell(_row(sheet, "RES-0020"), answer).value = "△"
        typed = [sheet.cell(_row(sheet, "RES-0020"), answer + 1),
                 next(r for r in book["表紙"].iter_rows() if r[0].value == "商号又は名称")[1]]  # fmt: skip
        for cell in typed:  # text a vendor typed, as a text cell (Excel: a leading apostrophe)
            cell.value, cell.data_type = hostile, "s"

    out = tmp_path / "score.xlsx"
    result = run_cli("score", str(answered(project, tmp_path, inject)), "--project", str(project),
                     "--format", "xlsx", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row
             if c.value == hostile]  # fmt: skip
    assert len(cells) == 3 and all(c.data_type == "s" for c in cells)  # 集計, △の内容 ×2


def test_answer_cells_merged_across_rows_are_a_located_problem(
    project: Path, tmp_path: Path
) -> None:
    """A vendor who unprotects the sheet and merges one ○ over three rows has answered only
    the first: the others would read as blank, so the form says where the merge is. A merge
    within one row (対応可否 with 代替案・補足) leaves each row's answer readable."""

    def merge(book: openpyxl.Workbook) -> None:
        sheet = book["機能要件"]
        first, column = _row(sheet, "RES-0010"), _column(sheet, "対応可否")
        sheet.merge_cells(
            start_row=first, end_row=first + 2, start_column=column, end_column=column
        )
        other = _row(sheet, "RES-0100")
        sheet.merge_cells(
            start_row=other, end_row=other, start_column=column, end_column=column + 1
        )

    book = openpyxl.load_workbook(project / "output/compliance/response-form.xlsx")
    sheet = book["機能要件"]
    first, column = _row(sheet, "RES-0010"), _column(sheet, "対応可否")
    letter = openpyxl.utils.get_column_letter(column)
    status, [report] = score(project, answered(project, tmp_path, merge))
    assert status == 1 and report["valid"] is False
    merged = [p for p in report["problems"] if p["code"] == "E-FORM-MERGED"]
    assert [(p["sheet"], p["cell"]) for p in merged] == [("機能要件", f"{letter}{first}")]
    assert f"{letter}{first}:{letter}{first + 2}" in merged[0]["message"]
