"""Reading a returned response form: the cells of its sheets, nothing interpreted yet.

The workbook is the vendor's file, so anything may be in it: it is opened read-only, its
formulas are not evaluated (the cached values are read), and a file openpyxl cannot read
becomes one located problem (E-FORM), never a traceback.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specgen import messages as m
from specgen.errors import Diagnostic, Location

__all__ = ["MAX_FORM_BYTES", "CellRange", "ReturnedForm", "cell_text", "read_form"]

CellRange = tuple[int, int, int, int]

MAX_FORM_BYTES = 200 << 20  # a 5,000-row form is about 1 MiB; past this it is no form of ours
MAX_UNPACKED_BYTES = 2 << 30  # what its parts may unpack to: a zip bomb is refused unread
MAX_COLUMNS = 256  # of a sheet, read (the form has 15 + one per town)
MAX_ROWS = 200_000  # of a sheet, read (the form has one per requirement)


@dataclass(frozen=True, slots=True)
class ReturnedForm:
    """A returned workbook as cell texts: sheet name → rows (row 1 first), each a tuple of
    the texts of its cells (an empty cell is "")."""

    file: str  # as named on the command line, for the report and every location
    sheets: Mapping[str, list[tuple[str, ...]]] = field(default_factory=dict)
    problems: tuple[Diagnostic, ...] = ()  # the file could not be read: nothing else is known
    # sheet → its merged ranges (first row, first column, last row, last column), 1-based:
    # openpyxl's read-only sheets give a merged range's value to its first cell only.
    merged: Mapping[str, tuple[CellRange, ...]] = field(default_factory=dict)


def read_form(path: Path, name: str, percent: Mapping[str, int] | None = None) -> ReturnedForm:
    """The cells of the workbook at `path`, shown to the user as `name`. In the columns of
    `percent` (sheet → 1-based column) a number Excel shows as a percentage (99.95% is
    stored as 0.9995) reads as the vendor typed it."""
    try:
        size = path.stat().st_size
        if size > MAX_FORM_BYTES:
            why = f"{size >> 20} MiB, more than the {MAX_FORM_BYTES >> 20} MiB a form can be"
            return _unreadable(name, why)
        unpacked = _unpacked_size(path)
        if unpacked > MAX_UNPACKED_BYTES:
            why = (
                f"its parts unpack to {unpacked >> 20} MiB, more than the "
                f"{MAX_UNPACKED_BYTES >> 20} MiB a form can be"
            )
            return _unreadable(name, why)
        sheets, merged = _cells(path, percent or {})
        return ReturnedForm(name, sheets, merged=merged)
    except OSError as exc:
        return _unreadable(name, exc.strerror or type(exc).__name__)
    except Exception as exc:  # the vendor's file: whatever openpyxl raises
        return _unreadable(name, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


def _cells(
    path: Path, percent: Mapping[str, int]
) -> tuple[dict[str, list[tuple[str, ...]]], dict[str, tuple[CellRange, ...]]]:
    from openpyxl import load_workbook  # imported here: only `score` needs it

    with warnings.catch_warnings():  # openpyxl warns about extensions it ignores
        warnings.simplefilter("ignore")
        book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets: dict[str, list[tuple[str, ...]]] = {}
        merged: dict[str, tuple[CellRange, ...]] = {}
        for sheet in book.worksheets:
            # A form has a few dozen columns and one row a requirement: a cell placed far
            # away (XFD1048576) must not make rows of sixteen thousand cells, a million long.
            columns = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
            rows = [
                tuple(v if v.__class__ is str and "\r" not in v else cell_text(v) for v in row)
                for row in itertools.islice(
                    sheet.iter_rows(max_col=columns, values_only=True), MAX_ROWS
                )
            ]
            if sheet.title in percent:
                _as_typed(sheet, percent[sheet.title], rows)
            while rows and not any(rows[-1]):  # a sheet's used range may end in empty rows
                rows.pop()
            sheets[sheet.title] = rows
            merged[sheet.title] = _merged_ranges(path, getattr(sheet, "_worksheet_path", ""))
        return sheets, merged
    finally:
        book.close()


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)\"")


def _merged_ranges(path: Path, part: str) -> tuple[CellRange, ...]:
    """The merged ranges a sheet's part declares (`<mergeCell ref="J5:J7"/>`), which
    openpyxl's read-only sheets do not give."""
    if not part:
        return ()
    with zipfile.ZipFile(path) as archive:
        try:
            xml = archive.read(part.lstrip("/"))
        except KeyError:
            return ()
    return tuple(
        (int(row1), _column(col1), int(row2), _column(col2))
        for col1, row1, col2, row2 in _MERGE.findall(xml)
    )


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _as_typed(sheet: Any, column: int, rows: list[tuple[str, ...]]) -> None:
    """Percent-formatted numbers of `column` as the percentages they show."""
    cells = sheet.iter_rows(min_col=column, max_col=column)
    for number, (cell,) in enumerate(itertools.islice(cells, len(rows))):
        value = getattr(cell, "value", None)
        shown = getattr(cell, "number_format", "") or ""
        if isinstance(value, int | float) and not isinstance(value, bool) and "%" in shown:
            row = rows[number]
            if len(row) >= column:
                rows[number] = (*row[: column - 1], f"{value * 100:g}%", *row[column:])


def _unpacked_size(path: Path) -> int:
    """The sum of the sizes the workbook's parts declare (not a zip: 0, openpyxl says why)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(entry.file_size for entry in archive.infolist())
    except zipfile.BadZipFile:
        return 0


def cell_text(value: object) -> str:
    """A cell's value as the text the vendor sees: a whole number without `.0`, a date in ISO
    form, line ends as LF."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n")


def _unreadable(name: str, why: str) -> ReturnedForm:
    return ReturnedForm(name, problems=(m.FORM_UNREADABLE.at(Location(name), file=name, why=why),))
