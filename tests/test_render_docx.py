"""Tests for specgen.render.docx: the Word document read back with python-docx and lxml."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import itertools
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from unittest import mock

import docx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.token import Token

import specgen.render.docx as docx_module
import specgen.render.docx.document as docx_document
from specgen.render.docx import (
    DocumentInfo,
    bundled_reference,
    column_widths,
    heading_number,
    parse_markdown,
    parse_whole,
    render_docx,
    text_extent,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
INFO = DocumentInfo(
    title="共同調達仕様書", issuer="○○県市町村協議会", version="1.2", date="2026-04-01"
)
TEXT_WIDTH = 11906 - 2 * 1701  # A4 less the bundled reference's margins
ROOT = Path(__file__).resolve().parents[1]


def render(markdown: str, info: DocumentInfo = INFO, reference: bytes | None = None) -> bytes:
    return render_docx(markdown, info=info, reference=reference)


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def body(data: bytes) -> etree._Element:
    return part(data, "word/document.xml").find("w:body", NS)


def paragraphs(data: bytes) -> list[etree._Element]:
    return body(data).findall("w:p", NS)


def text(element: etree._Element) -> str:
    """Visible text: w:t content, w:br as a newline, field instructions left out."""
    out = []
    for node in element.iter(f"{{{W}}}t", f"{{{W}}}br", f"{{{W}}}tab"):
        if node.tag == f"{{{W}}}t":
            out.append(node.text or "")
        elif node.tag == f"{{{W}}}br" and node.get(f"{{{W}}}type") is None:
            out.append("\n")
        elif node.tag == f"{{{W}}}tab":
            out.append("\t")
    return "".join(out)


def attr(element: etree._Element | None, path: str, name: str = "val") -> str | None:
    found = element.find(path, NS) if element is not None else None
    return None if found is None else found.get(f"{{{W}}}{name}")


def style_of(p: etree._Element) -> str | None:
    return attr(p, "w:pPr/w:pStyle")


def num_of(p: etree._Element) -> tuple[str | None, str | None] | None:
    numpr = p.find("w:pPr/w:numPr", NS)
    if numpr is None:
        return None
    return attr(numpr, "w:numId"), attr(numpr, "w:ilvl")


def find_paragraph(data: bytes, content: str) -> etree._Element:
    matches = [p for p in paragraphs(data) if text(p) == content]
    assert len(matches) == 1, [text(p) for p in paragraphs(data)]
    return matches[0]


def abstract_of(numbering: etree._Element, num_id: str) -> etree._Element:
    num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
    abstract_id = attr(num, "w:abstractNumId")
    return numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']", NS)


def style_element(data: bytes, style_id: str) -> etree._Element:
    return part(data, "word/styles.xml").find(f"w:style[@w:styleId='{style_id}']", NS)


# -- headings ---------------------------------------------------------------------------------

HEADINGS = """\
# 目次

# 第1章　総則

## 1.1 目的

### 1.1.1　詳細

## 1.3 範囲

# 第2章 機能要件

## 2.1 住民記録

# 別紙1　追加要件

#### 補足
"""


def test_headings_use_the_heading_styles() -> None:
    document = docx.Document(io.BytesIO(render(HEADINGS)))
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["総則"] == "Heading 1"
    assert styles["目的"] == "Heading 2"
    assert styles["詳細"] == "Heading 3"
    assert styles["補足"] == "Heading 4"


def test_matching_heading_numbers_become_list_numbering_and_leave_the_text() -> None:
    data = render(HEADINGS)
    heading_num = num_of(find_paragraph(data, "総則"))
    assert heading_num is not None and heading_num[0] not in (None, "0")
    assert heading_num[1] == "0"
    assert num_of(find_paragraph(data, "目的")) == (heading_num[0], "1")
    assert num_of(find_paragraph(data, "詳細")) == (heading_num[0], "2")
    assert num_of(find_paragraph(data, "機能要件")) == (heading_num[0], "0")
    assert num_of(find_paragraph(data, "住民記録")) == (heading_num[0], "1")


def test_a_heading_whose_number_does_not_match_keeps_its_text_and_suppresses_numbering() -> None:
    data = render(HEADINGS)
    assert num_of(find_paragraph(data, "1.3 範囲")) == ("0", None)


def test_headings_without_a_number_get_no_numbering() -> None:
    data = render(HEADINGS)
    assert num_of(find_paragraph(data, "目次")) == ("0", None)
    assert num_of(find_paragraph(data, "別紙1　追加要件")) == ("0", None)
    assert num_of(find_paragraph(data, "補足")) is None


def test_heading_numbering_is_one_multilevel_list_linked_to_the_heading_styles() -> None:
    data = render(HEADINGS)
    num_id = num_of(find_paragraph(data, "総則"))[0]
    abstract = abstract_of(part(data, "word/numbering.xml"), num_id)
    levels = abstract.findall("w:lvl", NS)
    assert [attr(lvl, "w:lvlText") for lvl in levels[:3]] == ["第%1章", "%1.%2", "%1.%2.%3"]
    assert [attr(lvl, "w:pStyle") for lvl in levels[:3]] == ["Heading1", "Heading2", "Heading3"]
    for level, style_id in enumerate(("Heading1", "Heading2", "Heading3")):
        numpr = style_element(data, style_id).find("w:pPr/w:numPr", NS)
        assert attr(numpr, "w:numId") == num_id
        assert (attr(numpr, "w:ilvl") or "0") == str(level)


def test_a_style_based_on_a_heading_does_not_inherit_its_numbering() -> None:
    data = render(HEADINGS)
    toc_heading = style_element(data, "TOCHeading")
    assert attr(toc_heading, "w:basedOn") == "Heading1"
    assert attr(toc_heading, "w:pPr/w:numPr/w:numId") == "0"


def test_an_unnumbered_heading_does_not_use_up_a_number() -> None:
    data = render("# 前文\n\n# 第1章 総則\n\n# 付録\n\n# 第2章 要件\n")
    assert num_of(find_paragraph(data, "総則"))[1] == "0"
    assert num_of(find_paragraph(data, "要件"))[1] == "0"
    assert num_of(find_paragraph(data, "前文")) == ("0", None)


def test_heading_number_checks_the_number_against_the_counters() -> None:
    assert heading_number(1, "第1章　総則", (0, 0, 0)) == (1, 0, 0)
    assert heading_number(1, "第3章 総則", (2, 4, 1)) == (3, 0, 0)
    assert heading_number(2, "2.5 目的", (2, 4, 1)) == (2, 5, 0)
    assert heading_number(3, "2.4.2　詳細", (2, 4, 1)) == (2, 4, 2)
    assert heading_number(2, "2.6 目的", (2, 4, 1)) is None
    assert heading_number(2, "3.1 目的", (2, 4, 1)) is None
    assert heading_number(1, "第1章総則", (0, 0, 0)) is None
    assert heading_number(1, "別紙1　追加", (0, 0, 0)) is None
    assert heading_number(4, "1.1.1.1 x", (1, 1, 1)) is None


@given(
    st.tuples(*(st.integers(0, 30),) * 3),
    st.integers(1, 3),
    st.sampled_from(["　", " "]),
)
def test_heading_number_accepts_exactly_the_next_number(
    counters: tuple[int, int, int], level: int, space: str
) -> None:
    expected = (*counters[: level - 1], counters[level - 1] + 1)
    label = f"第{expected[0]}章" if level == 1 else ".".join(map(str, expected))
    assert heading_number(level, f"{label}{space}見出し", counters) == expected + (0,) * (3 - level)
    wrong = f"第{expected[0] + 1}章" if level == 1 else ".".join(map(str, (*expected, 1)))
    assert heading_number(level, f"{wrong}{space}見出し", counters) is None


# -- paragraphs and inline content -------------------------------------------------------------


def test_softbreaks_vanish_between_japanese_characters_and_are_spaces_elsewhere() -> None:
    data = render("本仕様書は、住民記録の\n調達について定める。This is\nEnglish\n日本語の\n文。\n")
    expected = "本仕様書は、住民記録の調達について定める。This is English 日本語の文。"
    assert text(paragraphs(data)[0]) == expected


def test_a_hard_break_becomes_a_line_break_in_the_same_paragraph() -> None:
    data = render("一行目\\\n二行目\n")
    assert len(paragraphs(data)) == 1
    p = paragraphs(data)[0]
    assert p.find("w:r/w:br", NS) is not None
    assert text(p) == "一行目\n二行目"


def test_emphasis_strong_and_code_become_run_formatting() -> None:
    data = render("**太字**と*斜体*と`code`\n")
    runs = {text(r): r for r in paragraphs(data)[0].findall("w:r", NS)}
    assert runs["太字"].find("w:rPr/w:b", NS) is not None
    assert runs["斜体"].find("w:rPr/w:i", NS) is not None
    assert attr(runs["code"], "w:rPr/w:rStyle") == "VerbatimChar"
    assert runs["と"].find("w:rPr", NS) is None


def test_a_link_becomes_a_hyperlink_to_its_url() -> None:
    data = render("詳細は[総務省](https://www.soumu.go.jp/)を参照。\n")
    link = paragraphs(data)[0].find("w:hyperlink", NS)
    assert text(link) == "総務省"
    rels = part(data, "word/_rels/document.xml.rels")
    rel = rels.find(f"{{*}}Relationship[@Id='{link.get(f'{{{R}}}id')}']")
    assert rel.get("Target") == "https://www.soumu.go.jp/"
    assert rel.get("TargetMode") == "External"
    assert text(paragraphs(data)[0]) == "詳細は総務省を参照。"


def test_paragraph_text_round_trips_through_python_docx() -> None:
    document = docx.Document(io.BytesIO(render("住民基本台帳法に基づく事務を行う。\n")))
    assert [p.text for p in document.paragraphs] == ["住民基本台帳法に基づく事務を行う。"]


def test_characters_xml_cannot_hold_are_replaced_rather_than_failing() -> None:
    data = render("制御\x01文字\n")
    assert text(paragraphs(data)[0]) == "制御\ufffd文字"


def test_markup_characters_in_text_stay_text() -> None:
    data = render(
        'A &amp; B &lt;c&gt; "d" \'e\' ]]> &#12;\n\n| x&amp;y | "z" |\n|---|---|\n| <i> | & |\n'
    )
    assert text(paragraphs(data)[0]) == "A & B <c> \"d\" 'e' ]]> \ufffd"
    cells = [text(tc) for tc in table(data).iter(f"{{{W}}}tc")]
    assert cells == ["x&y", '"z"', "<i>", "&"]


def test_setext_headings_are_headings() -> None:
    data = render("題名\n===\n\n副題\n段落の続き\n---\n\n一行目\\\n\\-\\-\\-\\\n三行目\n")
    assert style_of(find_paragraph(data, "題名")) == "Heading1"
    assert style_of(find_paragraph(data, "副題段落の続き")) == "Heading2"
    assert style_of(find_paragraph(data, "一行目\n---\n三行目")) is None


def test_block_quotes_and_code_blocks_get_their_styles() -> None:
    data = render("> 引用文\n\n```\nline 1\n  indented\n```\n")
    assert style_of(find_paragraph(data, "引用文")) == "Quote"
    assert style_of(find_paragraph(data, "  indented")) == "SourceCode"
    assert style_of(find_paragraph(data, "line 1")) == "SourceCode"


def test_a_thematic_break_is_a_bottom_border() -> None:
    data = render("前\n\n---\n\n後\n")
    rule = paragraphs(data)[1]
    assert attr(rule, "w:pPr/w:pBdr/w:bottom") == "single"
    assert text(rule) == ""


MARKDOWNISH = st.text(
    alphabet=st.sampled_from([*"#*_`[]()<>!|\\-+.:1 \n\t\x01", "あ", "漢", "。", "　"]),
    max_size=120,
)


@settings(max_examples=60, deadline=None)
@given(MARKDOWNISH)
def test_any_markdown_renders_to_a_document_python_docx_can_open(markdown: str) -> None:
    document = docx.Document(io.BytesIO(render(markdown)))
    assert document.core_properties.title == INFO.title


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Lo", "Nd", "Zs"]), min_size=1, max_size=60))
def test_plain_text_survives_unchanged(content: str) -> None:
    content = " ".join(content.split())  # Markdown collapses outer spaces; keep inner ones single
    if not content or content[0].isdigit():  # "1." would start a list
        return
    data = render(content + "\n")
    assert text(paragraphs(data)[0]).strip(" ") == content.strip(" ")


# -- parsing ----------------------------------------------------------------------------------

BLOCK_PIECES = [
    *"#>*-_+=~`[]():<|!\\ 1.)\ta\n\r\x00",
    *("あ", "\n\n", "    ", "<br>", "<!-- x -->", "<div>", "http://a.b", "&#32;", "---", "```"),
    *("| a |", "|---|", "[x]: /u", "\\\n"),
]
BLOCKISH = st.lists(st.sampled_from(BLOCK_PIECES), max_size=40).map("".join)


def expand_tables(tokens: Sequence[Token]) -> list[Token]:
    """The writer's parser's tokens with each compact `table` token replaced by the tokens
    markdown-it gives a table: open, inline and close tokens for every cell."""
    out: list[Token] = []
    for token in tokens:
        if token.type != "table":
            out.append(token)
            continue
        level = token.level
        start, end = token.map or (0, 0)

        def push(kind: str, tag: str, nesting: int, **fields: object) -> None:
            nonlocal level
            level -= nesting < 0
            out.append(Token(kind, tag, nesting, level=level, block=True, **fields))  # type: ignore[arg-type]
            level += nesting > 0

        aligns, rows = token.meta["aligns"], token.meta["rows"]
        push("table_open", "table", 1, map=[start, end])
        for number, row in enumerate(rows):
            line, cell = start + number + (number > 0), "th" if number == 0 else "td"
            if number < 2:
                section = "thead" if number == 0 else "tbody"
                push(f"{section}_open", section, 1, map=[line, line + 1 if number == 0 else end])
            push("tr_open", "tr", 1, map=[line, line + 1])
            for content, align in zip(row, aligns, strict=True):
                push(
                    f"{cell}_open", cell, 1, attrs={"style": f"text-align:{align}"} if align else {}
                )
                children = token.meta["children"][content]
                push("inline", "", 0, map=[line, line + 1], content=content, children=children)
                push(f"{cell}_close", cell, -1)
            push("tr_close", "tr", -1)
            if number == 0:
                push("thead_close", "thead", -1)
        if len(rows) > 1:
            push("tbody_close", "tbody", -1)
        push("table_close", "table", -1)
    return out


@settings(max_examples=400, deadline=None)
@given(BLOCKISH)
@example("段落\\\n続き\n---\n\n- a\n  > b\n  c\n\n1. d\n   # e\n[r]: /x\n\n***\n")
@example("a\r\nb\rc\x00\n===\n")
@example("| a | b |\n|:--|--:|\n| 1 \\| x | 2 | 3 |\n| y |\n> q\n")
def test_the_parser_gives_markdown_it_s_tokens(markdown: str) -> None:
    """The writer's parser skips rules that cannot match and writes a table as one token;
    expanded, the tokens must be markdown-it's. (Its text tokens are left unjoined, so
    markdown-it's is configured the same way.)"""
    stock = MarkdownIt("commonmark").enable("table").disable("text_join")
    assert expand_tables(parse_whole(markdown)) == stock.parse(markdown)


TABLE_PIECES = [
    *("| a |", "|---|", "| :-: | --: |", "|:--", "-", "\\|", "\\", "a|b", "|", " ", "\t"),
    *("\n", "\n", "\n", "x", "> q", "- l", "1. n", "`c|d`", "    ", "# h", "```", "<div>", "*"),
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(TABLE_PIECES), max_size=50).map("".join))
@example("| a | b |\n| --- | --- |\n" + "| ○ | × |\n" * 3 + "| 1 | 2 | 3 |\n|\n")
@example("| a |\n|---|\n| 1 |\n    indented code ends the table\n")
def test_tables_parse_as_markdown_it_parses_them(markdown: str) -> None:
    stock = MarkdownIt("commonmark").enable("table").disable("text_join")
    assert expand_tables(parse_whole(markdown)) == stock.parse(markdown)


# -- html and directives ----------------------------------------------------------------------


def test_unknown_html_is_shown_as_text_not_swallowed() -> None:
    data = render("<script>alert(1)</script>\n\n<!-- a comment -->\n\n文中の<b>タグ</b>\n")
    texts = [text(p) for p in paragraphs(data)]
    assert "<script>alert(1)</script>" in texts
    assert "<!-- a comment -->" in texts
    assert "文中の<b>タグ</b>" in texts


def test_an_unknown_directive_is_shown_as_text() -> None:
    data = render("<!-- specgen:frobnicate -->\n")
    assert text(paragraphs(data)[0]) == "<!-- specgen:frobnicate -->"


def field_paragraphs(data: bytes) -> list[etree._Element]:
    """The paragraphs from the TOC field's begin to its end."""
    inside, found = False, []
    for p in paragraphs(data):
        kinds = [k.get(f"{{{W}}}fldCharType") for k in p.iter(f"{{{W}}}fldChar")]
        inside = inside or "begin" in kinds
        if inside:
            found.append(p)
        if "end" in kinds:
            break
    return found


def test_the_toc_directive_inserts_a_toc_field_that_word_updates_on_opening() -> None:
    data = render("# 目次\n\n<!-- specgen:toc -->\n\n# 第1章 総則\n")
    instructions = [t.text for t in body(data).iter(f"{{{W}}}instrText")]
    assert instructions == [' TOC \\o "1-3" \\h \\z \\u ']
    begin = body(data).find(".//w:fldChar", NS)
    assert begin.get(f"{{{W}}}fldCharType") == "begin"
    assert begin.get(f"{{{W}}}dirty") == "true"
    assert attr(part(data, "word/settings.xml"), "w:updateFields") == "true"


def test_the_toc_field_lists_the_headings_up_to_level_3_with_their_numbers() -> None:
    data = render(f"<!-- specgen:toc -->\n\n{HEADINGS}")
    entries = field_paragraphs(data)
    assert [text(p) for p in entries] == [
        "目次",
        "第1章　総則",
        "1.1　目的",
        "1.1.1　詳細",
        "1.3 範囲",
        "第2章　機能要件",
        "2.1　住民記録",
        "別紙1　追加要件",
    ]
    assert [style_of(p) for p in entries[1:4]] == ["TOC1", "TOC2", "TOC3"]
    kinds = [k.get(f"{{{W}}}fldCharType") for p in entries for k in p.iter(f"{{{W}}}fldChar")]
    assert kinds == ["begin", "separate", "end"]


def test_a_toc_without_headings_shows_a_placeholder() -> None:
    entries = field_paragraphs(render("<!-- specgen:toc -->\n\n本文\n"))
    assert len(entries) == 1
    assert "目次" in text(entries[0])


def test_the_pagebreak_directive_inserts_a_page_break() -> None:
    data = render("前\n\n<!-- specgen:pagebreak -->\n\n後\n")
    breaks = body(data).findall("w:p/w:r/w:br", NS)
    assert [b.get(f"{{{W}}}type") for b in breaks] == ["page"]


def test_the_style_directive_styles_the_next_paragraph_only() -> None:
    data = render(
        "<!-- specgen:style Title -->\n共同調達仕様書\n\n"
        "<!-- specgen:style Subtitle -->\n\n第1.0版\n\n本文\n"
    )
    assert style_of(find_paragraph(data, "共同調達仕様書")) == "Title"
    assert style_of(find_paragraph(data, "第1.0版")) == "Subtitle"
    assert style_of(find_paragraph(data, "本文")) is None


def test_the_style_directive_adds_a_style_the_reference_lacks() -> None:
    data = render("<!-- specgen:style 表紙 日付 -->\n令和8年4月1日\n")
    style_id = style_of(find_paragraph(data, "令和8年4月1日"))
    assert attr(style_element(data, style_id), "w:name") == "表紙 日付"


# -- tables -----------------------------------------------------------------------------------

TABLE = """\
| ID | 区分 | 要件 |
|:---|:---:|---|
| REQ-001 | 必須 | 住民票の写しを交付できること。<br>二行目<b>太字</b> |
| REQ-002 | 任意 | 住民基本台帳法に基づき、転入届を受け付けられること。 |
"""


def table(data: bytes) -> etree._Element:
    tables = body(data).findall("w:tbl", NS)
    assert len(tables) == 1
    return tables[0]


def test_only_the_first_table_row_repeats_as_a_header() -> None:
    rows = table(render(TABLE)).findall("w:tr", NS)
    assert [row.find("w:trPr/w:tblHeader", NS) is not None for row in rows] == [True, False, False]


def test_tables_have_a_fixed_layout_and_the_reference_table_style() -> None:
    data = render(TABLE)
    tbl = table(data)
    assert attr(tbl, "w:tblPr/w:tblLayout", "type") == "fixed"
    style_id = attr(tbl, "w:tblPr/w:tblStyle")
    assert attr(style_element(data, style_id), "w:name") == "Table Grid"


def test_column_widths_sum_to_the_text_width_and_narrow_the_id_column() -> None:
    tbl = table(render(TABLE))
    grid = [int(c.get(f"{{{W}}}w")) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert sum(grid) == TEXT_WIDTH
    assert grid[0] < grid[2] and grid[1] < grid[2]
    for row in tbl.findall("w:tr", NS):
        assert [int(attr(tc, "w:tcPr/w:tcW", "w")) for tc in row.findall("w:tc", NS)] == grid


def test_header_cells_are_bold_and_body_cells_are_not() -> None:
    header, first, _ = table(render(TABLE)).findall("w:tr", NS)
    header_runs = header.findall(".//w:r", NS)
    assert header_runs and all(r.find("w:rPr/w:b", NS) is not None for r in header_runs)
    assert all(r.find("w:rPr/w:b", NS) is None for r in first.findall(".//w:r", NS))


def test_cells_repeating_the_header_s_text_are_not_bold_and_keep_their_column_s_alignment() -> None:
    rows = "\n".join("| ○ | ○ | ○ |" for _ in range(3))
    tbl = table(render(f"| ○ | a | b |\n|---|:-:|--:|\n{rows}\n"))
    header, *body_rows = tbl.findall("w:tr", NS)
    assert all(r.find("w:rPr/w:b", NS) is not None for r in header.findall(".//w:r", NS))
    for row in body_rows:
        cells = row.findall("w:tc", NS)
        assert [text(tc) for tc in cells] == ["○", "○", "○"]
        assert [attr(tc, "w:p/w:pPr/w:jc") for tc in cells] == [None, "center", "right"]
        assert all(r.find("w:rPr", NS) is None for r in row.findall(".//w:r", NS))


def test_br_in_a_cell_is_a_line_break_and_other_html_is_text() -> None:
    cell = table(render(TABLE)).findall("w:tr", NS)[1].findall("w:tc", NS)[2]
    assert text(cell) == "住民票の写しを交付できること。\n二行目<b>太字</b>"


def test_cell_alignment_follows_the_delimiter_row() -> None:
    row = table(render(TABLE)).findall("w:tr", NS)[1]
    assert [attr(tc, "w:p/w:pPr/w:jc") for tc in row.findall("w:tc", NS)] == [
        "left",
        "center",
        None,
    ]


def test_two_tables_in_a_row_stay_two_tables() -> None:
    data = render("| a |\n|---|\n| 1 |\n\n| b |\n|---|\n| 2 |\n")
    kinds = [etree.QName(child).localname for child in body(data)]
    assert kinds.count("tbl") == 2
    assert "tbl,tbl" not in ",".join(kinds)
    assert kinds[-2] == "p"  # a document never ends in a table


def test_text_extent_counts_east_asian_characters_a_full_em() -> None:
    assert text_extent("必須") == 2 * 210
    assert text_extent("REQ-001") == 7 * 126
    assert text_extent("A必※") == 126 + 2 * 210 + 53  # a quarter em between A and 必
    assert text_extent("令和8年10月30日") == 5 * 210 + 5 * 126 + 6 * 53  # as set with autospace


def test_column_widths_give_narrow_columns_their_natural_width() -> None:
    rows = [["ID", "レベル", "要件"], ["REQ-00001", "必須", "あ" * 300]]
    widths = column_widths(rows, 9000)
    assert sum(widths) == 9000
    assert widths[0] < 1500 and widths[1] < 1200
    assert widths[2] > 6000


@given(
    st.lists(
        st.lists(st.text(alphabet="aZ-1 あ漢\n", max_size=40), min_size=3, max_size=3),
        min_size=1,
        max_size=8,
    ),
    st.integers(3000, 12000),
)
def test_column_widths_always_fill_the_width_with_positive_columns(
    rows: list[list[str]], total: int
) -> None:
    widths = column_widths(rows, total)
    assert len(widths) == 3
    assert sum(widths) == total
    assert all(width > 0 for width in widths)


def test_a_large_table_keeps_every_row() -> None:
    rows = "\n".join(
        f"| REQ-{i:05d} | 必須 | 住民票の写しを交付できること。 |" for i in range(5000)
    )
    data = render(f"| ID | 区分 | 要件 |\n|---|---|---|\n{rows}\n")
    assert len(table(data).findall("w:tr", NS)) == 5001  # speed: see benchmarks/, not here


# -- lists ------------------------------------------------------------------------------------

LISTS = """\
- 項目A
- 項目B
  1. 子1
  2. 子2

段落

1. 一つ目
2. 二つ目

段落

1. 別の一つ目

段落

3. 三から
"""


def test_bullets_share_one_bullet_numbering() -> None:
    data = render(LISTS)
    a, b = num_of(find_paragraph(data, "項目A")), num_of(find_paragraph(data, "項目B"))
    assert a == b and a is not None and a[1] == "0"
    lvl = abstract_of(part(data, "word/numbering.xml"), a[0]).find("w:lvl", NS)
    assert attr(lvl, "w:numFmt") == "bullet"


def test_a_nested_list_is_one_level_deeper() -> None:
    data = render(LISTS)
    child = num_of(find_paragraph(data, "子1"))
    assert child is not None and child[1] == "1"
    assert num_of(find_paragraph(data, "子2")) == child


def test_each_ordered_list_restarts_at_its_own_start() -> None:
    data = render(LISTS)
    numbering = part(data, "word/numbering.xml")
    first = num_of(find_paragraph(data, "一つ目"))
    assert num_of(find_paragraph(data, "二つ目")) == first
    second = num_of(find_paragraph(data, "別の一つ目"))
    third = num_of(find_paragraph(data, "三から"))
    assert len({first[0], second[0], third[0]}) == 3
    for num_id, start in ((first[0], "1"), (second[0], "1"), (third[0], "3")):
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        assert attr(num, "w:lvlOverride/w:startOverride") == start
        assert attr(abstract_of(numbering, num_id), "w:lvl/w:numFmt") == "decimal"


def test_a_list_item_s_second_paragraph_is_indented_without_a_number() -> None:
    data = render("- 項目\n\n  続きの段落\n")
    continuation = find_paragraph(data, "続きの段落")
    assert num_of(continuation) is None
    assert attr(continuation, "w:pPr/w:ind", "left") == "420"


def test_numbering_definitions_precede_list_instances() -> None:
    numbering = part(render(LISTS + "\n" + HEADINGS), "word/numbering.xml")
    kinds = [etree.QName(child).localname for child in numbering]
    assert kinds == sorted(kinds, key=lambda kind: kind != "abstractNum")


# -- document parts ---------------------------------------------------------------------------


def test_the_footer_centres_page_and_numpages_fields() -> None:
    data = render("本文\n")
    sect_pr = body(data).find("w:sectPr", NS)
    ref = sect_pr.find("w:footerReference", NS)
    assert ref.get(f"{{{W}}}type") == "default"
    document = docx.Document(io.BytesIO(data))
    footer = document.sections[0].footer.paragraphs[0]._p
    instructions = [t.text.strip() for t in footer.iter(f"{{{W}}}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert attr(footer, "w:pPr/w:jc") == "center"


def test_the_page_is_a4_portrait() -> None:
    section = docx.Document(io.BytesIO(render("本文\n"))).sections[0]
    assert (section.page_width, section.page_height) == (11906 * 635, 16838 * 635)
    assert section.left_margin == section.right_margin == 1701 * 635


def test_no_part_lets_latin_words_break_inside() -> None:
    """wordWrap 0 broke 「J-LIS」 as 「J-LI／S」 and 「20人」 as 「2／0人」 in LibreOffice."""
    data = render("（J-LIS）の`CSV`形式\n\n```\ncode\n```\n")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = b"".join(package.read(name) for name in package.namelist() if name.endswith(".xml"))
    assert b"wordWrap" in xml
    assert re.search(rb'<w:wordWrap w:val="(0|false|off)"', xml) is None


def test_doc_defaults_name_an_east_asian_font_and_japanese() -> None:
    defaults = part(render("本文\n"), "word/styles.xml").find("w:docDefaults", NS)
    assert attr(defaults, "w:rPrDefault/w:rPr/w:rFonts", "eastAsia") == "游明朝"
    assert attr(defaults, "w:rPrDefault/w:rPr/w:lang", "eastAsia") == "ja-JP"
    assert attr(defaults, "w:rPrDefault/w:rPr/w:lang") == "en-US"  # Latin text: words kept whole
    ppr = defaults.find("w:pPrDefault/w:pPr", NS)
    assert attr(ppr, "w:kinsoku") == "1"
    assert attr(ppr, "w:wordWrap") == "1"  # Latin words and numbers never break inside
    assert attr(ppr, "w:autoSpaceDE") == "1"


def test_an_english_document_is_tagged_en_us_and_keeps_japanese_for_east_asian_text() -> None:
    info = DocumentInfo(title="Spec", issuer="City", version="1", date="2026-04-01", language="en")
    lang = part(render("Text\n", info), "word/styles.xml").find(
        "w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS
    )
    assert (lang.get(f"{{{W}}}val"), lang.get(f"{{{W}}}eastAsia")) == ("en-US", "ja-JP")


def test_settings_state_the_japanese_kinsoku_characters() -> None:
    settings = part(render("本文\n"), "word/settings.xml")
    assert "」" in attr(settings, "w:noLineBreaksBefore")
    assert "「" in attr(settings, "w:noLineBreaksAfter")


THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def theme_font_attrs(styles: etree._Element) -> list[str]:
    return [
        name
        for fonts in styles.iter(f"{{{W}}}rFonts")
        for name in THEME_ATTRS
        if fonts.get(f"{{{W}}}{name}") is not None
    ]


def test_no_style_uses_theme_fonts() -> None:
    data = render(HEADINGS)
    assert theme_font_attrs(part(data, "word/styles.xml")) == []
    heading = style_element(data, "Heading1")
    assert attr(heading, "w:rPr/w:rFonts", "eastAsia") == "游ゴシック"


def test_core_properties_come_from_the_info_not_the_clock() -> None:
    props = docx.Document(io.BytesIO(render("本文\n"))).core_properties
    assert props.title == "共同調達仕様書"
    assert props.author == "○○県市町村協議会"
    assert props.version == "1.2"
    assert props.revision == 1
    midnight = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    assert props.created == props.modified == props.last_printed == midnight
    assert props.last_modified_by == ""
    assert props.comments == ""


def test_document_info_rejects_a_malformed_date() -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        DocumentInfo(title="t", issuer="i", version="1", date="2026/04/01")
    with pytest.raises(ValueError):
        DocumentInfo(title="t", issuer="i", version="1", date="2026-02-30")


# -- determinism ------------------------------------------------------------------------------

EVERYTHING = f"""\
<!-- specgen:style Title -->
共同調達仕様書

<!-- specgen:toc -->

<!-- specgen:pagebreak -->

{HEADINGS}

本文は[リンク](https://example.jp/)を含む。

{TABLE}

{LISTS}
"""


def test_the_same_input_gives_the_same_bytes() -> None:
    assert render(EVERYTHING) == render(EVERYTHING)


def test_zip_entries_have_a_fixed_time_and_content_types_come_first() -> None:
    with zipfile.ZipFile(io.BytesIO(render(EVERYTHING))) as archive:
        entries = archive.infolist()
    assert entries[0].filename == "[Content_Types].xml"
    assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
    assert "word/footer1.xml" in {entry.filename for entry in entries}


# -- reference documents ----------------------------------------------------------------------


def python_docx_default() -> bytes:
    return (Path(docx.__file__).parent / "templates" / "default.docx").read_bytes()


def test_an_image_shows_its_alt_text() -> None:
    data = render("図：![構成図](figure.png)\n")
    assert text(paragraphs(data)[0]) == "図：構成図"


def test_a_document_that_ends_in_a_table_gets_a_final_paragraph() -> None:
    kinds = [
        etree.QName(child).localname
        for child in body(render("- 項目\n\n  | a |\n  |---|\n  | 1 |\n"))
    ]
    assert kinds[-3:] == ["tbl", "p", "sectPr"]


def test_a_reference_without_the_writer_s_styles_gets_them_added() -> None:
    data = render(EVERYTHING + "\n```\ncode\n```\n", reference=python_docx_default())
    names = {s.name for s in docx.Document(io.BytesIO(data)).styles}
    assert {"Source Code", "Verbatim Char", "Hyperlink", "Table Grid", "Heading 1"} <= names
    assert style_of(find_paragraph(data, "code")) == "SourceCode"


def test_a_reference_s_theme_fonts_become_the_fonts_the_theme_names() -> None:
    data = render(HEADINGS, reference=python_docx_default())
    styles = part(data, "word/styles.xml")
    assert theme_font_attrs(styles) == []
    assert attr(style_element(data, "Heading1"), "w:rPr/w:rFonts", "eastAsia") == "ＭＳ ゴシック"
    rfonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert rfonts.get(f"{{{W}}}eastAsia") == "ＭＳ 明朝"


def with_prefix(reference: bytes, prefix: bytes) -> bytes:
    """`reference` with its document.xml naming the WordprocessingML namespace `prefix`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(reference)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            blob = source.read(name)
            if name == "word/document.xml":
                blob = re.sub(rb"(?<=[<\s/])w:", prefix + b":", blob)
                blob = blob.replace(b'xmlns:w="', b"xmlns:" + prefix + b'="')
            target.writestr(name, blob)
    return out.getvalue()


def test_a_reference_with_other_namespace_prefixes_gets_the_same_body() -> None:
    reference = with_prefix(bundled_reference(), b"wx")
    assert (
        b"<wx:body>"
        in entries(reference)[[n for n, _ in entries(reference)].index("word/document.xml")][1]
    )
    expected, data = render(EVERYTHING), render(EVERYTHING, reference=reference)
    assert [(style_of(p), num_of(p), text(p)) for p in paragraphs(data)] == [
        (style_of(p), num_of(p), text(p)) for p in paragraphs(expected)
    ]
    assert text(table(data)) == text(table(expected))
    assert text(paragraphs(data)[0].getparent()) == text(paragraphs(expected)[0].getparent())


def test_the_reference_body_is_replaced() -> None:
    reference = docx.Document(io.BytesIO(bundled_reference()))
    reference.add_paragraph("テンプレートの本文")
    out = io.BytesIO()
    reference.save(out)
    data = render("本文\n", reference=out.getvalue())
    assert [text(p) for p in paragraphs(data)] == ["本文"]


def entries(archive_bytes: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def test_the_bundled_reference_is_what_the_tool_generates() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_reference_docx", ROOT / "tools" / "make_reference_docx.py"
    )
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    # compared uncompressed: another zlib may compress the same parts differently
    assert entries(tool.build()) == entries(bundled_reference()), "run the tool to regenerate"


# -- parsing in pieces ------------------------------------------------------------------------

PIECES = [
    "# 見出し", "## 1.1　節", "", "", "本文の段落。", "- 項目", "1. 番号", "| a | b |", "| --- | --- |",
    "| 1 | 2 |", "```", "~~~", "    字下げ", "> 引用", "<!-- specgen:pagebreak -->", "<!--", "-->",
    "[ref]: https://example.org", "[ref]", "---", "===", "<pre>", "</pre>", "  # 字下げ見出し",
]  # fmt: skip


def shape(tokens: Sequence[Token]) -> list[tuple[object, ...]]:
    return [
        (t.type, t.tag, t.content, t.markup, t.info, t.level, shape(t.children or []))
        + ((t.meta["aligns"], t.meta["rows"]) if t.type == "table" else ())
        for t in tokens
    ]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.integers(0, 60))
def test_parsing_in_pieces_gives_the_tokens_of_the_whole(lines: list[str], size: int) -> None:
    markdown = "\n".join(lines) + "\n"
    pieces = list(docx_module.split_blocks(markdown, size=size))
    assert "".join(pieces) == markdown
    whole = docx_module.parse_markdown(markdown)
    parts = [t for piece in pieces for t in docx_module.parse_markdown(piece)]
    assert shape(parts) == shape(whole)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=25), min_size=1, max_size=4))
def test_sections_parsed_once_give_the_tokens_of_the_whole(texts: list[list[str]]) -> None:
    """parse_markdown reuses the tokens of sections an earlier text had (a process-wide memo);
    every text still gets exactly the tokens of parsing it whole."""
    for lines in texts:
        markdown = "\n".join(lines) + "\n"
        assert shape(parse_markdown(markdown)) == shape(parse_whole(markdown))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=30),
    st.integers(0, 60),
    st.lists(st.integers(0, 600), max_size=6),
)
@example(["# 第1章　a", "", "1. x", "", "## 1.1　b", "", "[ref]", "", "# c", "[ref]: /u"], 1, [3])
@example(
    ["# 第1章　a", "", "1. x", "", "## 1.1　b", "", "1. y", "- z", "", "# 第2章　c", "2. w"], 1, []
)
def test_a_document_streamed_in_pieces_has_the_bytes_of_the_whole(
    lines: list[str], size: int, cuts: list[int]
) -> None:
    """The writer carries its state (heading numbers, list numbering, links) across pieces,
    and a reference definition in a late piece makes it start again on the whole text."""
    markdown = "\n".join(lines) + "\n"
    bounds = [0, *sorted(cuts), len(markdown)]
    stream = [markdown[a:b] for a, b in itertools.pairwise(bounds)]
    with mock.patch.object(docx_document, "BLOCK_SIZE", size):
        streamed = docx_module.render_docx_stream(stream, info=INFO)
        assert streamed == render(markdown)  # cut in the same pieces: the same bytes
    # In pieces of any size, the same document (each piece is deflated on its own).
    assert unzipped(streamed) == unzipped(render(markdown))


def unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_a_long_document_is_parsed_in_pieces_at_its_headings() -> None:
    assert len(list(docx_module.split_blocks("# a\n\n# b\n"))) == 1  # small: one piece
    markdown = "# 第1章　a\n\n本文\n\n## 1.1　b\n\n| x |\n| --- |\n| 1 |\n\n# 第2章　c\n"
    assert [p.splitlines()[0] for p in docx_module.split_blocks(markdown, size=1)] == [
        "# 第1章　a", "## 1.1　b", "# 第2章　c"
    ]  # fmt: skip


def test_the_package_zipped_once_has_the_bytes_of_python_docx_s_own_save(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Items are taken from python-docx unzipped and zipped once; where its private steps are
    missing, specgen lets python-docx zip and reads the zip back: the same bytes either way."""
    import specgen.render.docx.package as package

    markdown = "# 第1章　総則\n\n本文。[リンク](https://example.jp/)\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n"
    fast = render(markdown)
    monkeypatch.setattr(package, "PackageWriter", object())  # as if its steps were renamed
    assert render(markdown) == fast


def test_inline_parses_shared_between_documents_never_change_a_document() -> None:
    """The process-wide memo of inline contents: a document defining link references parses
    `[x]` as a link, one without as text, whatever was rendered before in the process."""
    import specgen.render.docx.parser as parser

    with_reference = "本文 [x] です。\n\n[x]: https://example.jp/\n"
    without = "本文 [x] です。\n\n別の段落 [x]。\n"
    parser._INLINE_MEMO.clear()
    fresh = {name: render(text) for name, text in (("with", with_reference), ("without", without))}
    for order in (("with", "without"), ("without", "with")):
        parser._INLINE_MEMO.clear()
        texts = {"with": with_reference, "without": without}
        assert {name: render(texts[name]) for name in order} == fresh

    def relationships(data: bytes) -> bytes:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return package.read("word/_rels/document.xml.rels")

    assert b"example.jp" in relationships(fresh["with"])
    assert b"example.jp" not in relationships(fresh["without"])


def test_item_lines_of_a_statement_hang_after_their_mark() -> None:
    """Statements list items as lines 「・…」 (the standards do): each line is its own
    paragraph, spaced as one paragraph, and an item's wrapped lines align after the 「・」."""
    document = body(
        render("次の項目を管理すること。\\\n・氏名\\\n・生年月日（和暦）\n\n次の段落。\n")
    )
    paragraphs = document.findall("w:p", NS)
    texts = ["".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in paragraphs]
    assert texts[:4] == ["次の項目を管理すること。", "・氏名", "・生年月日（和暦）", "次の段落。"]
    indents = [p.find("w:pPr/w:ind", NS) for p in paragraphs[:4]]
    assert indents[0] is None and indents[3] is None
    for ind in indents[1:3]:
        assert ind is not None and ind.get(f"{{{W}}}left") == ind.get(f"{{{W}}}hanging") == "210"
    after = [p.find("w:pPr/w:spacing", NS) for p in paragraphs[:3]]
    assert [a.get(f"{{{W}}}after") if a is not None else None for a in after] == ["0", "0", None]
    assert not document.findall(".//w:br", NS)  # no line breaks left inside the paragraphs


def test_the_cover_page_has_no_page_number() -> None:
    """The body's section uses a first-page footer (titlePg) that carries no PAGE field, so the
    cover shows no page number; the other pages' footer has it."""
    data = render("<!-- specgen:style Title -->\n表紙\n\n# 第1章　総則\n\n本文。\n")
    sect = body(data).find("w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is not None
    first = [r for r in sect.findall("w:footerReference", NS) if r.get(f"{{{W}}}type") == "first"]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
        footers = {
            name: package.read(name)
            for name in package.namelist()
            if name.startswith("word/footer")
        }
    default = [
        r for r in sect.findall("w:footerReference", NS) if r.get(f"{{{W}}}type") == "default"
    ]
    assert default and any(b"PAGE" in xml for xml in footers.values())
    for reference in first:  # a first-page footer, if any, is empty of fields
        target = re.search(rf'Id="{reference.get(f"{{{R}}}id")}"[^>]*Target="([^"]+)"', rels)
        assert target and b"PAGE" not in footers["word/" + target.group(1)]


class _Store:
    """A PieceStore in memory, counting the pieces it gave back."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}
        self.hits = 0

    def get(self, key: str) -> bytes | None:
        found = self.entries.get(key)
        self.hits += found is not None
        return found

    def put(self, key: str, entry: bytes) -> None:
        self.entries[key] = entry


# Lines whose pieces change the writer's state for the pieces after them: numbered headings,
# numbered and bulleted lists, hyperlinks, a table of contents, a pending style and widths.
REUSED = [
    "# 第1章　総則", "# 第2章　機能", "## 1.1　節", "### 1.1.1　項", "", "", "本文。",
    "- 項目", "1. 番号", "3. 三から", "[リンク](https://example.jp/a)", "[別](https://example.jp/b)",
    "| a | b |\n| --- | --- |\n| 1 | 2 |", "<!-- specgen:toc -->", "<!-- specgen:style Quote -->",
    "<!-- specgen:widths 1 3 -->", "> 引用", "```\ncode\n```",
    "<!-- specgen:style Fancy Box -->", "<!-- specgen:style Fancy-Box -->",  # styles it adds
]  # fmt: skip


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.sampled_from(REUSED), min_size=1, max_size=30),
    st.integers(0, 29),
    st.sampled_from(REUSED),
    st.integers(1, 40),
)
@example(["# 第1章　総則", "", "1. 番号", "", "# 第2章　機能", "", "本文。"], 6, "3. 三から", 1)
@example(
    ["[リンク](https://example.jp/a)", "", "# 第1章　総則", "", "本文。"],
    4,
    "[別](https://example.jp/b)",
    1,
)
def test_pieces_reused_from_a_store_give_the_bytes_of_a_fresh_render(
    lines: list[str], at: int, inserted: str, size: int
) -> None:
    """A document written with a store, then edited and written again with it, has the bytes
    of writing it without one, whichever pieces were reused and whatever the edit changed in
    the state the later pieces start from."""
    before = "\n".join(lines) + "\n"
    after = "\n".join([*lines[:at], inserted, *lines[at:]]) + "\n"
    store = _Store()
    with mock.patch.object(docx_document, "BLOCK_SIZE", size):
        first = docx_module.render_docx_stream([before], info=INFO, store=store)
        second = docx_module.render_docx_stream([after], info=INFO, store=store)
        store.hits = 0
        third = docx_module.render_docx_stream([after], info=INFO, store=store)
        pieces = len(list(docx_module.split_blocks(after, size=size)))
        assert first == render(before)
        assert second == third == render(after)
    if "[ref]" not in after:
        assert store.hits == pieces  # the same text again: every piece reused


def test_an_edit_writes_only_its_own_piece_again_and_a_broken_entry_is_written_again() -> None:
    chapters = [f"# 第{i}章　章{i}\n\n本文{i}。\n\n1. 一\n2. 二\n\n" for i in range(1, 6)]
    store = _Store()
    with mock.patch.object(docx_document, "BLOCK_SIZE", 10):
        docx_module.render_docx_stream(["".join(chapters)], info=INFO, store=store)
        assert len(store.entries) == 5
        chapters[2] = chapters[2].replace("本文3", "本文三")
        store.hits = 0
        edited = docx_module.render_docx_stream(["".join(chapters)], info=INFO, store=store)
        assert store.hits == 4 and len(store.entries) == 6  # the third chapter alone is new
        first, *others = store.entries
        for key in others:
            store.entries[key] = b'{"codec": 1, "blocks": [3]}'  # unreadable: written again
        damaged = bytearray(store.entries[first])
        damaged[-1] ^= 1  # one bit of its deflated data: its sha256 no longer matches
        store.entries[first] = bytes(damaged)
        store.hits = 0
        again = docx_module.render_docx_stream(["".join(chapters)], info=INFO, store=store)
        assert edited == again == render("".join(chapters))
        assert store.entries[first] != bytes(damaged)  # written again


def test_a_piece_written_by_other_code_is_never_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key names the writer's own source and versions: after an upgrade, or an edit of a
    checkout that keeps its version number, every piece is written afresh."""
    import specgen.render.docx.reuse as reuse

    markdown = "".join(f"# 第{i}章　章{i}\n\n本文{i}。\n\n" for i in range(1, 4))
    store = _Store()
    with mock.patch.object(docx_document, "BLOCK_SIZE", 10):
        docx_module.render_docx_stream([markdown], info=INFO, store=store)
        monkeypatch.setattr(reuse, "_CODE", "another writer")
        store.hits = 0
        docx_module.render_docx_stream([markdown], info=INFO, store=store)
    assert store.hits == 0 and len(store.entries) == 6


def _entry(store: _Store, key: str) -> tuple[dict[str, object], bytes]:
    """The header and data of a stored piece (past its 32-byte digest)."""
    import orjson

    blob = store.entries[key][32:]
    size = int.from_bytes(blob[:4], "big")
    return orjson.loads(blob[4 : 4 + size]), blob[4 + size :]


def _sealed(key: str, header: dict[str, object], data: bytes) -> bytes:
    """An entry as reuse writes it, with a digest that matches: as if another writer made it."""
    import hashlib

    import orjson

    head = orjson.dumps(header)
    blob = len(head).to_bytes(4, "big") + head + data
    return hashlib.sha256(key.encode() + blob).digest() + blob


def test_no_entry_but_the_intact_one_of_its_own_key_is_ever_applied() -> None:
    """An entry is tied to its key and checked whole: one moved to another key, one whose
    header was damaged, and one whose fields a digest cannot vouch for are written again,
    before anything of them reaches the document (links, styles, body, numbering)."""
    markdown = (
        "# 第1章　総則\n\n[リンク](https://example.jp/a)\n\n1. 一\n\n# 第2章　機能\n\n本文。\n\n"
    )
    with mock.patch.object(docx_document, "BLOCK_SIZE", 10):
        fresh = render(markdown)
        store = _Store()
        docx_module.render_docx_stream([markdown], info=INFO, store=store)
        first, second = store.entries
        originals = dict(store.entries)
        damaged = {
            "moved": {first: originals[second], second: originals[first]},
            "header": {
                first: originals[first].replace("総則".encode(), "総額".encode()),
                second: originals[second],
            },
        }
        header, data = _entry(store, first)
        for field, value in (
            ("counters", None), ("pending_widths", "ab"), ("numbering", [-1, 2]), ("links", {}),
        ):  # fmt: skip
            after = dict(header["after"])  # type: ignore[call-overload]
            after[field] = value
            damaged[field] = {**originals, first: _sealed(first, {**header, "after": after}, data)}
        damaged["xml"] = {**originals, first: _sealed(first, {**header, "abstracts": ["<x"]}, data)}
        parts = [[0, -1, len(data)], *list(header["parts"])[1:]]  # type: ignore[call-overload]
        damaged["size"] = {**originals, first: _sealed(first, {**header, "parts": parts}, data)}
        for name, entries in damaged.items():
            store.entries = dict(entries)
            store.hits = 0
            again = docx_module.render_docx_stream([markdown], info=INFO, store=store)
            assert again == fresh, name


def test_text_a_store_cannot_key_is_written_not_refused() -> None:
    """A lone surrogate (a template can make one) renders as it does without a store."""
    markdown = "# a\n\ntext \ud800 here\n\n# b\n\nmore\n"
    with mock.patch.object(docx_document, "BLOCK_SIZE", 5):
        store = _Store()
        written = docx_module.render_docx_stream([markdown], info=INFO, store=store)
        assert written == render(markdown)
    assert len(store.entries) == 1  # the piece without the surrogate only
