"""Golden files of the outputs that had none: the safety net for reshaping the code behind them.

The bundled Noto project's joint JSON, its fit & gap Markdown and a cell dump of its response
form, and the 新旧対照表 Markdown of a small revision of it, each compared as text. A change of
the bundled catalogs or of a document's wording shows here as a diff to review; rewrite the
files with `SPECGEN_UPDATE_GOLDEN=1 pytest tests/test_golden_outputs.py` after an intended one.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from support import assert_golden, copy_of_bundled, run_cli


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_of_bundled(tmp_path_factory.mktemp("golden") / "noto")
    built = run_cli("build", str(root), "--format", "json", "--format", "xlsx")
    assert built.exit_code == 0, built.output
    return root


def test_the_joint_json_matches_its_golden_file(bundled: Path) -> None:
    text = (bundled / "output/joint/spec.json").read_text(encoding="utf-8")
    assert_golden("noto-joint.json", text)


def test_the_response_forms_cells_match_their_golden_file(bundled: Path) -> None:
    """Every cell's value, the merged ranges, the validations' lists and which cells are
    unlocked, sheet by sheet: what a vendor sees and may type."""
    book = openpyxl.load_workbook(bundled / "output/compliance/response-form.xlsx")
    lines: list[str] = []
    for sheet in book.worksheets:
        lines.append(f"## {sheet.title} (protected: {sheet.protection.sheet})")
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                value = "" if cell.value is None else str(cell.value).replace("\n", "⏎")
                cells.append(value + ("" if cell.protection.locked else "✎"))
            lines.append("\t".join(cells).rstrip("\t"))
        lines.append(f"merged: {sorted(str(r) for r in sheet.merged_cells.ranges)}")
        for validation in sheet.data_validations.dataValidation:
            lines.append(f"list {validation.sqref}: {validation.formula1}")
    assert_golden("noto-response-form.txt", "\n".join(lines) + "\n")


def test_the_fit_gap_markdown_matches_its_golden_file(bundled: Path, tmp_path: Path) -> None:
    result = run_cli("report", "fit-gap", str(bundled), "--out", str(tmp_path / "fg"))
    assert result.exit_code == 0, result.output
    assert_golden("noto-fit-gap.md", (tmp_path / "fg/fit-gap.md").read_text(encoding="utf-8"))


def test_the_revision_markdown_matches_its_golden_file(bundled: Path, tmp_path: Path) -> None:
    """1.0 → 1.1 of the bundled project: a cover field, a procurement field, a town's profile,
    a requirement's statement and level."""
    newer = copy_of_bundled(tmp_path / "noto-1.1")
    edits = {
        "specgen.yaml": [('version: "1.0"', 'version: "1.1"'), ("1380000000", "1400000000")],
        "municipalities/172049-wajima.yaml": [("population: ", "population: 1")],
        "requirements/10-juki.yaml": [("level: optional", "level: mandatory")],
    }
    for relpath, replacements in edits.items():
        path = newer / relpath
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, (relpath, old)
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    out = tmp_path / "revision"
    result = run_cli("diff", str(bundled), str(newer), "--out", str(out), "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert_golden("noto-revision.md", (out / "revision.md").read_text(encoding="utf-8"))
