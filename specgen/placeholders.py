"""`${metric}` placeholders in statements: finding them and filling them with effective values.

`$${` writes a literal `${`. Statements are data: nothing else in them is ever interpreted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from specgen.model import Metric

__all__ = ["fill_placeholders", "format_metric", "placeholder_names"]

_TOKEN = re.compile(r"\$\$\{|\$\{([^{}\n]*)\}")


def placeholder_names(statement: str) -> list[str]:
    """The metric names a statement refers to, in order of appearance."""
    return [m.group(1) for m in _TOKEN.finditer(statement) if m.group(0) != "$${"]


def format_number(value: int | float) -> str:
    """3 → "3", 3.0 → "3", 99.95 → "99.95", 7600 → "7,600": no float noise, and every
    integer of four digits or more grouped, as the tables beside it are."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    whole, dot, fraction = str(value).partition(".")
    if "e" in str(value) or not whole.lstrip("-").isdigit():
        return str(value)
    return f"{int(whole):,}{dot}{fraction}" if whole != "-0" else str(value)


def format_metric(value: int | float, metric: Metric | None) -> str:
    unit = metric.unit if metric is not None else ""
    return f"{format_number(value)}{unit}"


def fill_placeholders(
    statement: str,
    metrics: Mapping[str, int | float],
    registry: Mapping[str, Metric],
    texts: Mapping[str, str] | None = None,
) -> str:
    """The statement with `${name}` replaced by value and unit and `$${` by `${`; a name in
    `texts` by that text instead (a value that differs by participant, say).

    A placeholder without a value is left as written; validation reports it before rendering.
    """

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$${":
            return "${"
        name = match.group(1)
        if texts and name in texts:
            return texts[name]
        if name in metrics:
            return format_metric(metrics[name], registry.get(name))
        return match.group(0)

    return _TOKEN.sub(replace, statement)
