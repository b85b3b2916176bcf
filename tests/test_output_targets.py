"""Hostile output targets for every writing command: whatever `--out` names, a command writes
only its own output there, or refuses with a located error; nothing else changes.

Each case lays out a small world (the project, a second version of it, a user's files and
folders, a link to a folder outside, a FIFO), snapshots it, runs one command with one target,
and compares: every file that was there is still there with the same bytes, and anything new
lies under the target of a command that succeeded.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from support import CATALOG, MakeProject, load_fuzzer, run_cli

_snapshot = load_fuzzer().snapshot

# --out values, relative to the world; the project's own folders and files first.
TARGETS = [
    "project",
    "project/specgen.yaml",
    "project/requirements",
    "project/requirements/fg",
    "project/municipalities/rev",
    "project/templates/rev",
    "project/output/../requirements/x",
    "notes.txt",
    "notes.txt/below",
    "mine",
    "link-out",
    "link-out/new",
    "fifo",
    ".",
    "..",
    "x" * 300,
    "new/deep/" + "x" * 300,  # the missing folders are made, then removed when it fails
    "x" * 300 + "/../out",  # found by the write family: the search for a project around it
    "ghost/../out",  # found by the write family: no folder `ghost` may be made on the way
    "new/deep/out",
]


@pytest.fixture
def world(make_project: MakeProject, tmp_path: Path) -> Path:
    root = tmp_path / "world"
    make_project(name="world/project")
    newer = make_project(name="world/project-1.1")
    config = newer / "specgen.yaml"
    config.write_text(config.read_text("utf-8").replace('version: "1.0"', 'version: "1.1"'))
    (root / "notes.txt").write_text("利用者のメモ", encoding="utf-8")
    (root / "mine").mkdir()
    (root / "mine/draft.docx").write_bytes(b"not ours")
    (root / "outside").mkdir()
    (root / "outside/keep.txt").write_text("外部", encoding="utf-8")
    (root / "link-out").symlink_to(root / "outside")
    os.mkfifo(root / "fifo")
    town = CATALOG.replace(
        "specgen: 1\n", 'specgen: 1\nmunicipality: {code: "172049", name: 輪島市}\n'
    )
    (root / "town.yaml").write_text(town, encoding="utf-8")
    built = run_cli(
        "build", str(root / "project"), "--format", "xlsx", "--out", str(root / "built")
    )
    assert built.exit_code == 0, built.output
    return root


Command = Callable[[Path, str], list[str]]
COMMANDS: dict[str, Command] = {
    "build": lambda w, out: ["build", str(w / "project"), "--format", "json", "--out", out],
    "diff": lambda w, out: ["diff", str(w / "project"), str(w / "project-1.1"), "--out", out],
    "fit-gap": lambda w, out: ["report", "fit-gap", str(w / "project"), "--out", out],
    "consolidate": lambda w, out: ["consolidate", str(w / "town.yaml"), "--out", out],
    "score": lambda w, out: [
        "score",
        str(w / "built/compliance/response-form.xlsx"),
        "--project",
        str(w / "project"),
        "--format",
        "xlsx",
        "--out",
        out,
    ],
}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_writing_command_writes_only_its_own_output_or_refuses(
    world: Path, command: str, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(world)
    out = (world / target).as_posix() if target not in (".", "..") else target
    before = _snapshot(world.parent)
    result = run_cli(*COMMANDS[command](world, out))
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    after = _snapshot(world.parent)
    changed = sorted(k for k in before if after.get(k) != before[k])
    assert changed == [], f"{command} --out {target} changed {changed[:5]}"
    created = sorted(set(after) - set(before))
    if result.exit_code != 0:
        assert created == [], f"{command} --out {target} refused but left {created[:5]}"
        assert "error" in result.stderr.lower() or "Usage" in result.output
    else:
        written = Path(out if os.path.isabs(out) else world / out).resolve()
        inside = world.parent.resolve()
        assert written != inside and written not in (world / "project").resolve().parents
        outside_target = [  # the target's missing parent folders are made too
            c
            for c in created
            if not (inside / c).resolve().is_relative_to(written)
            and (inside / c).resolve() not in written.parents
        ]
        assert outside_target == [], f"{command} --out {target} wrote {outside_target[:5]}"
        # what succeeded is a target no rule keeps specgen from
        assert target in ("new/deep/out", "mine") or not target.startswith("project"), target
