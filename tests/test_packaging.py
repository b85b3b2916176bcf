"""specgen as users install it: the distribution holds every module and data file of the
source tree, and every command runs from the installed `specgen` executable.

CI installs the package the way a user does (`pip install .`, a wheel) and sets
SPECGEN_REQUIRE_INSTALLED=1: then these tests refuse an editable install or an import of the
source tree, which would hide a module the wheel misses. In an editable development install
the distribution's file list is not a wheel's, so that test is skipped there, with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from support import CATALOG, REPO, copy_of_bundled

import specgen

REQUIRED = os.environ.get("SPECGEN_REQUIRE_INSTALLED") == "1"
SKIPPED_IN_TREE = {"__pycache__"}


def _editable() -> bool:
    """Whether specgen is installed in development mode (PEP 660 or a path entry)."""
    text = metadata.distribution("specgen").read_text("direct_url.json")
    return bool(text and json.loads(text).get("dir_info", {}).get("editable"))


def _source_files() -> set[str]:
    """Every file of the package in the source tree, as an installed path (specgen/…)."""
    root = REPO / "specgen"
    return {
        path.relative_to(REPO).as_posix()
        for path in root.rglob("*")
        if path.is_file() and not SKIPPED_IN_TREE & set(path.parts) and path.suffix != ".pyc"
    }


def test_the_tests_import_specgen_as_installed_not_the_source_tree() -> None:
    imported = Path(specgen.__file__).resolve()
    if not REQUIRED:
        pytest.skip("SPECGEN_REQUIRE_INSTALLED is not set (a development run)")
    assert not _editable(), "specgen is installed in editable mode; CI must test a wheel's"
    source = REPO / "specgen"
    assert source not in imported.parents, f"specgen was imported from the source tree: {imported}"
    assert "site-packages" in imported.parts, imported


def test_the_installed_distribution_holds_every_module_and_data_file() -> None:
    if _editable():
        pytest.skip("an editable install lists no files; CI installs a wheel and runs this")
    installed = {
        file.as_posix()
        for file in metadata.files("specgen") or []
        if file.as_posix().startswith("specgen/") and file.suffix != ".pyc"
    }
    missing = sorted(_source_files() - installed)
    assert not missing, f"the wheel misses {len(missing)} file(s): {missing[:20]}"
    # And nothing of the source tree's own project or tests lands inside the package.
    assert not {f for f in installed if f.startswith(("specgen/tests/", "specgen/benchmarks/"))}


def _specgen() -> str:
    """The installed console script beside this interpreter (a venv's bin/), else PATH's."""
    beside = Path(sys.executable).parent / "specgen"
    found = str(beside) if beside.is_file() else shutil.which("specgen")
    if found is None:
        pytest.fail("no `specgen` command is installed")
    return found


def _run(*args: str | Path, cwd: Path, ok: tuple[int, ...] = (0,)) -> str:
    """Run the installed command; it must end with one of `ok` and never an internal error."""
    environment = {**os.environ, "SPECGEN_LANG": "en"}
    done = subprocess.run(
        [_specgen(), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=environment,
        check=False,
    )
    shown = f"specgen {' '.join(map(str, args))} → {done.returncode}\n{done.stdout}{done.stderr}"
    assert done.returncode in ok, shown
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr, shown
    return done.stdout


def _town_catalog(code: str, name: str, drop: str | None = None) -> str:
    """A town's complete catalog for `consolidate`: the small catalog with a municipality."""
    text = CATALOG.replace("specgen: 1\n", f'specgen: 1\nmunicipality: {{code: "{code}", '
                                          f"name: {name}}}\n", 1)  # fmt: skip
    return text if drop is None else text.replace(drop, drop + "\n        notes: 独自。", 1)


def test_every_command_runs_from_the_installed_executable(tmp_path: Path) -> None:
    """validate, build in every format, explain, init, score, diff, report fit-gap,
    consolidate and schema, each from the installed `specgen`, as a user types them."""
    project = copy_of_bundled(tmp_path / "noto")
    _run("validate", project, cwd=tmp_path)
    formats = ["markdown", "docx", "json", "xlsx", "csv"]
    if shutil.which("soffice"):
        formats.append("pdf")
    out = tmp_path / "out"
    _run(
        "build", project, "--out", out, *(a for f in formats for a in ("--format", f)), cwd=tmp_path
    )
    assert (out / "joint/spec.docx").is_file() and (out / "joint/spec.json").is_file()
    assert (out / "compliance/response-form.xlsx").is_file()
    if "pdf" in formats:
        assert (out / "joint/spec.pdf").read_bytes().startswith(b"%PDF")
    assert "RES-0010" in _run("explain", "RES-0010", project, cwd=tmp_path)
    _run("init", tmp_path / "fresh", cwd=tmp_path)
    _run("validate", tmp_path / "fresh", cwd=tmp_path)
    # An unanswered form is a valid file that fails the mandatory rows: exit 1, no crash.
    form = out / "compliance/response-form.xlsx"
    report = json.loads(
        _run("score", form, "--project", project, "--format", "json", cwd=tmp_path, ok=(0, 1))
    )
    assert report[0]["valid"] and report[0]["disqualified"], report
    newer = copy_of_bundled(tmp_path / "noto-1.1")
    yaml = newer / "specgen.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"'))
    _run("diff", project, newer, "--out", tmp_path / "revision", cwd=tmp_path)
    assert (tmp_path / "revision/revision.md").is_file()
    _run("report", "fit-gap", project, "--out", tmp_path / "fit-gap", cwd=tmp_path)
    assert (tmp_path / "fit-gap/fit-gap.md").is_file()
    towns = tmp_path / "towns"
    towns.mkdir()
    (towns / "a.yaml").write_text(_town_catalog("172049", "輪島市"), encoding="utf-8")
    (towns / "b.yaml").write_text(_town_catalog("173614", "津幡町", "RES-0020"), encoding="utf-8")
    _run("consolidate", towns / "a.yaml", towns / "b.yaml", "--out", tmp_path / "p", cwd=tmp_path)
    assert (tmp_path / "p/specgen.yaml").is_file()
    assert json.loads(_run("schema", "joint", cwd=tmp_path))["type"] == "object"
