"""Only the project's own regular files are read: nothing outside it, nothing that is not a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import PROJECT, MakeProject, run_cli

KEEP_INSIDE = (
    "  hint: the project is what is versioned and reviewed: keep catalogs, municipality files "
    "and templates inside it, named relative to specgen.yaml"
)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "error[" in line]


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A directory beside the project holding a catalog and a secret of another project."""
    other = tmp_path / "other"
    (other / "requirements").mkdir(parents=True)
    (other / "requirements/10.yaml").write_text("specgen: 1\nsections: []\n", encoding="utf-8")
    (other / "secret.txt").write_text("root:x:0:0:秘密", encoding="utf-8")
    return other


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("catalog: [{other}/requirements/10.yaml]", "'{other}/requirements/10.yaml' is an absolute path"),
        ("catalog: [{other}/requirements/]", "'{other}/requirements/' is an absolute path"),
        ("catalog: [../other/requirements/]", "'../other/requirements/' leads outside the project directory"),
        ("municipalities: /etc", "'/etc' is an absolute path"),
        ("templates: /usr/share", "'/usr/share' is an absolute path"),
        ("templates: ../other", "'../other' leads outside the project directory"),
        ("catalog: ['.']", "'.' is the project directory itself"),
    ],
)  # fmt: skip
def test_paths_that_leave_the_project_are_refused(
    make_project: MakeProject, elsewhere: Path, line: str, message: str
) -> None:
    root = make_project({"specgen.yaml": PROJECT + line.format(other=elsewhere) + "\n"})
    result = run_cli("build", str(root), "--format", "markdown")
    assert result.exit_code == 1, result.output
    column = line.index("[") + 2 if "[" in line else line.index(":") + 3
    expected = f"specgen.yaml:12:{column}: error[E-IO]: " + message.format(other=elsewhere)
    assert error_lines(result.stderr) == [expected]
    assert f"{expected}\n{KEEP_INSIDE}\n" in result.stderr
    assert not (root / "output").exists()


def test_an_empty_catalog_entry_does_not_read_specgen_yaml_as_a_catalog(
    make_project: MakeProject,
) -> None:
    root = make_project({"specgen.yaml": PROJECT + "catalog: ['']\n"})
    result = run_cli("validate", str(root))
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [
        "specgen.yaml:12:11: error[E-IO]: '' is an empty path",
        "specgen.yaml:12:11: error[E-SCHEMA]: 'catalog' in catalog must not be empty",
    ]  # and nothing about specgen.yaml's fields as a catalog's


def test_a_template_linked_to_a_file_outside_the_project_is_refused(
    make_project: MakeProject, elsewhere: Path
) -> None:
    root = make_project({"templates/joint.md.j2": '{% include "pw.md.j2" %}\n'})
    (root / "templates/pw.md.j2").symlink_to(elsewhere / "secret.txt")
    result = run_cli("build", str(root), "--format", "markdown")
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [
        "templates/pw.md.j2: error[E-IO]: 'templates/pw.md.j2' is a link to a file outside the "
        "project directory"
    ]
    assert "秘密" not in result.output
    assert not (root / "output").exists()


def test_the_template_loader_itself_refuses_a_file_outside(
    make_project: MakeProject, elsewhere: Path
) -> None:
    """Defence in depth: even past validation, a link out of templates/ is not followed."""
    from specgen.render.markdown import TemplateSet, render_template

    root = make_project({"templates/joint.md.j2": '{% include "pw.md.j2" %}\n'})
    (root / "templates/pw.md.j2").symlink_to(elsewhere / "secret.txt")
    with pytest.raises(Exception, match=r"pw\.md\.j2 not found"):
        render_template(TemplateSet(root / "templates"), "joint.md.j2", {})


def test_a_link_inside_the_project_is_followed(make_project: MakeProject) -> None:
    root = make_project()
    (root / "shared").mkdir()
    os.replace(root / "municipalities/173843-shika.yaml", root / "shared/shika.yaml")
    (root / "municipalities/173843-shika.yaml").symlink_to(root / "shared/shika.yaml")
    assert run_cli("validate", str(root)).exit_code == 0


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: p.symlink_to(p.parent / "nowhere.yaml"), "is a link to a file that does not exist"),
        (lambda p: p.mkdir(), "is a directory, not a file"),
        (lambda p: os.mkfifo(p), "is not a regular file (a pipe, socket or device)"),
    ],
)  # fmt: skip
def test_a_yaml_entry_that_is_not_a_regular_file_is_an_error_not_skipped(
    make_project: MakeProject, make: object, problem: str
) -> None:
    root = make_project()
    path = root / "municipalities/173614-tsubata.yaml"
    make(path)  # type: ignore[operator]
    result = run_cli("validate", str(root))  # a FIFO must not be opened: it would block
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [
        f"municipalities/173614-tsubata.yaml: error[E-IO]: "
        f"'municipalities/173614-tsubata.yaml' {problem}"
    ]
