"""The writer: a table of block rules, one per token type, appending to the body."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from markdown_it.token import Token

from specgen.render.docx import oxml
from specgen.render.docx.headings import HEADING_NUMBER, heading_number, number_label
from specgen.render.docx.inline import TextFormat, inline_at, inline_pieces
from specgen.render.docx.layout import ALIGNMENTS, column_widths, row_lines
from specgen.render.docx.oxml import Cell, ParagraphFormat, Run, RunFormat
from specgen.render.docx.styles import Styles

# -- blocks -----------------------------------------------------------------------------------


TOC_PLACEHOLDER = {  # the table of contents of a document without headings
    "ja": "目次（Word でフィールドを更新すると表示されます）",
    "en": "Table of contents (shown when Word updates the fields)",
}


@dataclass(frozen=True, slots=True)
class _Context:
    """Where a block sits: list depth (-1 outside lists), quote depth, continuation indent."""

    list_level: int = -1
    quote: int = 0
    indent: int | None = None


# A block rule takes the index of a block's first token and returns the index after its last.
_BlockRule = Callable[["Writer", int, _Context], int]
_DIRECTIVE = re.compile(r"<!--\s*specgen:([a-z]+)(?:\s+(.*?))?\s*-->\s*")


class Writer:
    """Walks the block tokens through the dispatch table `_BLOCK`, appending to the body."""

    def __init__(
        self,
        *,
        body: oxml.Body,
        styles: Styles,
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
        self._relate = relate
        self.links: dict[str, str] = {}  # hyperlink target → relationship ID, in order made
        self.styles_asked: dict[str, str] = {}  # paragraph style name → ID, in order asked
        self.text_width = text_width
        self.language = language
        self.tokens: list[Token] = []
        self.counters: tuple[int, ...] = (0, 0, 0)
        self.pending_style: str | None = None
        self.pending_widths: tuple[int, ...] | None = None  # the next table's, in proportion
        self.toc_markers: list[int] = []
        self.toc_entries: list[tuple[str | None, str]] = []
        self.after_heading = False  # the block just written was a heading
        self._run_formats: dict[TextFormat, RunFormat] = {}
        self._ordered_abstract: int | None = None
        self._bullet_num: int | None = None

    def write_document(self, chunks: Iterable[list[Token]]) -> None:
        """Write the token streams of consecutive chunks of one document."""
        for tokens in chunks:
            self.write_tokens(tokens)
            self.body.seal()  # each chunk deflated on its own, as when reused (see reuse)
        self.finish()

    def write_tokens(self, tokens: list[Token]) -> None:
        """Write the token stream of one chunk."""
        self.tokens = tokens
        index = 0
        while index < len(tokens):  # a stray closing token cannot occur; skip it if it does
            index = self.blocks(index, _Context()) + 1
        self.tokens = []

    def state(self) -> dict[str, Any]:
        """What the XML of the next chunk depends on besides its text (JSON values)."""
        return {
            "counters": list(self.counters),
            "pending_style": self.pending_style,
            "pending_widths": list(self.pending_widths) if self.pending_widths else None,
            "after_heading": self.after_heading,
            "ordered_abstract": self._ordered_abstract,
            "bullet_num": self._bullet_num,
            "numbering": list(self.numbering.mark),
            "ends_in_table": self.body.ends_in_table,
            "links": list(self.links.items()),
            "styles": list(self.styles_asked),
        }

    @staticmethod
    def checked_state(value: Any) -> dict[str, Any]:
        """A state as `state` gives it, read back from elsewhere: every field checked, or
        ValueError."""
        if not isinstance(value, dict) or set(value) != _STATE_FIELDS:
            raise ValueError("not a writer state")
        for name, valid in _STATE_CHECKS.items():
            if not valid(value[name]):
                raise ValueError(f"writer state field {name}: {value[name]!r}")
        return value

    def restore(self, state: Mapping[str, Any]) -> None:
        """Take the state a chunk ended in (`state`'s result after it), when it is reused."""
        self.counters = tuple(state["counters"])
        self.pending_style = state["pending_style"]
        widths = state["pending_widths"]
        self.pending_widths = tuple(widths) if widths else None
        self.after_heading = state["after_heading"]
        self._ordered_abstract = state["ordered_abstract"]
        self._bullet_num = state["bullet_num"]

    def paragraph_style(self, name: str) -> str:
        """The ID of paragraph style `name`, which the reference gets if it lacks it; asked in
        order, as the IDs of added styles depend on the styles added before."""
        found = self.styles_asked.get(name)
        if found is None:
            found = self.styles_asked[name] = self.styles.paragraph_style(name)
        return found

    def relate(self, href: str) -> str:
        """The relationship ID of a hyperlink to `href`, made on first use."""
        found = self.links.get(href)
        if found is None:
            found = self.links[href] = self._relate(href)
        return found

    def finish(self) -> None:
        """End the body (never on a table) and fill in the table of contents."""
        if self.body.ends_in_table or self.body.is_empty:
            self.body.paragraph(oxml.PLAIN)
        entries = self.toc_entries or [(None, TOC_PLACEHOLDER[self.language])]
        for marker in self.toc_markers:
            self.body.fill_toc(marker, entries)

    def blocks(self, index: int, context: _Context) -> int:
        """Write blocks from `index` up to the closing token of their container; its index."""
        tokens = self.tokens
        while index < len(tokens):
            token = tokens[index]
            if token.nesting == -1:
                return index
            index = _BLOCK.get(token.type, _other_block)(self, index, context)
            self.after_heading = token.type == "heading_open"
        return index

    def runs(self, pieces: Sequence[tuple[str, TextFormat]]) -> list[Run]:
        formats = self._run_formats
        runs = []
        for text, fmt in pieces:
            run_format = formats.get(fmt)
            if run_format is None:
                run_format = formats[fmt] = self._run_format(fmt)
            runs.append((text, run_format))
        return runs

    def _run_format(self, fmt: TextFormat) -> RunFormat:
        style = self.styles.verbatim if fmt.code else None
        link = self.relate(fmt.href) if fmt.href else None
        if link and not style:
            style = self.styles.hyperlink
        return RunFormat(fmt.bold, fmt.italic, style, link, underline=fmt.underline)

    def paragraph(self, context: _Context, pieces: Sequence[tuple[str, TextFormat]]) -> None:
        style: str | None = None
        indent = context.indent
        # Text right under a table is set apart from it, as a table's caption would be.
        before = _AFTER_TABLE if self.body.ends_in_table else None
        if self.pending_style is not None:
            style, self.pending_style = self.pending_style, None
        elif context.quote:
            style = self.styles.quote
            if context.quote > 1:
                indent = oxml.LIST_INDENT * context.quote
        elif context.list_level >= 0:
            style = self.styles.list_paragraph
        if style is None and context.list_level < 0 and _has_item_lines(pieces):
            self._itemised_paragraph(pieces, indent, before)
            return
        # A short line right under a heading (a requirement's 区分) stays with the text after
        # it, so a heading never ends a page with only that line under it.
        keep = self.after_heading and sum(len(text) for text, _ in pieces) <= _SHORT_LINE
        fmt = _paragraph_format(style, indent_left=indent, space_before=before, keep_next=keep)
        self.body.paragraph(fmt, self.runs(pieces))

    def _itemised_paragraph(
        self,
        pieces: Sequence[tuple[str, TextFormat]],
        indent: int | None,
        before: int | None,
    ) -> None:
        """A paragraph whose lines list items 「・…」, as the standards write them: one Word
        paragraph per line, spaced as one, each item hanging so its wrapped lines align
        after the 「・」."""
        lines = _lines(pieces)
        base = indent or 0
        for number, line in enumerate(lines):
            item = bool(line) and line[0][0].startswith(_ITEM_MARK)
            fmt = _paragraph_format(
                None,
                indent_left=base + _ITEM_INDENT if item else indent,
                hanging=_ITEM_INDENT if item else None,
                space_before=before if number == 0 else None,
                space_after=None if number == len(lines) - 1 else 0,
            )
            self.body.paragraph(fmt, self.runs(line))

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


_AFTER_TABLE = 180  # twips of space between a table and the text below it
_ITEM_MARK = "・"  # a line starting so is an item of a list written as lines
_SHORT_LINE = 60  # characters: a paragraph this short is one line
_ITEM_INDENT = 210  # one full-width character of 10.5 pt


def _lines(pieces: Sequence[tuple[str, TextFormat]]) -> list[list[tuple[str, TextFormat]]]:
    """The pieces of a paragraph cut at its line breaks."""
    lines: list[list[tuple[str, TextFormat]]] = [[]]
    for text, fmt in pieces:
        parts = text.split("\n")
        for number, part in enumerate(parts):
            if number:
                lines.append([])
            if part:
                lines[-1].append((part, fmt))
    return lines


def _has_item_lines(pieces: Sequence[tuple[str, TextFormat]]) -> bool:
    """Whether a paragraph has line breaks and a line after one starts with 「・」."""
    after_break = False
    for text, _ in pieces:
        if after_break and text.startswith(_ITEM_MARK):
            return True
        after_break = text.endswith("\n") or (after_break and not text)
        if "\n" + _ITEM_MARK in text:
            return True
    return False


@functools.lru_cache(maxsize=256)
def _paragraph_format(
    style_id: str | None,
    *,
    indent_left: int | None = None,
    numbering: tuple[int, int] | None = None,
    space_before: int | None = None,
    space_after: int | None = None,
    hanging: int | None = None,
    keep_next: bool = False,
) -> ParagraphFormat:
    """One object per format: a paragraph format computes its XML when it is made."""
    return ParagraphFormat(
        style_id=style_id,
        indent_left=indent_left,
        numbering=numbering,
        space_before=space_before,
        space_after=space_after,
        hanging=hanging,
        keep_next=keep_next,
    )


def _heading(writer: Writer, index: int, context: _Context) -> int:
    tokens = writer.tokens
    level = int(tokens[index].tag[1])
    pieces = inline_pieces(inline_at(tokens, index + 1))
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
        rest = HEADING_NUMBER[level].sub("", first, count=1)  # the number and its space
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


def _paragraph(writer: Writer, index: int, context: _Context) -> int:
    writer.paragraph(context, inline_pieces(inline_at(writer.tokens, index + 1)))
    return _end_of(writer.tokens, index)


def _list(writer: Writer, index: int, context: _Context) -> int:
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
        pieces: list[tuple[str, TextFormat]] = []
        if tokens[index].type == "paragraph_open":  # the item's first line carries the number
            pieces = inline_pieces(inline_at(tokens, index + 1))
            index = _end_of(tokens, index)
        writer.body.paragraph(fmt, writer.runs(pieces))
        index = writer.blocks(index, inner) + 1
    return index + 1


def _blockquote(writer: Writer, index: int, context: _Context) -> int:
    return writer.blocks(index + 1, replace(context, quote=context.quote + 1)) + 1


def _code(writer: Writer, index: int, context: _Context) -> int:
    fmt = ParagraphFormat(style_id=writer.styles.code, indent_left=context.indent)
    for line in writer.tokens[index].content.removesuffix("\n").split("\n"):
        writer.body.paragraph(fmt, [(line, oxml.PLAIN_RUN)] if line else [])
    return index + 1


def _thematic_break(writer: Writer, index: int, context: _Context) -> int:
    writer.body.paragraph(ParagraphFormat(rule_below=True))
    return index + 1


def _table(writer: Writer, index: int, context: _Context) -> int:
    """A table from the parser's one `table` token (see `_compact_table`): its first row is
    the header, which repeats on every page."""
    if writer.body.ends_in_table:
        writer.body.paragraph(oxml.PLAIN)
    meta = writer.tokens[index].meta
    children: Mapping[str, list[Token]] = meta["children"]
    aligns = [ALIGNMENTS.get(align) for align in meta["aligns"]]
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
    shares, writer.pending_widths = writer.pending_widths, None
    if shares is not None and len(shares) == len(aligns):
        widths = _proportional(shares, writer.text_width)
    else:
        widths = column_widths(texts, writer.text_width)
    whole = [row_lines(row, widths) <= _SHORT_ROW_LINES for row in texts]
    writer.body.table(rows, widths=widths, style_id=writer.styles.table, header_rows=1, whole=whole)
    return index + 1


_SHORT_ROW_LINES = 12  # a row of at most this many lines is kept on one page


def _proportional(shares: Sequence[int], total: int) -> tuple[int, ...]:
    """Widths in twips summing to `total`, in the proportion of `shares`."""
    weight = sum(shares)
    widths = [total * share // weight for share in shares]
    widths[-1] += total - sum(widths)
    return tuple(widths)


def _html_block(writer: Writer, index: int, context: _Context) -> int:
    match = _DIRECTIVE.fullmatch(writer.tokens[index].content)
    directive = _DIRECTIVES.get(match.group(1)) if match else None
    if match is None or directive is None or not directive(writer, match.group(2) or ""):
        _literal_block(writer, index, context)
    return index + 1


def _other_block(writer: Writer, index: int, context: _Context) -> int:
    """A block of a kind this writer does not know: its own text, if it has any."""
    _literal_block(writer, index, context)
    return _end_of(writer.tokens, index)


def _literal_block(writer: Writer, index: int, context: _Context) -> None:
    text = writer.tokens[index].content.removesuffix("\n")
    if text:
        fmt = ParagraphFormat(indent_left=context.indent)
        writer.body.paragraph(fmt, [(text, oxml.PLAIN_RUN)])


def _directive_toc(writer: Writer, argument: str) -> bool:
    """A placeholder paragraph, replaced by the TOC field once every heading is known."""
    if argument:
        return False
    writer.toc_markers.append(writer.body.toc_place())
    return True


def _directive_pagebreak(writer: Writer, argument: str) -> bool:
    if argument:
        return False
    writer.body.page_break()
    return True


def _directive_style(writer: Writer, argument: str) -> bool:
    if not argument:
        return False
    writer.pending_style = writer.paragraph_style(argument)
    return True


def _directive_widths(writer: Writer, argument: str) -> bool:
    """`<!-- specgen:widths 8 10 32 32 -->`: the next table's column widths in proportion (a
    新旧対照表 keeps its two text columns equal, whatever each side holds)."""
    parts = argument.split()
    if not parts or not all(part.isdigit() and 0 < int(part) <= 1000 for part in parts):
        return False
    writer.pending_widths = tuple(int(part) for part in parts)
    return True


_DIRECTIVES: dict[str, Callable[[Writer, str], bool]] = {
    "widths": _directive_widths,
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


def _ints(value: Any, length: int | None = None) -> bool:
    return (
        isinstance(value, list)
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
        and (length is None or len(value) == length)
    )


def _optional_id(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def _texts(value: Any, width: int | None = None) -> bool:
    if width is None:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, list) and all(
        isinstance(v, list) and len(v) == width and all(isinstance(x, str) for x in v)
        for v in value
    )


_STATE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "counters": lambda v: _ints(v, 3),
    "pending_style": lambda v: v is None or isinstance(v, str),
    "pending_widths": lambda v: v is None or (_ints(v) and bool(v) and all(v)),
    "after_heading": lambda v: isinstance(v, bool),
    "ordered_abstract": _optional_id,
    "bullet_num": _optional_id,
    "numbering": lambda v: _ints(v, 2),
    "ends_in_table": lambda v: isinstance(v, bool),
    "links": lambda v: _texts(v, 2),
    "styles": _texts,
}
_STATE_FIELDS = set(_STATE_CHECKS)
