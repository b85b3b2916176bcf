"""The command line: version, exit codes, and what an internal error looks like."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import MakeProject, run_cli

import specgen
from specgen import cli as cli_module


def test_version() -> None:
    assert run_cli("--version").output.strip() == f"specgen, version {specgen.__version__}"


def test_python_dash_m_runs_the_same_cli(make_project: MakeProject) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "specgen", "validate", str(root := make_project())],
        capture_output=True, text=True, check=False, cwd=root.parent,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "valid (4 requirements, 2 municipalities" in result.stderr


def boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("simulated bug")


def test_an_internal_error_is_one_line_asking_for_a_report(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_module, "validate_project", boom)
    result = CliRunner().invoke(cli_module.cli, ["validate", str(make_project())])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1
    assert "internal error (RuntimeError: simulated bug)" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback_of_an_internal_error(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_module, "validate_project", boom)
    result = CliRunner().invoke(cli_module.cli, ["--debug", "validate", str(make_project())])
    assert result.exit_code == 3
    assert "Traceback" in result.stderr


def test_an_unwritable_output_is_an_error_not_a_traceback(make_project: MakeProject) -> None:
    root = make_project()
    blocker = root / "blocker"
    blocker.write_text("a file where a directory should be", encoding="utf-8")
    result = run_cli("build", str(root), "--out", str(blocker / "out"), "--format", "json")
    assert result.exit_code == 1
    assert (
        f"--out: error[E-IO]: the output directory {blocker / 'out'} cannot be made: "
        f"{blocker} is a file\n  hint: give a directory path, such as output/\n"
    ) in result.stderr
    assert "File exists" not in result.stderr


@pytest.mark.parametrize("command", ["build", "explain RES-0010"])
def test_an_unknown_municipality_on_the_command_line_is_a_usage_error_everywhere(
    make_project: MakeProject, command: str
) -> None:
    result = run_cli(*command.split(), str(make_project()), "--municipality", "999999")
    assert result.exit_code == 2
    assert result.stderr == (
        "Usage error: --municipality 999999: not a participant (known: 172049, 173843)\n"
    )


def test_the_command_line_starts_without_the_rendering_stack(tmp_path: Path) -> None:
    """`specgen validate` must not pay for importing Jinja, python-docx and markdown-it."""
    probe = "import sys, specgen.cli; print(sorted({'specgen.build', 'docx', 'jinja2'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.stdout.strip() == "[]"


def test_an_unknown_format_on_the_command_line_is_a_usage_error(make_project: MakeProject) -> None:
    result = run_cli("build", str(make_project()), "--format", "html")
    assert result.exit_code == 2
    assert "'html' is not one of markdown, docx, json, pdf, xlsx, csv" in result.stderr
