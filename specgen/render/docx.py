"""Markdown to Word: markdown-it's token stream walked onto the styles of a reference .docx."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Literal

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.parts.document import DocumentPart
from markdown_it import MarkdownIt, rules_block
from markdown_it.common.utils import mdTrim
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_block.table import MAX_AUTOCOMPLETED_CELLS, escapedSplit, getLine
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

from specgen.collector import collector_paused
from specgen.render import oxml
from specgen.render.oxml import Cell, ParagraphFormat, Run, RunFormat

__all__ = [
    "DocumentInfo",
    "column_widths",
    "reference_problem",
    "render_docx",
    "render_docx_stream",
]

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
    return render_docx_stream([markdown], info=info, reference=reference)


def render_docx_stream(
    stream: Iterable[str], *, info: DocumentInfo, reference: bytes | None = None
) -> bytes:
    """`render_docx` of the Markdown whose text arrives in `stream`, in pieces of any size.

    Each piece of `split_blocks` is written as soon as its text has arrived, so a document can
    be written while its Markdown is still being rendered; the bytes are the same as those of
    the whole text.
    """
    if isinstance(stream, str):  # a str is an iterable of characters: surely a mistake
        raise TypeError("render_docx_stream takes pieces of text; for one text use render_docx")
    rest = iter(stream)
    received: list[str] = []

    def recorded() -> Iterator[str]:
        for text in rest:
            received.append(text)
            yield text

    def pieces() -> Iterator[str]:
        for piece in _cut(recorded(), _BLOCK_SIZE):
            if _needs_whole(piece):
                raise _WholeDocument
            yield piece

    reference = bundled_reference() if reference is None else reference
    with collector_paused():
        try:
            return _render(pieces(), info, reference)
        except _WholeDocument:
            return _render(["".join([*received, *rest])], info, reference)


class _WholeDocument(Exception):
    """A piece of a streamed document showed that it must be parsed whole."""


def _render(pieces: Iterable[str], info: DocumentInfo, reference: bytes) -> bytes:
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

    body_element = document.element.body
    sect_pr = body_element.get_or_add_sectPr()
    for child in list(body_element):
        body_element.remove(child)
    body_element.append(sect_pr)
    body = oxml.Body()
    writer = _Writer(
        body=body,
        styles=styles,
        numbering=numbering,
        heading_num=heading_num,
        relate=functools.partial(_relate_hyperlink, part),
        text_width=oxml.text_width(sect_pr, A4_TEXT_WIDTH),
        language=info.language,
    )
    writer.write_document(parse_markdown(piece) for piece in pieces)
    numbering.flush()
    splice = body.place(body_element)

    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    oxml.fill_page_number_footer(footer.part.element, styles.footer)
    _set_core_properties(document, info)
    out = io.BytesIO()
    document.save(out)
    splices = {part.partname.membername: splice} if splice else None
    return normalise_zip(out.getvalue(), splices)


def reference_problem(reference: bytes) -> str | None:
    """Why `reference` cannot serve as the reference .docx, or None when it can."""
    try:
        document = docx.Document(io.BytesIO(reference))
        document.styles.element  # noqa: B018 - a document without a styles part fails here
    except (zipfile.BadZipFile, PackageNotFoundError) as exc:
        return f"it is not a Word document ({exc})"
    except (KeyError, ValueError, oxml.XMLSyntaxError) as exc:
        return f"Word cannot use it: {exc}"
    return None


@functools.cache
def bundled_reference() -> bytes:
    """templates/reference.docx, shipped as the package data of specgen.templates."""
    try:
        return resources.files("specgen.templates").joinpath("reference.docx").read_bytes()
    except ModuleNotFoundError:  # a source checkout: templates/ sits beside the package
        return (Path(__file__).resolve().parents[2] / "templates" / "reference.docx").read_bytes()


_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:", re.MULTILINE)
_BLOCK_SIZE = 400_000  # characters of Markdown parsed at once
_RAW_BLOCK = re.compile(
    r"^ {0,3}(?:<(?:pre|script|style|textarea)\b|<!--(?![^\n]*-->)|<\?|<![A-Za-z]|<!\[CDATA\[)",
    re.IGNORECASE | re.MULTILINE,
)


def split_blocks(markdown: str, size: int = _BLOCK_SIZE) -> list[str]:
    """The Markdown cut into pieces of about `size` characters, each before a heading that
    follows a blank line, outside fenced code.

    Such a heading closes every open block, so the pieces parse to the same blocks as the
    whole; parsing them one at a time keeps only one piece's tokens in memory (a 20,000-row
    specification has millions), while pieces of some size keep markdown-it's per-parse setup
    negligible. A document where a cut could change the parse — one with link reference
    definitions, which apply document-wide, or multi-line raw HTML blocks — is one piece.
    """
    pieces = list(_cut([markdown], size))
    return [markdown] if any(map(_needs_whole, pieces)) else pieces


def _needs_whole(piece: str) -> bool:
    """Whether a piece holds what stops a document being parsed in pieces (see split_blocks)."""
    return bool(_REFERENCE.search(piece) or _RAW_BLOCK.search(piece))


def _cut(stream: Iterable[str], size: int) -> Iterator[str]:
    """`split_blocks`'s pieces of the text of `stream`, cut as soon as the lines arrive."""
    lines: list[str] = []  # the complete lines of the piece being gathered
    partial = ""
    length = 0
    fence: str | None = None
    previous_blank = True

    def take(line: str) -> str | None:
        """Add a line; the piece before it, when the line starts a new one."""
        nonlocal length, fence, previous_blank
        piece = None
        opening = _FENCE.match(line) if "`" in line[:4] or "~" in line[:4] else None
        if fence is not None:
            if opening and _closes(fence, opening.group(1), line[opening.end() :]):
                fence = None
        elif opening:
            fence = opening.group(1)
        elif previous_blank and lines and length >= size and _ATX.match(line):
            piece = "\n".join(lines) + "\n"
            lines.clear()
            length = 0
        previous_blank = not line.strip()
        length += len(line) + 1
        lines.append(line)
        return piece

    for text in stream:
        *complete, partial = (partial + text).split("\n")
        for line in complete:
            if (piece := take(line)) is not None:
                yield piece
    if (piece := take(partial)) is not None:
        yield piece
    yield "\n".join(lines)


def _closes(fence: str, marker: str, rest: str) -> bool:
    """Whether a fence line (`marker`, then `rest`) closes the fence opened by `fence`."""
    return marker[0] == fence[0] and len(marker) >= len(fence) and not rest.strip()


def parse_markdown(markdown: str) -> list[Token]:
    """markdown-it's token stream of `markdown`: CommonMark with GFM tables."""
    return _MARKDOWN.parse(markdown)


# markdown-it asks the rules that may end a paragraph, on every line of the paragraph, whether
# it ends there; specgen's requirement statements are long runs of hard-broken lines, so that is
# about half of the block parsing. The rules below fail at once unless the line starts with one
# of the characters given, and checking that costs less than the rule's own preamble.
_BlockParseRule = Callable[[StateBlock, int, int, bool], bool]
_BLOCK_STARTS: tuple[tuple[str, _BlockParseRule, str], ...] = (
    ("fence", rules_block.fence, "~`"),
    ("blockquote", rules_block.blockquote, ">"),
    ("hr", rules_block.hr, "*-_"),
    ("list", rules_block.list_block, "*-+0123456789"),
    ("reference", rules_block.reference, "["),
    ("html_block", rules_block.html_block, "<"),
    ("heading", rules_block.heading, "#"),
)
_CHAINS = ("paragraph", "reference", "blockquote", "list")  # the rules that ask others
_NEWLINES = re.compile(r"\r\n?")


def _starting_with(starts: str, rule: _BlockParseRule) -> _BlockParseRule:
    def gated(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        position = state.bMarks[start] + state.tShift[start]
        if position < state.eMarks[start] and state.src[position] not in starts:
            return False
        return rule(state, start, end, silent)

    return gated


def _setext_heading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's setext heading rule, skipped when no line could be the underline.

    The rule checks each line of a paragraph against the rules that may end it, which the
    paragraph rule then does again. Only a line starting with - or = can underline a heading,
    and the paragraph ends at the first blank line.
    """
    text, starts, shifts = state.src, state.bMarks, state.tShift
    line = start + 1
    while line < end and not state.isEmpty(line):
        if text[starts[line] + shifts[line]] in "-=":
            return rules_block.lheading(state, start, end, silent)
        line += 1
    return False


def _normalize(state: StateCore) -> None:
    """markdown-it's normalize rule, which copies the whole text even when there is no CR."""
    if "\r" in state.src:
        state.src = _NEWLINES.sub("\n", state.src)
    if "\0" in state.src:
        state.src = state.src.replace("\0", "\ufffd")


def _escaped_split(line: str) -> list[str]:
    """markdown-it's split of a table row at unescaped pipes; str.split when nothing is escaped."""
    return line.split("|") if "\\" not in line else escapedSplit(line)


def _row_cells(line: str) -> list[str]:
    columns = _escaped_split(line)
    if columns and columns[0] == "":
        columns.pop(0)
    if columns and columns[-1] == "":
        columns.pop()
    return columns


def _compact_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's GFM table rule, giving one `table` token instead of three per cell.

    The token's meta holds the column alignments and the rows of cell contents, header first;
    the inline rule adds each content's children. An applicability matrix has hundreds of
    thousands of cells, and a token per cell was most of the time spent parsing it. Which lines
    form a table, and each cell's content, are markdown-it's (a test expands the token back
    into markdown-it's tokens and compares).
    """
    if not rules_block.table(state, start, end, True):  # the header and delimiter rows
        return False
    if silent:
        return True
    aligns: list[str] = []
    delimiters = getLine(state, start + 1).split("|")
    for i, column in enumerate(delimiters):
        column = mdTrim(column)
        if not column and (i == 0 or i == len(delimiters) - 1):
            continue
        if column.endswith(":"):
            aligns.append("center" if column.startswith(":") else "right")
        else:
            aligns.append("left" if column.startswith(":") else "")
    header = [mdTrim(cell) for cell in _row_cells(mdTrim(getLine(state, start)))]
    count = len(header)
    rows = [header]
    old_parent, state.parentType = state.parentType, "table"
    terminators = state.md.block.ruler.getRules("blockquote")
    autocompleted = 0
    line = start + 2
    while line < end:
        if state.sCount[line] < state.blkIndent:
            break
        if any(rule(state, line, end, True) for rule in terminators):
            break
        text = mdTrim(getLine(state, line))
        if not text or state.is_code_block(line):
            break
        cells = _row_cells(text)
        autocompleted += count - len(cells)
        if autocompleted > MAX_AUTOCOMPLETED_CELLS:
            break
        cells = [mdTrim(cell) if cell else "" for cell in cells[:count]]
        cells.extend([""] * (count - len(cells)))
        rows.append(cells)
        line += 1
    token = state.push("table", "table", 0)
    token.map = [start, line]
    token.meta = {"aligns": aligns, "rows": rows, "children": {}}
    state.parentType = old_parent
    state.line = line
    return True


def _inline_once_per_content(state: StateCore) -> None:
    """markdown-it's inline rule, parsing each distinct inline content once per document.

    Tables repeat the same cells (○, 必須, 変) tens of thousands of times. The writer only reads
    tokens, so equal contents share one list of children: less time and far less memory. A
    table token's meta["children"] maps each of its cell contents to children.
    """
    parsed: dict[str, list[Token]] = {}
    parse = state.md.inline.parse

    def children_of(content: str) -> list[Token]:
        children = parsed.get(content)
        if children is None:
            children = parsed[content] = []
            parse(content, state.md, state.env, children)
        return children

    for token in state.tokens:
        if token.type == "inline":
            token.children = children_of(token.content)
        elif token.type == "table":
            cells: dict[str, list[Token]] = token.meta["children"]
            for row in token.meta["rows"]:
                for content in row:
                    if content not in cells:
                        cells[content] = children_of(content)


def _markdown_parser() -> MarkdownIt:
    """CommonMark with tables, as markdown-it parses it (a test compares the tokens), faster."""
    parser = MarkdownIt("commonmark").enable("table")
    parser.disable("text_join")  # escapes and entities stay text_special; the writer joins text
    parser.core.ruler.at("normalize", _normalize)
    parser.core.ruler.at("inline", _inline_once_per_content)
    block = parser.block.ruler
    for name, rule, starts in _BLOCK_STARTS:
        if rule not in block.getRules(""):  # another markdown-it: wrap only what it runs
            raise RuntimeError(f"markdown-it's {name} rule is not {rule.__name__}")
        chains = [chain for chain in _CHAINS if rule in block.getRules(chain)]
        block.at(name, _starting_with(starts, rule), {"alt": chains})
    block.at("lheading", _setext_heading)
    block.at("table", _compact_table, {"alt": ["paragraph", "reference"]})
    return parser


_MARKDOWN = _markdown_parser()


def normalise_zip(data: bytes, splices: Mapping[str, tuple[bytes, bytes]] | None = None) -> bytes:
    """The same archive with fixed entry times and attributes, [Content_Types].xml first.

    `splices` maps an entry's name to (marker, content): the one occurrence of marker in that
    entry is replaced by content.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = source.namelist()
        blobs = {name: source.read(name) for name in names}
    for name, (marker, content) in (splices or {}).items():
        head, found, tail = blobs[name].partition(marker)
        if not found or marker in tail:
            raise ValueError(f"{name} must hold {marker!r} exactly once")
        blobs[name] = b"".join((head, content, tail))
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
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _inline_tokens(tokens: Sequence[Token], fmt: _Format, out: list[_Piece]) -> None:
    """The pieces of a flat run of inline tokens, whose open and close tokens nest formats."""
    outer: list[_Format] = []
    for token in tokens:
        kind = token.type
        if kind == "text" or kind == "text_special":
            out.append((token.content, fmt))
        elif kind == "softbreak":
            out.append((_SOFT, fmt))
        elif kind == "hardbreak":
            out.append(("\n", fmt))
        elif token.nesting == 1:
            outer.append(fmt)
            fmt = _opened(token, fmt)
        elif token.nesting == -1:
            fmt = outer.pop() if outer else fmt
        elif kind == "code_inline":
            out.append((token.content, _inside(fmt, kind, "")))
        elif kind == "html_inline":
            out.append(("\n" if _BR.fullmatch(token.content) else token.content, fmt))
        elif token.children:  # an image: its alt text
            _inline_tokens(token.children, fmt, out)
        elif token.content:
            out.append((token.content, fmt))


def _opened(token: Token, fmt: _Format) -> _Format:
    """The format inside an opening token."""
    href = str(token.attrs.get("href", "")) if token.type == "link_open" else ""
    return _inside(fmt, token.type, href)


@functools.lru_cache(maxsize=1024)
def _inside(fmt: _Format, kind: str, href: str) -> _Format:
    """The format inside strong, em, code or a link to an absolute URL; else `fmt`."""
    if kind == "strong_open":
        return replace(fmt, bold=True)
    if kind == "em_open":
        return replace(fmt, italic=True)
    if kind == "code_inline":
        return replace(fmt, code=True)
    if kind == "link_open" and href.startswith(("http://", "https://", "mailto:")):
        return replace(fmt, href=href)
    return fmt


def is_wide(char: str) -> bool:
    """A character of East Asian width (kanji, kana, full-width forms)."""
    return unicodedata.east_asian_width(char) in "WF"


def inline_pieces(tokens: Sequence[Token] | None) -> list[tuple[str, _Format]]:
    """The text of inline tokens in runs of one format, softbreaks resolved.

    A softbreak between two East Asian characters vanishes (Japanese has no spaces between
    words); anywhere else it is a space.
    """
    if not tokens:
        return []
    plain: list[str] = []  # most paragraphs and cells: plain text and hard breaks
    for token in tokens:
        kind = token.type
        if kind == "text" or kind == "text_special":
            plain.append(token.content)
        elif kind == "hardbreak":
            plain.append("\n")
        else:
            break
    else:
        whole = "".join(plain)
        return [(whole, _PLAIN)] if whole else []
    raw: list[_Piece] = []
    _inline_tokens(tokens, _PLAIN, raw)
    pieces: list[tuple[str, _Format]] = []
    texts: list[str] = []  # the texts of the piece being gathered, in format `current`
    current, last = _PLAIN, ""
    for index, (text, fmt) in enumerate(raw):
        if text is None:
            after = next((t for t, _ in itertools.islice(raw, index + 1, None) if t), "")
            joined = last and after and is_wide(last[-1]) and is_wide(after[0])
            text = "" if joined else " "
        if not text:
            continue
        if fmt is not current and fmt != current:
            if texts:
                pieces.append(("".join(texts), current))
            texts, current = [], fmt
        texts.append(text)
        last = text
    if texts:
        pieces.append(("".join(texts), current))
    return pieces


def _inline_at(tokens: Sequence[Token], index: int) -> list[Token] | None:
    """The children of the inline token at `index` (after a paragraph's or cell's opening)."""
    token = tokens[index] if index < len(tokens) else None
    return token.children if token is not None and token.type == "inline" else None


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
    columns: list[set[str]] = [set() for _ in range(count)]  # a matrix repeats few texts
    for row in rows:
        for column, text in enumerate(row):
            columns[column].add(text)
    for column, texts in enumerate(columns):
        for line in (line for text in texts for line in text.split("\n")):
            extent = text_extent(line)
            longest = max((len(word) for word in _WORD.findall(line)), default=0)
            one_character = 0 if line.isascii() else _WIDE_TWIPS
            high[column] = max(high[column], extent)
            low[column] = max(low[column], longest * _NARROW_TWIPS, one_character)
    for column, text in enumerate(rows[0]):  # the header row
        for line in text.split("\n"):
            low[column] = max(low[column], min(text_extent(line), _MAX_HEADER))
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


_ALIGNMENTS: dict[str, str | None] = {
    "": None,
    "left": "left",
    "center": "center",
    "right": "right",
}


# -- blocks -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    """Where a block sits: list depth (-1 outside lists), quote depth, continuation indent."""

    list_level: int = -1
    quote: int = 0
    indent: int | None = None


# A block rule takes the index of a block's first token and returns the index after its last.
_BlockRule = Callable[["_Writer", int, _Context], int]
_DIRECTIVE = re.compile(r"<!--\s*specgen:([a-z]+)(?:\s+(.*?))?\s*-->\s*")


class _Writer:
    """Walks the block tokens through the dispatch table `_BLOCK`, appending to the body."""

    def __init__(
        self,
        *,
        body: oxml.Body,
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
        self.tokens: list[Token] = []
        self.counters: tuple[int, ...] = (0, 0, 0)
        self.pending_style: str | None = None
        self.toc_markers: list[int] = []
        self.toc_entries: list[tuple[str | None, str]] = []
        self._run_formats: dict[_Format, RunFormat] = {}
        self._ordered_abstract: int | None = None
        self._bullet_num: int | None = None

    def write_document(self, chunks: Iterable[list[Token]]) -> None:
        """Write the token streams of consecutive chunks of one document."""
        for tokens in chunks:
            self.tokens = tokens
            index = 0
            while index < len(tokens):  # a stray closing token cannot occur; skip it if it does
                index = self.blocks(index, _Context()) + 1
        self.tokens = []
        if self.body.ends_in_table or self.body.is_empty:
            self.body.paragraph(oxml.PLAIN)
        entries = self.toc_entries or [(None, TOC_PLACEHOLDER[self.language])]
        for marker in self.toc_markers:
            self.body.replace_with_toc(marker, entries)

    def blocks(self, index: int, context: _Context) -> int:
        """Write blocks from `index` up to the closing token of their container; its index."""
        tokens = self.tokens
        while index < len(tokens):
            token = tokens[index]
            if token.nesting == -1:
                return index
            index = _BLOCK.get(token.type, _other_block)(self, index, context)
        return index

    def runs(self, pieces: Sequence[tuple[str, _Format]]) -> list[Run]:
        formats = self._run_formats
        runs = []
        for text, fmt in pieces:
            run_format = formats.get(fmt)
            if run_format is None:
                run_format = formats[fmt] = self._run_format(fmt)
            runs.append((text, run_format))
        return runs

    def _run_format(self, fmt: _Format) -> RunFormat:
        style = self.styles.verbatim if fmt.code else None
        link = self.relate(fmt.href) if fmt.href else None
        if link and not style:
            style = self.styles.hyperlink
        return RunFormat(fmt.bold, fmt.italic, style, link)

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
        self.body.paragraph(_paragraph_format(style, indent_left=indent), self.runs(pieces))

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


def _end_of(tokens: Sequence[Token], index: int) -> int:
    """The index after the token that closes the one at `index`."""
    if index + 2 < len(tokens) and [t.nesting for t in tokens[index : index + 3]] == [1, 0, -1]:
        return index + 3  # a paragraph, heading or cell: open, inline, close
    depth = 0
    for end in range(index, len(tokens)):
        depth += tokens[end].nesting
        if depth <= 0:
            return end + 1
    return len(tokens)


@functools.lru_cache(maxsize=256)
def _paragraph_format(
    style_id: str | None,
    *,
    indent_left: int | None = None,
    numbering: tuple[int, int] | None = None,
) -> ParagraphFormat:
    """One object per format: a paragraph format computes its XML when it is made."""
    return ParagraphFormat(style_id=style_id, indent_left=indent_left, numbering=numbering)


def _heading(writer: _Writer, index: int, context: _Context) -> int:
    tokens = writer.tokens
    level = int(tokens[index].tag[1])
    pieces = inline_pieces(_inline_at(tokens, index + 1))
    end = _end_of(tokens, index)
    if writer.pending_style is not None:
        writer.paragraph(context, pieces)
        return end
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
    fmt = _paragraph_format(style, numbering=numbering)
    writer.body.paragraph(fmt, writer.runs(pieces))
    if level <= 3:
        title = "".join(text for text, _ in pieces).replace("\n", " ")
        label = number_label(level, counters) if counters else ""
        entry = f"{label}　{title}" if label else title
        writer.toc_entries.append((writer.styles.toc[level - 1], entry))
    return end


def _paragraph(writer: _Writer, index: int, context: _Context) -> int:
    writer.paragraph(context, inline_pieces(_inline_at(writer.tokens, index + 1)))
    return _end_of(writer.tokens, index)


def _list(writer: _Writer, index: int, context: _Context) -> int:
    tokens = writer.tokens
    token = tokens[index]
    level = min(context.list_level + 1, 8)
    ordered = token.type == "ordered_list_open"
    start = int(str(token.attrs.get("start", 1))) if ordered else 1
    num_id = writer.list_num(ordered, level, start)
    inner = _Context(list_level=level, quote=context.quote, indent=oxml.LIST_INDENT * (level + 1))
    fmt = ParagraphFormat(style_id=writer.styles.list_paragraph, numbering=(num_id, level))
    index += 1
    while index < len(tokens) and tokens[index].type == "list_item_open":
        index += 1
        pieces: list[tuple[str, _Format]] = []
        if tokens[index].type == "paragraph_open":  # the item's first line carries the number
            pieces = inline_pieces(_inline_at(tokens, index + 1))
            index = _end_of(tokens, index)
        writer.body.paragraph(fmt, writer.runs(pieces))
        index = writer.blocks(index, inner) + 1
    return index + 1


def _blockquote(writer: _Writer, index: int, context: _Context) -> int:
    return writer.blocks(index + 1, replace(context, quote=context.quote + 1)) + 1


def _code(writer: _Writer, index: int, context: _Context) -> int:
    fmt = ParagraphFormat(style_id=writer.styles.code, indent_left=context.indent)
    for line in writer.tokens[index].content.removesuffix("\n").split("\n"):
        writer.body.paragraph(fmt, [(line, oxml.PLAIN_RUN)] if line else [])
    return index + 1


def _thematic_break(writer: _Writer, index: int, context: _Context) -> int:
    writer.body.paragraph(ParagraphFormat(rule_below=True))
    return index + 1


def _table(writer: _Writer, index: int, context: _Context) -> int:
    """A table from the parser's one `table` token (see `_compact_table`): its first row is
    the header, which repeats on every page."""
    if writer.body.ends_in_table:
        writer.body.paragraph(oxml.PLAIN)
    meta = writer.tokens[index].meta
    children: Mapping[str, list[Token]] = meta["children"]
    aligns = [_ALIGNMENTS.get(align) for align in meta["aligns"]]
    rows: list[list[Cell]] = []
    texts: list[list[str]] = []
    # Cells with the same Markdown and alignment are one Cell object, which the body writes
    # once: an applicability matrix is a few symbols repeated thousands of times.
    known: dict[tuple[str, str | None], tuple[Cell, str]] = {}
    for row in meta["rows"]:
        cells: list[Cell] = []
        row_texts: list[str] = []
        for content, align in zip(row, aligns, strict=True):
            found = known.get((content, align))
            if found is None:
                pieces = inline_pieces(children[content])
                text = pieces[0][0] if len(pieces) == 1 else "".join(t for t, _ in pieces)
                found = known[content, align] = ((writer.runs(pieces), align), text)
            cells.append(found[0])
            row_texts.append(found[1])
        rows.append(cells)
        texts.append(row_texts)
    widths = column_widths(texts, writer.text_width)
    writer.body.table(rows, widths=widths, style_id=writer.styles.table, header_rows=1)
    return index + 1


def _html_block(writer: _Writer, index: int, context: _Context) -> int:
    match = _DIRECTIVE.fullmatch(writer.tokens[index].content)
    directive = _DIRECTIVES.get(match.group(1)) if match else None
    if match is None or directive is None or not directive(writer, match.group(2) or ""):
        _literal_block(writer, index, context)
    return index + 1


def _other_block(writer: _Writer, index: int, context: _Context) -> int:
    """A block of a kind this writer does not know: its own text, if it has any."""
    _literal_block(writer, index, context)
    return _end_of(writer.tokens, index)


def _literal_block(writer: _Writer, index: int, context: _Context) -> None:
    text = writer.tokens[index].content.removesuffix("\n")
    if text:
        fmt = ParagraphFormat(indent_left=context.indent)
        writer.body.paragraph(fmt, [(text, oxml.PLAIN_RUN)])


def _directive_toc(writer: _Writer, argument: str) -> bool:
    """A placeholder paragraph, replaced by the TOC field once every heading is known."""
    if argument:
        return False
    writer.toc_markers.append(writer.body.paragraph(oxml.PLAIN))
    return True


def _directive_pagebreak(writer: _Writer, argument: str) -> bool:
    if argument:
        return False
    writer.body.page_break()
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
    "heading_open": _heading,
    "paragraph_open": _paragraph,
    "bullet_list_open": _list,
    "ordered_list_open": _list,
    "blockquote_open": _blockquote,
    "fence": _code,
    "code_block": _code,
    "hr": _thematic_break,
    "table": _table,
    "html_block": _html_block,
}
