"""The command line: version, exit codes, and what an internal error looks like."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import MakeProject, copy_of_bundled, run_cli

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


def test_explain_speaks_the_language_of_lang(tmp_path: Path) -> None:
    """`--lang ja` words explain's lines and values in Japanese; the YAML field names stay."""
    project = copy_of_bundled(tmp_path / "noto")
    ja = run_cli("explain", "NFR-0030", str(project), "--lang", "ja").stdout
    assert "  共通仕様:" in ja and "  参加団体:" in ja and "172049 輪島市: 変更・強化（" in ja
    assert "metrics.rto_h: 24 → 12  [強化]" in ja and "173614 津幡町: 変更なし" in ja
    assert "    level                    必須  (" in ja and "participants:" not in ja
    en = run_cli("explain", "NFR-0030", str(project), "--lang", "en").stdout
    assert "  participants:" in en and "    level                    mandatory  (" in en
    moved = run_cli("explain", "TBT-0001", str(project), "--lang", "ja").stdout
    assert moved.startswith("TBT-0001：RES-0375 に置き換えられています（formerly: TBT-0001、")


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path) -> None:
    """`specgen explain ID | head -1`: exit 141 as a shell reports SIGPIPE, no internal error."""
    project = copy_of_bundled(tmp_path / "noto")
    process = subprocess.Popen(
        [sys.executable, "-m", "specgen", "explain", "NFR-0030", str(project), "--lang", "ja"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=60) == 141, stderr
    assert "internal error" not in stderr and "Traceback" not in stderr
