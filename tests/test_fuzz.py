"""No input crashes specgen: a bounded run of the seeded mutation fuzzer (tools/fuzz.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import load_fuzzer

fuzz = load_fuzzer()

CASES = int(os.environ.get("SPECGEN_FUZZ_CASES", "300"))


def test_mutants_of_the_bundled_project_never_crash_and_every_diagnostic_is_located(
    tmp_path: Path,
) -> None:
    results = [fuzz.run_case(seed, tmp_path, docx=seed % 25 == 0) for seed in range(CASES)]
    failed = [r for r in results if not r.ok]
    assert failed == []
    # The mutants reach past the loader: some stay valid and are built, most are refused.
    assert 0 < sum(r.build_exit == 0 for r in results) < CASES // 2
    assert sum(r.validate_exit == 1 for r in results) > CASES // 2


def test_the_same_seed_makes_the_same_mutant(tmp_path: Path) -> None:
    texts = []
    for name in ("a", "b"):
        root = tmp_path / name
        root.mkdir()
        (root / "x.yaml").write_text((fuzz.REPO / "specgen.yaml").read_text("utf-8"), "utf-8")
        fuzz.mutate(root, fuzz.random.Random(42))
        texts.append((root / "x.yaml").read_bytes())
    assert texts[0] == texts[1]


def test_the_fuzzer_reports_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It would have caught the loader's `!!int x` crash: an exception is a failed case."""

    def crash(*args: object, **kwargs: object) -> None:
        raise ValueError("invalid literal for int() with base 10: 'x'")

    monkeypatch.setattr("specgen.cli.validate_project", crash)
    result = fuzz.run_case(7, tmp_path)
    assert not result.ok
    assert result.validate_exit == 3
    assert result.crash is not None and "internal error (ValueError" in result.crash


WRITE_CASES = int(os.environ.get("SPECGEN_FUZZ_WRITE_CASES", "30"))


def test_writing_commands_aimed_at_hostile_targets_change_nothing_else(tmp_path: Path) -> None:
    results = [fuzz.run_write_case(seed, tmp_path) for seed in range(WRITE_CASES)]
    assert [r for r in results if not r.ok] == []
    # The targets reach both sides: some commands write, some are refused.
    assert {0, 1} <= {r.validate_exit for r in results}


def test_the_write_family_reports_a_write_outside_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from specgen import writer

    real = writer.write_outputs

    def stray(out: Path, files: object, **kwargs: object) -> None:
        real(out, files, **kwargs)  # type: ignore[arg-type]
        (out.parent / f"stray-{out.name}.txt").write_text("書いてはならない", encoding="utf-8")

    monkeypatch.setattr(writer, "write_outputs", stray)
    monkeypatch.setattr("specgen.build.write_outputs", stray)
    monkeypatch.setattr(fuzz, "TARGET_PARTS", ["fresh"])
    monkeypatch.setattr(fuzz.random.Random, "choice", lambda self, seq: sorted(seq)[0])
    result = fuzz.run_write_case(3, tmp_path)  # build --out fresh
    assert not result.ok and "wrote world-3/stray-fresh.txt" in result.unlocated[0]
