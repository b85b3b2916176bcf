"""全国地方公共団体コード: the check digit and the bundled official list of codes and names."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

__all__ = ["check_digit", "is_valid_code", "official_name", "official_names"]

_WEIGHTS = (6, 5, 4, 3, 2)


def check_digit(first_five: str) -> int:
    """The sixth digit of a code: (11 − Σ weight·digit mod 11) mod 10, weights 6 5 4 3 2."""
    total = sum(w * int(d) for w, d in zip(_WEIGHTS, first_five, strict=True))
    return (11 - total % 11) % 10


def is_valid_code(code: str) -> bool:
    """Six ASCII digits whose last is the check digit of the first five."""
    return (
        len(code) == 6
        and code.isascii()
        and code.isdigit()
        and int(code[5]) == check_digit(code[:5])
    )


@cache
def official_names() -> dict[str, str]:
    """Code → official name, from the bundled list (総務省, as of 2024-01-01)."""
    text = resources.files("specgen.data").joinpath("lg-codes.csv").read_text(encoding="utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(io.StringIO(text))}


def official_name(code: str) -> str | None:
    return official_names().get(code)
