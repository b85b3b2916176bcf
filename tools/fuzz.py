"""A seeded mutation fuzzer over the bundled project: no input may crash specgen.

Each case copies the bundled Noto project, mutates one to three of its files (types swapped,
keys dropped and duplicated, bytes flipped, tags, escapes, deep nesting, huge values, the
slips of a Japanese keyboard) and runs `specgen validate --format json`; when the mutant is
valid it is built too. A case passes when the exit code is 0 or 1 — never 3, an internal
error — and every diagnostic names a file (and a line, except a whole-file E-IO). The same
seed gives the same mutants.

The `score` family mutates a valid returned response form of the bundled project instead:
its cells (values no float holds, NaN, huge and control text, bad types and shared string
indexes, bad references), rows (dropped, repeated, swapped, numbered wildly, millions of
cells wide), merged ranges, its parts' XML (bytes flipped, cut, a DTD, a long comment, deep
nesting) and the zip itself (cut, bytes flipped, sizes in its directory changed, a part
compressed by bzip2). Each mutant is scored (`specgen score --format json`); a case passes when
the exit code is 0 or 1, the report is JSON (no NaN or Infinity), and every problem is at a
sheet and cell (row and column at least 1) or at the file alone.

The `write` family aims every writing command (build, diff, report fit-gap, consolidate,
score --out) at a hostile output target: a path made of one to three parts drawn from the
project's own folders and files, a user's file and folder, links out and in a loop, a FIFO,
`.` and `..`, names like specgen's staging folders, names too long, control characters and
spaces. A case passes when the exit code is 0, 1 or 2, nothing that was there before changed,
and anything new lies under the target of a command that succeeded.

    python tools/fuzz.py --cases 10000 [--seed 1] [--jobs 2] [--family project|score|write]
"""

from __future__ import annotations

import argparse
import collections
import functools
import html
import io
import json
import multiprocessing
import os
import random
import re
import shutil
import stat
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from specgen.cli import cli

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("specgen.yaml", "requirements", "municipalities")

# Values a mutation puts in place of another: every YAML type, the traps, tags and escapes.
REPLACEMENTS = [
    "~", "null", "true", "no", "on", "0", "-1", "011002", "1.10", "1e999", ".inf", ".nan",
    "10" * 200, "[]", "{}", "[1, [2, [3]]]", "{a: {b: c}}", '""', "''", "'  '",
    "!!int x", "!!float x", "!!bool x", "!!str 5", "!!binary aGk=", "!custom x",
    "!!python/object/apply:os.system [ls]", "!!timestamp 2026-13-45", "!!null x",
    '"\\a"', '"a\\u0000b"', '"\\x85"', '"\\uFFFE"', '"\\e[2J"', '"\\u202e逆"', '"\\t"',
    "*undefined_alias", "&anchor x", "<<: {a: 1}", "2026-11-26", "12:30:00", "0x1F", "0o17",
    "必須", "任意", "除外", "２", "2秒", "ＲＥＳ－００１０", "mandatory\u3000", "RES-0010",
    "RES-0020", "NFR-0110", "${response_time_s}", "$${x}", "${no_such_metric}", "|", ">",
    "- a\n- b", "'" + "長い文字列" * 20000 + "'",
]  # fmt: skip
SLIPS = {":": "：", " ": "\u3000", "-": "－", "  ": "\t", '"': "”", "[": "［"}


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _value_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if ":" in line and not line.lstrip().startswith("#")]


def swap_value(text: str, rng: random.Random) -> str:
    """Replace the value of one `key: value` line with another type or a trap."""
    lines = _lines(text)
    candidates = _value_lines(lines)
    if not candidates:
        return text
    i = rng.choice(candidates)
    key, _, _ = lines[i].partition(":")
    lines[i] = f"{key}: {rng.choice(REPLACEMENTS)}"
    return "\n".join(lines)


def drop_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1), lines[i])
    return "\n".join(lines)


def move_block(text: str, rng: random.Random) -> str:
    """Move a run of lines elsewhere: keys leave their mapping, items change their parent."""
    lines = _lines(text)
    start = rng.randrange(len(lines))
    block = lines[start : start + rng.randint(1, 8)]
    del lines[start : start + len(block)]
    at = rng.randrange(len(lines) + 1)
    return "\n".join(lines[:at] + block + lines[at:])


def reindent(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    lines[i] = rng.choice(["", " ", "  ", "    ", "\t"]) + lines[i].lstrip(" ")
    return "\n".join(lines)


def keyboard_slip(text: str, rng: random.Random) -> str:
    """A full-width character where YAML expects ASCII, as a Japanese input method types it."""
    lines = _lines(text)
    i = rng.randrange(len(lines))
    ascii_char, slip = rng.choice(sorted(SLIPS.items()))
    lines[i] = lines[i].replace(ascii_char, slip, 1)
    return "\n".join(lines)


def flip_bytes(text: str, rng: random.Random) -> str:
    data = bytearray(text.encode("utf-8", errors="surrogateescape"))
    for _ in range(rng.randint(1, 4)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return data.decode("utf-8", errors="surrogateescape")


def deep_nesting(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    candidates = _value_lines(lines) or [0]
    i = rng.choice(candidates)
    depth = rng.choice([10, 63, 65, 200, 2000])
    key, _, _ = lines[i].partition(":")
    nested = rng.choice(["[" * depth + "]" * depth, "{a: " * depth + "1" + "}" * depth])
    lines[i] = f"{key}: {nested}"
    return "\n".join(lines)


def alias_bomb(text: str, rng: random.Random) -> str:
    bomb = ["bomb0: &b0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"bomb{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 10)}]" for i in range(1, 7)]
    return text + "\n" + "\n".join(bomb) + "\n"


def huge_value(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    candidates = _value_lines(lines) or [0]
    i = rng.choice(candidates)
    key, _, _ = lines[i].partition(":")
    lines[i] = f"{key}: " + rng.choice(
        ["'" + "字" * rng.choice([10_000, 1_000_000]) + "'", "9" * 5000, "1e308", "-" * 3]
    )
    return "\n".join(lines)


def truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


MUTATIONS: Sequence[Callable[[str, random.Random], str]] = (
    swap_value, swap_value, swap_value, drop_line, drop_line, duplicate_line, duplicate_line,
    move_block, reindent, keyboard_slip, keyboard_slip, flip_bytes, deep_nesting, alias_bomb,
    huge_value, truncate,
)  # fmt: skip


@dataclass(frozen=True)
class CaseResult:
    seed: int
    validate_exit: int  # of `validate`, or of `score` in the score family
    build_exit: int | None  # None: the mutant was invalid, so nothing was built
    unlocated: tuple[str, ...]
    crash: str | None  # the last line of an internal error
    family: str = "project"

    @property
    def ok(self) -> bool:
        exits = [self.validate_exit] + ([self.build_exit] if self.build_exit is not None else [])
        allowed = (0, 1, 2) if self.family == "write" else (0, 1)  # 2: a usage error
        return all(code in allowed for code in exits) and not self.unlocated and not self.crash


def mutate(root: Path, rng: random.Random) -> list[str]:
    """Apply one to three mutations to files of the project at `root`; what was done."""
    files = sorted(p for p in root.rglob("*.yaml"))
    done = []
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(files)
        mutation = rng.choice(MUTATIONS)
        text = path.read_bytes().decode("utf-8", errors="surrogateescape")
        path.write_bytes(mutation(text, rng).encode("utf-8", errors="surrogateescape"))
        done.append(f"{mutation.__name__}({path.relative_to(root)})")
    return done


def _located(diagnostic: dict[str, object]) -> bool:
    if not diagnostic.get("file"):
        return False
    line = diagnostic.get("line")
    return diagnostic.get("code") == "E-IO" or (isinstance(line, int) and line >= 1)


def run_case(seed: int, workdir: Path, *, docx: bool = False) -> CaseResult:
    """Mutate a fresh copy of the bundled project with `seed`, validate it, build if valid."""
    rng = random.Random(seed)
    root = workdir / f"case-{seed}"
    shutil.rmtree(root, ignore_errors=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        else:
            root.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, root / part)
    mutate(root, rng)
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", str(root), "--format", "json"])
    crash = _crash(result.stderr) if result.exit_code == 3 else None
    unlocated: list[str] = []
    if result.exit_code in (0, 1):
        try:
            diagnostics = json.loads(result.stdout)
        except ValueError:
            diagnostics, crash = [], f"validate printed no JSON: {result.stdout[:200]!r}"
        unlocated = [json.dumps(d, ensure_ascii=False) for d in diagnostics if not _located(d)]
    build_exit = None
    if result.exit_code == 0:
        formats = ["markdown", "json"] + (["docx"] if docx else [])
        args = ["build", str(root), "--out", str(root / "out"), "--jobs", "1"]
        build = runner.invoke(cli, [*args, *(a for f in formats for a in ("--format", f))])
        build_exit = build.exit_code
        if build.exit_code == 3:
            crash = _crash(build.stderr)
    shutil.rmtree(root, ignore_errors=True)
    return CaseResult(seed, result.exit_code, build_exit, tuple(unlocated), crash)


# --- the score family: mutants of a valid returned form --------------------------------------

SHEETS = ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml")
OTHER_PARTS = (
    "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "_rels/.rels", "xl/styles.xml",
    "[Content_Types].xml",
)  # fmt: skip
CELL_VALUES = [
    "9" * 400, "1" + "0" * 5000, "NaN", "nan", "inf", "-inf", "Infinity", "1e999", "-1e999",
    "1e308", "1e15", "999999999999", "1000000000000", "0.9995", "-1", "0", "", " ", "○", "〇",
    "o", "△", "×", "✕", "=1+1", "#N/A", "TRUE", "\u202e逆", "\x1b[2J", "字" * 40_000,
    " " * 70_000, "１，２００千円", "１２００", "2026-01-01T00:00:00", "99.99%", "5秒", "x005F_",
    "_x000D_", "a\r\nb",
]  # fmt: skip
CELL_TYPES = ["n", "s", "str", "inlineStr", "b", "e", "d", "x", ""]
REFERENCES = ["", "A0", "XFD1", "XFE1", "ZZZZ9", "A99999999", "1A", "a1", "Ａ１", "$A$1"]
ROW_NUMBERS = ["0", "-1", "1", "2", "1048576", "1048577", "200001", "99999999999", "1.0", "x"]
_CELL = re.compile(rb"<c [^>]*?(?:/>|>.*?</c>)", re.S)
_ROW = re.compile(rb"<row [^>]*?(?:/>|>.*?</row>)", re.S)
_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _pick(pattern: re.Pattern[bytes], xml: bytes, rng: random.Random) -> re.Match[bytes] | None:
    found = list(pattern.finditer(xml))
    return rng.choice(found) if found else None


def _splice(xml: bytes, match: re.Match[bytes], new: bytes) -> bytes:
    return xml[: match.start()] + new + xml[match.end() :]


def cell_value(parts: dict[str, bytes], rng: random.Random) -> None:
    """A cell made to hold a trap, as a number, a shared string, inline text or any type."""
    name = rng.choice(SHEETS)
    match = _pick(_CELL, parts.get(name, b""), rng)
    if match is None:
        return
    reference = re.search(rb'r="([^"]*)"', match[0])
    where = reference[0] if reference else b""
    value = html.escape(rng.choice(CELL_VALUES), quote=False).encode("utf-8", "surrogatepass")
    kind = rng.choice(CELL_TYPES)
    typed = f' t="{kind}"'.encode() if kind else b""
    style = f' s="{rng.randrange(40)}"'.encode() if rng.random() < 0.3 else b""
    body = b"<is><t>" + value + b"</t></is>" if kind == "inlineStr" else b"<v>" + value + b"</v>"
    parts[name] = _splice(
        parts[name], match, b"<c " + where + typed + style + b">" + body + b"</c>"
    )


def cell_reference(parts: dict[str, bytes], rng: random.Random) -> None:
    name = rng.choice(SHEETS)
    match = _pick(_CELL, parts.get(name, b""), rng)
    if match is not None:
        new = re.sub(rb'r="[^"]*"', f'r="{rng.choice(REFERENCES)}"'.encode(), match[0], count=1)
        parts[name] = _splice(parts[name], match, new)


def shared_index(parts: dict[str, bytes], rng: random.Random) -> None:
    """A cell pointing into the shared string table (there is none, or a few)."""
    name = rng.choice(SHEETS)
    match = _pick(_CELL, parts.get(name, b""), rng)
    if match is not None:
        index = rng.choice(["0", "1", "-1", "999999999999999999999", "x", " 0 "]).encode()
        reference = re.search(rb'r="[^"]*"', match[0])
        where = reference[0] if reference else b""
        parts[name] = _splice(
            parts[name], match, b"<c " + where + b' t="s"><v>' + index + b"</v></c>"
        )


def row_number(parts: dict[str, bytes], rng: random.Random) -> None:
    name = rng.choice(SHEETS)
    match = _pick(_ROW, parts.get(name, b""), rng)
    if match is not None:
        new = re.sub(rb'r="[^"]*"', f'r="{rng.choice(ROW_NUMBERS)}"'.encode(), match[0], count=1)
        parts[name] = _splice(parts[name], match, new)


def rows_moved(parts: dict[str, bytes], rng: random.Random) -> None:
    """A row dropped, repeated, or two rows swapped (their numbers kept or not)."""
    name = rng.choice(SHEETS)
    xml = parts.get(name, b"")
    rows = list(_ROW.finditer(xml))
    if len(rows) < 2:
        return
    first, second = sorted(rng.sample(rows, 2), key=lambda m: m.start())
    how = rng.choice(["drop", "repeat", "swap", "swap-renumbered"])
    if how == "drop":
        parts[name] = _splice(xml, first, b"")
    elif how == "repeat":
        parts[name] = xml[: second.end()] + first[0] + xml[second.end() :]
    else:
        a, b = first[0], second[0]
        if how == "swap-renumbered":
            number = re.compile(rb'(<row [^>]*?r=")[^"]*"')
            a_number, b_number = number.search(a), number.search(b)
            if a_number and b_number:
                a, b = (number.sub(b_number[0], a, count=1), number.sub(a_number[0], b, count=1))
        parts[name] = (
            xml[: first.start()] + b + xml[first.end() : second.start()] + a + xml[second.end() :]
        )


def wide_row(parts: dict[str, bytes], rng: random.Random) -> None:
    """A row of many cells, past the bound of a row or not."""
    name = rng.choice(SHEETS)
    count = rng.choice([10, 300, 16_384, 16_385, 100_000])
    cell = rng.choice([b"<c/>", b'<c t="inlineStr"><is><t>x</t></is></c>', b"<c><v>1</v></c>"])
    row = (
        b'<row r="' + str(rng.choice([5, 999, 200_000])).encode() + b'">' + cell * count + b"</row>"
    )
    parts[name] = parts.get(name, b"").replace(b"</sheetData>", row + b"</sheetData>", 1)


def merged(parts: dict[str, bytes], rng: random.Random) -> None:
    name = rng.choice(SHEETS)
    refs = [rng.choice(["L2:L4", "A1:B1", "F3:F9", "A1", "ZZZZ1:A1", "L2:L1048576", "B0:B2"])
            for _ in range(rng.choice([1, 3, 20]))]  # fmt: skip
    block = (
        b'<mergeCells count="%d">' % len(refs)
        + b"".join(b'<mergeCell ref="' + r.encode() + b'"/>' for r in refs)
        + b"</mergeCells>"
    )
    parts[name] = parts.get(name, b"").replace(b"</sheetData>", b"</sheetData>" + block, 1)


def markup(parts: dict[str, bytes], rng: random.Random) -> None:
    """What a workbook part never holds: a DTD, a long comment, deep nesting, odd sections."""
    name = rng.choice(SHEETS + OTHER_PARTS)
    xml = parts.get(name, b"")
    start = xml.find(b"<", xml.find(b"?>") + 1 if xml.startswith(b"<?xml") else 0)
    if start < 0:
        return
    insert = rng.choice([
        b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
        b"<!--" + b"c" * rng.choice([10, 9 << 20]) + b"-->",
        b"<?pi " + b"p" * 1000 + b"?>",
    ])  # fmt: skip
    if rng.random() < 0.5:
        parts[name] = xml[:start] + insert + xml[start:]
    else:  # inside the root: deep nesting or a CDATA section
        depth = rng.choice([10, 65, 1000])
        inner = rng.choice([b"<x>" * depth + b"</x>" * depth, b"<![CDATA[" + b"]" * 100 + b"]]>"])
        close = xml.rfind(b"</")
        if close > 0:
            parts[name] = xml[:close] + inner + xml[close:]


def part_bytes(parts: dict[str, bytes], rng: random.Random) -> None:
    """A part's XML with bytes flipped, cut short, emptied or deleted."""
    name = rng.choice(SHEETS + OTHER_PARTS)
    if name not in parts:
        return
    data = bytearray(parts[name])
    how = rng.choice(["flip", "cut", "empty", "delete"])
    if how == "delete":
        del parts[name]
        return
    if how == "flip":
        for _ in range(rng.randint(1, 4)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
    elif how == "cut":
        del data[rng.randrange(len(data) + 1) :]
    else:
        data = bytearray()
    parts[name] = bytes(data)


def shared_strings(parts: dict[str, bytes], rng: random.Random) -> None:
    """A shared string table (the form has none), of a few strings or very many."""
    count = rng.choice([1, 5, 1_000, 1_000_001])
    item = rng.choice(
        [b"<si/>", b"<si><t>s</t></si>", b"<si><r><t>a</t></r><rPh><t>b</t></rPh></si>"]
    )
    parts["xl/sharedStrings.xml"] = b'<sst xmlns="' + _MAIN + b'">' + item * count + b"</sst>"
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts.get(rels, b"").replace(
        b"</Relationships>",
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships'
        b'/sharedStrings" Target="sharedStrings.xml" Id="rIdFuzz"/></Relationships>',
    )


FORM_MUTATIONS: Sequence[Callable[[dict[str, bytes], random.Random], None]] = (
    cell_value, cell_value, cell_value, cell_reference, shared_index, row_number, rows_moved,
    rows_moved, wide_row, merged, markup, part_bytes, part_bytes, shared_strings,
)  # fmt: skip


def zip_bytes(data: bytes, rng: random.Random) -> bytes:
    """The zip itself changed: cut, bytes flipped, or a declared size in its directory."""
    how = rng.choice(["cut", "flip", "size", "size", "none", "none", "none"])
    if how == "cut":
        return data[: rng.randrange(len(data) + 1)]
    if how == "flip":
        changed = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            changed[rng.randrange(len(changed))] = rng.randrange(256)
        return bytes(changed)
    if how == "size":
        entries = [m.start() for m in re.finditer(rb"PK\x01\x02", data)]
        if entries:
            at = rng.choice(entries) + rng.choice([20, 24])  # compressed or unpacked size
            size = rng.choice([0, 1, 4096, 1 << 31, (1 << 32) - 1])
            return data[:at] + size.to_bytes(4, "little") + data[at + 4 :]
    return data


def answered_form(root: Path) -> dict[str, bytes]:
    """The parts of the bundled project's form (built in `root`) answered ○ throughout, its
    non-functional targets met: a valid returned form."""
    import openpyxl

    book = openpyxl.load_workbook(root / "output/compliance/response-form.xlsx")
    functional, other = book.worksheets[1], book.worksheets[2]
    header = [c.value for c in functional[1]]
    answer = header.index("対応可否") + 1
    for row in range(2, functional.max_row + 1):
        functional.cell(row, answer).value = "○"
    for row in range(2, other.max_row + 1):
        other.cell(row, 7).value = "○"
        numbers = re.findall(r"[0-9][0-9,.]*", str(other.cell(row, 5).value or ""))
        other.cell(row, 6).value = " ".join(numbers).replace(",", "")
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def score_project(workdir: Path) -> tuple[Path, dict[str, bytes]]:
    """The bundled project built once in `workdir`, and its answered form's parts."""
    root = workdir / "score-project"
    if not (root / "output/compliance/response-form.xlsx").exists():
        shutil.rmtree(root, ignore_errors=True)
        for part in PROJECT_PARTS:
            source = REPO / part
            if source.is_dir():
                shutil.copytree(source, root / part)
            else:
                root.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, root / part)
        built = CliRunner().invoke(cli, ["build", str(root), "--format", "xlsx"])
        assert built.exit_code == 0, built.output
    return root, answered_form(root)


def mutate_form(parts: dict[str, bytes], rng: random.Random) -> bytes:
    """One to three mutations of the form's parts, then maybe of its zip: the mutant's bytes."""
    parts = dict(parts)
    for _ in range(rng.randint(1, 3)):
        rng.choice(FORM_MUTATIONS)(parts, rng)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            method = zipfile.ZIP_BZIP2 if rng.random() < 0.02 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return zip_bytes(buffer.getvalue(), rng)


def _no_constant(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")


def _form_located(problem: dict[str, object]) -> bool:
    """At a sheet and a real cell, or at the file alone (never row 0)."""
    line, column = problem.get("line"), problem.get("column")
    if not problem.get("file") or not isinstance(line, int) or not isinstance(column, int):
        return False
    if "sheet" in problem:
        return line >= 1 and column >= 1 and bool(problem.get("sheet"))
    return line == 0 and column == 0


def run_score_case(seed: int, workdir: Path, project: Path, parts: dict[str, bytes]) -> CaseResult:
    """Score a mutant of the valid form `parts` made with `seed`."""
    form = workdir / f"form-{seed}.xlsx"
    form.write_bytes(mutate_form(parts, random.Random(seed)))
    args = ["score", str(form), "--project", str(project), "--format", "json", "--lang", "en"]
    result = CliRunner().invoke(cli, args)
    crash = _crash(result.stderr) if result.exit_code not in (0, 1) else None
    unlocated: list[str] = []
    if crash is None:
        try:
            reports = json.loads(result.stdout, parse_constant=_no_constant)
        except ValueError as exc:
            reports, crash = [], f"score printed no JSON ({exc}): {result.stdout[:200]!r}"
        unlocated = [
            json.dumps(p, ensure_ascii=False)
            for report in reports
            for p in report["problems"]
            if not _form_located(p) or p.get("file") != str(form)
        ]
    form.unlink()
    return CaseResult(seed, result.exit_code, None, tuple(unlocated), crash, "score")


# --- the write family: every writing command against a hostile output target -------------------

TARGET_PARTS = [
    "project", "requirements", "municipalities", "templates", "specgen.yaml", "output",
    "notes.txt", "mine", "link-out", "loop", "fifo", ".", "..", "x" * 300, "新しい 出力",
    "a\nb", " ", "-", ".output.specgen-new", ".out.specgen-old-0123456789abcdef", "out",
    "project-1.1", "town.yaml", "built", "s.xlsx",
]  # fmt: skip
Snapshot = dict[str, tuple[str, bytes | str]]


def snapshot(root: Path) -> Snapshot:
    """Every entry under `root`, links not followed: its kind and content."""
    found: Snapshot = {}
    for directory, names, files in os.walk(root, followlinks=False):
        for name in [*names, *files]:
            path = Path(directory) / name
            relpath = path.relative_to(root).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                found[relpath] = ("link", os.readlink(path))
            elif stat.S_ISREG(mode):
                found[relpath] = ("file", path.read_bytes())
            else:
                found[relpath] = ("dir" if stat.S_ISDIR(mode) else "other", b"")
    return found


def make_world(root: Path) -> None:
    """The bundled project and its next version, a user's files, links and a FIFO, and the
    inputs of each writing command (a town's catalog, a built response form)."""
    for name in ("project", "project-1.1"):
        for part in PROJECT_PARTS:
            source, target = REPO / part, root / name / part
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    config = root / "project-1.1/specgen.yaml"
    config.write_text(config.read_text("utf-8").replace('version: "1.0"', 'version: "1.1"'))
    (root / "notes.txt").write_text("利用者のメモ", encoding="utf-8")
    (root / "mine").mkdir()
    (root / "mine/draft.docx").write_bytes(b"not ours")
    (root / "outside").mkdir()
    (root / "outside/keep.txt").write_text("外部", encoding="utf-8")
    (root / "link-out").symlink_to(root / "outside")
    (root / "loop").symlink_to(root / "loop")
    os.mkfifo(root / "fifo")
    catalog = (REPO / "requirements/10-juki.yaml").read_text("utf-8")
    town = catalog.replace(
        "specgen: 1\n", 'specgen: 1\nmunicipality: {code: "172049", name: 輪島市}\n', 1
    )
    (root / "town.yaml").write_text(town, encoding="utf-8")
    args = ["build", str(root / "project"), "--format", "xlsx", "--out", str(root / "built"),
            "--jobs", "1"]  # fmt: skip
    built = CliRunner().invoke(cli, args)
    assert built.exit_code == 0, built.output


WRITERS: dict[str, Callable[[Path, str], list[str]]] = {
    "build": lambda w, out: ["build", str(w / "project"), "--format", "json", "--out", out,
                             "--jobs", "1"],  # a pool's workers may not fork their own
    "diff": lambda w, out: ["diff", str(w / "project"), str(w / "project-1.1"), "--out", out,
                            "--format", "markdown"],
    "fit-gap": lambda w, out: ["report", "fit-gap", str(w / "project"), "--out", out],
    "consolidate": lambda w, out: ["consolidate", str(w / "town.yaml"), "--out", out],
    "score": lambda w, out: ["score", str(w / "built/compliance/response-form.xlsx"),
                             "--project", str(w / "project"), "--format", "xlsx", "--out", out],
}  # fmt: skip


def run_write_case(seed: int, workdir: Path) -> CaseResult:
    """One writing command, chosen by `seed`, aimed at a hostile target in a fresh world."""
    rng = random.Random(seed)
    world = workdir / f"world-{seed}"
    make_world(world)
    target = "/".join(rng.choice(TARGET_PARTS) for _ in range(rng.randint(1, 3)))
    command = rng.choice(sorted(WRITERS))
    before = snapshot(workdir)
    previous = Path.cwd()
    os.chdir(world)
    try:
        result = CliRunner().invoke(cli, WRITERS[command](world, target))
    finally:
        os.chdir(previous)
    after = snapshot(workdir)
    crash = _crash(result.stderr) if result.exit_code not in (0, 1, 2) else None
    # Only specgen's own earlier output (its manifest) may be replaced, by a command that ran.
    try:
        own = (world / target).resolve().relative_to(workdir.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a loop of links
        own = "\0"  # outside the work folder, or no name the system takes: nothing is own
    replaceable = result.exit_code == 0 and f"{own}/manifest.json" in before
    wrong = [
        f"changed {k}"
        for k in sorted(before)
        if after.get(k) != before[k] and not (replaceable and k.startswith(own + "/"))
    ]
    created = sorted(set(after) - set(before))
    if result.exit_code != 0:
        wrong += [f"refused but left {c}" for c in created]
    else:
        written = (world / target).resolve()
        wrong += [
            f"wrote {c}"
            for c in created
            if not (workdir / c).resolve().is_relative_to(written)
            and (workdir / c).resolve() not in written.parents
        ]
    shutil.rmtree(world, ignore_errors=True)
    unlocated = tuple(f"{command} --out {target!r}: {w}" for w in wrong[:3])
    return CaseResult(seed, result.exit_code, None, unlocated, crash, "write")


def _crash(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def _run_chunk(seeds: Sequence[int], family: str = "project") -> list[CaseResult]:
    with tempfile.TemporaryDirectory(prefix="specgen-fuzz-") as work:
        if family == "score":
            project, parts = score_project(Path(work))
            return [run_score_case(seed, Path(work), project, parts) for seed in seeds]
        if family == "write":
            return [run_write_case(seed, Path(work)) for seed in seeds]
        return [run_case(seed, Path(work), docx=seed % 10 == 0) for seed in seeds]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1, help="first seed; cases use seed, seed+1, …")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument(
        "--family",
        choices=["project", "score", "write"],
        default="project",
        help="mutate the bundled project (validate, build), a returned form (score), or aim "
        "the writing commands at hostile output targets (write)",
    )
    args = parser.parse_args(argv)
    seeds = list(range(args.seed, args.seed + args.cases))
    started = time.monotonic()
    chunks = [seeds[i :: args.jobs] for i in range(args.jobs)]
    run_chunk = functools.partial(_run_chunk, family=args.family)
    if args.jobs > 1:
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            results = [r for chunk in pool.map(run_chunk, chunks) for r in chunk]
    else:
        results = run_chunk(seeds)
    exits = collections.Counter(r.validate_exit for r in results)
    builds = collections.Counter(r.build_exit for r in results if r.build_exit is not None)
    failed = [r for r in results if not r.ok]
    print(f"cases: {len(results)} in {time.monotonic() - started:.0f} s")
    if args.family in ("score", "write"):
        print(f"{args.family} exit codes: {dict(sorted(exits.items()))}")
    else:
        print(f"validate exit codes: {dict(sorted(exits.items()))}")
        print(f"build exit codes (valid mutants): {dict(sorted(builds.items()))}")
    print(f"crashes: {sum(1 for r in results if r.crash)}")
    what = "outside-the-target writes" if args.family == "write" else "unlocated diagnostics"
    print(f"{what}: {sum(len(r.unlocated) for r in results)}")
    for result in failed[:20]:
        print(f"  seed {result.seed}: {result.crash or result.unlocated[:1]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
