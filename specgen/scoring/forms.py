"""Reading a returned response form: the cells of its sheets, nothing interpreted yet.

The workbook is the vendor's file, so anything may be in it. specgen reads it with its own
streaming reader rather than a library that loads parts whole: only a regular file is opened,
every part is parsed as it unpacks, and what a form may hold is bounded (FORMAT §9), so any
file is read in bounded memory and in time linear in its size. A file past a bound, or one
that cannot be read, is one located problem (E-FORM), never a traceback. Formulas are not
evaluated: their cached values are read.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import posixpath
import stat
import zipfile
from array import array
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast
from xml.parsers import expat

from specgen import messages as m
from specgen.errors import Diagnostic, Location

__all__ = ["MAX_FORM_BYTES", "CellRange", "ReturnedForm", "cell_text", "read_form"]

CellRange = tuple[int, int, int, int]

# What a form may hold (FORMAT §9). A 5,000-requirement form is 1.7 MiB, its largest sheet
# 18 MiB unpacked, 418,000 elements, 151,000 cells and 1.4 million characters: each bound is
# far above a form.
MAX_FORM_BYTES = 200 << 20  # the file
MAX_UNPACKED_BYTES = 2 << 30  # what its parts declare they unpack to, all together
MAX_READ_BYTES = 1 << 20  # any one read of the file: the zip directory is read in one
MAX_PART_BYTES = 256 << 20  # a sheet or the shared strings, unpacked (declared and actual)
MAX_SMALL_PART_BYTES = 8 << 20  # the workbook, its relationships, the styles
MAX_TOKEN_BYTES = 8 << 20  # one tag, comment or declaration of a part
MAX_DEPTH = 64  # elements open at once in a part
MAX_ELEMENTS = 8_000_000  # elements of the parts read: what bounds the time (~1 µs each)
MAX_COLUMNS = 256  # of a sheet, read (the form has 15 + one per town)
MAX_ROWS = 200_000  # of a sheet, read (the form has one per requirement)
MAX_ROW_CELLS = 16_384  # cells of one row (Excel's columns)
MAX_CELLS = 2_000_000  # cells of the sheets read, an empty one left of a filled one included
MAX_CELL_CHARS = 32_767  # of one cell or shared string (Excel's limit)
MAX_TEXT_CHARS = 50_000_000  # of the cells read (a shared string at every cell that shows it)
MAX_STRINGS = 1_000_000  # in the shared string table
MAX_MERGED = 10_000  # merged ranges of a sheet

_CHUNK = 1 << 18  # unpacked bytes fed to the XML parser at a time
_MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # Strict Open XML
)
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_R_ID = tuple(
    f"{ns}}}id"
    for ns in (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "http://purl.oclc.org/ooxml/officeDocument/relationships",
    )
)
# Element names as the parser gives them ("namespace}local") → the local name.
_TAGS = {f"{ns}}}{local}": local for ns in _MAIN for local in (
    "row", "c", "v", "is", "t", "r", "rPh", "mergeCell", "si", "sheet", "workbookPr",
    "numFmt", "cellXfs", "xf",
)}  # fmt: skip
_MAX_FORMAT_CHARS = 255  # of a number format code (Excel's limit)
_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_MAC_EPOCH = dt.datetime(1904, 1, 1)


@dataclass(frozen=True, slots=True)
class ReturnedForm:
    """A returned workbook as cell texts: sheet name → rows (row 1 first), each a tuple of
    the texts of its cells up to its last filled one (an empty cell is "")."""

    file: str  # as named on the command line, for the report and every location
    sheets: Mapping[str, list[tuple[str, ...]]] = field(default_factory=dict)
    problems: tuple[Diagnostic, ...] = ()  # the file could not be read: nothing else is known
    # sheet → its merged ranges (first row, first column, last row, last column), 1-based:
    # a merged range's value is in its first cell only.
    merged: Mapping[str, tuple[CellRange, ...]] = field(default_factory=dict)


class _Refused(Exception):
    """The form is past a bound or cannot be read: its one problem, worded and located."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def read_form(
    path: Path,
    name: str,
    percent: Mapping[str, int] | None = None,
    sheets: Collection[str] | None = None,
) -> ReturnedForm:
    """The cells of the workbook at `path`, shown to the user as `name`: of the sheets named
    in `sheets` (all when None). In the columns of `percent` (sheet → 1-based column) a
    number Excel shows as a percentage (99.95% is stored as 0.9995) reads as typed."""
    try:
        return _read(path, name, percent or {}, sheets)
    except _Refused as refused:
        return ReturnedForm(name, problems=(refused.diagnostic,))
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        return ReturnedForm(name, problems=(_unreadable(Location(name), "os", error=why),))
    except Exception as exc:  # the vendor's file: whatever zipfile or zlib raise, worded
        why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return ReturnedForm(name, problems=(_unreadable(Location(name), "os", error=why),))


def _read(
    path: Path, name: str, percent: Mapping[str, int], wanted: Collection[str] | None
) -> ReturnedForm:
    at_file = Location(name)
    _regular(os.stat(path).st_mode, at_file)  # a FIFO would block open(), a device never end
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    with os.fdopen(os.open(path, flags), "rb") as raw:
        status = os.fstat(raw.fileno())
        _regular(status.st_mode, at_file)  # the same check on what was opened (a swap)
        if status.st_size > MAX_FORM_BYTES:
            raise _limit(at_file, "file", size=status.st_size >> 20, limit=MAX_FORM_BYTES >> 20)
        try:
            archive = zipfile.ZipFile(cast(IO[bytes], _Capped(raw, status.st_size, at_file)))
        except zipfile.BadZipFile:
            raise _Refused(_unreadable(at_file, "zip")) from None
        with archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise _limit(
                    at_file, "unpacked", size=unpacked >> 20, limit=MAX_UNPACKED_BYTES >> 20
                )
            return _Book(archive, name).read(percent, wanted)


def _regular(mode: int, where: Location) -> None:
    """Refuse anything but a regular file: a directory, a FIFO, a device or a socket."""
    if stat.S_ISREG(mode):
        return
    kind = next((k for test, k in _KINDS if test(mode)), "other")
    raise _Refused(m.FORM_NOT_FILE.at(where, file=where.file, kind=m.form_file_kind(kind)))


_KINDS = (
    (stat.S_ISDIR, "directory"),
    (stat.S_ISFIFO, "fifo"),
    (stat.S_ISCHR, "character"),
    (stat.S_ISBLK, "block"),
    (stat.S_ISSOCK, "socket"),
)


class _Capped:
    """The form's file for zipfile, which reads its central directory in one read of the
    size the archive states: no read may be larger than MAX_READ_BYTES."""

    def __init__(self, raw: IO[bytes], size: int, where: Location) -> None:
        self._raw, self._size, self._where = raw, size, where

    def read(self, n: int = -1) -> bytes:
        if n < 0:
            n = self._size - self._raw.tell()
        if n > MAX_READ_BYTES:
            raise _limit(self._where, "directory", limit=MAX_READ_BYTES >> 10)
        return self._raw.read(n)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def seekable(self) -> bool:
        return True


@dataclass(slots=True)
class _Budget:
    """What the parts read so far hold, against MAX_ELEMENTS, MAX_CELLS and MAX_TEXT_CHARS."""

    elements: int = 0
    cells: int = 0
    chars: int = 0


class _Book:
    """One workbook being read: its parts found through their relationships."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        self.archive, self.file = archive, name
        self.at_file = Location(name)
        self.budget = _Budget()

    def read(self, percent: Mapping[str, int], wanted: Collection[str] | None) -> ReturnedForm:
        root = self._relationships("_rels/.rels", "")
        book_part = root.get("officeDocument", [("", "xl/workbook.xml")])[0][1]
        if book_part not in self.archive.NameToInfo:
            raise _Refused(_unreadable(self.at_file, "no_workbook", part=book_part))
        workbook = _WorkbookHandler(self.budget, wanted)
        self._parse(book_part, workbook, MAX_SMALL_PART_BYTES)
        rels_part = posixpath.join(
            posixpath.dirname(book_part), "_rels", posixpath.basename(book_part) + ".rels"
        )
        rels = self._relationships(rels_part, posixpath.dirname(book_part))
        by_id = {rid: target for targets in rels.values() for rid, target in targets}
        styles = _StylesHandler(self.budget)
        if (part := self._first(rels, "styles")) is not None:
            self._parse(part, styles, MAX_SMALL_PART_BYTES)
        strings: list[str] = []
        if (part := self._first(rels, "sharedStrings")) is not None:
            self._parse(part, _StringsHandler(self.budget, strings, self.at_file), MAX_PART_BYTES)
        formats = styles.formats()
        epoch = _MAC_EPOCH if workbook.date1904 else _WINDOWS_EPOCH
        sheets: dict[str, list[tuple[str, ...]]] = {}
        merged: dict[str, tuple[CellRange, ...]] = {}
        for title, rid in workbook.sheets:
            part = by_id.get(rid)
            if part is None or part not in self.archive.NameToInfo or title in sheets:
                continue  # a sheet without its part is no sheet (score names the missing one)
            where = Location(self.file, sheet=title)
            sheet = _SheetHandler(
                self.budget, where, strings, formats, epoch, percent.get(title, 0)
            )
            self._parse(part, sheet, MAX_PART_BYTES, title)
            sheets[title], merged[title] = sheet.finished()
        return ReturnedForm(self.file, sheets, merged=merged)

    @staticmethod
    def _first(rels: Mapping[str, list[tuple[str, str]]], kind: str) -> str | None:
        """The first part related as `kind` (styles, sharedStrings), if any."""
        found = rels.get(kind)
        return found[0][1] if found else None

    def _relationships(self, part: str, base: str) -> dict[str, list[tuple[str, str]]]:
        """A relationships part: type (its last word) → (Id, target part) in order."""
        if part not in self.archive.NameToInfo:
            return {}
        handler = _RelationshipsHandler(self.budget, base)
        self._parse(part, handler, MAX_SMALL_PART_BYTES)
        return handler.found

    def _parse(self, part: str, handler: _Handler, limit: int, title: str = "") -> None:
        """Feed `part` to `handler` as it unpacks, never more than `limit` bytes of it; `title`
        names the sheet the part is."""
        info = self.archive.getinfo(part)
        at_file = self.at_file
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # zipfile unpacks the other methods with no bound on what one read gives
            raise _Refused(_unreadable(at_file, "method", part=part, method=info.compress_type))
        too_large = _limit(at_file, "sheet_part" if title else "part", part=part, sheet=title,
                           limit=limit >> 20)  # fmt: skip
        if info.file_size > limit:
            raise too_large
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.buffer_size = 1 << 16
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.text
        parser.StartDoctypeDeclHandler = _no_doctype  # a workbook declares no DTD, no entity
        fed = pending = 0
        try:
            with self.archive.open(info) as member:
                # expat scans a token it has not finished again at each feed: a long one is
                # fed in pieces as long as what is pending (so it is scanned a few times), yet
                # never so long that a token past MAX_TOKEN_BYTES could end within one
                while chunk := _pieces(
                    member, max(_CHUNK, min(pending, MAX_TOKEN_BYTES - pending))
                ):
                    fed += len(chunk)
                    if fed > limit:  # zipfile stops at the declared size; this is a backstop
                        raise too_large
                    parser.Parse(chunk, False)
                    pending = fed - parser.CurrentByteIndex
                    if pending > MAX_TOKEN_BYTES:
                        raise _limit(at_file, "token", part=part, limit=MAX_TOKEN_BYTES >> 20)
                parser.Parse(b"", True)
        except _Refused:
            raise
        except _TooDeep:
            raise _limit(at_file, "depth", part=part, limit=MAX_DEPTH) from None
        except _TooMany:
            where = handler.here() if isinstance(handler, _SheetHandler) else at_file
            raise _limit(where, "elements", limit=MAX_ELEMENTS) from None
        except Exception as exc:  # damaged: a bad CRC or deflate stream, XML not well formed
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            if not title:
                raise _Refused(_unreadable(at_file, "part", part=part, error=error)) from None
            where = handler.here() if isinstance(handler, _SheetHandler) else at_file
            raise _Refused(
                _unreadable(where, "sheet", sheet=title, part=part, error=error)
            ) from None


def _pieces(member: IO[bytes], size: int) -> bytes:
    """About `size` bytes of `member`, read _CHUNK at a time (a read's size bounds what
    zipfile reads of the file, and MAX_READ_BYTES what it may)."""
    pieces = []
    got = 0
    while got < size and (piece := member.read(_CHUNK)):
        pieces.append(piece)
        got += len(piece)
    return b"".join(pieces)


class _TooDeep(Exception):
    """A part nests elements more than MAX_DEPTH deep (the parser keeps each open one)."""


class _TooMany(Exception):
    """The parts read hold more than MAX_ELEMENTS elements."""


def _no_doctype(*_: object) -> None:
    raise ValueError("a DTD is declared (a workbook part never declares one)")


def _limit(where: Location, kind: str, **values: Any) -> _Refused:
    return _Refused(m.FORM_LIMIT.at(where, file=where.file, what=m.form_limit(kind, **values)))


def _unreadable(where: Location, kind: str, **values: Any) -> Diagnostic:
    return m.FORM_UNREADABLE.at(where, file=where.file, why=m.form_damage(kind, **values))


class _Handler:
    """Callbacks of the XML parser for one part; the depth of open elements and the number
    of elements of the workbook are bounded (a subclass's own `start` counts them too)."""

    __slots__ = ("budget", "depth")

    def __init__(self, budget: _Budget) -> None:
        self.budget = budget
        self.depth = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.counted()
        self.opened(_TAGS.get(name, name), attributes)

    def counted(self) -> None:
        """One more element opens: within MAX_DEPTH and MAX_ELEMENTS?"""
        self.depth += 1
        self.budget.elements += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep
        if self.budget.elements > MAX_ELEMENTS:
            raise _TooMany

    def end(self, name: str) -> None:
        self.depth -= 1
        self.closed(_TAGS.get(name, name))

    def opened(self, tag: str, attributes: dict[str, str]) -> None:
        """An element opens (`tag` its local name when it is one of the form's)."""

    def closed(self, tag: str) -> None:
        """An element closes."""

    def text(self, data: str) -> None:
        """Character data, in pieces."""


class _RelationshipsHandler(_Handler):
    """A relationships part: where each related part is, by the relationship's type."""

    __slots__ = ("base", "found")

    def __init__(self, budget: _Budget, base: str) -> None:
        super().__init__(budget)
        self.base = base
        self.found: dict[str, list[tuple[str, str]]] = {}

    def start(self, name: str, attributes: dict[str, str]) -> None:
        super().start(name, attributes)
        if name != f"{_RELATIONSHIPS}}}Relationship" or attributes.get("TargetMode") == "External":
            return
        kind = attributes.get("Type", "").rpartition("/")[2]
        target = attributes.get("Target", "")
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join(self.base, target))
        self.found.setdefault(kind, []).append((attributes.get("Id", ""), target))


class _WorkbookHandler(_Handler):
    """The workbook part: the sheets wanted (title and relationship), and its date system."""

    __slots__ = ("date1904", "sheets", "wanted")

    def __init__(self, budget: _Budget, wanted: Collection[str] | None) -> None:
        super().__init__(budget)
        self.wanted = None if wanted is None else set(wanted)
        self.sheets: list[tuple[str, str]] = []  # (title, relationship Id) of those wanted
        self.date1904 = False

    def opened(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == "sheet":
            title = attributes.get("name", "")
            if self.wanted is None or title in self.wanted:
                rid = next((attributes[a] for a in _R_ID if a in attributes), "")
                self.sheets.append((title, rid))
        elif tag == "workbookPr":
            self.date1904 = attributes.get("date1904", "").lower() in ("1", "true")


_DATE, _DURATION, _PERCENT = 1, 2, 4  # what a cell style's number format shows


@dataclass(frozen=True, slots=True)
class _Formats:
    """What each cell style (index into cellXfs) shows a number as: a byte of _DATE,
    _DURATION and _PERCENT flags per style."""

    flags: bytes = b""

    def of(self, style: int) -> int:
        """The flags of a cell's style (none for a style the workbook does not have)."""
        return self.flags[style] if style < len(self.flags) else 0


class _StylesHandler(_Handler):
    """The styles part: the number format of each cell style (dates and percentages)."""

    __slots__ = ("codes", "in_xfs", "styles")

    def __init__(self, budget: _Budget) -> None:
        super().__init__(budget)
        self.codes: dict[int, str] = {}  # numFmtId → its format code (the custom ones)
        self.styles = array("q")  # numFmtId of each cell style
        self.in_xfs = False

    def opened(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == "numFmt":
            number = _integer(attributes.get("numFmtId", ""))
            if number is not None:
                self.codes[number] = attributes.get("formatCode", "")
        elif tag == "cellXfs":
            self.in_xfs = True
        elif tag == "xf" and self.in_xfs:
            number = _integer(attributes.get("numFmtId", "0"))
            self.styles.append(number or 0)

    def closed(self, tag: str) -> None:
        if tag == "cellXfs":
            self.in_xfs = False

    def formats(self) -> _Formats:
        """The styles' number formats, each format looked at once."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        kinds: dict[int, int] = {}
        flags = bytearray(len(self.styles))
        for index, number in enumerate(self.styles):
            kind = kinds.get(number)
            if kind is None:
                code = self.codes.get(number, BUILTIN_FORMATS.get(number)) or ""
                if len(code) > _MAX_FORMAT_CHARS:  # no format of Excel's: and the date test
                    code = ""  # is quadratic in a code's length
                kind = kinds[number] = (
                    (_DATE if code and is_date_format(code) else 0)
                    | (_DURATION if code and is_timedelta_format(code) else 0)
                    | (_PERCENT if "%" in code else 0)
                )
            flags[index] = kind
        return _Formats(bytes(flags))


class _StringsHandler(_Handler):
    """The shared string table: each `si`'s text (its runs, not its phonetic reading)."""

    __slots__ = ("at_file", "chars", "inside", "parts", "phonetic", "size", "strings")

    def __init__(self, budget: _Budget, strings: list[str], at_file: Location) -> None:
        super().__init__(budget)
        self.strings, self.at_file = strings, at_file
        self.parts: list[str] = []
        self.inside = False  # in a `t` of the current `si`
        self.phonetic = 0  # inside rPh
        self.size = self.chars = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1  # counted as in _Handler.counted, inline: this is the hot path
        self.budget.elements += 1
        if self.depth > MAX_DEPTH or self.budget.elements > MAX_ELEMENTS:
            self.depth -= 1
            self.budget.elements -= 1
            self.counted()
        tag = _TAGS.get(name)
        if tag == "t":
            self.inside = not self.phonetic
        elif tag == "rPh":
            self.phonetic += 1
        elif tag == "si":
            self.parts, self.size = [], 0
            if len(self.strings) >= MAX_STRINGS:
                raise _limit(self.at_file, "strings", limit=MAX_STRINGS)

    def end(self, name: str) -> None:
        self.depth -= 1
        tag = _TAGS.get(name)
        if tag == "t":
            self.inside = False
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "si":
            text = "".join(self.parts).replace("x005F_", "")
            self.strings.append(text.replace("\r\n", "\n") if "\r" in text else text)
            self.parts = []

    def text(self, data: str) -> None:
        if self.inside:
            self.size += len(data)
            self.chars += len(data)
            if self.size > MAX_CELL_CHARS:
                index = len(self.strings)
                raise _limit(self.at_file, "string", index=index, limit=MAX_CELL_CHARS)
            if self.chars > MAX_TEXT_CHARS:
                raise _limit(self.at_file, "string_text", limit=MAX_TEXT_CHARS)
            self.parts.append(data)


class _SheetHandler(_Handler):
    """One sheet, row by row: the texts of its cells, and its merged ranges."""

    __slots__ = (
        "capture", "cells", "column", "epoch", "formats", "in_cell", "inline", "merged",
        "parts", "percent", "phonetic", "raw", "row", "row_cells", "rows", "size", "strings",
        "style", "type", "where",
    )  # fmt: skip

    def __init__(
        self,
        budget: _Budget,
        where: Location,
        strings: list[str],
        formats: _Formats,
        epoch: dt.datetime,
        percent: int,
    ) -> None:
        super().__init__(budget)
        self.where, self.strings, self.formats, self.epoch = where, strings, formats, epoch
        self.percent = percent
        self.rows: list[tuple[str, ...]] = []
        self.merged: list[CellRange] = []
        self.row = 0  # the current row's number (0 before the first)
        self.row_cells = 0  # cells of the current row so far
        self.cells: list[tuple[int, str]] | None = None  # the current row's, None outside one
        self.column = 0  # the current (or last) cell's in the current row
        self.in_cell = False
        self.type, self.style = "n", 0
        self.raw: str | None = None  # the cell's <v>
        self.inline: str | None = None  # the cell's <is> text
        self.parts: list[str] = []
        self.size = 0
        self.capture = False  # the text read is the cell's
        self.phonetic = 0  # inside rPh (a reading, not the text)

    def here(self) -> Location:
        """The cell being read, or the file when no row is (a part's damage, say)."""
        if self.cells is None or not self.row:
            return Location(self.where.file)
        return _at(self.where, self.row, min(self.column, MAX_ROW_CELLS) or 1)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1  # counted as in _Handler.counted, inline: this is the hot path
        self.budget.elements += 1
        if self.depth > MAX_DEPTH or self.budget.elements > MAX_ELEMENTS:
            self.depth -= 1
            self.budget.elements -= 1
            self.counted()
        tag = _TAGS.get(name)
        if tag == "c":
            if self.cells is None:
                return  # a cell outside a row: not a cell of the sheet
            self.row_cells += 1
            self.budget.cells += 1
            reference = attributes.get("r")
            self.column = (_column(reference) if reference else 0) or self.column + 1
            if self.row_cells > MAX_ROW_CELLS:  # located at the row's first cell
                raise _limit(_at(self.where, self.row, 1), "row", limit=MAX_ROW_CELLS)
            if self.budget.cells > MAX_CELLS:
                raise _limit(self.here(), "cells", limit=MAX_CELLS)
            self.in_cell = True
            self.type = attributes.get("t", "n")
            style = attributes.get("s")
            self.style = (_integer(style) or 0) if style else 0
            self.raw = self.inline = None
        elif not self.in_cell:
            if tag == "row":
                number = _integer(attributes.get("r", ""))
                self.row = number if number and number <= 1 << 20 else self.row + 1
                self.cells, self.row_cells, self.column = [], 0, 0
            elif tag == "mergeCell":
                ranged = _range(attributes.get("ref", ""))
                if ranged is not None:
                    if len(self.merged) >= MAX_MERGED:
                        raise _limit(_at(self.where, *ranged[:2]), "merged", limit=MAX_MERGED)
                    self.merged.append(ranged)
        elif tag == "v":
            if self.raw is None and self.inline is None:
                self.parts, self.size, self.capture = [], 0, True
        elif tag == "is":
            if self.raw is None and self.inline is None:
                self.inline = ""
                self.parts, self.size = [], 0
        elif tag == "t":
            self.capture = self.inline == "" and not self.phonetic
        elif tag == "rPh":
            self.phonetic += 1

    def text(self, data: str) -> None:
        if self.capture:
            self.size += len(data)
            if self.size > MAX_CELL_CHARS:
                raise _limit(self.here(), "cell", limit=MAX_CELL_CHARS)
            self.parts.append(data)

    def end(self, name: str) -> None:
        self.depth -= 1
        tag = _TAGS.get(name)
        if tag == "c":
            if self.in_cell:
                self.in_cell = self.capture = False
                self._cell()
        elif tag == "row":
            if not self.in_cell:
                self._row()
        elif not self.in_cell:
            return
        elif tag == "v":
            if self.capture:
                self.raw = "".join(self.parts)
                self.capture = False
        elif tag == "t":
            self.capture = False
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "is" and self.inline == "":
            self.inline = "".join(self.parts) or None
            self.capture = False

    def _cell(self) -> None:
        """The current cell's text, kept when it is within the columns and rows read."""
        if self.column > MAX_COLUMNS or self.row > MAX_ROWS:
            return
        text = self._value()
        if text:
            self.budget.chars += len(text)
            if self.budget.chars > MAX_TEXT_CHARS:
                raise _limit(self.here(), "text", limit=MAX_TEXT_CHARS)
            assert self.cells is not None
            self.cells.append((self.column, text))

    def _value(self) -> str:
        """The cell's value as the text the vendor sees (as openpyxl reads it, data only)."""
        kind, raw = self.type, self.raw
        if kind == "inlineStr":
            text = self.inline or ""
        elif not raw:
            return ""
        elif kind == "s":
            index = _integer(raw.strip())
            if index is None or index >= len(self.strings):
                why = m.form_damage("string_index", index=raw[:20], count=len(self.strings))
                raise _Refused(m.FORM_UNREADABLE.at(self.here(), file=self.where.file, why=why))
            return self.strings[index]  # normalized when the table was read
        elif kind == "n":
            return self._number(raw)
        elif kind == "b":
            flag = _integer(raw.strip())
            text = raw if flag is None else ("TRUE" if flag else "FALSE")
        elif kind == "d":
            text = _iso(raw)
        else:  # str (a formula's cached text), e (an error such as #N/A), or unknown
            text = raw
        return text.replace("\r\n", "\n") if "\r" in text else text

    def _number(self, raw: str) -> str:
        try:  # an integer or a float as openpyxl tells them apart
            number: int | float = float(raw) if "." in raw or "e" in raw or "E" in raw else int(raw)
        except ValueError:  # not a number (or an integer of thousands of digits): the text
            return raw.strip()
        if isinstance(number, float) and not math.isfinite(number):
            return raw.strip()  # 1e999: not a number Excel can hold, shown as written
        shown = self.formats.of(self.style)
        if shown & _DATE:
            from openpyxl.utils.datetime import from_excel

            try:
                return cell_text(from_excel(number, self.epoch, timedelta=bool(shown & _DURATION)))
            except (OverflowError, ValueError):
                return "#VALUE!"  # a date out of range, as openpyxl shows it
        if shown & _PERCENT and self.column == self.percent and abs(number) < 1e15:
            return f"{number * 100:g}%"
        return cell_text(number)

    def _row(self) -> None:
        """The current row's cells as a tuple up to its last filled one, in its place (the
        rows missing before it empty)."""
        cells = self.cells
        self.cells, self.column = None, 0
        if cells is None or self.row > MAX_ROWS:
            return
        number = self.row
        rows = self.rows
        if number <= len(rows):
            return  # a row repeated or out of order: the first one stands
        if len(rows) < number - 1:
            rows.extend([()] * (number - 1 - len(rows)))
        if not cells:
            rows.append(())
            return
        width = max(column for column, _ in cells)
        self.budget.cells += width - len(cells)  # the empty cells left of the last one
        if self.budget.cells > MAX_CELLS:
            raise _limit(_at(self.where, number, width), "cells", limit=MAX_CELLS)
        values = [""] * width
        for column, text in cells:
            values[column - 1] = text
        rows.append(tuple(values))

    def finished(self) -> tuple[list[tuple[str, ...]], tuple[CellRange, ...]]:
        """The sheet's rows and merged ranges, once its part is read."""
        rows = self.rows
        while rows and not any(rows[-1]):  # a sheet's used range may end in empty rows
            rows.pop()
        return rows, tuple(self.merged)


def _iso(raw: str) -> str:
    """A date cell (ISO 8601, as Strict Open XML writes it) in ISO form, or as written."""
    for parse in (dt.datetime.fromisoformat, dt.time.fromisoformat):
        try:
            return parse(raw.strip()).isoformat()
        except ValueError:
            continue
    return raw


def _at(where: Location, row: int, column: int) -> Location:
    """`where` (a file and sheet) at the cell of `row` and `column`."""
    return Location(where.file, row, column, sheet=where.sheet)


def _integer(text: str) -> int | None:
    """A non-negative integer written in ASCII digits (at most 18), else None."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


_LETTERS: dict[str, int] = {}


def _column(reference: str) -> int:
    """The column of a cell reference (AB12 → 28), 0 when it is not one within Excel's."""
    letters = reference.rstrip("0123456789")
    column = _LETTERS.get(letters)
    if column is None:
        if not (0 < len(letters) <= 3 and letters.isascii() and letters.isupper()):
            return 0
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - 64
        if column > MAX_ROW_CELLS:
            return 0
        _LETTERS[letters] = column  # at most 16,384 entries
    return column


def _range(reference: str) -> CellRange | None:
    """A merged range's (first row, first column, last row, last column) from J5:J7."""
    first, colon, last = reference.partition(":")
    if not colon:
        return None
    row1 = _integer(first.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    row2 = _integer(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    column1, column2 = _column(first), _column(last)
    if not (row1 and row2 and column1 and column2):
        return None
    return (row1, column1, row2, column2)


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
