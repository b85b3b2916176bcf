"""markdown-it set up for specgen's documents: quick paragraph ends, a GFM table as one token."""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt, rules_block
from markdown_it.common.utils import mdTrim
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_block.table import MAX_AUTOCOMPLETED_CELLS, escapedSplit, getLine
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token


def parse_markdown(markdown: str) -> list[Token]:
    """markdown-it's token stream of `markdown`: CommonMark with GFM tables.

    A text that `_sections` can cut is parsed section by section, each distinct section once
    per process: a municipality's spec repeats the joint spec's sections almost all unchanged,
    and block parsing was half the time of writing a Word file. The tokens are those of the
    whole text but for their line maps, which start again in each section (nothing reads them).
    """
    sections = _sections(markdown)
    if sections is None:
        return parse_whole(markdown)
    if _SECTION_MEMO.size > _SECTION_MEMO_LIMIT:
        _SECTION_MEMO.clear()
    tokens: list[Token] = []
    for section in sections:
        parsed = _SECTION_MEMO.tokens.get(section)
        if parsed is None:
            parsed = _SECTION_MEMO.tokens[section] = _MARKDOWN.parse(section)
            _SECTION_MEMO.size += len(section)
        tokens += parsed
    return tokens


def parse_whole(markdown: str) -> list[Token]:
    """markdown-it's token stream of `markdown` parsed in one piece, with its line maps."""
    return _MARKDOWN.parse(markdown)


# A blank line then an ATX heading at the margin: the heading closes every block open before it,
# so the text before and the text from it parse to the same blocks apart as together — unless a
# fence or a raw HTML block spans the blank line, or link reference definitions (which apply to
# the whole text) are present: such texts are parsed whole. "Blank" is markdown-it's: spaces
# and tabs only.
_SECTION_START = re.compile(r"\n[ \t]*\n(?=#{1,6}(?:[ \t]|\n|$))")
_UNCUTTABLE = re.compile(
    r"^ {0,3}(?:```|~~~|\[[^\]]+\]:|<(?:pre|script|style|textarea)\b|<!--(?![^\n]*-->)|<\?|"
    r"<![A-Za-z]|<!\[CDATA\[)|[\r\0]",
    re.IGNORECASE | re.MULTILINE,
)


def _sections(markdown: str) -> list[str] | None:
    """`markdown` cut before each heading that follows a blank line; None when it may not be."""
    if _UNCUTTABLE.search(markdown):
        return None
    cuts = [match.end() for match in _SECTION_START.finditer(markdown)]
    return [
        markdown[start:end] for start, end in zip([0, *cuts], [*cuts, len(markdown)], strict=True)
    ]


class _SectionMemo:
    """Sections already parsed in this process, with the characters they hold."""

    def __init__(self) -> None:
        self.tokens: dict[str, list[Token]] = {}
        self.size = 0

    def clear(self) -> None:
        self.tokens.clear()
        self.size = 0


_SECTION_MEMO = _SectionMemo()
_SECTION_MEMO_LIMIT = 8_000_000  # characters; their tokens take about 26 bytes per character


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


# Inline contents already parsed in this process, shared by the documents it renders: a
# municipality's spec repeats the joint spec's statements almost word for word. A memo of a
# pure function (the same content, parser and no reference definitions give the same tokens),
# emptied when it grows past a bound.
_INLINE_MEMO: dict[str, list[Token]] = {}
_INLINE_MEMO_LIMIT = 200_000


def _inline_memo(state: StateCore) -> dict[str, list[Token]]:
    """Where this parse may find and keep inline children: the process's memo, or its own
    when the text defines link references (they change how `[x]` parses)."""
    if state.env.get("references") or state.md is not _MARKDOWN:
        return {}
    if len(_INLINE_MEMO) > _INLINE_MEMO_LIMIT:
        _INLINE_MEMO.clear()
    return _INLINE_MEMO


def _inline_once_per_content(state: StateCore) -> None:
    """markdown-it's inline rule, parsing each distinct inline content once per document.

    Tables repeat the same cells (○, 必須, 変) tens of thousands of times. The writer only reads
    tokens, so equal contents share one list of children: less time and far less memory. A
    table token's meta["children"] maps each of its cell contents to children.
    """
    parsed = _inline_memo(state)
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
