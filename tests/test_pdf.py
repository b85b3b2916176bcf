"""`--format pdf`: the bundled joint spec as LibreOffice prints it, read back with poppler."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from office import missing_tools, squeeze
from support import MakeProject, copy_of_bundled, run_cli

from specgen.render.pdf import docx_to_pdf, fixed_pdf

pytestmark = pytest.mark.skipif(missing_tools() is not None, reason=str(missing_tools()))

MARGIN_PT = 56.0  # no text may come closer to the right edge than 20 mm (the margin is 30 mm)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_of_bundled(tmp_path_factory.mktemp("pdf") / "project")
    out = root.parent / "out"
    result = run_cli(
        "build", str(root), "--out", str(out), "--format", "markdown", "--format", "docx",
        "--format", "pdf",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    return text.split("\f")


def test_every_document_gets_a_pdf(built: Path) -> None:
    pdfs = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.pdf"))
    assert pdfs == [
        "joint/spec.pdf",
        *(f"municipalities/{code}/spec.pdf" for code in ("172049", "173614", "173843", "173860")),
    ]
    assert all((built / p).read_bytes().startswith(b"%PDF-") for p in pdfs)


def test_the_table_of_contents_gives_the_pages_the_headings_are_on(built: Path) -> None:
    text = pages(built / "joint/spec.pdf")
    toc_page = next(i for i, page in enumerate(text) if squeeze(page).startswith("目次"))
    entries = []
    for page in text[toc_page : toc_page + 4]:
        for line in page.splitlines():
            match = re.match(r"\s*(.+?)\s*\.{4,}\s*(\d+)\s*$", line)
            if match:
                entries.append((squeeze(match.group(1)), int(match.group(2))))
    titles = [title for title, _ in entries]
    assert "調達概要" in titles and "第2章住民記録" in titles
    assert any(title.startswith("別紙1輪島市") for title in titles)  # annexes name the town
    assert "輪島市の団体別諸元" in titles and "団体別諸元" not in titles
    assert len(entries) > 40
    for title, number in entries:
        assert title in squeeze(text[number - 1]), (title, number)


def test_the_cover_has_no_page_number_and_a_japanese_era_date(built: Path) -> None:
    cover = pages(built / "joint/spec.pdf")[0]
    assert "令和8年11月26日" in squeeze(cover)
    assert not re.search(r"\d+\s*/\s*\d+", cover.replace("令和8年11月26日", ""))
    second = pages(built / "joint/spec.pdf")[1]
    assert re.search(r"2\s*/\s*\d+", second)


def test_latin_words_and_numbers_are_never_broken_inside(built: Path) -> None:
    """「J-LI／S」, 「WJM-000／2」, 「k／m²」: every such token the Markdown holds is whole on
    one line of the PDF (pdftotext ends each line with a newline), but for a break after a
    hyphen."""
    markdown = (built / "joint/spec.md").read_text("utf-8")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(built / "joint/spec.pdf"), "-"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    tokens = sorted(set(re.findall(r"[A-Z][A-Za-z]*-[A-Z0-9]{3,}|\d{5,}|km²|CSV|eLTAX", markdown)))
    assert {"J-LIS", "WJM-0002", "km²", "172049"} <= set(tokens)
    # A line may end after a hyphen (「J-」「LIS」), as Latin text does; pdftotext joins such
    # lines without the hyphen, so hyphens are left out of the comparison.
    text = text.replace("-", "")
    broken = [t for t in tokens if text.count(t.replace("-", "")) < markdown.count(t)]
    assert broken == []


def test_no_text_runs_past_the_right_margin(built: Path) -> None:
    """Every table fits its page: no word of any page ends in the right margin or beyond."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(built / "joint/spec.pdf"), "-"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    width = 0.0
    late = []
    for line in html.splitlines():
        if (page := re.search(r'<page width="([\d.]+)"', line)) is not None:
            width = float(page.group(1))
        elif (word := re.search(r'xMax="([\d.]+)"[^>]*>([^<]*)<', line)) and float(
            word.group(1)
        ) > width - MARGIN_PT:
            late.append(word.group(2))
    assert late == []


def test_the_same_word_file_gives_the_same_pdf_bytes(built: Path) -> None:
    docx = (built / "municipalities/173860/spec.docx").read_bytes()
    assert (
        docx_to_pdf(docx, date="2026-11-26")
        == (built / "municipalities/173860/spec.pdf").read_bytes()
    )


def test_the_export_time_and_checksum_are_replaced_at_their_length() -> None:
    pdf = (
        b"%PDF-1.7\n<</CreationDate(D:20261130135749Z')>>\ntrailer\n<</ID [ <"
        + b"A" * 32 + b"> <" + b"B" * 32 + b"> ]\n/DocChecksum /" + b"C" * 32 + b"\n>>\n"
    )  # fmt: skip
    fixed = fixed_pdf(pdf, "2026-11-26")
    assert len(fixed) == len(pdf)
    assert b"/CreationDate(D:20261126000000Z')" in fixed
    assert fixed == fixed_pdf(pdf.replace(b"135749", b"101010"), "2026-11-26")


def test_without_libreoffice_pdf_is_an_error_that_says_how_to_install_it(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project()
    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(os.__file__).parent), "/nonexistent"]))
    result = run_cli("build", str(root), "--format", "pdf")
    assert result.exit_code == 1
    assert "--format: error[E-TOOL]: the pdf format needs LibreOffice" in result.stderr
    assert "apt-get install libreoffice-writer-nogui" in result.stderr
    assert not (root / "output").exists()
