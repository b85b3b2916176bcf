"""A project's templates are code: whatever they do, the build ends with E-TEMPLATE at a line."""

from __future__ import annotations

import time

import pytest
from support import PROJECT, MakeProject, run_cli

LIMIT_HINT = (
    "  hint: look for a loop that does not end or text repeated without bound; if the document "
    "is really this large, raise the limit under limits: in specgen.yaml"
)


def build_with(make_project: MakeProject, template: str, limits: str = "") -> tuple[int, str]:
    files = {"templates/joint.md.j2": "# 見出し\n" + template + "\n"}
    if limits:
        files["specgen.yaml"] = PROJECT + f"limits: {{{limits}}}\n"
    root = make_project(files)
    result = run_cli("build", str(root), "--format", "markdown", "--jobs", "1")
    assert (root / "output").exists() == (result.exit_code == 0)
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ 1/0 }}", "division by zero"),
        ("{% for i in range(10**9) %}{% endfor %}", "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "a macro or include calls itself without end"),
        ('{% include "joint.md.j2" %}', "a macro or include calls itself without end"),
        ('{% include "nope.md.j2" %}', "template nope.md.j2 not found"),
    ],
)  # fmt: skip
def test_a_failing_template_is_e_template_at_its_line(
    make_project: MakeProject, template: str, message: str
) -> None:
    code, stderr = build_with(make_project, template)
    assert code == 1
    assert (
        f"templates/joint.md.j2:2:1: error[E-TEMPLATE]: template joint.md.j2 failed: {message}"
        in stderr
    )


def test_a_template_allocating_gigabytes_fails_at_once(make_project: MakeProject) -> None:
    started = time.monotonic()
    code, stderr = build_with(make_project, '{{ ("x" * 10**10)|length }}')
    assert code == 1
    assert (
        "templates/joint.md.j2:2:1: error[E-TEMPLATE]: template joint.md.j2 failed: it needed "
        f"more memory than one document may use\n{LIMIT_HINT}"
    ) in stderr
    assert time.monotonic() - started < 60


def test_a_template_that_runs_without_end_meets_the_time_limit(make_project: MakeProject) -> None:
    started = time.monotonic()
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    code, stderr = build_with(make_project, loops, "render_seconds: 1.5")
    assert code == 1
    assert (
        "templates/joint.md.j2:2:1: error[E-TEMPLATE]: template joint.md.j2 failed: rendering "
        "took longer than 1.5 s, the time limit per document (limits.render_seconds)\n"
        f"{LIMIT_HINT}"
    ) in stderr
    assert time.monotonic() - started < 30


def test_a_template_writing_without_bound_meets_the_size_limit(make_project: MakeProject) -> None:
    repeat = '{% set s = "x" * 1000000 %}{% for i in range(3000) %}\n{{ s }}{% endfor %}'
    code, stderr = build_with(make_project, repeat, "render_mib: 16")
    assert code == 1
    assert (
        "templates/joint.md.j2:3:1: error[E-TEMPLATE]: template joint.md.j2 failed: it wrote "
        "more than 16 MiB of Markdown, the size limit per document (limits.render_mib)\n"
        f"{LIMIT_HINT}"
    ) in stderr


def test_the_limits_are_checked_like_any_field(make_project: MakeProject) -> None:
    root = make_project({"specgen.yaml": PROJECT + "limits: {render_seconds: 0, render_mb: 9}\n"})
    result = run_cli("validate", str(root))
    assert result.exit_code == 1
    assert [
        line.split(": error[")[1][:8] for line in result.stderr.splitlines() if "error[" in line
    ] == [
        "E-SCHEMA",
        "E-SCHEMA",
    ]


def test_the_time_limit_is_lifted_after_the_build(make_project: MakeProject) -> None:
    """The alarm must not fire later in a process that goes on (a test run, an editor)."""
    code, _ = build_with(make_project, "{{ 1 }}", "render_seconds: 0.5")
    assert code == 0
    time.sleep(1.0)  # an alarm left armed would kill this process here


@pytest.mark.parametrize(
    ("template", "operator"),
    [
        ("{{ (10 ** 30000000) % 7 }}", "**"),  # one C operation: no time limit could stop it
        ("{% set ns = namespace(x=7) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}{% endfor %}", "*"),
    ],
)  # fmt: skip
def test_arithmetic_too_large_to_interrupt_is_refused_before_it_runs(
    make_project: MakeProject, template: str, operator: str
) -> None:
    started = time.monotonic()
    code, stderr = build_with(make_project, template, "render_seconds: 10")
    assert code == 1
    assert (
        "templates/joint.md.j2:2:1: error[E-TEMPLATE]: template joint.md.j2 failed: "
        f"'{operator}' would make a number of more than 19,728 digits"
    ) in stderr
    assert time.monotonic() - started < 10


def test_ordinary_arithmetic_in_a_template_still_works(make_project: MakeProject) -> None:
    root = make_project(
        {"templates/joint.md.j2": "# 見出し\n\n{{ 2 ** 64 }} {{ 3 * 7 }} {{ 'ab' * 3 }}\n"}
    )
    result = run_cli("build", str(root), "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = (root / "output/joint/spec.md").read_text(encoding="utf-8")
    assert "18446744073709551616 21 ababab" in text


def test_blocks_nested_without_end_are_located_where_they_pass_the_limit(
    make_project: MakeProject,
) -> None:
    """Jinja's parser recurses once per block: 3,000 nested ifs exhaust Python's stack while
    the template compiles, before any line is known; the lexer finds the line."""
    nested = "{% if true %}\n" * 3000 + "x" + "{% endif %}" * 3000
    code, stderr = build_with(make_project, nested)
    assert code == 1
    assert (
        "templates/joint.md.j2:102:1: error[E-TEMPLATE]: template joint.md.j2 failed: its "
        "blocks and brackets are nested more than 100 deep here"
    ) in stderr
