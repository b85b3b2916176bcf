"""Table layout: column widths from the text each column holds."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence

# -- tables -----------------------------------------------------------------------------------

_WIDE_TWIPS = 210  # a full-width character of 10.5 pt
_NARROW_TWIPS = 126  # a Latin capital or digit, generously: 0.6 em
_CELL_PADDING = 2 * 108 + 42  # Table Grid's left and right cell margins, and some slack
_MAX_HEADER = 6 * _WIDE_TWIPS  # a header gets its own line up to six full-width characters
_WHOLE_CHARACTERS = 12  # a Japanese value this short is not broken across lines
_AUTOSPACE_TWIPS = 53  # the quarter em Word and LibreOffice put between Japanese and Latin
_WORD = re.compile(r"[!-~]+")


@functools.lru_cache(maxsize=1 << 16)  # tables repeat their values (○, 必須, 団体名) endlessly
def text_extent(text: str) -> int:
    """The width of `text` set in 10.5 pt, in twips; East Asian wide and ambiguous characters
    (kanji, kana, ○, ※) take a full em, anything else 0.6 em, and each change between the two
    a quarter em of automatic spacing (令和 8 年)."""
    if text.isascii():
        return len(text) * _NARROW_TWIPS
    east_asian_width = unicodedata.east_asian_width
    wide = [east_asian_width(char) in "WFA" for char in text]
    switches = sum(1 for a, b in itertools.pairwise(wide) if a != b)
    return sum(_WIDE_TWIPS if w else _NARROW_TWIPS for w in wide) + switches * _AUTOSPACE_TWIPS


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
    body: list[set[str]] = [set() for _ in range(count)]  # the values, header aside
    for row in rows[1:]:
        for column, text in enumerate(row):
            body[column].add(text)
    for column, texts in enumerate(body):
        lines = [line for text in texts for line in text.split("\n")]
        # A column of short values only (実装不可, 必須・標準仕様外, 宝達志水町, 令和9年4月1日)
        # keeps each on one line: broken, a value reads as two words. A column with longer
        # text (titles, reasons) wraps.
        short = all(len(line) <= _WHOLE_CHARACTERS for line in lines)
        for line in lines:
            extent = text_extent(line)
            longest = max((len(word) for word in _WORD.findall(line)), default=0)
            whole = extent if short and not line.isascii() else 0
            high[column] = max(high[column], extent)
            low[column] = max(low[column], longest * _NARROW_TWIPS, whole, _WIDE_TWIPS)
    for column, text in enumerate(rows[0]):
        high[column] = max([high[column], *(text_extent(line) for line in text.split("\n"))])
    values = low
    # A header gets a line of up to six characters; where that leaves no room, two (a
    # municipality's name over two lines); then nothing is kept whole but Latin words.
    for header_width in (_MAX_HEADER, 2 * _WIDE_TWIPS):
        low = list(values)
        for column, text in enumerate(rows[0]):
            for line in text.split("\n"):
                low[column] = max(low[column], min(text_extent(line), header_width))
        low = [width + _CELL_PADDING for width in low]
        if sum(low) <= total:
            break
    else:
        low = [_minimum(texts) + _CELL_PADDING for texts in columns]
    high = [max(width + _CELL_PADDING, minimum) for width, minimum in zip(high, low, strict=True)]
    if sum(high) <= total or sum(low) >= total:
        base, shares = [0] * count, high if sum(high) <= total else low
    else:
        base, shares = low, [hi - lo for hi, lo in zip(high, low, strict=True)]
    spare, weight = total - sum(base), sum(shares) or 1
    widths = [lo + spare * share // weight for lo, share in zip(base, shares, strict=True)]
    widths[max(range(count), key=lambda i: widths[i])] += total - sum(widths)
    return tuple(widths)


def _minimum(texts: set[str]) -> int:
    """The narrowest a column of `texts` may be: its longest Latin word, or one character."""
    words = (len(word) * _NARROW_TWIPS for text in texts for word in _WORD.findall(text))
    return max(_WIDE_TWIPS, max(words, default=0))


def row_lines(texts: Sequence[str], widths: Sequence[int]) -> int:
    """About how many lines the tallest cell of a row takes at `widths` (for keeping short
    rows on one page)."""
    lines = 1
    for text, width in zip(texts, widths, strict=False):
        room = max(width - _CELL_PADDING, _WIDE_TWIPS)
        if "\n" not in text and len(text) * _WIDE_TWIPS <= room:
            continue  # one line, whatever its characters
        lines = max(lines, sum(-(-text_extent(line) // room) or 1 for line in text.split("\n")))
    return lines


ALIGNMENTS: dict[str, str | None] = {
    "": None,
    "left": "left",
    "center": "center",
    "right": "right",
}
