"""The only YAML reader: strict, limited, and keeping the location of every key and value.

PyYAML composes the node graph (libyaml when available); this module turns nodes into plain
Python values itself so that it can refuse what PyYAML would accept silently: duplicate keys,
merge keys, non-safe tags, alias bombs and deep nesting. Mapping keys are always the text as
written (`on:` stays "on", `011002:` stays "011002"); scalar values keep YAML 1.1 typing so the
schema can catch `code: 011002` and say "quote it", with the source text kept for the hint.
Timestamps stay the text as written: dates are strings in every specgen file.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from specgen.errors import Diagnostic, Location
from specgen.messages import (
    DUPLICATE_KEY,
    ESCAPED_CONTROL,
    FILE_TOO_LARGE,
    FILE_UNREADABLE,
    KEY_NOT_TEXT,
    MERGE_KEY,
    NOT_FINITE,
    NOT_UTF8,
    NUMBER_TOO_LARGE,
    RAW_CONTROL,
    TAB_INDENT,
    TAG_NOT_ALLOWED,
    TAG_UNFIT,
    TOO_DEEP,
    TOO_MANY_NODES,
    UNSUPPORTED_NODE,
    WIDE_COLON,
    WIDE_SPACE_INDENT,
    YAML_COLON,
    YAML_ERROR,
    YAML_INDENT,
    YAML_TAB,
    Words,
)

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_INT",
    "MAX_NODES",
    "Document",
    "Key",
    "load_document",
    "parse_text",
]

MAX_BYTES = 10 * 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64
MAX_INT = 2**53 - 1  # the largest integer every JSON reader (JavaScript too) holds exactly

Key = str | int
YamlPath = tuple[Key, ...]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCTOR = SafeConstructor()
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {
    _TAG + "str": None,
    _TAG + "null": _CONSTRUCTOR.construct_yaml_null,
    _TAG + "bool": _CONSTRUCTOR.construct_yaml_bool,
    _TAG + "int": _CONSTRUCTOR.construct_yaml_int,
    _TAG + "float": _CONSTRUCTOR.construct_yaml_float,
    _TAG + "timestamp": None,  # kept as written
}
_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
# Tab, LF and CR are the only control characters a specgen file may hold (NEL is a line break
# to YAML); no noncharacter either.
_CONTROL = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufdd0-\ufdef{_NONCHARACTERS}]"
)
# The same without the planes above the first: a class of ranges scans a 4 MB file in 5 ms,
# while the 32 single astral noncharacters make the scan thirteen times slower. A text with
# no character beyond U+FFFF (the usual Japanese catalog) is scanned with this one.
_CONTROL_BMP = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufdd0-\ufdef\ufffe\uffff]"
)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# What a double-quoted value may not hold, written as an escape ("\a", "\x85", "\uFFFE"):
# control characters other than tab and newline, surrogates and noncharacters. Other styles
# have no escapes: their characters are the file's own, which _CONTROL has checked.
_FORBIDDEN_IN_VALUE = re.compile(
    f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]"
)


# (line, column), 1-based: a Location is made only for the positions that are asked for.
Position = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Document:
    """One loaded YAML file: its data and where each value (and each mapping key) was written."""

    file: str
    data: Any
    values: dict[YamlPath, Position] = field(default_factory=dict)
    keys: dict[YamlPath, Position] = field(default_factory=dict)
    raw: dict[YamlPath, str] = field(default_factory=dict)

    def at(self, path: YamlPath) -> Location:
        """Where the value at `path` was written, or its nearest written ancestor."""
        while path:
            found = self.values.get(path)
            if found is not None:
                return Location(self.file, *found)
            path = path[:-1]
        return Location(self.file, *self.values.get((), (1, 1)))

    def key_at(self, path: YamlPath) -> Location:
        """Where the key of the entry at `path` was written (its value's site for list items)."""
        found = self.keys.get(path)
        return Location(self.file, *found) if found is not None else self.at(path)


class _Stop(Exception):
    """Raised inside the walk to abandon a file after a fatal diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def load_document(root: Path, relpath: str) -> tuple[Document | None, list[Diagnostic]]:
    """Read `root/relpath` strictly; a None document means the file could not be used at all."""
    data, problems = read_file(root, relpath)
    if data is None:
        return None, problems
    return parse_bytes(data, relpath)


def read_file(root: Path, relpath: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of `root/relpath`, or why they cannot be read (the size limit included)."""
    path = root / relpath
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [FILE_TOO_LARGE.at(Location(relpath, 1, 1), size=size, limit=MAX_BYTES)]
        return path.read_bytes(), []
    except OSError as exc:
        return None, [FILE_UNREADABLE.at(Location(relpath, 0, 0), reason=exc.strerror or exc)]


def parse_bytes(data: bytes, relpath: str) -> tuple[Document | None, list[Diagnostic]]:
    """Decode (UTF-8, a BOM allowed) and parse the bytes of a file read from `relpath`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [NOT_UTF8.at(Location(relpath, line, column), byte=data[exc.start])]
    return parse_text(text, relpath)


def parse_text(text: str, relpath: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse YAML source text as if read from `relpath`."""
    controls = _control_characters(text, relpath)
    if controls:
        return None, controls
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_keyboard_slip(text, exc, relpath) or _yaml_error(exc, relpath)]
    except yaml.YAMLError as exc:
        return None, [YAML_ERROR.at(Location(relpath, 1, 1), problem=str(exc))]
    finally:
        loader.dispose()
    if node is None:
        return Document(relpath, None, {(): (1, 1)}), []
    builder = _Builder(relpath)
    try:
        value = builder.build(node, (), 0)
    except _Stop as stop:
        return None, [*builder.diagnostics, stop.diagnostic]
    return Document(relpath, value, builder.values, builder.keys, builder.raw), builder.diagnostics


def _control_characters(text: str, relpath: str) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    pattern = _CONTROL if _ASTRAL.search(text) else _CONTROL_BMP
    for match in pattern.finditer(text):
        start = match.start()
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        found.append(RAW_CONTROL.at(Location(relpath, line, column), char=ord(match.group())))
        if len(found) >= 20:
            break
    return found


def _yaml_error(exc: yaml.MarkedYAMLError, relpath: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or "invalid YAML"
    context = f" {exc.context}" if exc.context else ""
    message = YAML_ERROR
    if "found character '\\t'" in problem:
        message = YAML_TAB
    elif "mapping values are not allowed" in problem:
        message = YAML_COLON
    elif "could not find expected ':'" in problem or "expected <block end>" in problem:
        message = YAML_INDENT
    english = f"{problem}{context}".strip()
    return message.at(Location(relpath, line, column), problem=Words(english, _problem_ja(english)))


# PyYAML's words for the problems a hand-edited file has, in Japanese (others stay as written).
_PROBLEMS_JA = (
    ("mapping values are not allowed", "ここには「キー: 値」を書けません"),
    ("could not find expected ':'", "「:」があるはずの位置にありません"),
    ("found character '\\t' that cannot start any token", "タブは使えません"),
    ("found character that cannot start any token", "ここには書けない文字があります"),
    ("expected <block end>, but found", "字下げがそろっていません"),
    ("did not find expected key", "字下げがそろっていないか、キーがありません"),
    ("did not find expected node content", "値があるはずの位置にありません"),
    ("found unexpected end of stream", "引用符又は括弧が閉じられていません"),
    ("found undefined alias", "定義されていないエイリアス（*名前）があります"),
    ("found unknown escape character", "二重引用符の中に使えないエスケープ（\\…）があります"),
    ("expected ',' or ']'", "「,」又は「]」があるはずの位置にありません"),
    ("expected ',' or '}'", "「,」又は「}」があるはずの位置にありません"),
)


def _problem_ja(problem: str) -> str:
    for english, japanese in _PROBLEMS_JA:
        if english in problem:
            return f"{japanese}（{problem}）"
    return problem


# The slips of a Japanese input method that break YAML, found on the lines up to the one the
# parser stopped at: it reports the line after a full-width colon, and a tab only by its
# token. Each is reported where it was typed, with what to type instead.
_TAB_INDENT = re.compile(r"^[ \u3000]*\t")
_WIDE_INDENT = re.compile(r"^ *\u3000")
_WIDE_COLON = re.compile(r"^ *(?:- )?[^\s#:：\"'][^#:：\"']*?(：)(?:[ \u3000]|$)")


def _keyboard_slip(text: str, exc: yaml.MarkedYAMLError, relpath: str) -> Diagnostic | None:
    mark = exc.problem_mark or exc.context_mark
    last = mark.line if mark is not None else 0
    for number, line in enumerate(text.split("\n")[: last + 1], start=1):
        if _TAB_INDENT.match(line):
            return TAB_INDENT.at(Location(relpath, number, line.index("\t") + 1))
        if _WIDE_INDENT.match(line):
            return WIDE_SPACE_INDENT.at(Location(relpath, number, line.index("\u3000") + 1))
        if (colon := _WIDE_COLON.match(line)) is not None:
            key = line[: colon.start(1)].strip().removeprefix("- ")
            return WIDE_COLON.at(Location(relpath, number, colon.start(1) + 1), key=key)
    return None


def _shown(value: str) -> str:
    """A long value cut to its ends, for a message."""
    return value if len(value) <= 40 else f"{value[:20]}…{value[-10:]}"


class _Builder:
    """Turns a node graph into values, counting nodes (aliases expanded) and depth."""

    def __init__(self, relpath: str) -> None:
        self.file = relpath
        self.nodes = 0
        self.values: dict[YamlPath, Position] = {}
        self.keys: dict[YamlPath, Position] = {}
        self.raw: dict[YamlPath, str] = {}
        self.diagnostics: list[Diagnostic] = []

    def location(self, node: Node) -> Location:
        mark = node.start_mark
        return Location(self.file, mark.line + 1, mark.column + 1)

    def build(self, node: Node, path: YamlPath, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Stop(TOO_MANY_NODES.at(self.location(node), limit=MAX_NODES))
        mark = node.start_mark
        self.values[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if depth >= MAX_DEPTH:
            raise _Stop(TOO_DEEP.at(self.location(node), limit=MAX_DEPTH))
        if isinstance(node, SequenceNode):
            self.check_tag(node, "seq")
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            self.check_tag(node, "map")
            return self.mapping(node, path, depth)
        raise _Stop(UNSUPPORTED_NODE.at(self.location(node)))

    def check_tag(self, node: Node, kind: str) -> None:
        if node.tag != _TAG + kind:
            raise _Stop(self.tag_error(node))

    def tag_error(self, node: Node) -> Diagnostic:
        return TAG_NOT_ALLOWED.at(self.location(node), tag=node.tag)

    def scalar(self, node: ScalarNode, path: YamlPath) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            raise _Stop(self.tag_error(node))
        self.check_text(node)
        construct = _SCALAR_TAGS[tag]
        if construct is None:
            return node.value
        self.raw[path] = node.value
        try:
            value = construct(node)
        except (ValueError, KeyError, TypeError, OverflowError):  # `!!int x`, `!!bool x`
            self.diagnostics.append(self.unfit(node))
            return node.value
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            self.diagnostics.append(self.too_large(node))
            return node.value
        if isinstance(value, float) and not math.isfinite(value):
            self.diagnostics.append(NOT_FINITE.at(self.location(node), value=node.value))
            return node.value
        return value

    def too_large(self, node: ScalarNode) -> Diagnostic:
        """An integer beyond what JSON readers hold exactly (2**53 - 1)."""
        return NUMBER_TOO_LARGE.at(self.location(node), value=_shown(node.value), limit=MAX_INT)

    def unfit(self, node: ScalarNode) -> Diagnostic:
        """A value its tag cannot read: `!!int x`, or a number of thousands of digits."""
        name = node.tag.removeprefix(_TAG)
        if name == "int" and len(node.value) > 1000:
            return self.too_large(node)
        return TAG_UNFIT.at(self.location(node), value=_shown(node.value), tag=name)

    def check_text(self, node: ScalarNode) -> None:
        """A value or key holding a character no text may hold, written as an escape."""
        if node.style != '"':
            return
        match = _FORBIDDEN_IN_VALUE.search(node.value)
        if match is None:
            return
        code = ord(match.group())
        what = Words("control character", "制御文字") if code < 0xA0 else Words("character", "文字")
        self.diagnostics.append(ESCAPED_CONTROL.at(self.location(node), what=what, char=code))

    def mapping(self, node: MappingNode, path: YamlPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Location] = {}
        for key_node, value_node in node.value:
            key_location = self.location(key_node)
            if key_node.tag == _TAG + "merge":
                self.diagnostics.append(MERGE_KEY.at(key_location))
                continue
            if not isinstance(key_node, ScalarNode):
                self.diagnostics.append(KEY_NOT_TEXT.at(key_location))
                continue
            if key_node.tag not in _SCALAR_TAGS:
                raise _Stop(self.tag_error(key_node))
            self.check_text(key_node)
            key = key_node.value
            if key in first_seen:
                self.diagnostics.append(
                    DUPLICATE_KEY.at(key_location, key=key, first=first_seen[key].short())
                )
                continue
            first_seen[key] = key_location
            child = (*path, key)
            self.keys[child] = (key_location.line, key_location.column)
            self.nodes += 1
            result[key] = self.build(value_node, child, depth + 1)
        return result
