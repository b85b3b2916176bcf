"""The Word output opened by a real office suite: LibreOffice converts it and the PDF is read."""

from __future__ import annotations

from pathlib import Path

import pytest
from office import convert_to_pdf, missing_tools, pdf_fonts, pdf_text, squeeze

from specgen.render.docx import DocumentInfo, render_docx

pytestmark = pytest.mark.skipif(missing_tools() is not None, reason=str(missing_tools()))

ROWS = 150  # enough rows for the table to run over a page break

MARKDOWN = (
    """\
<!-- specgen:style Title -->
住民記録システム共同調達仕様書

<!-- specgen:toc -->

<!-- specgen:pagebreak -->

# 第1章　総則

本仕様書は、住民記録システムの共同調達について、
参加団体に共通する要件を定める。

## 1.1　目的

- 住民の利便性の向上
- 事務の効率化

# 第2章　機能要件

| 要件番号 | 区分 | 要件内容 |
|---|---|---|
"""
    + "\n".join(
        f"| REQ-{i:04d} | 必須 | 転入届の受付時に、転出証明書の記載事項を取り込めること。<br>第{i}項 |"
        for i in range(1, ROWS + 1)
    )
    + "\n\n# 別紙1　団体別追加要件\n"
)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("office")
    info = DocumentInfo(title="共同調達仕様書", issuer="○○県", version="1.0", date="2026-04-01")
    document = workdir / "spec.docx"
    document.write_bytes(render_docx(MARKDOWN, info=info))
    return convert_to_pdf(document, workdir)


def test_japanese_headings_and_their_numbers_appear(pdf: Path) -> None:
    text = squeeze(pdf_text(pdf))
    assert "住民記録システム共同調達仕様書" in text
    assert "第1章総則" in text  # the number comes from the heading's list numbering
    assert "1.1目的" in text
    assert "第2章機能要件" in text
    assert "別紙1団体別追加要件" in text


def test_the_table_of_contents_lists_the_headings(pdf: Path) -> None:
    toc_page = squeeze(pdf_text(pdf).split("\f")[0])  # the title page holds the contents
    assert "第1章総則" in toc_page
    assert "1.1目的" in toc_page
    assert "別紙1団体別追加要件" in toc_page


def test_paragraphs_and_list_items_appear(pdf: Path) -> None:
    text = squeeze(pdf_text(pdf))
    assert (
        "本仕様書は、住民記録システムの共同調達について、参加団体に共通する要件を定める。" in text
    )
    assert "住民の利便性の向上" in text


def test_table_text_appears_and_the_header_row_repeats_on_each_page(pdf: Path) -> None:
    raw = pdf_text(pdf)
    text = squeeze(raw)
    assert "REQ-0001" in raw and f"REQ-{ROWS:04d}" in raw  # the ID column is wide enough
    assert "転入届の受付時に、転出証明書の記載事項を取り込めること。" in text
    pages_with_rows = [page for page in raw.split("\f") if "REQ-" in page]
    assert len(pages_with_rows) >= 2
    assert all("要件内容" in squeeze(page) for page in pages_with_rows)


def test_page_numbers_appear_in_the_footer(pdf: Path) -> None:
    pages = [squeeze(page) for page in pdf_text(pdf).split("\f") if page.strip()]
    total = len(pages)
    assert total >= 3
    assert f"2/{total}" in pages[1]


def test_japanese_is_set_in_the_noto_cjk_fonts(pdf: Path) -> None:
    fonts = pdf_fonts(pdf)
    if fonts is None:
        pytest.skip("pdffonts (poppler-utils) not on PATH")
    assert "NotoSerifCJK" in fonts
    assert "NotoSansCJK" in fonts
