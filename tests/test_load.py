"""The strict YAML reader: limits, traps and locations."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import CATALOG, PROJECT, MakeProject, run_cli

from specgen.load import MAX_BYTES, load_document, parse_text


def codes(text: str) -> list[str]:
    _, problems = parse_text(text, "x.yaml")
    return [p.code for p in problems]


def test_every_value_and_key_keeps_its_line_and_column() -> None:
    document, problems = parse_text("a:\n  b: [1, テキスト]\n", "x.yaml")
    assert problems == [] and document is not None
    assert str(document.at(("a", "b", 1))) == "x.yaml:2:10"
    assert str(document.key_at(("a", "b"))) == "x.yaml:2:3"


def test_crlf_and_a_byte_order_mark_read_like_plain_newlines(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes("\ufeffa: |\r\n  一行目\r\n  二行目\r\nb: 1\r\n".encode())
    document, problems = load_document(tmp_path, "a.yaml")
    assert problems == [] and document is not None
    assert document.data == {"a": "一行目\n二行目\n", "b": 1}
    assert document.at(("b",)).line == 4


def test_a_file_over_ten_mebibytes_is_refused_before_parsing(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_bytes(b"a: " + b"x" * MAX_BYTES + b"\n")
    document, problems = load_document(tmp_path, "big.yaml")
    assert document is None
    assert [p.code for p in problems] == ["E-LIMIT"]


def test_an_alias_bomb_stops_at_the_node_limit() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    assert codes("\n".join(lines) + "\n") == ["E-LIMIT"]


def test_nesting_deeper_than_64_is_refused() -> None:
    assert codes("a: " + "[" * 70 + "]" * 70 + "\n") == ["E-LIMIT"]


def test_a_recursive_alias_is_refused_not_followed_forever() -> None:
    assert codes("a: &a [*a]\n") == ["E-LIMIT"]


@pytest.mark.parametrize(
    "text", ["a: !!python/object/apply:os.system [ls]\n", "a: !custom x\n", "a: !!binary aGk=\n"]
)
def test_tags_beyond_plain_data_are_refused(text: str) -> None:
    assert codes(text) == ["E-YAML"]


def test_merge_keys_are_refused() -> None:
    assert codes("base: &b {x: 1}\nother:\n  <<: *b\n") == ["E-SCHEMA"]


def test_yaml_1_1_types_are_kept_with_their_source_text() -> None:
    document, _ = parse_text("code: 011002\nversion: 1.10\non: yes\ndate: 2026-11-26\n", "x")
    assert document is not None
    assert document.data == {"code": 4610, "version": 1.1, "on": True, "date": "2026-11-26"}
    assert document.raw[("code",)] == "011002"
    assert document.raw[("version",)] == "1.10"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9b"])
def test_control_characters_are_located(char: str) -> None:
    document, problems = parse_text(f"a: ok\nb: x{char}y\n", "x.yaml")
    assert document is None
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [("E-LIMIT", 2, 5)]


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    (tmp_path / "sjis.yaml").write_bytes("a: ok\nb: 日本語\n".encode("shift_jis"))
    document, problems = load_document(tmp_path, "sjis.yaml")
    assert document is None
    assert [(p.code, p.location.line) for p in problems] == [("E-YAML", 2)]
    assert "UTF-8" in (problems[0].hint or "")


@pytest.mark.parametrize("tag", ["int", "float", "bool"])
def test_a_tag_whose_value_does_not_fit_is_located_not_a_crash(
    tag: str, make_project: MakeProject
) -> None:
    _, problems = parse_text(f"a: ok\nspecgen: !!{tag} x\n", "x.yaml")
    assert [p.format_text() for p in problems] == [
        f"x.yaml:2:10: error[E-YAML]: 'x' is not a valid !!{tag} value\n"
        f"  hint: remove the tag !!{tag}, or write a valid {tag}"
    ]
    root = make_project({"specgen.yaml": PROJECT.replace("specgen: 1", f"specgen: !!{tag} x")})
    result = run_cli("validate", str(root))
    assert result.exit_code == 1
    assert f"specgen.yaml:1:10: error[E-YAML]: 'x' is not a valid !!{tag} value" in result.stderr


@pytest.mark.parametrize(
    ("escape", "code"),
    [
        ("\\u0000", "U+0000"),
        ("\\a", "U+0007"),
        ("\\x07", "U+0007"),
        ("\\e[31m", "U+001B"),
        ("\\x85", "U+0085"),
        ("\\uFFFE", "U+FFFE"),
        ("\\U0010FFFF", "U+10FFFF"),
        ("\\r", "U+000D"),
    ],
)
def test_control_characters_written_as_escapes_are_located_at_the_value(
    escape: str, code: str, make_project: MakeProject
) -> None:
    _, problems = parse_text(f'a: ok\nb: "x{escape}y"\n', "x.yaml")
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [("E-LIMIT", 2, 4)]
    assert code in problems[0].message
    catalog = CATALOG.replace(
        "statement: 転出証明書を交付できること。",
        f'statement: "転出証明書を{escape}交付できること。"',
    )
    root = make_project({"requirements/10-main.yaml": catalog})
    result = run_cli("build", str(root), "--format", "markdown")
    assert result.exit_code == 1
    assert "requirements/10-main.yaml:18:20: error[E-LIMIT]: the text holds the " in result.stderr
    assert not (root / "output").exists()


def test_an_escaped_control_character_in_a_key_is_located() -> None:
    _, problems = parse_text('"k\\x07": 1\n', "x.yaml")
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [("E-LIMIT", 1, 1)]


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "!!float 1e999"])
def test_numbers_are_finite(value: str) -> None:
    _, problems = parse_text(f"a: {value}\n", "x.yaml")
    assert [(p.code, p.message) for p in problems] == [
        ("E-SCHEMA", f"'{value.removeprefix('!!float ')}' is not a finite number")
    ]


@pytest.mark.parametrize(
    "digits", ["9" * 5000, "10" * 200, "9007199254740992", "-9007199254740992"]
)
def test_a_number_beyond_what_json_holds_is_located_not_a_crash(digits: str) -> None:
    _, problems = parse_text(f"a: {digits}\n", "x.yaml")
    shown = digits if len(digits) <= 40 else f"{digits[:20]}…{digits[-10:]}"
    assert [p.format_text() for p in problems] == [
        f"x.yaml:1:4: error[E-SCHEMA]: the number '{shown}' is too large; specgen numbers are "
        "at most 9,007,199,254,740,991\n"
        "  hint: quote it if it is text, such as a code or a telephone number"
    ]


def test_the_largest_exact_integer_is_accepted() -> None:
    document, problems = parse_text("a: 9007199254740991\n", "x.yaml")
    assert problems == [] and document is not None and document.data == {"a": 2**53 - 1}


@pytest.mark.parametrize("char", ["\ufdd0", "\uffff", "\U0001fffe", "\U0010ffff"])
def test_a_raw_noncharacter_is_located_at_the_character(char: str) -> None:
    document, problems = parse_text(f"a: ok\nb: x{char}y\n", "x.yaml")
    assert document is None
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [("E-LIMIT", 2, 5)]


# Characters near every edge of what a file may hold: controls, NEL, noncharacters in the first
# plane and beyond it, and ordinary characters beyond it (an emoji, a JIS X 0213 kanji).
_EDGES = (
    "\t\n\r\x00\x08\x0b\x1f\x7f\x84\x85\x86\x9f\xa0あ\ufdcf\ufdd0\ufdef\ufdf0\ufffd\ufffe\uffff"
)
_EDGES += "\U0001f600\U00020bb7\U0001fffd\U0001fffe\U0002ffff\U0010fffd\U0010ffff"
_FORBIDDEN = set("\x00\x08\x0b\x1f\x7f\x84\x86\x9f\ufdd0\ufdef\ufffe\uffff")
_FORBIDDEN |= set("\U0001fffe\U0002ffff\U0010ffff")


@given(st.text(alphabet=st.sampled_from(_EDGES), max_size=12))
def test_raw_characters_are_refused_exactly_when_forbidden(text: str) -> None:
    """The scan takes a faster path for text without characters beyond U+FFFF: both paths
    refuse the same characters, at their columns."""
    line = f"a: '{text}'".replace("\r", " ").replace("\n", " ")
    _, problems = parse_text(line + "\n", "x.yaml")
    expected = [column for column, c in enumerate(line, start=1) if c in _FORBIDDEN]
    assert [(p.code, p.location.column) for p in problems] == [("E-LIMIT", c) for c in expected]
