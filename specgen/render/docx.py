"""Markdown to Word: markdown-it's syntax tree walked onto the styles of a reference .docx."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Literal

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.parts.document import DocumentPart
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from specgen.render import oxml
from specgen.render.oxml import Cell, ParagraphFormat, Run

__all__ = ["DocumentInfo", "column_widths", "render_docx"]

ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
A4_TEXT_WIDTH = 8504  # 210 mm less two 30 mm margins, in twips
TOC_PLACEHOLDER = {  # the table of contents of a document without headings
    "ja": "目次（Word でフィールドを更新すると表示されます）",
    "en": "Table of contents (shown when Word updates the fields)",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentInfo:
    """What the document says about itself: core properties and language."""

    title: str
    issuer: str
    version: str
    date: str
    language: Literal["ja", "en"] = "ja"
    subject: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.date):
            raise ValueError(f"date must be YYYY-MM-DD, got {self.date!r}")
        dt.date.fromisoformat(self.date)
        if self.language not in ("ja", "en"):
            raise ValueError(f"language must be 'ja' or 'en', got {self.language!r}")

    @property
    def timestamp(self) -> dt.datetime:
        """Midnight UTC of `date`: created, modified and printed, so no clock is read."""
        return dt.datetime.combine(dt.date.fromisoformat(self.date), dt.time(tzinfo=dt.UTC))


def render_docx(markdown: str, *, info: DocumentInfo, reference: bytes | None = None) -> bytes:
    """The .docx bytes of `markdown` on the styles of `reference` (default: the bundled one).

    The reference supplies styles, fonts and page setup; its body is replaced. Same arguments,
    same bytes.
    """
    with _collector_paused():
        return _render(markdown, info, bundled_reference() if reference is None else reference)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a document is built.

    Parsing and building allocate a million small objects that live until the end, and the
    collections they would trigger nearly double the time of a large document.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _render(markdown: str, info: DocumentInfo, reference: bytes) -> bytes:
    document = docx.Document(io.BytesIO(reference))
    part = document.part
    styles_element = document.styles.element
    theme = next((rel.target_part for rel in part.rels.values() if rel.reltype == RT.THEME), None)
    oxml.replace_theme_fonts(styles_element, oxml.theme_fonts(theme.blob if theme else None))
    oxml.prepare_doc_defaults(styles_element, language=info.language)
    oxml.prepare_settings(document.settings.element)
    styles = _Styles.resolve(styles_element)
    numbering = oxml.Numbering(part.numbering_part.element)
    heading_num = numbering.add_num(
        numbering.add_abstract(oxml.heading_levels(styles.headings[:3]), multilevel=True)
    )
    oxml.link_heading_numbering(styles_element, styles.headings[:3], heading_num)

    body = document.element.body
    sect_pr = body.get_or_add_sectPr()
    for child in list(body):
        body.remove(child)
    writer = _Writer(
        body=body,
        styles=styles,
        numbering=numbering,
        heading_num=heading_num,
        relate=functools.partial(_relate_hyperlink, part),
        text_width=oxml.text_width(sect_pr, A4_TEXT_WIDTH),
        language=info.language,
    )
    writer.write_document(parse_markdown(markdown))
    numbering.flush()
    body.append(sect_pr)

    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    oxml.fill_page_number_footer(footer.part.element, styles.footer)
    _set_core_properties(document, info)
    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue())


@functools.cache
def bundled_reference() -> bytes:
    """templates/reference.docx, shipped as the package data of specgen.templates."""
    try:
        return resources.files("specgen.templates").joinpath("reference.docx").read_bytes()
    except ModuleNotFoundError:  # a source checkout: templates/ sits beside the package
        return (Path(__file__).resolve().parents[2] / "templates" / "reference.docx").read_bytes()


def parse_markdown(markdown: str) -> SyntaxTreeNode:
    return SyntaxTreeNode(MarkdownIt("commonmark").enable("table").parse(markdown))


def normalise_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times and attributes, [Content_Types].xml first."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = source.namelist()
        blobs = {name: source.read(name) for name in names}
    names.sort(key=lambda name: name != "[Content_Types].xml")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            entry = zipfile.ZipInfo(name, ZIP_DATE_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, blobs[name], compresslevel=6)
    return out.getvalue()


def _relate_hyperlink(part: DocumentPart, url: str) -> str:
    return str(part.relate_to(url, RT.HYPERLINK, is_external=True))


def _set_core_properties(document: Document, info: DocumentInfo) -> None:
    props = document.core_properties
    props.title = info.title
    props.subject = info.subject
    props.author = info.issuer
    props.version = info.version
    props.language = "ja-JP" if info.language == "ja" else "en-US"
    props.created = props.modified = props.last_printed = info.timestamp
    props.revision = 1
    props.last_modified_by = ""
    props.comments = props.keywords = props.category = ""


# -- styles -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Styles:
    """Style IDs resolved once by name; a style the reference lacks is added in a minimal form."""

    element: oxml.Element = field(repr=False)
    headings: tuple[str, ...]
    toc: tuple[str, ...]
    title: str
    quote: str
    list_paragraph: str
    code: str
    verbatim: str
    hyperlink: str
    table: str
    footer: str

    @classmethod
    def resolve(cls, styles: oxml.Element) -> _Styles:
        index = oxml.StyleIndex.of(styles)

        def get(name: str, kind: str, style_id: str, based_on: str | None = "Normal") -> str:
            found = index.find(name, kind)
            if found is not None:
                return found
            style = oxml.add_style(
                styles, name=name, kind=kind, style_id=style_id, based_on=based_on
            )
            if name.startswith("heading "):
                oxml.set_heading_look(style, int(name[-1]))
            elif kind == "table":
                oxml.set_table_borders(style)
            return style_id

        return cls(
            element=styles,
            headings=tuple(get(f"heading {n}", "paragraph", f"Heading{n}") for n in range(1, 7)),
            toc=tuple(get(f"toc {n}", "paragraph", f"TOC{n}") for n in range(1, 4)),
            title=get("Title", "paragraph", "Title"),
            quote=get("Quote", "paragraph", "Quote"),
            list_paragraph=get("List Paragraph", "paragraph", "ListParagraph"),
            code=get("Source Code", "paragraph", "SourceCode"),
            verbatim=get("Verbatim Char", "character", "VerbatimChar", None),
            hyperlink=get("Hyperlink", "character", "Hyperlink", None),
            table=get("Table Grid", "table", "TableGrid", None),
            footer=get("footer", "paragraph", "Footer"),
        )

    def paragraph_style(self, name: str) -> str:
        """The ID of paragraph style `name`, adding it (based on Normal) when it is missing."""
        index = oxml.StyleIndex.of(self.element)
        found = index.find(name, "paragraph")
        if found is not None:
            return found
        style_id = re.sub(r"[^0-9A-Za-z]", "", name)
        if not style_id or style_id in index.ids:
            style_id = "Custom" + hashlib.sha256(name.encode()).hexdigest()[:8]
        oxml.add_style(
            self.element, name=name, kind="paragraph", style_id=style_id, based_on="Normal"
        )
        return style_id


# -- inline content ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Format:
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


_PLAIN = _Format()
_SOFT = None  # a softbreak, resolved once its neighbours are known
_Piece = tuple[str | None, _Format]
_InlineRule = Callable[[SyntaxTreeNode, _Format, list[_Piece]], None]
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _inline_children(node: SyntaxTreeNode, fmt: _Format, out: list[_Piece]) -> None:
    for child in node.children:
        _INLINE.get(child.type, _inline_other)(child, fmt, out)


def _inline_other(node: SyntaxTreeNode, fmt: _Format, out: list[_Piece]) -> None:
    if node.children:
        _inline_children(node, fmt, out)
    elif node.content:
        out.append((node.content, fmt))


def _inline_html(node: SyntaxTreeNode, fmt: _Format, out: list[_Piece]) -> None:
    out.append(("\n" if _BR.fullmatch(node.content) else node.content, fmt))


def _inline_link(node: SyntaxTreeNode, fmt: _Format, out: list[_Piece]) -> None:
    href = str(node.attrs.get("href", ""))
    linkable = href.startswith(("http://", "https://", "mailto:"))
    _inline_children(node, replace(fmt, href=href) if linkable else fmt, out)


_INLINE: dict[str, _InlineRule] = {
    "text": lambda node, fmt, out: out.append((node.content, fmt)),
    "softbreak": lambda node, fmt, out: out.append((_SOFT, fmt)),
    "hardbreak": lambda node, fmt, out: out.append(("\n", fmt)),
    "code_inline": lambda node, fmt, out: out.append((node.content, replace(fmt, code=True))),
    "em": lambda node, fmt, out: _inline_children(node, replace(fmt, italic=True), out),
    "strong": lambda node, fmt, out: _inline_children(node, replace(fmt, bold=True), out),
    "link": _inline_link,
    "html_inline": _inline_html,
}


def is_wide(char: str) -> bool:
    """A character of East Asian width (kanji, kana, full-width forms)."""
    return unicodedata.east_asian_width(char) in "WF"


def inline_pieces(node: SyntaxTreeNode | None) -> list[tuple[str, _Format]]:
    """The text of an inline node in runs of one format, softbreaks resolved.

    A softbreak between two East Asian characters vanishes (Japanese has no spaces between
    words); anywhere else it is a space.
    """
    raw: list[_Piece] = []
    if node is not None:
        _inline_children(node, _PLAIN, raw)
    groups: list[tuple[list[str], _Format]] = []
    for index, (text, fmt) in enumerate(raw):
        if text is None:
            before = groups[-1][0][-1] if groups else ""
            after = next((t for t, _ in itertools.islice(raw, index + 1, None) if t), "")
            joined = before and after and is_wide(before[-1]) and is_wide(after[0])
            text = "" if joined else " "
        if not text:
            continue
        if groups and groups[-1][1] == fmt:
            groups[-1][0].append(text)
        else:
            groups.append(([text], fmt))
    return [("".join(texts), fmt) for texts, fmt in groups]


def _inline_of(node: SyntaxTreeNode) -> SyntaxTreeNode | None:
    return next((child for child in node.children if child.type == "inline"), None)


# -- headings ---------------------------------------------------------------------------------

_HEADING_NUMBER = {
    1: re.compile(r"第(\d+)章[　 ]+"),
    2: re.compile(r"(\d+)\.(\d+)[　 ]+"),
    3: re.compile(r"(\d+)\.(\d+)\.(\d+)[　 ]+"),
}


def heading_number(level: int, text: str, counters: Sequence[int]) -> tuple[int, ...] | None:
    """The counters after this heading when `text` starts with exactly the next number.

    `counters` are the numbers of the last numbered heading of levels 1-3 (0: none yet). A
    level-2 heading "1.2 目的" after "1.1" yields (1, 2, 0); anything else yields None.
    """
    pattern = _HEADING_NUMBER.get(level)
    match = pattern.match(text) if pattern else None
    if match is None:
        return None
    expected = (*counters[: level - 1], counters[level - 1] + 1)
    if tuple(int(group) for group in match.groups()) != expected:
        return None
    return expected + (0,) * (3 - level)


def number_label(level: int, counters: Sequence[int]) -> str:
    """The number Word shows for a level 1-3 heading: 第1章, 1.2, 1.2.3."""
    if level == 1:
        return f"第{counters[0]}章"
    return ".".join(str(counter) for counter in counters[:level])


# -- tables -----------------------------------------------------------------------------------

_WIDE_TWIPS = 210  # a full-width character of 10.5 pt
_NARROW_TWIPS = 126  # a Latin capital or digit, generously: 0.6 em
_CELL_PADDING = 2 * 108 + 42  # Table Grid's left and right cell margins, and some slack
_MAX_HEADER = 6 * _WIDE_TWIPS  # a header gets its own line up to six full-width characters
_WORD = re.compile(r"[!-~]+")


def text_extent(text: str) -> int:
    """The width of `text` set in 10.5 pt, in twips; East Asian wide and ambiguous characters
    (kanji, kana, ○, ※) take a full em, anything else 0.6 em."""
    if text.isascii():
        return len(text) * _NARROW_TWIPS
    east_asian_width = unicodedata.east_asian_width
    return sum(_WIDE_TWIPS if east_asian_width(char) in "WFA" else _NARROW_TWIPS for char in text)


def column_widths(rows: Sequence[Sequence[str]], total: int) -> tuple[int, ...]:
    """Column widths in twips summing to `total`, after the automatic layout of HTML tables.

    Each column has a minimum (its longest unbreakable Latin word, such as an ID, and its
    header up to six characters) and a maximum (its longest line). When the maxima fit they
    are scaled up to fill the width; otherwise every column gets its minimum and the rest is
    shared in proportion to how much more each column would like: ID and level columns stay
    narrow, statement columns share the space.
    """
    count = max((len(row) for row in rows), default=0)
    if count == 0:
        return ()
    low, high = [0] * count, [0] * count
    for row_index, row in enumerate(rows):
        for column, text in enumerate(row):
            for line in text.split("\n"):
                extent = text_extent(line)
                high[column] = max(high[column], extent)
                if row_index == 0:
                    low[column] = max(low[column], min(extent, _MAX_HEADER))
                longest = max((len(word) for word in _WORD.findall(line)), default=0)
                one_character = 0 if line.isascii() else _WIDE_TWIPS
                low[column] = max(low[column], longest * _NARROW_TWIPS, one_character)
    low = [width + _CELL_PADDING for width in low]
    high = [max(width + _CELL_PADDING, minimum) for width, minimum in zip(high, low, strict=True)]
    if sum(high) <= total or sum(low) >= total:
        base, shares = [0] * count, high if sum(high) <= total else low
    else:
        base, shares = low, [hi - lo for hi, lo in zip(high, low, strict=True)]
    spare, weight = total - sum(base), sum(shares) or 1
    widths = [lo + spare * share // weight for lo, share in zip(base, shares, strict=True)]
    widths[max(range(count), key=lambda i: widths[i])] += total - sum(widths)
    return tuple(widths)


def _cell_alignment(node: SyntaxTreeNode) -> str | None:
    style = str(node.attrs.get("style", ""))
    for align in ("center", "right", "left"):
        if f"text-align:{align}" in style:
            return align
    return None


# -- blocks -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    """Where a block sits: list depth (-1 outside lists), quote depth, continuation indent."""

    list_level: int = -1
    quote: int = 0
    indent: int | None = None


_BlockRule = Callable[["_Writer", SyntaxTreeNode, _Context], None]
_DIRECTIVE = re.compile(r"<!--\s*specgen:([a-z]+)(?:\s+(.*?))?\s*-->\s*")


class _Writer:
    """Walks block nodes through the dispatch table `_BLOCK`, appending to the body."""

    def __init__(
        self,
        *,
        body: oxml.Element,
        styles: _Styles,
        numbering: oxml.Numbering,
        heading_num: int,
        relate: Callable[[str], str],
        text_width: int,
        language: str,
    ) -> None:
        self.body = body
        self.styles = styles
        self.numbering = numbering
        self.heading_num = heading_num
        self.relate = functools.cache(relate)
        self.text_width = text_width
        self.language = language
        self.counters: tuple[int, ...] = (0, 0, 0)
        self.pending_style: str | None = None
        self.toc_markers: list[oxml.Element] = []
        self.toc_entries: list[tuple[str | None, str]] = []
        self._ordered_abstract: int | None = None
        self._bullet_num: int | None = None

    def write_document(self, tree: SyntaxTreeNode) -> None:
        for child in tree.children:
            self.block(child, _Context())
        if self.ends_in_table() or not len(self.body):
            oxml.append_paragraph(self.body, oxml.PLAIN)
        entries = self.toc_entries or [(None, TOC_PLACEHOLDER[self.language])]
        for marker in self.toc_markers:
            oxml.replace_with_toc(marker, entries)

    def block(self, node: SyntaxTreeNode, context: _Context) -> None:
        _BLOCK.get(node.type, _literal_block)(self, node, context)

    def ends_in_table(self) -> bool:
        """Word draws two adjacent tables as one, and wants a paragraph after the last."""
        return bool(len(self.body)) and self.body[-1].tag == oxml.W_TBL

    def runs(self, pieces: Sequence[tuple[str, _Format]]) -> list[Run]:
        return [self.run(text, fmt) for text, fmt in pieces]

    def run(self, text: str, fmt: _Format) -> Run:
        style = self.styles.verbatim if fmt.code else None
        link = self.relate(fmt.href) if fmt.href else None
        if link and not style:
            style = self.styles.hyperlink
        return Run(text, fmt.bold, fmt.italic, style, link)

    def paragraph(self, context: _Context, pieces: Sequence[tuple[str, _Format]]) -> None:
        style: str | None = None
        indent = context.indent
        if self.pending_style is not None:
            style, self.pending_style = self.pending_style, None
        elif context.quote:
            style = self.styles.quote
            if context.quote > 1:
                indent = oxml.LIST_INDENT * context.quote
        elif context.list_level >= 0:
            style = self.styles.list_paragraph
        fmt = ParagraphFormat(style_id=style, indent_left=indent)
        oxml.append_paragraph(self.body, fmt, self.runs(pieces))

    def list_num(self, ordered: bool, level: int, start: int) -> int:
        if not ordered:
            if self._bullet_num is None:
                abstract = self.numbering.add_abstract(oxml.bullet_levels(), multilevel=False)
                self._bullet_num = self.numbering.add_num(abstract)
            return self._bullet_num
        if self._ordered_abstract is None:
            levels = oxml.ordered_levels()
            self._ordered_abstract = self.numbering.add_abstract(levels, multilevel=False)
        return self.numbering.add_num(self._ordered_abstract, restart=(level, start))


def _heading(writer: _Writer, node: SyntaxTreeNode, context: _Context) -> None:
    level = int(node.tag[1])
    pieces = inline_pieces(_inline_of(node))
    if writer.pending_style is not None:
        writer.paragraph(context, pieces)
        return
    style = writer.styles.headings[level - 1]
    numbering: tuple[int, int] | None = None
    first = pieces[0][0] if pieces else ""
    counters = heading_number(level, first, writer.counters) if level <= 3 else None
    if counters is not None:
        writer.counters = counters
        numbering = (writer.heading_num, level - 1)
        rest = _HEADING_NUMBER[level].sub("", first, count=1)  # the number and its space
        pieces = [(rest, pieces[0][1]), *pieces[1:]]
        pieces = [piece for piece in pieces if piece[0]]
    elif level <= 3:
        numbering = (0, 0)
    fmt = ParagraphFormat(style_id=style, numbering=numbering)
    oxml.append_paragraph(writer.body, fmt, writer.runs(pieces))
    if level <= 3:
        title = "".join(text for text, _ in pieces).replace("\n", " ")
        label = number_label(level, counters) if counters else ""
        entry = f"{label}　{title}" if label else title
        writer.toc_entries.append((writer.styles.toc[level - 1], entry))


def _paragraph(writer: _Writer, node: SyntaxTreeNode, context: _Context) -> None:
    writer.paragraph(context, inline_pieces(_inline_of(node)))


def _list(writer: _Writer, node: SyntaxTreeNode, context: _Context) -> None:
    level = min(context.list_level + 1, 8)
    ordered = node.type == "ordered_list"
    start = int(str(node.attrs.get("start", 1))) if ordered else 1
    num_id = writer.list_num(ordered, level, start)
    inner = _Context(list_level=level, quote=context.quote, indent=oxml.LIST_INDENT * (level + 1))
    for item in node.children:
        children = list(item.children)
        first = children[0] if children and children[0].type == "paragraph" else None
        pieces = inline_pieces(_inline_of(first)) if first is not None else []
        fmt = ParagraphFormat(style_id=writer.styles.list_paragraph, numbering=(num_id, level))
        oxml.append_paragraph(writer.body, fmt, writer.runs(pieces))
        for child in children[1:] if first is not None else children:
            writer.block(child, inner)


def _blockquote(writer: _Writer, node: SyntaxTreeNode, context: _Context) -> None:
    inner = replace(context, quote=context.quote + 1)
    for child in node.children:
        writer.block(child, inner)


def _code(writer: _Writer, node: SyntaxTreeNode, context: _Context) -> None:
    fmt = ParagraphFormat(style_id=writer.styles.code, indent_left=context.indent)
    for line in node.content.removesuffix("\n").split("\n"):
        oxml.append_paragraph(writer.body, fmt, [Run(line)] if line else [])


def _thematic_break(writer: _Writer, node: SyntaxTreeNode, context: _Context) -> None:
    oxml.append_paragraph(writer.body, ParagraphFormat(rule_below=True))


def _table(writer: _Writer, node: SyntaxTreeNode, context: _Context) -> None:
    if writer.ends_in_table():
        oxml.append_paragraph(writer.body, oxml.PLAIN)
    rows: list[list[Cell]] = []
    header_rows = 0
    for section in node.children:
        for tr in section.children:
            cells = []
            for cell in tr.children:
                runs = tuple(writer.runs(inline_pieces(_inline_of(cell))))
                cells.append(Cell(runs, _cell_alignment(cell)))
            rows.append(cells)
            header_rows += section.type == "thead"
    texts = [["".join(run.text for run in cell.runs) for cell in row] for row in rows]
    widths = column_widths(texts, writer.text_width)
    oxml.append_table(
        writer.body, rows, widths=widths, style_id=writer.styles.table, header_rows=header_rows
    )


def _html_block(writer: _Writer, node: SyntaxTreeNode, context: _Context) -> None:
    match = _DIRECTIVE.fullmatch(node.content)
    directive = _DIRECTIVES.get(match.group(1)) if match else None
    if match is None or directive is None or not directive(writer, match.group(2) or ""):
        _literal_block(writer, node, context)


def _literal_block(writer: _Writer, node: SyntaxTreeNode, context: _Context) -> None:
    text = node.content.removesuffix("\n")
    if text:
        oxml.append_paragraph(writer.body, ParagraphFormat(indent_left=context.indent), [Run(text)])


def _directive_toc(writer: _Writer, argument: str) -> bool:
    """A placeholder paragraph, replaced by the TOC field once every heading is known."""
    if argument:
        return False
    writer.toc_markers.append(oxml.append_paragraph(writer.body, oxml.PLAIN))
    return True


def _directive_pagebreak(writer: _Writer, argument: str) -> bool:
    if argument:
        return False
    oxml.append_page_break(writer.body)
    return True


def _directive_style(writer: _Writer, argument: str) -> bool:
    if not argument:
        return False
    writer.pending_style = writer.styles.paragraph_style(argument)
    return True


_DIRECTIVES: dict[str, Callable[[_Writer, str], bool]] = {
    "toc": _directive_toc,
    "pagebreak": _directive_pagebreak,
    "style": _directive_style,
}

_BLOCK: dict[str, _BlockRule] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "bullet_list": _list,
    "ordered_list": _list,
    "blockquote": _blockquote,
    "fence": _code,
    "code_block": _code,
    "hr": _thematic_break,
    "table": _table,
    "html_block": _html_block,
}
