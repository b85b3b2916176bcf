"""The registry of diagnostics is the one list of codes: the contract documents exactly it."""

from __future__ import annotations

import re
import string
from pathlib import Path

from specgen import messages
from specgen.errors import Location, Severity
from specgen.messages import CODES, Message

FORMAT = Path(__file__).resolve().parent.parent / "docs/FORMAT.md"


def documented_codes() -> dict[str, str]:
    """`code → when` from the tables of FORMAT §6."""
    section = FORMAT.read_text(encoding="utf-8").split("## 6. Diagnostics")[1].split("\n## ")[0]
    rows = re.findall(r"^\| ([EW]-[A-Z-]+) \| (.+) \|$", section, re.MULTILINE)
    return dict(rows)


def all_messages() -> list[Message]:
    return [value for value in vars(messages).values() if isinstance(value, Message)]


def test_format_documents_exactly_the_registry() -> None:
    assert documented_codes() == {code.name: code.when for code in CODES.values()}


def test_a_codes_severity_follows_its_name() -> None:
    for code in CODES.values():
        expected = Severity.WARNING if code.name.startswith("W-") else Severity.ERROR
        assert code.severity is expected, code.name


def test_every_code_has_a_message_and_every_message_a_registered_code() -> None:
    used = {message.code.name for message in all_messages()}
    assert used == set(CODES)
    assert all(CODES[message.code.name] is message.code for message in all_messages())


def test_every_template_is_well_formed() -> None:
    """A stray brace in a message would fail only when that problem is met; format them all."""

    class Anything(int):
        def __format__(self, spec: str) -> str:
            return "x"

    for message in all_messages():
        for template in (message.text, message.hint or ""):
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            template.format(**dict.fromkeys(names, Anything()))


def test_a_message_words_the_diagnostic_with_its_codes_severity() -> None:
    diagnostic = messages.RELAXES.at(Location("m.yaml", 3, 3), id="NFR-0110", fields="level")
    assert diagnostic.format_text() == (
        "m.yaml:3:3: warning[W-RELAX]: change 'NFR-0110' relaxes the baseline: level\n"
        "  hint: listed for review: the participant needs less than the model specification; "
        "the shared system still meets what the other participants need"
    )
    suggested = messages.UNKNOWN_TARGET.at(
        Location("m.yaml", 4, 3), suggestion="did you mean 'RES-0020'?", op="exclude",
        id="RES-0021", what="requirement",
    )  # fmt: skip
    assert suggested.hint == "did you mean 'RES-0020'?"
