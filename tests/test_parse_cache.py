"""The parse cache changes nothing but the time: a cached file is the file as parsed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, MakeProject, copy_of_bundled, run_cli

from specgen import parse_cache
from specgen.load import load_document

BUNDLED = ["specgen.yaml", *sorted(
    p.relative_to(REPO).as_posix() for d in ("requirements", "municipalities") for p in (REPO / d).glob("*.yaml")
)]  # fmt: skip


@pytest.mark.parametrize("relpath", BUNDLED)
def test_an_entry_decodes_to_the_document_as_parsed(relpath: str) -> None:
    parsed, problems = load_document(REPO, relpath)
    assert problems == [] and parsed is not None
    assert parse_cache.decode(parse_cache.encode(parsed), relpath) == parsed


def outputs(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_a_build_from_the_cache_has_the_bytes_of_a_build_without_it(tmp_path: Path) -> None:
    project = copy_of_bundled(tmp_path / "noto")
    cache = tmp_path / "cache"
    runs = {}
    for label, setting in (("off", "off"), ("cold", str(cache)), ("warm", str(cache))):
        out = tmp_path / f"out-{label}"
        env = {**os.environ, "SPECGEN_CACHE_DIR": setting}
        command = [sys.executable, "-m", "specgen", "build", str(project), "--out", str(out)]
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=REPO)
        runs[label] = outputs(out)
        if label == "cold":
            assert len(list((cache / "parse-v1").glob("*.json"))) == len(BUNDLED)
    assert runs["off"] == runs["cold"] == runs["warm"]


def test_a_changed_file_misses_and_a_broken_entry_is_ignored(
    make_project: MakeProject, parse_cache_of_the_session: Path
) -> None:
    root = make_project()
    assert run_cli("build", str(root), "--format", "json").exit_code == 0  # a build stores
    data = (root / "municipalities/173843-shika.yaml").read_bytes()
    key = parse_cache.entry_key(data, "municipality")
    entry = parse_cache_of_the_session / "parse-v1" / f"{key}.json"
    assert entry.is_file()
    entry.write_bytes(b'{"data": 1, "values": "not a list"}')  # damaged or foreign
    assert parse_cache.lookup(key, "municipalities/173843-shika.yaml") is None
    assert run_cli("validate", str(root)).exit_code == 0
    # The same bytes under another schema, or from another version of specgen, are another entry.
    assert parse_cache.entry_key(data, "catalog") != key


def test_a_file_with_a_problem_is_never_cached(
    make_project: MakeProject, parse_cache_of_the_session: Path
) -> None:
    root = make_project({"municipalities/173843-shika.yaml": "specgen: 1\nmunicipality: 5\n"})
    data = (root / "municipalities/173843-shika.yaml").read_bytes()
    for _ in range(2):  # the second run must report the problem again, not read it cached
        result = run_cli("build", str(root), "--format", "json")
        assert result.exit_code == 1 and "error[E-SCHEMA]" in result.stderr
    assert not (
        parse_cache_of_the_session
        / "parse-v1"
        / f"{parse_cache.entry_key(data, 'municipality')}.json"
    ).exists()


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECGEN_CACHE_DIR", "off")
    assert parse_cache.cache_directory() is None
    monkeypatch.delenv("SPECGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere")
    assert parse_cache.cache_directory() == Path("/somewhere/specgen/parse-v1")
    monkeypatch.setenv("SPECGEN_CACHE_DIR", "/mine")
    assert parse_cache.cache_directory() == Path("/mine/parse-v1")


def test_validate_reads_the_cache_but_does_not_fill_it(
    make_project: MakeProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold `validate` pays nothing for the cache; the next build fills it."""
    cache = tmp_path / "own-cache"
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(cache))
    root = make_project()
    assert run_cli("validate", str(root)).exit_code == 0
    assert not cache.exists()
    assert run_cli("build", str(root), "--format", "json").exit_code == 0
    assert len(list((cache / "parse-v1").glob("*.json"))) == 4


def test_a_rebuild_hashes_only_the_outputs_whose_size_or_time_changed(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size, time and inode of each output are remembered in the cache, as git does, so an
    unchanged output is not read again; one touched since is hashed, and if edited, rendered."""
    from specgen.build import build, cache

    root = make_project()
    build(root, formats=["json", "markdown"])
    hashed: list[Path] = []
    real = cache._sha256

    def counting(path: Path) -> str:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(cache, "_sha256", counting)
    assert build(root, formats=["json", "markdown"]).rendered == ()
    assert hashed == []
    edited = root / "output/municipalities/173843/spec.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "手で書き足した行\n", encoding="utf-8")
    assert build(root, formats=["json", "markdown"]).rendered == ("municipalities/173843",)
    assert [p.relative_to(root / "output").as_posix() for p in hashed] == [
        "municipalities/173843/spec.md"  # the only file touched: the others were not read
    ]


def test_no_cache_entry_lands_in_the_project(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache folder set inside the project is not written: the project is what is versioned
    and reviewed. The build is the same without it."""
    root = make_project()
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(root / ".cache"))
    assert run_cli("build", str(root), "--format", "docx", "--format", "json").exit_code == 0
    assert not (root / ".cache/parse-v1").exists()
    assert not (root / ".cache").exists()  # nor the outputs' sizes and times
