"""Cutting a long or streamed Markdown text into pieces that parse the same as the whole."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:", re.MULTILINE)
BLOCK_SIZE = 400_000  # characters of Markdown parsed at once
_RAW_BLOCK = re.compile(
    r"^ {0,3}(?:<(?:pre|script|style|textarea)\b|<!--(?![^\n]*-->)|<\?|<![A-Za-z]|<!\[CDATA\[)",
    re.IGNORECASE | re.MULTILINE,
)


def split_blocks(markdown: str, size: int = BLOCK_SIZE) -> list[str]:
    """The Markdown cut into pieces of about `size` characters, each before a heading that
    follows a blank line, outside fenced code.

    Such a heading closes every open block, so the pieces parse to the same blocks as the
    whole; parsing them one at a time keeps only one piece's tokens in memory (a 20,000-row
    specification has millions), while pieces of some size keep markdown-it's per-parse setup
    negligible. A document where a cut could change the parse — one with link reference
    definitions, which apply document-wide, or multi-line raw HTML blocks — is one piece.
    """
    pieces = list(cut([markdown], size))
    return [markdown] if any(map(needs_whole, pieces)) else pieces


def needs_whole(piece: str) -> bool:
    """Whether a piece holds what stops a document being parsed in pieces (see split_blocks)."""
    return bool(_REFERENCE.search(piece) or _RAW_BLOCK.search(piece))


def cut(stream: Iterable[str], size: int) -> Iterator[str]:
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
