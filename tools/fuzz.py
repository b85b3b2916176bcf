"""A seeded mutation fuzzer over the bundled project: no input may crash specgen.

Each case copies the bundled Noto project, mutates one to three of its files (types swapped,
keys dropped and duplicated, bytes flipped, tags, escapes, deep nesting, huge values, the
slips of a Japanese keyboard) and runs `specgen validate --format json`; when the mutant is
valid it is built too. A case passes when the exit code is 0 or 1 — never 3, an internal
error — and every diagnostic names a file (and a line, except a whole-file E-IO). The same
seed gives the same mutants.

    python tools/fuzz.py --cases 10000 [--seed 1] [--jobs 2]
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import random
import shutil
import sys
import tempfile
import time
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
    validate_exit: int
    build_exit: int | None  # None: the mutant was invalid, so nothing was built
    unlocated: tuple[str, ...]
    crash: str | None  # the last line of an internal error

    @property
    def ok(self) -> bool:
        exits = [self.validate_exit] + ([self.build_exit] if self.build_exit is not None else [])
        return all(code in (0, 1) for code in exits) and not self.unlocated and not self.crash


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


def _crash(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def _run_chunk(seeds: Sequence[int]) -> list[CaseResult]:
    with tempfile.TemporaryDirectory(prefix="specgen-fuzz-") as work:
        return [run_case(seed, Path(work), docx=seed % 10 == 0) for seed in seeds]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1, help="first seed; cases use seed, seed+1, …")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    seeds = list(range(args.seed, args.seed + args.cases))
    started = time.monotonic()
    chunks = [seeds[i :: args.jobs] for i in range(args.jobs)]
    if args.jobs > 1:
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            results = [r for chunk in pool.map(_run_chunk, chunks) for r in chunk]
    else:
        results = _run_chunk(seeds)
    exits = collections.Counter(r.validate_exit for r in results)
    builds = collections.Counter(r.build_exit for r in results if r.build_exit is not None)
    failed = [r for r in results if not r.ok]
    print(f"cases: {len(results)} in {time.monotonic() - started:.0f} s")
    print(f"validate exit codes: {dict(sorted(exits.items()))}")
    print(f"build exit codes (valid mutants): {dict(sorted(builds.items()))}")
    print(f"crashes: {sum(1 for r in results if r.crash)}")
    print(f"unlocated diagnostics: {sum(len(r.unlocated) for r in results)}")
    for result in failed[:20]:
        print(f"  seed {result.seed}: {result.crash or result.unlocated[:1]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
