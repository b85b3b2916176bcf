"""The writer owns only what it wrote: it never replaces inputs or other files, keeps what a
partial build does not render, and survives being killed at any moment."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import BUNDLED_TEMPLATES, MakeProject, copy_of_bundled, run_cli

from specgen import writer


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def complete(out: Path) -> bool:
    """`out` holds exactly the files its manifest lists, each with its recorded sha256."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    present = tree(out)
    del present["manifest.json"]
    return manifest["outputs"] == {
        name: hashlib.sha256(data).hexdigest() for name, data in present.items()
    }


@pytest.mark.parametrize("how", ["--out", "output: .", "output: requirements/", "output: ''"])
def test_an_output_that_would_replace_the_project_is_refused(
    make_project: MakeProject, how: str
) -> None:
    root = make_project()
    args = ["build", str(root), "--format", "json"]
    if how == "--out":
        args += ["--out", str(root)]
    else:
        with (root / "specgen.yaml").open("a", encoding="utf-8") as stream:
            stream.write(how + "\n")
    before = tree(root)
    result = run_cli(*args)
    assert result.exit_code == 1
    assert tree(root) == before
    if how == "output: ''":
        assert "error[E-SCHEMA]" in result.stderr
        return
    line = next(text for text in result.stderr.splitlines() if "error[" in text)
    site = "--out" if how == "--out" else "specgen.yaml:12:9"
    assert line.startswith(f"{site}: error[E-IO]: the output directory ")
    assert "would replace the project's input" in line
    assert "specgen replaces its output directory as a whole" in result.stderr


def test_an_output_inside_an_input_folder_is_refused(make_project: MakeProject) -> None:
    root = make_project()
    before = tree(root)
    result = run_cli("build", str(root), "--out", str(root / "municipalities/out"))
    assert result.exit_code == 1
    assert "would replace the project's input" in result.stderr
    assert tree(root) == before


def test_a_folder_of_other_files_is_never_replaced(make_project: MakeProject) -> None:
    root = make_project()
    documents = root.parent / "Documents"
    (documents / "私の書類").mkdir(parents=True)
    (documents / "私の書類/予算.xlsx").write_bytes(b"not mine to delete")
    result = run_cli("build", str(root), "--out", str(documents), "--format", "json")
    assert result.exit_code == 1
    assert (
        f"--out: error[E-IO]: the output directory {documents} holds files specgen did not "
        "write (私の書類) and no specgen manifest.json"
    ) in result.stderr
    assert tree(documents) == {"私の書類/予算.xlsx": b"not mine to delete"}


def test_a_file_added_to_an_earlier_output_is_kept_safe(make_project: MakeProject) -> None:
    root = make_project()
    out = root / "output"
    assert run_cli("build", str(root), "--format", "json").exit_code == 0
    (out / "メモ.txt").write_text("担当者のメモ", encoding="utf-8")
    result = run_cli("build", str(root), "--format", "json")
    assert result.exit_code == 1
    assert "holds files its manifest.json does not list (メモ.txt)" in result.stderr
    assert (out / "メモ.txt").read_text(encoding="utf-8") == "担当者のメモ"


def test_the_current_directory_is_never_the_output(
    make_project: MakeProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project()
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    result = run_cli("build", str(root), "--out", ".", "--format", "json")
    assert result.exit_code == 1
    assert "the output directory . is the current directory or holds it" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "project"]
    monkeypatch.chdir(root)
    result = run_cli("build", ".", "--out", ".", "--format", "json")
    assert result.exit_code == 1
    assert "would replace the project's input" in result.stderr


def test_an_empty_or_new_folder_is_a_fine_output(make_project: MakeProject) -> None:
    root = make_project()
    empty = root.parent / "empty"
    empty.mkdir()
    assert run_cli("build", str(root), "--out", str(empty), "--format", "json").exit_code == 0
    assert complete(empty)
    deep = root.parent / "new/deeper"
    assert run_cli("build", str(root), "--out", str(deep), "--format", "json").exit_code == 0
    assert complete(deep)


def test_the_output_follows_the_umask(make_project: MakeProject) -> None:
    root = make_project()
    previous = os.umask(0o022)
    try:
        assert run_cli("build", str(root), "--format", "json").exit_code == 0
    finally:
        os.umask(previous)
    assert (root / "output").stat().st_mode & 0o777 == 0o755
    assert (root / "output/joint").stat().st_mode & 0o777 == 0o755
    assert (root / "output/manifest.json").stat().st_mode & 0o777 == 0o644


def test_building_one_municipality_keeps_the_others_outputs(make_project: MakeProject) -> None:
    root = make_project()
    out = root / "output"
    assert run_cli("build", str(root), "--format", "json", "--format", "markdown").exit_code == 0
    full = tree(out)
    wajima = root / "municipalities/172049-wajima.yaml"
    wajima.write_text(wajima.read_text(encoding="utf-8").replace("22000", "21000"), "utf-8")
    result = run_cli("build", str(root), "--format", "json", "--municipality", "173843")
    assert result.exit_code == 0, result.output
    after = tree(out)
    assert sorted(after) == sorted(full)  # 172049's files are still there
    assert after["municipalities/172049/spec.md"] == full["municipalities/172049/spec.md"]
    assert complete(out)
    manifest = json.loads(after["manifest.json"])
    assert manifest["kept"] == [
        "joint/spec.md",
        "municipalities/172049/spec.json",
        "municipalities/172049/spec.md",
        "municipalities/173843/spec.md",
    ]


def test_a_participant_that_left_takes_its_outputs_along(make_project: MakeProject) -> None:
    root = make_project()
    out = root / "output"
    assert run_cli("build", str(root), "--format", "json").exit_code == 0
    (root / "municipalities/173843-shika.yaml").unlink()
    assert (
        run_cli("build", str(root), "--format", "json", "--municipality", "172049").exit_code == 0
    )
    assert not (out / "municipalities/173843").exists()
    assert complete(out)


def test_an_interrupted_swap_is_completed_by_the_next_build(make_project: MakeProject) -> None:
    """A kill between the two renames of the fallback swap leaves the output absent, the old
    one retired and the complete new one staged; recovery puts the new one in place."""
    root = make_project()
    out = root / "output"
    assert run_cli("build", str(root), "--format", "json").exit_code == 0
    old = tree(out)
    wajima = root / "municipalities/172049-wajima.yaml"
    wajima.write_text(wajima.read_text(encoding="utf-8").replace("22000", "21000"), "utf-8")
    token = "0123456789abcdef"  # the state the fallback swap leaves after its first rename
    staged = root / f".output.specgen-new-{token}"
    assert run_cli("build", str(root), "--format", "json", "--out", str(staged)).exit_code == 0
    new = tree(staged)
    assert new != old
    retired = writer._make_directory(out, "old", writer.RETIRED_MARKER, token)
    os.replace(out, retired / "output")
    writer.recover(out)
    assert tree(out) == new
    assert only_the_project_and_its_output(root)


def test_an_interrupted_swap_without_its_new_output_puts_the_old_one_back(
    make_project: MakeProject,
) -> None:
    root = make_project()
    out = root / "output"
    assert run_cli("build", str(root), "--format", "json").exit_code == 0
    old = tree(out)
    retired = writer._make_directory(out, "old", writer.RETIRED_MARKER, "fedcba9876543210")
    os.replace(out, retired / "output")
    writer.recover(out)
    assert tree(out) == old
    assert only_the_project_and_its_output(root)


def only_the_project_and_its_output(root: Path) -> bool:
    """Nothing but the inputs and output/: no staging or retired directory left behind."""
    names = sorted(p.name for p in root.iterdir())
    return names == ["municipalities", "output", "requirements", "specgen.yaml"]


@pytest.mark.parametrize(
    "name",
    [
        ".output.specgen-new",  # the fixed staging name of the writer before this one
        ".output.specgen-old",
        ".output-new-abcd1234",  # the mkdtemp names of the writer before that
        ".output-old-k2j4h5g6",
        ".output.specgen-new-0123456789abcdef",  # named as specgen names, but not marked
    ],
)
def test_a_users_folder_named_like_a_staging_directory_is_never_touched(
    make_project: MakeProject, name: str
) -> None:
    root = make_project()
    out = root / "output"
    assert run_cli("build", str(root), "--format", "json").exit_code == 0
    folder = root / name
    (folder / "joint").mkdir(parents=True)
    (folder / "joint/memo.txt").write_text("利用者のメモ", encoding="utf-8")
    assert run_cli("build", str(root), "--format", "json").exit_code == 0
    assert run_cli("build", str(root), "--format", "json", "--out", str(out)).exit_code == 0
    assert (folder / "joint/memo.txt").read_text(encoding="utf-8") == "利用者のメモ"
    assert complete(out)


def test_a_link_named_like_a_temporary_file_is_never_written_through(tmp_path: Path) -> None:
    """Every temporary name is new and opened exclusively: a link planted beside the target
    under any name specgen could pick is neither followed nor replaced."""
    outside = tmp_path / "outside.txt"
    outside.write_text("外部のファイル", encoding="utf-8")
    report = tmp_path / "out/s.xlsx"
    report.parent.mkdir()
    (report.parent / ".s.xlsx.specgen-new").symlink_to(outside)
    writer.write_report(report, b"report", replaceable=lambda data: False)
    assert report.read_bytes() == b"report"
    assert outside.read_text(encoding="utf-8") == "外部のファイル"
    assert (report.parent / ".s.xlsx.specgen-new").is_symlink()
    assert sorted(p.name for p in report.parent.iterdir()) == [".s.xlsx.specgen-new", "s.xlsx"]


def test_the_swap_without_an_atomic_exchange_gives_the_same_output(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project()
    assert run_cli("build", str(root), "--out", str(root / "a"), "--format", "json").exit_code == 0
    assert run_cli("build", str(root), "--out", str(root / "a"), "--format", "json").exit_code == 0
    monkeypatch.setattr(writer, "_exchange", lambda first, second: False)
    assert run_cli("build", str(root), "--out", str(root / "b"), "--format", "json").exit_code == 0
    assert run_cli("build", str(root), "--out", str(root / "b"), "--format", "json").exit_code == 0
    assert tree(root / "a") == tree(root / "b")
    assert not [p for p in root.iterdir() if p.name.startswith(".")]


def _alive(pgid: int) -> list[int]:
    """Processes of the group `pgid` that still run (zombies waiting to be reaped don't)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    return copy_of_bundled(tmp_path / "noto")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_killing_a_build_at_any_moment_never_leaves_a_partial_output(bundled_copy: Path) -> None:
    """SIGKILL at random moments of parallel builds: the output is always the old one or the
    new one, whole; no worker outlives the main process; the next build cleans up."""
    cases = int(os.environ.get("SPECGEN_KILL_CASES", "8"))
    out = bundled_copy / "output"
    command = [sys.executable, "-m", "specgen", "build", str(bundled_copy), "--jobs", "2"]
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True, cwd=bundled_copy.parent)
    duration = time.monotonic() - started
    rng = random.Random(20261130)
    wajima = bundled_copy / "municipalities/172049-wajima.yaml"
    original = wajima.read_text(encoding="utf-8")
    partial = survivors = 0
    for case in range(cases):
        wajima.write_text(original + f"# edit {case}\n", encoding="utf-8")  # force a render
        process = subprocess.Popen(
            command, cwd=bundled_copy.parent, start_new_session=True, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(rng.uniform(0.0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        time.sleep(0.5)
        if _alive(process.pid):
            survivors += 1
        if out.exists() and not complete(out):
            partial += 1
    assert (partial, survivors) == (0, 0)
    subprocess.run(command, check=True, capture_output=True, cwd=bundled_copy.parent)
    assert complete(out)
    assert only_the_project_and_its_output(bundled_copy)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_exits_with_one_line_and_no_worker_left(
    bundled_copy: Path, signum: int
) -> None:
    out = bundled_copy / "output"
    command = [sys.executable, "-m", "specgen", "build", str(bundled_copy), "--jobs", "2"]
    subprocess.run(command, check=True, capture_output=True, cwd=bundled_copy.parent)
    before = tree(out)
    # A project template that keeps the workers busy for seconds, so the signal lands while
    # documents are being rendered.
    bundled = (BUNDLED_TEMPLATES / "municipality.md.j2").read_text(encoding="utf-8")
    busy = "{% for i in range(100000) %}{% for j in range(100) %}{% endfor %}{% endfor %}"
    (bundled_copy / "templates").mkdir()
    (bundled_copy / "templates/municipality.md.j2").write_text(busy + bundled, encoding="utf-8")
    process = subprocess.Popen(
        command, cwd=bundled_copy.parent, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while len(_alive(process.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)  # until both workers run
    time.sleep(0.5)
    os.killpg(process.pid, signum)  # a terminal's Ctrl-C reaches the whole group
    _, stderr = process.communicate(timeout=60)
    time.sleep(0.5)
    assert process.returncode == 128 + signum, stderr
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("specgen: ") and "the output was left as it was" in lines[-1]
    assert not _alive(process.pid)
    assert tree(out) == before
    assert not [p for p in bundled_copy.iterdir() if p.name.startswith(".")]


# Found by an adversarial review of the writer: each of these lost data or crashed.


def test_a_folder_whose_name_looks_like_an_old_staging_folder_is_left_alone(
    make_project: MakeProject,
) -> None:
    root = make_project()
    out = root.parent / "docs"
    assert run_cli("build", str(root), "--out", str(out), "--format", "json").exit_code == 0
    mine = root.parent / ".docs-old-versions"
    mine.mkdir()
    (mine / "v0.9.md").write_text("承認済み", encoding="utf-8")
    assert run_cli("build", str(root), "--out", str(out), "--format", "json").exit_code == 0
    assert (mine / "v0.9.md").read_text(encoding="utf-8") == "承認済み"


def test_a_project_named_like_a_staging_folder_is_built_and_left_alone(
    make_project: MakeProject,
) -> None:
    root = make_project(name=".out.specgen-new")
    before = tree(root)
    result = run_cli("build", str(root), "--out", str(root.parent / "out"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert tree(root) == before
    assert complete(root.parent / "out")


def test_a_file_added_to_the_output_while_it_builds_is_kept(make_project: MakeProject) -> None:
    """The ownership check is made again, under the lock, just before the swap."""
    root = make_project()
    out = root / "output"
    assert run_cli("build", str(root), "--format", "json").exit_code == 0
    (out / "NOTES.txt").write_text("作業中のメモ", encoding="utf-8")  # after the first check
    with pytest.raises(writer.OutputError, match="files appeared in the output directory"):
        writer.write_outputs(out, {"manifest.json": (out / "manifest.json").read_bytes()})
    assert (out / "NOTES.txt").read_text(encoding="utf-8") == "作業中のメモ"
    assert only_the_project_and_its_output(root)


def test_cache_eviction_removes_only_its_own_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "_CACHE_ENTRIES", 2)
    (tmp_path / "r1.json").write_text("{}", encoding="utf-8")
    for i in range(4):
        writer.store_cache_entry(tmp_path, f"{i:064x}", b"{}")
    assert (tmp_path / "r1.json").is_file()
    assert len(list(tmp_path.glob("0*.json"))) < 4


def test_symbolic_link_loops_and_overlong_names_are_errors_not_crashes(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project()
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    result = run_cli("build", str(root), "--out", str(tmp_path / "loop1"), "--format", "json")
    assert result.exit_code == 1 and "error[E-IO]" in result.stderr
    result = run_cli("build", str(root), "--out", str(tmp_path / ("x" * 300)), "--format", "json")
    assert result.exit_code == 1 and "error[E-IO]" in result.stderr
    requirements = root / "requirements"
    (requirements / "l1.yaml").symlink_to(requirements / "l2.yaml")
    (requirements / "l2.yaml").symlink_to(requirements / "l1.yaml")
    result = run_cli("validate", str(root))
    assert result.exit_code == 1
    assert "'requirements/l1.yaml' is a symbolic link that loops" in result.stderr


def test_a_build_from_a_deleted_working_directory_works(
    make_project: MakeProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project()
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    result = run_cli("build", str(root), "--out", str(tmp_path / "o"), "--format", "json")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("folder", ["requirements/fg", "municipalities/rev", "templates/rev"])
def test_fit_gap_refuses_the_projects_input_folders_as_build_does(
    make_project: MakeProject, folder: str
) -> None:
    root = make_project()
    before = tree(root)
    for command in (["build"], ["report", "fit-gap"]):
        result = run_cli(*command, str(root), "--out", str(root / folder))
        assert result.exit_code == 1, (command, result.output)
        assert "error[E-IO]" in result.stderr and "input" in result.stderr
    assert tree(root) == before


@pytest.mark.parametrize("folder", ["requirements/proposal", "municipalities/rev", "templates/p"])
def test_consolidate_refuses_an_input_folder_of_the_project_around_its_output(
    make_project: MakeProject, tmp_path: Path, folder: str
) -> None:
    root = make_project()
    town = tmp_path / "town.yaml"
    catalog = (root / "requirements/10-main.yaml").read_text(encoding="utf-8")
    town.write_text(
        catalog.replace(
            "specgen: 1\n", 'specgen: 1\nmunicipality: {code: "172049", name: 輪島市}\n'
        ),
        encoding="utf-8",
    )
    before = tree(root)
    for like in ([], ["--like", str(root / "specgen.yaml")]):
        result = run_cli("consolidate", str(town), "--out", str(root / folder), *like)
        assert result.exit_code == 1, result.output
        assert "error[E-IO]" in result.stderr
    assert tree(root) == before
    result = run_cli("consolidate", str(town), "--out", str(tmp_path / "proposal"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "proposal/specgen.yaml").is_file()
    assert not [p for p in tmp_path.iterdir() if ".specgen-" in p.name]
