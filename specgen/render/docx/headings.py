"""Heading numbers: 第N章 / N.M / N.M.K, counted as the document is written."""

from __future__ import annotations

import re
from collections.abc import Sequence

# -- headings ---------------------------------------------------------------------------------

HEADING_NUMBER = {
    1: re.compile(r"第(\d+)章[　 ]+"),
    2: re.compile(r"(\d+)\.(\d+)[　 ]+"),
    3: re.compile(r"(\d+)\.(\d+)\.(\d+)[　 ]+"),
}


def heading_number(level: int, text: str, counters: Sequence[int]) -> tuple[int, ...] | None:
    """The counters after this heading when `text` starts with exactly the next number.

    `counters` are the numbers of the last numbered heading of levels 1-3 (0: none yet). A
    level-2 heading "1.2 目的" after "1.1" yields (1, 2, 0); anything else yields None.
    """
    pattern = HEADING_NUMBER.get(level)
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
