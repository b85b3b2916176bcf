"""Inline content: markdown-it's inline tokens as runs of text with their formats."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from markdown_it.token import Token

# -- inline content ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextFormat:
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    underline: bool = False  # inside <u>…</u>: the 傍線 of a 新旧対照表


_PLAIN = TextFormat()
_SOFT = None  # a softbreak, resolved once its neighbours are known
_Piece = tuple[str | None, TextFormat]
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _inline_tokens(tokens: Sequence[Token], fmt: TextFormat, out: list[_Piece]) -> None:
    """The pieces of a flat run of inline tokens, whose open and close tokens nest formats."""
    outer: list[TextFormat] = []
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
            tag = token.content.lower()
            if tag == "<u>":
                outer.append(fmt)
                fmt = replace(fmt, underline=True)
            elif tag == "</u>":
                fmt = outer.pop() if outer else fmt
            else:
                out.append(("\n" if _BR.fullmatch(token.content) else token.content, fmt))
        elif token.children:  # an image: its alt text
            _inline_tokens(token.children, fmt, out)
        elif token.content:
            out.append((token.content, fmt))


def _opened(token: Token, fmt: TextFormat) -> TextFormat:
    """The format inside an opening token."""
    href = str(token.attrs.get("href", "")) if token.type == "link_open" else ""
    return _inside(fmt, token.type, href)


@functools.lru_cache(maxsize=1024)
def _inside(fmt: TextFormat, kind: str, href: str) -> TextFormat:
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


def inline_pieces(tokens: Sequence[Token] | None) -> list[tuple[str, TextFormat]]:
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
    pieces: list[tuple[str, TextFormat]] = []
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


def inline_at(tokens: Sequence[Token], index: int) -> list[Token] | None:
    """The children of the inline token at `index` (after a paragraph's or cell's opening)."""
    token = tokens[index] if index < len(tokens) else None
    return token.children if token is not None and token.type == "inline" else None
