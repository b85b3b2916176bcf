"""WordprocessingML, built with lxml or written as text: the only module knowing element names."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from specgen.render.docx.deflate import Deflated

__all__ = [
    "BODY_FONT",
    "CODE_FONT",
    "HEADING_FONT",
    "LIST_INDENT",
    "PLAIN",
    "PLAIN_RUN",
    "Body",
    "Cell",
    "Level",
    "Numbering",
    "ParagraphFormat",
    "Run",
    "RunFormat",
    "StyleIndex",
    "add_style",
    "bullet_levels",
    "fill_page_number_footer",
    "heading_levels",
    "link_heading_numbering",
    "ordered_levels",
    "prepare_doc_defaults",
    "prepare_settings",
    "replace_theme_fonts",
    "set_heading_look",
    "set_table_borders",
    "style_element",
    "text_width",
    "theme_fonts",
]

Element = Any  # lxml ships no type information; elements cross this module's boundary as Any
XMLSyntaxError: type[Exception] = etree.XMLSyntaxError  # a part that is not well-formed

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# Fonts the bundled reference uses and that runtime fills in where a reference leaves a gap.
# Debian's fonts-noto-cjk provides all three, so LibreOffice renders Japanese without
# substitution; the reference's font table names 游明朝/游ゴシック as Word's alternatives.
# The fonts of a municipal Windows PC (Office ships them); specgen's fontconfig aliases
# (specgen/data/fonts.conf) let LibreOffice draw them with Noto CJK, so PDF and Word agree.
BODY_FONT = "游明朝"
HEADING_FONT = "游ゴシック"
CODE_FONT = "ＭＳ ゴシック"


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


W_PPR, W_PSTYLE, W_VAL, W_NUMPR, W_ILVL, W_NUMID, W_IND = (
    _w(n) for n in ("pPr", "pStyle", "val", "numPr", "ilvl", "numId", "ind")
)
W_STYLE, W_NAME, W_BASEDON, W_LEFT, W_HANGING, W_W, W_TYPE, W_STYLEID = (
    _w(n) for n in ("style", "name", "basedOn", "left", "hanging", "w", "type", "styleId")
)

_BREAKS = re.compile("([\n\t])")


def _val(parent: Element, tag: str, value: str | int) -> Element:
    return etree.SubElement(parent, tag, {W_VAL: str(value)})


def _child(parent: Element, name: str) -> Element | None:
    return parent.find(_w(name))


def _insert_ordered(parent: Element, child: Element, order: Sequence[str]) -> Element:
    """Insert `child` before the first sibling that the schema sequence `order` puts after it."""
    local = etree.QName(child).localname
    later = set(order[order.index(local) + 1 :])
    for sibling in parent:
        if isinstance(sibling.tag, str) and etree.QName(sibling).localname in later:
            sibling.addprevious(child)
            return child
    parent.append(child)
    return child


def _new(name: str, attrib: dict[str, str] | None = None) -> Element:
    """A detached w: element, declared with the w prefix so it serializes as Word writes it."""
    return etree.Element(_w(name), attrib or {}, nsmap={"w": W_NS})


def _get_or_insert(parent: Element, name: str, order: Sequence[str]) -> Element:
    found = _child(parent, name)
    if found is not None:
        return found
    return _insert_ordered(parent, _new(name), order)


# -- body content -----------------------------------------------------------------------------
#
# A large specification's body holds millions of elements, and creating each one through lxml
# costs more than parsing the Markdown. So the body is written as text, byte for byte what lxml
# would serialize for the same elements, and `Body.place` splices it into document.xml after
# python-docx has saved the package. Everything outside the body is still built with lxml.

BODY_MARKER = "specgen:body"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR_ESCAPES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("\n", "&#10;"),
    ("\r", "&#13;"),
    ("\t", "&#9;"),
)
_T_OPEN = '<w:t xml:space="preserve">'


def _text(text: str) -> str:
    """`text` as element content; characters XML cannot hold become U+FFFD."""
    if _TEXT_SPECIAL.search(text) is None:
        return text
    text = _INVALID_XML.sub("\ufffd", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")


@functools.lru_cache(maxsize=4096)
def _attr(value: str | int) -> str:
    """`value` as a quoted attribute value; characters XML cannot hold become U+FFFD."""
    text = _INVALID_XML.sub("\ufffd", str(value))
    for char, reference in _ATTR_ESCAPES:
        text = text.replace(char, reference)
    return f'"{text}"'


def _val_xml(name: str, value: str | int) -> str:
    return f"<w:{name} w:val={_attr(value)}/>"


def _elements(xml: str) -> list[Element]:
    """The elements of a fragment of body text, parsed."""
    wrapped = f'<w:body xmlns:w="{W_NS}" xmlns:r="{R_NS}">{xml}</w:body>'
    return list(etree.fromstring(wrapped))


# -- inline content ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunFormat:
    """Character formatting; runs with a `link_rid` are the text of that hyperlink."""

    bold: bool = False
    italic: bool = False
    style_id: str | None = None
    link_rid: str | None = None
    underline: bool = False  # 傍線: the changed characters of a 新旧対照表
    start: str = field(init=False, repr=False, compare=False)  # `<w:r>` and its properties

    def __post_init__(self) -> None:
        props = _val_xml("rStyle", self.style_id) if self.style_id else ""
        if self.bold:
            props += "<w:b/><w:bCs/>"
        if self.italic:
            props += "<w:i/><w:iCs/>"
        if self.underline:
            props += '<w:u w:val="single"/>'
        object.__setattr__(self, "start", f"<w:r><w:rPr>{props}</w:rPr>" if props else "<w:r>")


PLAIN_RUN = RunFormat()
Run = tuple[str, RunFormat]  # text in one format; "\n" is a line break and "\t" a tab


@functools.lru_cache(maxsize=1024)
def _bold(fmt: RunFormat) -> RunFormat:
    return fmt if fmt.bold else replace(fmt, bold=True)


def _run(text: str, fmt: RunFormat) -> str:
    text = _text(text)
    if "\n" not in text and "\t" not in text:
        return f"{fmt.start}{_T_OPEN}{text}</w:t></w:r>"
    if "\t" not in text:  # the lines of a statement, each after a hard break
        lines = (f"{_T_OPEN}{line}</w:t>" if line else "" for line in text.split("\n"))
        return f"{fmt.start}{'<w:br/>'.join(lines)}</w:r>"
    out = [fmt.start]
    for piece in _BREAKS.split(text):
        if piece == "\n":
            out.append("<w:br/>")
        elif piece == "\t":
            out.append("<w:tab/>")
        elif piece:
            out.append(f"{_T_OPEN}{piece}</w:t>")
    out.append("</w:r>")
    return "".join(out)


def _runs(runs: Iterable[Run]) -> str:
    """Runs in order, consecutive runs of one hyperlink inside one `w:hyperlink`."""
    out: list[str] = []
    link: str | None = None
    for text, fmt in runs:
        if fmt.link_rid != link:
            if link is not None:
                out.append("</w:hyperlink>")
            if fmt.link_rid is not None:
                out.append(f"<w:hyperlink r:id={_attr(fmt.link_rid)}>")
            link = fmt.link_rid
        out.append(_run(text, fmt))
    if link is not None:
        out.append("</w:hyperlink>")
    return "".join(out)


# -- paragraphs -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParagraphFormat:
    """Direct paragraph properties; `numbering` is (numId, ilvl), numId 0 suppressing a list."""

    style_id: str | None = None
    numbering: tuple[int, int] | None = None
    indent_left: int | None = None
    align: str | None = None
    keep_next: bool = False
    rule_below: bool = False
    space_before: int | None = None  # twips
    space_after: int | None = None  # twips
    hanging: int | None = None  # twips the first line starts left of `indent_left`
    start: str = field(init=False, repr=False, compare=False)  # `<w:p>` and its properties

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _paragraph_start(self))


def _paragraph_start(fmt: ParagraphFormat) -> str:
    props = _val_xml("pStyle", fmt.style_id) if fmt.style_id else ""
    if fmt.keep_next:
        props += "<w:keepNext/>"
    if fmt.numbering is not None:
        num_id, ilvl = fmt.numbering
        level = _val_xml("ilvl", ilvl) if num_id else ""
        props += f"<w:numPr>{level}{_val_xml('numId', num_id)}</w:numPr>"
    if fmt.rule_below:
        props += '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
    if fmt.space_before is not None or fmt.space_after is not None:
        before = "" if fmt.space_before is None else f" w:before={_attr(fmt.space_before)}"
        after = "" if fmt.space_after is None else f" w:after={_attr(fmt.space_after)}"
        props += f"<w:spacing{before}{after}/>"
    if fmt.indent_left is not None:
        hanging = "" if fmt.hanging is None else f" w:hanging={_attr(fmt.hanging)}"
        props += f"<w:ind w:left={_attr(fmt.indent_left)}{hanging}/>"
    if fmt.align:
        props += _val_xml("jc", fmt.align)
    if props:
        return f"<w:p><w:pPr>{props}</w:pPr>"
    plain = fmt.style_id is None and fmt.align is None  # and nothing else set, as props is empty
    return "<w:p>" if plain else "<w:p><w:pPr/>"


PLAIN = ParagraphFormat()


def _paragraph(fmt: ParagraphFormat, runs: Iterable[Run] = ()) -> str:
    content = _runs(runs)
    if not content and fmt.start == "<w:p>":
        return "<w:p/>"
    return f"{fmt.start}{content}</w:p>"


def _field_begin(instruction: str, *, dirty: bool = False) -> str:
    dirty_attr = ' w:dirty="true"' if dirty else ""
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"{dirty_attr}/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {_text(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )


_FIELD_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def _field(instruction: str, result: Sequence[Run]) -> str:
    """A complex field: begin, instruction, separate, the cached result, end."""
    return f"{_field_begin(instruction)}{_runs(result)}{_FIELD_END}"


TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'


def _toc(entries: Sequence[tuple[str | None, str]]) -> str:
    """A table-of-contents field, one paragraph per entry.

    Entries are (paragraph style ID, text). They are the field's cached result: what an
    application that does not update fields (LibreOffice) shows; Word rebuilds the table
    with page numbers when it updates fields on opening.
    """
    out = []
    for offset, (style_id, text) in enumerate(entries):
        out.append("<w:p>")
        if style_id:
            out.append(f"<w:pPr>{_val_xml('pStyle', style_id)}</w:pPr>")
        if offset == 0:
            out.append(_field_begin(TOC_INSTRUCTION, dirty=True))
        out.append(_runs([(text, PLAIN_RUN)]))
        if offset == len(entries) - 1:
            out.append(_FIELD_END)
        out.append("</w:p>")
    return "".join(out)


def fill_page_number_footer(ftr: Element, style_id: str | None) -> None:
    """Replace the footer's content by one centred "PAGE / NUMPAGES" paragraph."""
    for child in list(ftr):
        ftr.remove(child)
    start = ParagraphFormat(style_id=style_id, align="center").start
    one = [("1", PLAIN_RUN)]
    fields = f"{_field('PAGE', one)}{_runs([(' / ', PLAIN_RUN)])}{_field('NUMPAGES', one)}"
    ftr.extend(_elements(f"{start}{fields}</w:p>"))


# -- tables -----------------------------------------------------------------------------------

Cell = tuple[Sequence[Run], str | None]  # the runs of a cell's paragraph and its alignment
HEADER_FILL = "D9D9D9"
_HEADER_SHADING = f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>'
_TABLE_LOOK = (
    '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"'
    ' w:noHBand="1" w:noVBand="1"/>'
)
_EMPTY_CELL: Cell = ((), None)


@functools.lru_cache(maxsize=16)
def _aligned(align: str) -> ParagraphFormat:
    return ParagraphFormat(align=align)


def _table(
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[int],
    style_id: str | None,
    header_rows: int,
    whole: Sequence[bool] = (),
) -> str:
    out = ["<w:tbl><w:tblPr>"]
    if style_id:
        out.append(_val_xml("tblStyle", style_id))
    out.append(f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>')
    out.append(f"{_TABLE_LOOK}</w:tblPr><w:tblGrid>")
    out.extend(f'<w:gridCol w:w="{width}"/>' for width in widths)
    out.append("</w:tblGrid>")
    cell_widths = [f'<w:tcW w:w="{width}" w:type="dxa"/>' for width in widths]
    body_cells = [f"<w:tc><w:tcPr>{width}</w:tcPr>" for width in cell_widths]
    header_cells = [f"<w:tc><w:tcPr>{width}{_HEADER_SHADING}</w:tcPr>" for width in cell_widths]
    body_paragraphs: dict[int, str] = {}  # by the id of a cell, which `rows` keeps alive
    for index, row in enumerate(rows):
        header = index < header_rows
        keep = "<w:cantSplit/>" if index < len(whole) and whole[index] else ""
        if header:
            out.append(f"<w:tr><w:trPr>{keep}<w:tblHeader/></w:trPr>")
        else:
            out.append(f"<w:tr><w:trPr>{keep}</w:trPr>" if keep else "<w:tr>")
        for column, start in enumerate(header_cells if header else body_cells):
            cell = row[column] if column < len(row) else _EMPTY_CELL
            paragraph = None if header else body_paragraphs.get(id(cell))
            if paragraph is None:
                runs, align = cell
                if header:
                    runs = [(text, _bold(fmt)) for text, fmt in runs]
                paragraph = _paragraph(_aligned(align) if align else PLAIN, runs)
                if not header:
                    body_paragraphs[id(cell)] = paragraph
            out.append(f"{start}{paragraph}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


# -- the body ---------------------------------------------------------------------------------


class Body:
    """A document body being written, block by block, as WordprocessingML text, and deflated
    piece by piece (`seal`): a piece reused from the cache is never compressed again."""

    def __init__(self) -> None:
        self._blocks: list[str] = []  # written since the last seal
        self._parts: list[Deflated | None] = []  # None: where a table of contents goes
        self._tocs: dict[int, str] = {}
        self._written = 0
        self._ends_in_table = False

    @property
    def is_empty(self) -> bool:
        return self._written == 0

    @property
    def ends_in_table(self) -> bool:
        return self._ends_in_table

    def _append(self, xml: str, *, table: bool = False) -> None:
        self._blocks.append(xml)
        self._written += 1
        self._ends_in_table = table

    def paragraph(self, fmt: ParagraphFormat, runs: Iterable[Run] = ()) -> None:
        """Append a `w:p` with the given properties and runs."""
        self._append(_paragraph(fmt, runs))

    def page_break(self) -> None:
        self._append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def table(
        self,
        rows: Sequence[Sequence[Cell]],
        *,
        widths: Sequence[int],
        style_id: str | None,
        header_rows: int = 1,
        whole: Sequence[bool] = (),
    ) -> None:
        """A fixed-layout table whose first `header_rows` rows repeat on every page (bold,
        shaded); a row marked in `whole` is never split across a page break."""
        self._append(_table(rows, widths, style_id, header_rows, whole), table=True)

    def toc_place(self) -> int:
        """Keep the place of a table of contents, filled by `fill_toc` once every heading is
        known; the place's number."""
        self.seal()
        self._parts.append(None)
        self._written += 1
        self._ends_in_table = False
        return len(self._parts) - 1

    def fill_toc(self, place: int, entries: Sequence[tuple[str | None, str]]) -> None:
        """Put a table-of-contents field (see `_toc`) in the place numbered `place`."""
        self._tocs[place] = _toc(entries)

    def seal(self) -> int:
        """Deflate what was written since the last seal; the number of parts (a mark)."""
        if self._blocks:
            self._parts.append(Deflated.of("".join(self._blocks).encode("utf-8")))
            self._blocks.clear()
        return len(self._parts)

    def parts_since(self, mark: int) -> list[Deflated | None]:
        """The parts sealed after `mark` (None: a table of contents' place)."""
        return self._parts[mark:]

    def extend(self, parts: Sequence[Deflated | None], *, ends_in_table: bool) -> None:
        """Append parts written before (a piece of a document reused from the cache)."""
        self.seal()
        self._parts.extend(parts)
        if parts:
            self._written += len(parts)
            self._ends_in_table = ends_in_table

    def deflated(self) -> list[Deflated]:
        """The whole body, deflated, its tables of contents filled in."""
        self.seal()
        empty = _paragraph(PLAIN)
        return [
            part if part is not None else Deflated.of(self._tocs.get(i, empty).encode("utf-8"))
            for i, part in enumerate(self._parts)
        ]

    def place(self, body: Element) -> tuple[bytes, list[Deflated]] | None:
        """Put the content into the `w:body` element `body`, before its section properties.

        When `body` knows the prefixes w and r as this text uses them, a comment holds the
        place and (comment, content) comes back, for `zip_items` to splice into the saved
        part; otherwise the content is parsed into elements here.
        """
        sect_pr = body.find(_w("sectPr"))
        parts = self.deflated()
        spliced = body.nsmap.get("w") == W_NS and body.nsmap.get("r") == R_NS
        if spliced:
            elements = [etree.Comment(BODY_MARKER)]
        else:
            elements = _elements(b"".join(part.inflated() for part in parts).decode("utf-8"))
        for element in elements:
            if sect_pr is None:
                body.append(element)
            else:
                sect_pr.addprevious(element)
        if not spliced:
            return None
        return f"<!--{BODY_MARKER}-->".encode(), parts


def turn_landscape(sect_pr: Element) -> None:
    """The section's pages turned: width and height of `w:pgSz` swapped (A4 when the
    reference gives none), `w:orient="landscape"`."""
    size = _child(sect_pr, "pgSz")
    if size is None:
        size = etree.SubElement(sect_pr, _w("pgSz"))
        size.set(W_W, "11906")
        size.set(_w("h"), "16838")
    width, height = size.get(W_W, "11906"), size.get(_w("h"), "16838")
    if int(width) < int(height):
        size.set(W_W, height)
        size.set(_w("h"), width)
    size.set(_w("orient"), "landscape")


def text_width(sect_pr: Element | None, default: int) -> int:
    """Page width minus the left and right margins, in twentieths of a point."""
    size = None if sect_pr is None else _child(sect_pr, "pgSz")
    margins = None if sect_pr is None else _child(sect_pr, "pgMar")
    if size is None or margins is None:
        return default
    try:
        width = int(size.get(W_W))
        left, right = int(margins.get(W_LEFT)), int(margins.get(_w("right")))
    except (TypeError, ValueError):
        return default
    return width - left - right if width - left - right > 0 else default


# -- styles -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StyleIndex:
    """Style IDs of styles.xml by lower-cased name and by ID, each with its type."""

    by_name: dict[str, tuple[str, str]]
    ids: frozenset[str]

    @classmethod
    def of(cls, styles: Element) -> StyleIndex:
        by_name: dict[str, tuple[str, str]] = {}
        ids: set[str] = set()
        for style in styles.iterchildren(W_STYLE):
            style_id, kind = style.get(W_STYLEID), style.get(W_TYPE, "paragraph")
            name = style.find(W_NAME)
            if style_id is None:
                continue
            ids.add(style_id)
            if name is not None and name.get(W_VAL):
                by_name.setdefault(name.get(W_VAL).lower(), (style_id, kind))
        return cls(by_name, frozenset(ids))

    def find(self, name: str, kind: str) -> str | None:
        """The ID of the style called `name` (or with that ID) of `kind`, if there is one."""
        found = self.by_name.get(name.lower())
        if found is not None and found[1] == kind:
            return found[0]
        return name if name in self.ids else None


def add_style(
    styles: Element, *, name: str, kind: str, style_id: str, based_on: str | None
) -> Element:
    """A minimal style definition, for a style that a replacement reference does not define."""
    style = etree.SubElement(styles, W_STYLE, {W_TYPE: kind, W_STYLEID: style_id})
    _val(style, W_NAME, name)
    if based_on:
        _val(style, W_BASEDON, based_on)
    etree.SubElement(style, _w("qFormat"))
    return style


def style_element(styles: Element, style_id: str) -> Element | None:
    for style in styles.iterchildren(W_STYLE):
        if style.get(W_STYLEID) == style_id:
            return style
    return None


def set_heading_look(style: Element, level: int) -> None:
    """Outline level, keep-with-next and bold, for a heading style created at runtime."""
    ppr = _get_or_insert(style, "pPr", _STYLE_ORDER)
    _get_or_insert(ppr, "keepNext", _PPR_ORDER)
    _get_or_insert(ppr, "outlineLvl", _PPR_ORDER).set(W_VAL, str(level - 1))
    _get_or_insert(_get_or_insert(style, "rPr", _STYLE_ORDER), "b", _RPR_ORDER)


def set_table_borders(style: Element) -> None:
    """Single borders on every edge, for a table style created at runtime."""
    tblpr = _get_or_insert(style, "tblPr", _STYLE_ORDER)
    borders = _get_or_insert(tblpr, "tblBorders", ("tblStyle", "tblW", "tblBorders", "tblLook"))
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        attrs = {W_VAL: "single", _w("sz"): "4", _w("space"): "0", _w("color"): "auto"}
        etree.SubElement(borders, _w(edge), attrs)


_THEME_SLOTS = tuple(
    (_w(theme), _w(slot))
    for theme, slot in (
        ("asciiTheme", "ascii"),
        ("hAnsiTheme", "hAnsi"),
        ("eastAsiaTheme", "eastAsia"),
        ("cstheme", "cs"),
    )
)
_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def theme_fonts(theme_xml: bytes | None) -> dict[str, str]:
    """The typeface behind each theme-font name (majorHAnsi, minorEastAsia, ...) of a theme.

    East Asian theme fonts resolve to the theme's Japanese (Jpan) font; a name the theme leaves
    empty resolves to this module's heading (major) or body (minor) font.
    """
    fonts: dict[str, str] = {}
    root = etree.fromstring(theme_xml) if theme_xml else None
    for group, fallback in (("major", HEADING_FONT), ("minor", BODY_FONT)):
        scheme = None if root is None else root.find(f".//{{{_A_NS}}}{group}Font")

        def face(path: str, scheme: Element = scheme, fallback: str = fallback) -> str:
            found = None if scheme is None else scheme.find(path)
            return (found.get("typeface") if found is not None else None) or fallback

        latin = face(f"{{{_A_NS}}}latin")
        east_asian = face(f"{{{_A_NS}}}font[@script='Jpan']")
        if east_asian == fallback:
            east_asian = face(f"{{{_A_NS}}}ea")
        for suffix, typeface in (
            ("Ascii", latin),
            ("HAnsi", latin),
            ("EastAsia", east_asian),
            ("Bidi", face(f"{{{_A_NS}}}cs")),
        ):
            fonts[group + suffix] = typeface
    return fonts


def replace_theme_fonts(styles: Element, fonts: dict[str, str]) -> None:
    """Replace every theme-font attribute in styles.xml by the typeface it stands for.

    Word lets a theme font win over an explicit one, so a heading style carrying
    `w:eastAsiaTheme` would ignore the East Asian font the document names.
    """
    for rfonts in styles.iter(_w("rFonts")):
        for theme_attr, slot in _THEME_SLOTS:
            theme = rfonts.attrib.pop(theme_attr, None)
            if theme is not None and not rfonts.get(slot):
                rfonts.set(slot, fonts.get(theme, BODY_FONT))


def prepare_doc_defaults(styles: Element, *, language: str) -> None:
    """Explicit fonts, the document languages and Japanese line breaking in w:docDefaults.

    Fonts the reference names are kept, and a font slot it leaves empty gets BODY_FONT.
    Paragraph defaults switch on kinsoku (no closing bracket or 。 at a line start), keep Latin
    words and numbers whole (「J-LIS」, 「CSV」, 「20人」 never break inside), let punctuation
    hang, and space Japanese apart from Latin letters and digits.
    """
    defaults = _get_or_insert(styles, "docDefaults", ("docDefaults", "latentStyles", "style"))
    rpr_default = _get_or_insert(defaults, "rPrDefault", ("rPrDefault", "pPrDefault"))
    rpr = _get_or_insert(rpr_default, "rPr", ("rPr",))
    rfonts = _get_or_insert(rpr, "rFonts", _RPR_ORDER)
    for _, slot in _THEME_SLOTS:
        if not rfonts.get(slot):
            rfonts.set(slot, BODY_FONT)
    lang = _get_or_insert(rpr, "lang", _RPR_ORDER)
    # w:val is the language of Latin text. Tagged Japanese, LibreOffice breaks 「J-LIS」 or
    # 「km²」 between any two letters; Japanese text is w:eastAsia's.
    lang.set(W_VAL, "en-US")
    lang.set(_w("eastAsia"), "ja-JP")
    ppr_default = _get_or_insert(defaults, "pPrDefault", ("rPrDefault", "pPrDefault"))
    ppr = _get_or_insert(ppr_default, "pPr", ("pPr",))
    for name, value in (
        ("kinsoku", "1"),
        ("wordWrap", "1"),
        ("overflowPunct", "1"),
        ("autoSpaceDE", "1"),
        ("autoSpaceDN", "1"),
    ):
        _get_or_insert(ppr, name, _PPR_ORDER).set(W_VAL, value)


# Word's standard Japanese kinsoku sets (行頭禁則文字 / 行末禁則文字).
NO_BREAK_BEFORE = "!%),.:;?]}¢°’”‰′″℃、。々〉》」』】〕゛゜ゝゞ・ヽヾ！％），．：；？］｝｡｣､･ﾞﾟ￠"
NO_BREAK_AFTER = "$([\\{£¥‘“〈《「『【〔＄（［｛｢￡￥"


def prepare_settings(settings: Element) -> None:
    """Ask Word to update fields (the TOC) on opening, and state the kinsoku character sets.

    `doNotExpandShiftReturn` keeps a justified line that ends in a line break from being
    spread across the page, which Japanese text (no spaces) would show as letter-spacing.
    """
    _get_or_insert(settings, "updateFields", _SETTINGS_ORDER).set(W_VAL, "true")
    compat = _get_or_insert(settings, "compat", _SETTINGS_ORDER)
    _get_or_insert(compat, "doNotExpandShiftReturn", _COMPAT_ORDER)
    kinsoku = (("noLineBreaksAfter", NO_BREAK_AFTER), ("noLineBreaksBefore", NO_BREAK_BEFORE))
    for name, chars in kinsoku:
        element = _get_or_insert(settings, name, _SETTINGS_ORDER)
        if element.get(W_VAL) is None:
            element.set(_w("lang"), "ja-JP")
            element.set(W_VAL, chars)
    theme_lang = _get_or_insert(settings, "themeFontLang", _SETTINGS_ORDER)
    theme_lang.set(_w("eastAsia"), "ja-JP")


def link_heading_numbering(styles: Element, style_ids: Sequence[str], num_id: int) -> None:
    """Give heading style N (N = 1..len(style_ids)) the list `num_id` at level N-1.

    A style based on a heading (TOC Heading is based on Heading 1) gets numId 0 so that it
    does not inherit the numbering.
    """
    linked = set(style_ids)
    for style in styles.iterchildren(W_STYLE):
        style_id = style.get(W_STYLEID)
        based_on = style.find(W_BASEDON)
        if style_id in linked:
            numpr = _replace_numpr(style)
            level = list(style_ids).index(style_id)
            if level:
                _val(numpr, W_ILVL, level)
            _val(numpr, W_NUMID, num_id)
        elif based_on is not None and based_on.get(W_VAL) in linked:
            ppr = style.find(W_PPR)
            if ppr is None or ppr.find(W_NUMPR) is None:
                _val(_replace_numpr(style), W_NUMID, 0)


def _replace_numpr(style: Element) -> Element:
    ppr = _get_or_insert(style, "pPr", _STYLE_ORDER)
    old = ppr.find(W_NUMPR)
    if old is not None:
        ppr.remove(old)
    return _insert_ordered(ppr, _new("numPr"), _PPR_ORDER)


# -- numbering --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Level:
    text: str
    fmt: str = "decimal"
    style_id: str | None = None
    indent: int = 0
    hanging: int = 0
    suffix: str = "tab"


LIST_INDENT = 420  # two full-width characters of 10.5 pt
BULLETS = ("・", "○", "■")
ORDERED_TEXT = ("%1.", "(%2)", "%3)")


def bullet_levels() -> tuple[Level, ...]:
    return tuple(
        Level(BULLETS[i % 3], "bullet", indent=LIST_INDENT * (i + 1), hanging=LIST_INDENT)
        for i in range(9)
    )


def ordered_levels() -> tuple[Level, ...]:
    return tuple(
        Level(
            ORDERED_TEXT[i] if i < 3 else f"%{i + 1}.",
            indent=LIST_INDENT * (i + 1),
            hanging=LIST_INDENT,
        )
        for i in range(9)
    )


def heading_levels(style_ids: Sequence[str]) -> tuple[Level, ...]:
    """第%1章, %1.%2, %1.%2.%3 on the heading styles; deeper levels continue the pattern."""
    texts = ["第%1章"] + [".".join(f"%{j + 1}" for j in range(i + 1)) for i in range(1, 9)]
    return tuple(
        Level(text, style_id=style_ids[i] if i < len(style_ids) else None, suffix="space")
        for i, text in enumerate(texts)
    )


class Numbering:
    """Allocates list definitions in numbering.xml, after whatever the reference defines.

    Each `w:num` is created as it is needed and written by `flush`, because the schema puts
    every `w:abstractNum` before every `w:num`.
    """

    def __init__(self, numbering: Element) -> None:
        self._root = numbering
        abstract_ids = [int(a.get(_w("abstractNumId"))) for a in numbering.iter(_w("abstractNum"))]
        num_ids = [int(n.get(_w("numId"))) for n in numbering.iter(_w("num"))]
        self._next_abstract = max(abstract_ids, default=-1) + 1
        self._next_num = max(num_ids, default=0) + 1
        self._abstracts: list[Element] = []
        self._nums: list[Element] = []

    def add_abstract(self, levels: Sequence[Level], *, multilevel: bool) -> int:
        abstract_id = self._next_abstract
        self._next_abstract += 1
        abstract = _new("abstractNum", {_w("abstractNumId"): str(abstract_id)})
        _val(abstract, _w("nsid"), f"{0x5E000000 + abstract_id:08X}")
        _val(abstract, _w("multiLevelType"), "multilevel" if multilevel else "hybridMultilevel")
        for ilvl, level in enumerate(levels):
            lvl = etree.SubElement(abstract, _w("lvl"), {W_ILVL: str(ilvl)})
            _val(lvl, _w("start"), 1)
            _val(lvl, _w("numFmt"), level.fmt)
            if level.style_id:
                _val(lvl, W_PSTYLE, level.style_id)
            if level.suffix != "tab":
                _val(lvl, _w("suff"), level.suffix)
            _val(lvl, _w("lvlText"), level.text)
            _val(lvl, _w("lvlJc"), "left")
            ppr = etree.SubElement(lvl, W_PPR)
            etree.SubElement(ppr, W_IND, {W_LEFT: str(level.indent), W_HANGING: str(level.hanging)})
        self._abstracts.append(abstract)
        return abstract_id

    def add_num(self, abstract_id: int, *, restart: tuple[int, int] | None = None) -> int:
        """A list instance; `restart` (ilvl, start) makes that level begin again at `start`."""
        num_id = self._next_num
        self._next_num += 1
        num = _new("num", {_w("numId"): str(num_id)})
        _val(num, _w("abstractNumId"), abstract_id)
        if restart is not None:
            ilvl, start = restart
            override = etree.SubElement(num, _w("lvlOverride"), {W_ILVL: str(ilvl)})
            _val(override, _w("startOverride"), start)
        self._nums.append(num)
        return num_id

    @property
    def mark(self) -> tuple[int, int]:
        """The next abstract and list IDs: what the definitions made from here depend on."""
        return self._next_abstract, self._next_num

    def made_since(self, mark: tuple[int, int]) -> tuple[list[str], list[str]]:
        """The XML of the abstract and list definitions made since `mark`."""
        first_abstract = len(self._abstracts) - (self._next_abstract - mark[0])
        first_num = len(self._nums) - (self._next_num - mark[1])
        return (
            [etree.tostring(a, encoding="unicode") for a in self._abstracts[first_abstract:]],
            [etree.tostring(n, encoding="unicode") for n in self._nums[first_num:]],
        )

    def add_made(self, abstracts: Sequence[str], nums: Sequence[str]) -> None:
        """Add definitions `made_since` gave, as if made again from the same mark."""
        for xml in abstracts:
            self._abstracts.append(etree.fromstring(xml))
        for xml in nums:
            self._nums.append(etree.fromstring(xml))
        self._next_abstract += len(abstracts)
        self._next_num += len(nums)

    def flush(self) -> None:
        existing = self._root.findall(_w("abstractNum"))
        anchor = existing[-1] if existing else None
        for abstract in self._abstracts:
            if anchor is None:
                _insert_ordered(self._root, abstract, _NUMBERING_ORDER)
            else:
                anchor.addnext(abstract)
            anchor = abstract
        for num in self._nums:
            _insert_ordered(self._root, num, _NUMBERING_ORDER)
        self._abstracts, self._nums = [], []


# Schema sequences (ECMA-376 Part 1, transitional) for the children this module inserts.
_COMPAT_ORDER = (
    "useSingleBorderforContiguousCells", "wpJustification", "noTabHangInd", "noLeading",
    "spaceForUL", "noColumnBalance", "balanceSingleByteDoubleByteWidth", "noExtraLineSpacing",
    "doNotLeaveBackslashAlone", "ulTrailSpace", "doNotExpandShiftReturn", "spacingInWholePoints",
    "lineWrapLikeWord6", "printBodyTextBeforeHeader", "printColBlack", "wpSpaceWidth",
    "showBreaksInFrames", "subFontBySize", "suppressBottomSpacing", "suppressTopSpacing",
    "suppressSpacingAtTopOfPage", "suppressTopSpacingWP", "suppressSpBfAfterPgBrk",
    "swapBordersFacingPages", "convMailMergeEsc", "truncateFontHeightsLikeWP6", "mwSmallCaps",
    "usePrinterMetrics", "doNotSuppressParagraphBorders", "wrapTrailSpaces",
    "footnoteLayoutLikeWW8",
    "shapeLayoutLikeWW8", "alignTablesRowByRow", "forgetLastTabAlignment",
    "adjustLineHeightInTable", "autoSpaceLikeWord95", "noSpaceRaiseLower",
    "doNotUseHTMLParagraphAutoSpacing", "layoutRawTableWidth", "layoutTableRowsApart",
    "useWord97LineBreakRules", "doNotBreakWrappedTables", "doNotSnapToGridInCell",
    "selectFldWithFirstOrLastChar", "applyBreakingRules", "doNotWrapTextWithPunct",
    "doNotUseEastAsianBreakRules", "useWord2002TableStyleRules", "growAutofit", "useFELayout",
    "useNormalStyleForList", "doNotUseIndentAsNumberingTabStop", "useAltKinsokuLineBreakRules",
    "allowSpaceOfSameStyleInTable", "doNotSuppressIndentation", "doNotAutofitConstrainedTables",
    "autofitToFirstFixedWidthCell", "underlineTabInNumList", "displayHangulFixedWidth",
    "splitPgBreakAndParaMark", "doNotVertAlignCellWithSp", "doNotBreakConstrainedForcedTable",
    "doNotVertAlignInTxbx", "useAnsiKerningPairs", "cachedColBalance", "compatSetting",
)  # fmt: skip
_NUMBERING_ORDER = ("numPicBullet", "abstractNum", "num", "numIdMacAtCleanup")
_STYLE_ORDER = (
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority",
    "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose",
    "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr",
)  # fmt: skip
_PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
    "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
    "cnfStyle", "rPr", "sectPr", "pPrChange",
)  # fmt: skip
_RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
    "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath",
)  # fmt: skip
_SETTINGS_ORDER = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop",
    "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle", "proofState",
    "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
    "stylePaneSortMethod", "documentType", "mailMerge", "revisionView", "trackRevisions",
    "doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
    "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation",
    "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope",
    "summaryLength", "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders",
    "bookFoldRevPrinting", "bookFoldPrinting", "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
    "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema", "saveInvalidXml",
    "ignoreMixedContent", "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml",
    "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
    "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr",
    "compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang",
    "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
    "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
    "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)  # fmt: skip
