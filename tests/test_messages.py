"""The registry of diagnostics is the one list of codes: the contract documents exactly it."""

from __future__ import annotations

import re
import string
from pathlib import Path

from support import copy_of_bundled, run_cli

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


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_is_worded_in_japanese_with_the_same_fields() -> None:
    """Each message and hint has its Japanese wording, filled from the same values."""
    for message in all_messages():
        assert message.ja, message.text
        assert fields(message.ja) == fields(message.text), message.text
        assert (message.hint_ja is None) == (message.hint is None), message.text
        if message.hint and message.hint_ja:
            assert fields(message.hint_ja) == fields(message.hint), message.hint


def test_a_japanese_diagnostic_keeps_code_and_location() -> None:
    where = messages.Words("change 'RES-0290'", "変更「RES-0290」")
    diagnostic = messages.NO_REASON_FIELD.at(Location("m.yaml", 21, 3), where=where)
    assert diagnostic.format_text("ja") == (
        "m.yaml:21:3: エラー[E-NO-REASON]: 変更「RES-0290」に理由（reason）がありません\n"
        "  ヒント: 変更にはすべて理由が必要です。この団体が共通仕様と異なる理由を書いてください"
    )
    assert diagnostic.format_text("en").startswith(
        "m.yaml:21:3: error[E-NO-REASON]: change 'RES-0290' has no 'reason'"
    )
    ja, en = diagnostic.as_json("ja"), diagnostic.as_json("en")
    assert {k: v for k, v in ja.items() if k not in ("message", "hint")} == {
        k: v for k, v in en.items() if k not in ("message", "hint")
    }
    suggested = messages.UNKNOWN_TARGET.at(
        Location("m.yaml", 4, 3), suggestion="did you mean 'RES-0020'?", op="exclude",
        id="RES-0021", what=messages.Words("requirement", "要件"),
    )  # fmt: skip
    assert suggested.format_text("ja") == (
        "m.yaml:4:3: エラー[E-UNKNOWN-TARGET]: exclude に書かれた「RES-0021」は共通仕様の要件に"
        "ありません\n  ヒント: 「RES-0020」の誤りではありませんか"
    )


def test_the_readme_lists_every_code_in_japanese_as_the_registry_words_it() -> None:
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    rows = re.findall(r"^\| ([EW]-[A-Z-]+) \| (エラー|警告) \| (.+) \|$", text, re.M)
    assert rows == [
        (code.name, "エラー" if code.severity is Severity.ERROR else "警告", code.when_ja)
        for code in CODES.values()
    ]


def test_the_readme_worked_example_is_a_valid_municipality_file(tmp_path: Path) -> None:
    """The clerk's worked example of the README, put in place of 津幡町's file of the bundled
    project, validates without an error."""
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    example = re.search(r"```yaml\n(# yaml-language-server.*?municipality:.*?)```", text, re.S)
    assert example is not None
    root = copy_of_bundled(tmp_path / "project")
    (root / "municipalities/173614-tsubata.yaml").write_text(example.group(1), encoding="utf-8")
    result = run_cli("validate", str(root))
    assert result.exit_code == 0, result.output
    assert "error[" not in result.stderr


def test_a_yaml_problem_is_worded_in_japanese_with_the_parsers_words_kept() -> None:
    from specgen.load import parse_text

    _, problems = parse_text("a:\n  - x\n b: 1\n", "f.yaml")
    assert problems[0].format_text("ja") == (
        "f.yaml:3:2: エラー[E-YAML]: YAML として読めません：字下げがそろっていないか、キーがありません"
        "（did not find expected key while parsing a block mapping）"
    )
    assert (
        problems[0]
        .format_text("en")
        .endswith("error[E-YAML]: did not find expected key while parsing a block mapping")
    )
