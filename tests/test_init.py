"""`specgen init`: a new project that builds at once, and a municipality added to one."""

from __future__ import annotations

import re
from pathlib import Path

from support import run_cli


def test_a_new_project_builds_at_once(tmp_path: Path) -> None:
    root = tmp_path / "noto"
    result = run_cli("init", str(root))
    assert result.exit_code == 0, result.output
    built = run_cli("build", str(root), "--format", "markdown", "--format", "json")
    assert built.exit_code == 0, built.output
    assert "warning[" not in built.stderr and "error[" not in built.stderr
    town = (root / "municipalities/172049.yaml").read_text("utf-8")
    assert {"op: modify", "op: exclude", "op: add"} <= set(re.findall(r"op: \w+", town))
    assert "name: 輪島市" in town and "# 全国地方公共団体コード" in town
    for path in sorted(root.rglob("*.yaml")):
        first = path.read_text("utf-8").splitlines()[0]
        schema = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert schema and (path.parent / schema.group(1)).is_file(), path
    assert (root / ".gitignore").read_text("utf-8").splitlines()[-1] == "output/"
    spec = (root / "output/municipalities/172049/spec.md").read_text("utf-8")
    assert "#### M172049-0001　郵便請求の受付管理" in spec


def test_init_never_writes_into_a_directory_that_holds_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("init", str(tmp_path))
    assert result.exit_code == 2
    assert "is not empty and holds no specgen.yaml" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_adds_a_municipality_to_a_project_and_never_overwrites(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert run_cli("init", str(root)).exit_code == 0
    again = run_cli("init", str(root))
    assert again.exit_code == 2 and "already holds a project" in again.stderr
    added = run_cli("init", str(root), "--municipality", "173614")
    assert added.exit_code == 0, added.output
    text = (root / "municipalities/173614.yaml").read_text("utf-8")
    assert "name: 津幡町" in text and "prefix: M173614" in text
    assert run_cli("validate", str(root)).exit_code == 0
    (root / "municipalities/173614.yaml").write_text(text + "# edited\n", encoding="utf-8")
    twice = run_cli("init", str(root), "--municipality", "173614")
    assert twice.exit_code == 1 and "already exist" in twice.stderr
    assert (root / "municipalities/173614.yaml").read_text("utf-8").endswith("# edited\n")
    wrong = run_cli("init", str(root), "--municipality", "173615")
    assert wrong.exit_code == 2 and "check digit" in wrong.stderr


def test_a_code_not_on_the_official_list_gives_a_file_that_builds_at_once(
    tmp_path: Path,
) -> None:
    """173622 has a valid check digit but no official name: the code stands in for the name,
    quoted, so the next `validate` reads a string (not E-TYPE-QUOTE) and the project builds."""
    root = tmp_path / "p"
    assert run_cli("init", str(root), "--municipality", "173622").exit_code == 0
    town = (root / "municipalities/173622.yaml").read_text("utf-8")
    assert re.search(r'^  name: "173622" ', town, re.MULTILINE)
    built = run_cli("build", str(root), "--format", "json")
    assert built.exit_code == 0, built.output
    assert "error[" not in built.stderr and "W-MUNICIPALITY-NAME" in built.stderr
    assert run_cli("init", str(root), "--municipality", "172049").exit_code == 0
    assert run_cli("validate", str(root)).exit_code == 0
