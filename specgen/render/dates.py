"""Dates as a Japanese official document prints them: 和暦 (令和8年11月26日).

Catalogs and JSON keep ISO dates (YYYY-MM-DD); only the documents show the era, because
public documents in Japan are dated in it and the specifications themselves require 和暦
display (住民記録 RES-0080).
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["document_date", "wareki"]

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# (first day, era name): the eras of the dates a specification can carry
_ERAS = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
)


def wareki(iso: str) -> str | None:
    """令和8年11月26日 for "2026-11-26" (元年 for an era's first year); None when `iso` is not
    a date of the 昭和 era or later."""
    match = _ISO.fullmatch(iso.strip())
    if match is None:
        return None
    try:
        day = dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    for start, name in _ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return None


def document_date(value: str, language: str) -> str:
    """A date as the document shows it: 和暦 in Japanese documents, as written otherwise."""
    if language == "ja":
        return wareki(value) or value
    return value
