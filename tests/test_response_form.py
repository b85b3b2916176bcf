"""The vendors' response form (機能要件適合表): read back with openpyxl, opened by LibreOffice."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from office import missing_tools
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from support import CATALOG, MakeProject, copy_of_bundled, run_cli


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_of_bundled(tmp_path_factory.mktemp("form") / "project")
    out = root.parent / "out"
    result = run_cli("build", str(root), "--out", str(out), "--format", "xlsx", "--format", "csv",
                     "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_the_sheets_and_headers_are_those_a_vendor_expects(form: Path) -> None:
    book = openpyxl.load_workbook(form / "compliance/response-form.xlsx")
    assert book.sheetnames == ["表紙", "機能要件", "非機能要件"]
    functional = book["機能要件"]
    header = [c.value for c in functional[1]]
    assert header == [
        "No", "要件ID", "機能ID", "章節", "機能名称", "要件内容", "区分",
        "輪島市", "津幡町", "志賀町", "宝達志水町",
        "対応可否", "代替案・補足", "カスタマイズ費用（千円）", "備考",
    ]  # fmt: skip
    assert [c.value for c in book["非機能要件"][1]] == [
        "No",
        "要件ID",
        "項目",
        "要件内容",
        "目標値",
        "達成値",
        "対応可否",
        "備考",
    ]


def test_every_requirement_has_one_row_with_the_joint_specs_level_and_marks(form: Path) -> None:
    import json

    joint = json.loads((form / "joint/spec.json").read_text("utf-8"))
    added = [a for annex in joint["annexes"].values() for a in annex["added"]]
    kinds = {r["id"]: r["kind"] for r in [*joint["requirements"], *added]}
    book = openpyxl.load_workbook(form / "compliance/response-form.xlsx")
    functional = {row[1]: row for row in book["機能要件"].iter_rows(min_row=2, values_only=True)}
    other = {row[1]: row for row in book["非機能要件"].iter_rows(min_row=2, values_only=True)}
    assert set(functional) == {rid for rid, kind in kinds.items() if kind != "non_functional"}
    assert set(other) == {rid for rid, kind in kinds.items() if kind == "non_functional"}
    # the level the shared system implements, and the matrix's marks of each town's use
    assert functional["RES-0400"][6] == "必須"  # 津幡町's need made it mandatory
    assert functional["RES-0500"][7:11] == ("○", "○", "×", "○")  # 志賀町 does not use it
    assert functional["HDS-0001"][4].endswith("（標準仕様外）")
    assert functional["HDS-0001"][7:11] == ("－", "－", "－", "追")
    assert other["NFR-0110"][4] == "応答時間 2秒以内"  # the governing value, as a bound
    assert (
        other["NFR-0140"][4]
        == "同時利用者数 115人（参加団体の合計）、端末台数 180台（参加団体の合計）"
    )


def _cells(cell_range: CellRange) -> list[str]:
    return [f"{get_column_letter(c)}{r}" for r, c in cell_range.cells]


def test_only_the_answer_cells_are_open_and_answers_are_a_list(form: Path) -> None:
    book = openpyxl.load_workbook(form / "compliance/response-form.xlsx")
    sheet = book["機能要件"]
    assert sheet.protection.sheet and not sheet.protection.password
    rows = sheet.max_row
    for cell in sheet[2]:
        assert cell.protection.locked == (cell.column < 12), cell.coordinate
    answers, prohibited, cost = sheet.data_validations.dataValidation
    assert answers.type == prohibited.type == "list" and answers.showInputMessage
    assert (answers.formula1, prohibited.formula1) == ('"○,△,×"', '"○,×"')  # △ means nothing
    levels = {r[11].coordinate: r[6].value for r in sheet.iter_rows(min_row=2)}
    covered = {c for v in (answers, prohibited) for r in v.sqref.ranges for c in _cells(r)}
    assert covered == set(levels)  # every answer cell, each in one list
    assert {levels[c] for r in prohibited.sqref.ranges for c in _cells(r)} == {"実装不可"}
    assert cost.type == "decimal" and str(cost.sqref) == f"N2:N{rows}"
    assert sheet["N2"].number_format == "#,##0" and not sheet["N2"].protection.locked
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:O{rows}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows == "$1:$1"
    level = {r[1].value: r[6] for r in sheet.iter_rows(min_row=2)}
    assert level["RES-0010"].font.bold and level["RES-0010"].fill.fgColor.rgb.endswith("FFF2CC")
    assert not level["RES-0170"].font.bold  # 任意
    other = book["非機能要件"]
    assert [c.column for c in other[2] if not c.protection.locked] == [6, 7, 8]
    ids = {r[1].value: r[1] for r in other.iter_rows(min_row=2)}  # no 区分: the ID is marked
    assert ids["NFR-0110"].fill.fgColor.rgb.endswith("FFF2CC") and ids["NFR-0110"].font.bold
    assert not ids["NFR-0370"].font.bold  # 実装不可
    assert all(c.font.name == "游ゴシック" for c in sheet[2])
    cover = book["表紙"]
    texts = [c.value for row in cover.iter_rows() for c in row if c.value]
    assert any(len(t) == 64 and all(ch in "0123456789abcdef" for ch in t) for t in texts)


def test_hostile_text_stays_text_in_the_workbook_and_the_csv(make_project: MakeProject) -> None:
    hostile = '=HYPERLINK("http://evil.example","x")'
    root = make_project(
        {"requirements/10-main.yaml": CATALOG.replace(
            "statement: 転出証明書を交付できること。", f"statement: '{hostile}'"
        ).replace("title: 転出証明書の交付", "title: '+1 証明'")}
    )  # fmt: skip
    result = run_cli("build", str(root), "--format", "xlsx", "--format", "csv")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(root / "output/compliance/response-form.xlsx")
    row = next(r for r in book["機能要件"].iter_rows(min_row=2) if r[1].value == "RES-0020")
    assert row[5].value == hostile and row[5].data_type == "s"
    assert row[4].value.startswith("+1 証明") and row[4].data_type == "s"
    data = (root / "output/compliance/requirements.csv").read_bytes()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    csv_row = next(r for r in rows if r[2] == "RES-0020")
    assert csv_row[6] == "'" + hostile and csv_row[5].startswith("'+1 証明")
    assert data.count(b"\r\n") >= len(rows)


@pytest.mark.skipif(missing_tools() is not None, reason=str(missing_tools()))
def test_libreoffice_opens_the_workbook_with_its_validation(form: Path, tmp_path: Path) -> None:
    source = tmp_path / "form.xlsx"
    shutil.copy(form / "compliance/response-form.xlsx", source)
    profile = (tmp_path / "profile").as_uri()
    for target in ("pdf", "xlsx:Calc MS Excel 2007 XML"):
        done = subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
             "--outdir", str(tmp_path / target[:4]), str(source)],
            capture_output=True, timeout=180, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "pdf/form.pdf"), "-"], capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    assert "機能要件適合表" in text and "RES-0010" in text
    again = openpyxl.load_workbook(tmp_path / "xlsx/form.xlsx")
    validations = again["機能要件"].data_validations.dataValidation
    assert [v.formula1 for v in validations][:2] == ['"○,△,×"', '"○,×"']


def test_a_partial_build_keeps_the_response_form(make_project: MakeProject) -> None:
    """compliance/ belongs to the joint spec: --format markdown later keeps the workbook."""
    root = make_project()
    assert run_cli("build", str(root), "--format", "xlsx", "--format", "csv").exit_code == 0
    before = (root / "output/compliance/response-form.xlsx").read_bytes()
    result = run_cli("build", str(root), "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert (root / "output/compliance/response-form.xlsx").read_bytes() == before
    import json

    manifest = json.loads((root / "output/manifest.json").read_text("utf-8"))
    assert "compliance/response-form.xlsx" in manifest["kept"]


def test_the_workbook_is_dated_by_the_project_never_by_the_clock(form: Path) -> None:
    """openpyxl's save stamps the time of saving; two builds a second apart must not differ."""
    import zipfile

    with zipfile.ZipFile(form / "compliance/response-form.xlsx") as archive:
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2026-11-26T00:00:00Z") == 2  # created and modified: specgen.yaml's date
