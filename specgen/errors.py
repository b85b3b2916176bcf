"""Locations, diagnostics and the exception tree: every user-facing problem is worded here."""

from __future__ import annotations

import difflib
import enum
import re
import signal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

__all__ = [
    "Diagnostic",
    "Interrupted",
    "InvalidInput",
    "Location",
    "Severity",
    "SpecgenError",
    "UsageError",
    "did_you_mean",
    "printable",
    "sort_diagnostics",
    "summary",
]


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A 1-based position in a project file; `file` is relative to the project, `/`-separated.
    In a workbook (a returned response form) `sheet` names the sheet, and line and column are
    the cell's row and column: shown as `form.xlsx:機能要件!J5`."""

    file: str
    line: int = 0
    column: int = 0
    sheet: str = ""

    def __str__(self) -> str:
        if self.sheet:
            return (
                f"{self.file}:{self.sheet}!{self.cell}"
                if self.line
                else f"{self.file}:{self.sheet}"
            )
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file

    @property
    def cell(self) -> str:
        """The spreadsheet name of the cell (J5), or the row (5) when no column is known."""
        letters, number = "", self.column
        while number > 0:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("A") + rest) + letters
        return f"{letters}{self.line}"

    def short(self) -> str:
        """`file:line`, the form messages use to name another site."""
        if self.sheet:
            return str(self)
        return f"{self.file}:{self.line}" if self.line else self.file


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the input: where, what, and how to fix it."""

    code: str
    message: str
    location: Location
    severity: Severity = Severity.ERROR
    hint: str | None = None
    message_ja: str | None = None  # the same in Japanese (specgen.messages words both)
    hint_ja: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def worded(self, language: str = "en") -> tuple[str, str | None]:
        """(message, hint) in `language` (ja or en); English where no Japanese is known."""
        if language == "ja" and self.message_ja is not None:
            return self.message_ja, self.hint_ja if self.hint_ja is not None else self.hint
        return self.message, self.hint

    def format_text(self, language: str = "en") -> str:
        """`path:line:col: error[E-CODE]: message` and, when there is one, an indented hint;
        in Japanese `エラー[E-CODE]` / `警告[W-CODE]` and `ヒント:`. Codes, file, line and
        column are the same in both languages.

        Control and bidirectional-override characters from the input are shown escaped: an
        ID holding ESC [2J must not clear the reader's terminal, nor U+202E reverse a line.
        """
        message, hint = self.worded(language)
        severity, hint_label = _SEVERITY_WORDS[language == "ja"][self.severity]
        head = f"{self.location}: {severity}[{self.code}]: {message}"
        text = f"{head}\n  {hint_label}: {hint}" if hint else head
        return printable(text)

    def as_json(self, language: str = "en") -> dict[str, object]:
        message, hint = self.worded(language)
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": message,
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            **(
                {"sheet": self.location.sheet, "cell": self.location.cell}
                if self.location.sheet
                else {}
            ),
            "hint": hint,
        }

    def promoted(self) -> Diagnostic:
        """The same diagnostic as an error (`--strict`); the code stays."""
        return Diagnostic(
            self.code,
            self.message,
            self.location,
            Severity.ERROR,
            self.hint,
            message_ja=self.message_ja,
            hint_ja=self.hint_ja,
        )


# (severity word, hint word) by severity: English, then Japanese.
_SEVERITY_WORDS: dict[bool, dict[Severity, tuple[str, str]]] = {
    False: {Severity.ERROR: ("error", "hint"), Severity.WARNING: ("warning", "hint")},
    True: {Severity.ERROR: ("エラー", "ヒント"), Severity.WARNING: ("警告", "ヒント")},
}


# C0 and C1 controls but tab and newline, and the marks that reorder text on a terminal.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str) -> str:
    """`text` with characters that act on a terminal written as `\\uXXXX`, as JSON shows them."""
    return _UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """File, then line, then column, then code: the order users read them in."""
    return sorted(
        set(diagnostics),
        key=lambda d: (d.location.file, d.location.line, d.location.column, d.code, d.message),
    )


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A `did you mean 'x'?` hint for the closest candidate, or None when nothing is close."""
    pool: Sequence[str] = sorted(set(candidates))
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not close:
        upper = word.upper()
        close = [c for c in pool if c.upper() == upper][:1]
    return f"did you mean '{close[0]}'?" if close else None


def summary(diagnostics: Iterable[Diagnostic], language: str = "en") -> str:
    """`N error(s), M warning(s)` (エラー N 件、警告 M 件): the closing line's count."""
    items = list(diagnostics)
    errors = sum(d.is_error for d in items)
    if language == "ja":
        return f"エラー {errors} 件、警告 {len(items) - errors} 件"
    return f"{errors} error(s), {len(items) - errors} warning(s)"


class SpecgenError(Exception):
    """Base of every error specgen reports to a user; never raised for a bug.

    Like click's exceptions, each class carries its exit status and says what to print.
    """

    exit_code: ClassVar[int] = 1

    def lines(self, language: str = "en") -> list[str]:
        """What the command line prints for this error, line by line."""
        return [f"specgen: error: {self}"]


@dataclass
class InvalidInput(SpecgenError):
    """The project's input has errors; `diagnostics` holds all of them (warnings too)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(f"{sum(d.is_error for d in self.diagnostics)} error(s) in the input")

    def __str__(self) -> str:
        return "\n".join(d.format_text() for d in self.diagnostics)

    def __reduce__(self) -> tuple[type[InvalidInput], tuple[list[Diagnostic]]]:
        # Raised in a worker process, it must arrive in the parent with its diagnostics.
        return (type(self), (self.diagnostics,))

    def lines(self, language: str = "en") -> list[str]:
        counted = summary(self.diagnostics, language)
        closing = (
            f"specgen: {counted}。何も書き込んでいません"
            if language == "ja"
            else f"specgen: {counted}; nothing was written"
        )
        return [*(d.format_text(language) for d in self.diagnostics), closing]


class UsageError(SpecgenError):
    """The command line asks for something that does not exist (exit code 2, like click's)."""

    exit_code = 2

    def lines(self, language: str = "en") -> list[str]:
        return [f"Usage error: {self}"]


class Interrupted(BaseException):
    """The process was asked to stop: Ctrl-C (SIGINT) or SIGTERM. Not an error of specgen."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"signal {signum}")
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # what shells report for a process a signal ended

    def lines(self, language: str = "en") -> list[str]:
        what = "interrupted" if self.signum == signal.SIGINT else f"stopped by signal {self.signum}"
        return [f"specgen: {what}; the output was left as it was"]
