"""`specgen report fit-gap`: the bundled project's matrix, rates and reasons, read back."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from support import WAJIMA, MakeProject, copy_of_bundled, run_cli

from specgen.assessment.fitgap import fit_gap, similarity
from specgen.validate import validate_project


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_of_bundled(tmp_path_factory.mktemp("fitgap") / "project")
    result = run_cli("report", "fit-gap", str(root), "--out", str(root.parent / "out"))
    assert result.exit_code == 0, result.output
    return root.parent / "out"


def test_the_matrix_gives_each_towns_status_as_its_file_says(report: Path) -> None:
    book = openpyxl.load_workbook(report / "fit-gap.xlsx")
    sheet = book["要件別の状況"]
    header = [c.value for c in sheet[1]]
    assert header == ["要件ID", "要件名", "章", "輪島市", "津幡町", "志賀町", "宝達志水町"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["RES-0500"][3:] == ("共通仕様のとおり", "共通仕様のとおり", "利用しない",
                                    "共通仕様のとおり")  # fmt: skip  # 志賀町 excludes it
    assert rows["NFR-0110"][4] == "強化" and rows["NFR-0110"][6] == "緩和"  # 2秒 / 5秒
    assert rows["RES-0010"][3:] == ("共通仕様のとおり",) * 4


def test_fit_rates_count_what_each_town_adopts_unchanged(report: Path) -> None:
    book = openpyxl.load_workbook(report / "fit-gap.xlsx")
    rates = {row[0]: row for row in book["適合率"].iter_rows(min_row=2, values_only=True)}
    validation = validate_project(Path(__file__).resolve().parent.parent)
    fit = fit_gap(validation.input.catalog, validation.effective)
    total = len(fit.rows)
    for code, name in fit.towns:
        kept = sum(
            1 for row in fit.rows if row[3][[c for c, _ in fit.towns].index(code)] == "common"
        )
        assert rates[name][-1] == pytest.approx(kept / total, abs=1e-4)
    assert all(0 < rate < 1 for rate in fit.fit_total.values())


def test_every_deviation_is_listed_with_its_reason_and_room_for_a_decision(report: Path) -> None:
    book = openpyxl.load_workbook(report / "fit-gap.xlsx")
    sheet = book["乖離の一覧"]
    header = [c.value for c in sheet[1]]
    assert header[:11] == ["理由区分", "団体", "要件ID", "要件名", "章", "区分", "乖離区分",
                           "共通仕様", "団体の要望", "理由", "同じ要件で乖離する他団体"]  # fmt: skip
    assert header[11:] == ["判断", "優先度", "担当", "協議日", "メモ"]  # the team's columns
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    shika = next(r for r in rows if r[1] == "志賀町" and r[2] == "RES-0500")
    assert shika[6] == "利用しない" and "コンビニ交付" in shika[9] and shika[0] == "費用"
    assert shika[5] == "必須"  # the common part's level: a mandatory function it will not use
    tsubata = next(r for r in rows if r[1] == "津幡町" and r[2] == "NFR-0110")
    assert (tsubata[7], tsubata[8]) == ("応答時間 3秒", "応答時間 2秒")  # model → its need
    assert "宝達志水町" in tsubata[10]  # who else departs from NFR-0110 (it relaxes it)
    assert all(row[9] for row in rows)  # every deviation has its reason
    codes = [row[0] for row in rows]
    assert codes == sorted(codes, key=codes.index)  # grouped: each reason code in one run
    decision, _ = sheet.data_validations.dataValidation
    assert decision.formula1 == '"標準に合わせる,個別対応,要協議"' and str(
        decision.sqref
    ).startswith("L2")
    markdown = (report / "fit-gap.md").read_text("utf-8")
    assert "### 費用" in markdown and "![図：団体別・章別の乖離件数](fit-gap.png)" in markdown
    assert "適合率＝共通仕様のとおり採用する要件の数÷共通仕様の要件の数" in markdown
    assert "| 95.2%<br>（158/166） |" in markdown  # 輪島市: the rate with its counts
    shared = markdown.split("## 複数の団体に共通する乖離")[1].split("##")[0]
    assert (
        "| NFR-0110 |" in shared and "津幡町（強化）" in shared and "宝達志水町（緩和）" in shared
    )


def test_the_chart_is_a_png_in_the_word_file_and_bytes_repeat(report: Path, tmp_path: Path) -> None:
    png = (report / "fit-gap.png").read_bytes()
    assert png.startswith(b"\x89PNG") and b"tIME" not in png and b"Software" not in png
    with zipfile.ZipFile(report / "fit-gap.docx") as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert [archive.read(n) for n in media] == [png]
    root = report.parent / "project"
    again = tmp_path / "again"
    assert run_cli("report", "fit-gap", str(root), "--out", str(again)).exit_code == 0
    for name in ("fit-gap.md", "fit-gap.docx", "fit-gap.xlsx", "fit-gap.png"):
        assert (again / name).read_bytes() == (report / name).read_bytes(), name


def test_towns_adding_alike_requirements_are_candidates(make_project: MakeProject) -> None:
    shika = """\
specgen: 1
municipality: {code: "173843", name: 志賀町, prefix: SKA}
changes:
  SKA-0001:
    op: add
    section: RES
    reason: 仮設住宅の入居者に通知するため。
    requirement: {title: 仮設住宅入居者の管理, statement: 仮設住宅の入居者を管理できること。, level: optional}
"""
    root = make_project({"municipalities/173843-shika.yaml": shika})
    validation = validate_project(root)
    assert validation.ok, validation.diagnostics
    fit = fit_gap(validation.input.catalog, validation.effective)
    [candidate] = fit.candidates
    assert candidate.ids == (("172049", "WJM-0001"), ("173843", "SKA-0001"))
    assert "WJM-0001" in WAJIMA and candidate.similarity >= 0.8
    assert similarity("住民票の写しを交付できること。", "印鑑登録証明書を交付できること。") < 0.8


def test_an_english_project_reads_in_english(tmp_path: Path) -> None:
    root = copy_of_bundled(tmp_path / "en")
    config = root / "specgen.yaml"
    config.write_text(config.read_text("utf-8").replace("language: ja", "language: en"), "utf-8")
    result = run_cli("report", "fit-gap", str(root), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "out/fit-gap.md").read_text("utf-8")
    assert "# Fit & gap analysis" in markdown and "| 95.2%<br> (158/166) |" in markdown
    assert "（" not in markdown.split("## Deviations by reason")[0]  # no 全角 brackets of its own
